"""Small parts of the Telegram adapter: texts validation, token redaction, per-chat ordering, settings."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest
from telegram import Update

from bot.adapters.telegram.logs import REDACTED, protect_token
from bot.adapters.telegram.ordering import PerChatUpdateProcessor, chat_key, slot_released
from bot.adapters.telegram.texts import load_texts
from bot.config import load_settings
from bot.errors import ConfigError
from bot.render import MESSAGES_DIR
from bot.runtime import WizardHolder
from bot.wizard import Wizard


def test_shipped_texts_are_valid() -> None:
    texts = load_texts(MESSAGES_DIR)
    assert [c for c, _ in texts.commands] == [
        "start",
        "restart",
        "cancel",
        "help",
        "reminders",
        "privacy",
        "forget",
    ]


def test_bad_texts_are_reported_with_file_and_key(tmp_path: Path) -> None:
    shutil.copytree(MESSAGES_DIR, tmp_path / "m")
    path = tmp_path / "m" / "telegram.yaml"
    text = path.read_text(encoding="utf-8").replace("toast_stale:", "toast_stail:")
    path.write_text(
        text + "\ncommands: {Start!: x}\nshort_description: " + "长" * 130 + "\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as err:
        load_texts(tmp_path / "m")
    message = str(err.value)
    for expected in (
        "toast_stale: missing",
        "toast_stail: unknown key",
        "commands.Start!",
        "short_description: longer",
    ):
        assert expected in message
    assert "telegram.yaml" in message


def test_token_is_redacted_from_every_log_line() -> None:
    logger = logging.getLogger("redaction-test")
    logger.propagate = False
    stream = __import__("io").StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    token = "123:SECRET-token"
    protect_token(token, logger)
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        logger.exception("calling %s", f"/bot{token}/x")
    out = stream.getvalue()
    assert token not in out and out.count(REDACTED) == 2
    assert logging.getLogger("httpx").level == logging.WARNING


def _update(uid: int, chat: int) -> Update:
    return Update.de_json(
        {
            "update_id": uid,
            "message": {
                "message_id": uid,
                "date": 0,
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "x"},
                "text": "hi",
            },
        },
        None,
    )


async def test_per_chat_order_and_bounded_concurrency() -> None:
    proc = PerChatUpdateProcessor(concurrency=2)
    await proc.initialize()
    running, peak, order = 0, 0, []

    async def work(update: Update) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        order.append((update.effective_chat.id, update.update_id))
        running -= 1

    updates = [_update(i, chat=i % 3) for i in range(12)]
    await asyncio.gather(*(proc.process_update(u, work(u)) for u in updates))
    assert peak == 2
    for chat in range(3):
        ids = [uid for c, uid in order if c == chat]
        assert ids == sorted(ids)
    assert proc.waiting_chats == 0
    assert chat_key(object()) is None


async def test_an_update_waiting_for_telegram_lends_its_slot_to_other_chats() -> None:
    proc = PerChatUpdateProcessor(concurrency=1)
    await proc.initialize()
    done: list[int] = []

    async def throttled(update: Update) -> None:
        async with slot_released():  # e.g. waiting out a 429 for this chat
            await asyncio.sleep(0.3)
        done.append(update.update_id)

    async def quick(update: Update) -> None:
        done.append(update.update_id)

    first, second = _update(1, chat=1), _update(2, chat=2)
    await asyncio.gather(
        proc.process_update(first, throttled(first)), proc.process_update(second, quick(second))
    )
    assert done == [2, 1]  # chat 2 ran while chat 1 waited, with only one slot

    cancelled = asyncio.create_task(proc.process_update(_update(3, chat=3), throttled(_update(3, chat=3))))
    await asyncio.sleep(0.05)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await asyncio.sleep(0)
    assert proc.free_slots == 1  # the slot count stays balanced
    async with slot_released():  # outside an update: nothing to lend
        pass


def test_reliability_settings(tmp_path: Path) -> None:
    env = {"TELEGRAM_RATE_LIMIT": "0", "TELEGRAM_TIMEOUT": "3", "SESSION_RETENTION_DAYS": "7"}
    s = load_settings(env, env_file=tmp_path / "none")
    assert (s.telegram_rate_limit, s.telegram_timeout, s.session_retention_days) == (0, 3, 7)
    default = load_settings({}, env_file=tmp_path / "none")
    assert (default.telegram_rate_limit, default.telegram_timeout, default.session_retention_days) == (
        30,
        10,
        30,
    )
    with pytest.raises(ConfigError, match="SESSION_RETENTION_DAYS"):
        load_settings({"SESSION_RETENTION_DAYS": "0"}, env_file=tmp_path / "none")


def test_wizard_holder_swaps_whole_wizards(wizard: Wizard) -> None:
    holder = WizardHolder(wizard)
    other = Wizard(wizard.catalog, {**wizard.labels, "back": "返回"})
    assert holder.swap(other) is wizard and holder.current is other


def test_telegram_settings(tmp_path: Path) -> None:
    env = {"TELEGRAM_CONCURRENCY": "8", "TELEGRAM_POLL_TIMEOUT": "5"}
    s = load_settings(env, env_file=tmp_path / "none")
    assert (s.telegram_concurrency, s.telegram_poll_timeout) == (8, 5)
    assert load_settings({}, env_file=tmp_path / "none").telegram_concurrency == 4
    with pytest.raises(ConfigError, match="TELEGRAM_CONCURRENCY"):
        load_settings({"TELEGRAM_CONCURRENCY": "0"}, env_file=tmp_path / "none")
    s = load_settings({"TELEGRAM_BOT_TOKEN": "1:abc"}, env_file=tmp_path / "none")
    assert "1:abc" not in repr(s)


async def test_waits_for_the_overall_limit_lend_a_bounded_number_of_slots_in_arrival_order() -> None:
    """Issue 18: at most ``lent_for_shared`` updates wait for the overall flood limit with their answer
    built and their slot lent; the next one keeps its slot, and the ones behind it are not started."""
    proc = PerChatUpdateProcessor(concurrency=1, lent_for_shared=2)
    await proc.initialize()
    started: list[int] = []
    sent: list[int] = []
    turn = asyncio.Event()

    async def answer(update: Update) -> None:
        started.append(update.update_id)  # the answer is built
        async with slot_released(shared=True):  # and waits for the overall limit
            await turn.wait()
            sent.append(update.update_id)

    updates = [_update(i, chat=i) for i in range(6)]
    tasks = [asyncio.create_task(proc.process_update(u, answer(u))) for u in updates]
    await asyncio.sleep(0.05)
    assert started == [0, 1, 2]  # two waiting with a lent slot, the third holding it
    turn.set()
    await asyncio.gather(*tasks)
    assert started == sent == list(range(6))  # first come, first served
    assert proc.free_slots == 1


async def test_an_update_back_from_a_wait_goes_before_updates_not_yet_started() -> None:
    """An update whose wait is over (its answer sent) takes the next free slot before unstarted ones, so
    it does not hold its page and request while every queued update runs first."""
    proc = PerChatUpdateProcessor(concurrency=1)
    await proc.initialize()
    order: list[int] = []
    waited, holding = asyncio.Event(), asyncio.Event()

    async def lender(update: Update) -> None:
        async with slot_released():
            await waited.wait()
        order.append(update.update_id)

    async def holder(update: Update) -> None:
        await holding.wait()  # keeps the slot
        order.append(update.update_id)

    async def plain(update: Update) -> None:
        order.append(update.update_id)

    first, second, third = _update(1, chat=1), _update(2, chat=2), _update(3, chat=3)
    tasks = [
        asyncio.create_task(proc.process_update(first, lender(first))),
        asyncio.create_task(proc.process_update(second, holder(second))),
        asyncio.create_task(proc.process_update(third, plain(third))),
    ]
    await asyncio.sleep(0.02)
    waited.set()  # the first update is back and waits for a slot, after the third had queued
    await asyncio.sleep(0.02)
    holding.set()
    await asyncio.gather(*tasks)
    assert order == [2, 1, 3]
