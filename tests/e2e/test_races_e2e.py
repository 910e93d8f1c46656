"""Double taps and racing updates from one chat: applied in order, exactly once, never a state no single
sequence of taps could reach (the session version in every button makes a repeated tap stale)."""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.adapters.telegram.texts import load_texts
from bot.callback import ACTION_CODES, Callback, decode, encode
from bot.events import Event
from bot.render import MESSAGES_DIR
from bot.session import Session
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi

TEXTS = load_texts(MESSAGES_DIR)
pytestmark = pytest.mark.unmeasured  # updates queue behind each other on purpose


async def session_of(bot, chat: ChatClient) -> Session:
    return (await bot.store.load(chat.chat_id)).session


async def press_all(api: FakeBotApi, bot, chat: ChatClient, data: list[str]) -> list[int]:
    """Press buttons with ``data`` on the wizard message, all in the same instant; wait for all."""
    target = chat.wizard
    ids = [api.push_callback(chat.chat_id, target.message_id, d) for d in data]
    await asyncio.gather(*(bot.tracker.wait(i) for i in ids))
    return ids


async def test_double_tap_is_applied_once(chat: ChatClient, api: FakeBotApi, bot) -> None:
    first = await chat.send("/start")
    before = await session_of(bot, chat)
    ids = await press_all(api, bot, chat, [first.data_for("城乡居民")] * 2)
    after = await session_of(bot, chat)
    assert after.version == before.version + 1 and after.state == "province"
    assert dict(after.slots) == {"identity": "resident"}
    assert api.offers[ids[0]].toast is None and api.offers[ids[1]].toast == TEXTS.toast_stale
    assert [api.offers[i].answers for i in ids] == [1, 1]
    assert "你在哪个省份参保" in chat.wizard.plain  # the stale tap shows the current step again


async def test_two_different_buttons_in_the_same_instant_only_the_first_counts(
    chat: ChatClient, api: FakeBotApi, bot
) -> None:
    first = await chat.send("/start")
    await press_all(api, bot, chat, [first.data_for("灵活就业人员"), first.data_for("城乡居民")])
    after = await session_of(bot, chat)
    assert dict(after.slots) == {"identity": "flexible"} and after.version == 1


async def test_tap_while_the_previous_update_is_being_handled_waits_its_turn(
    chat: ChatClient, api: FakeBotApi, bot
) -> None:
    first = await chat.send("/start")
    api.faults.delay = 0.3  # every Bot API call now takes 0.3 s: the first tap is still being handled
    resident = first.data_for("城乡居民")
    tap = api.push_callback(chat.chat_id, first.message_id, resident)
    # The press is answered once its step is saved, before it is shown: the first tap is under way.
    await api.wait_for(lambda: any(c.method == "answerCallbackQuery" for c in api.calls))
    again = api.push_callback(chat.chat_id, first.message_id, resident)
    typed = api.push_text(chat.chat_id, "湖南")
    for update_id in (tap, again, typed):
        await bot.tracker.wait(update_id)
    after = await session_of(bot, chat)
    assert after.state == "city" and dict(after.slots) == {"identity": "resident", "province": "430000"}
    assert api.offers[again].toast == TEXTS.toast_stale
    offers = [api.offers[i] for i in (tap, again, typed)]
    assert offers[0].answered_at < offers[1].answered_at < offers[2].answered_at  # in arrival order


def _replay(wizard, session: Session, data: list[str]) -> Session:
    """What the bot does with each press, on the pure wizard (see handlers.WizardBot.button)."""
    for d in data:
        cb = decode(d)
        assert cb is not None
        event = (
            Event("show", version=cb.version)
            if cb.action == "page"
            else Event(cb.action, cb.value, cb.version)
        )
        session, _ = wizard.step(session, event)
    return session


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_burst_of_racing_presses_equals_the_same_presses_one_by_one(
    chat: ChatClient, api: FakeBotApi, bot, seed: int
) -> None:
    rng = random.Random(seed)
    await chat.send("/start")
    start = await session_of(bot, chat)
    wizard, ahead, data = bot.holder.current, start, []
    for _ in range(30):
        # Mostly a tap on the step the user will see by then; sometimes a repeated (double) tap, a tap
        # on an old message, or a navigation button.
        roll = rng.random()
        if roll < 0.55:
            choices = [o.value for o in wizard.view(ahead).options] or [""]
            cb = Callback(ahead.version, "pick" if choices != [""] else "show", rng.choice(choices))
        elif roll < 0.75 and data:
            cb = decode(rng.choice(data))
        else:
            cb = Callback(rng.randint(start.version, ahead.version), rng.choice(["back", "restart", "page"]))
        data.append(encode(cb))
        ahead = _replay(wizard, ahead, data[-1:])
    assert {decode(d).action for d in data} <= set(ACTION_CODES)
    ids = await press_all(api, bot, chat, data)
    expected = _replay(wizard, start, data)
    assert await session_of(bot, chat) == expected and expected.version - start.version >= 5
    assert all(api.offers[i].answers == 1 for i in ids)
