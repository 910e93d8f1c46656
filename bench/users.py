"""Virtual users for the bot benchmark: each walks the whole wizard like a person, one update at a time.

A wizard user starts with /start, picks an identity, sometimes types a place instead of tapping,
sometimes turns a keyboard page, picks province, city and channel, and opens one follow-up on the
instructions page. What it sent (text or button press, and which text) is recorded, so the same mix
of updates can be replayed against the bare echo bot.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.callback import decode
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi, Sent

TYPED = ("长沙", "重庆", "广东", "杭州市", "北京", "成都", "我在湖南", "西安")
MAX_STEPS = 12


@dataclass
class Script:
    """What one user sent, in order: ("text", text) or ("press", "")."""

    steps: list[tuple[str, str]] = field(default_factory=list)


def _buttons(message: Sent | None) -> dict[str, list[str]]:
    """The message's callback data grouped by action (pick, page, faq, ...)."""
    grouped: dict[str, list[str]] = {}
    for b in message.buttons if message else []:
        cb = decode(b.get("callback_data"))
        if cb is not None:
            grouped.setdefault(cb.action, []).append(b["callback_data"])
    return grouped


async def wizard_user(api: FakeBotApi, chat_id: int, rng: random.Random) -> Script:
    """Walk the wizard to the instructions and one follow-up; the script of what was sent."""
    chat = ChatClient(api, None, chat_id)
    script = Script()

    async def text(t: str) -> None:
        script.steps.append(("text", t))
        await chat.send(t)

    async def press(data: str) -> None:
        script.steps.append(("press", ""))
        await chat.press(data, chat.wizard)  # type: ignore[arg-type]

    await text("/start")
    typed = False
    for _ in range(MAX_STEPS):
        grouped = _buttons(chat.wizard)
        follow_ups = grouped.get("faq", []) + grouped.get("calc", [])
        if follow_ups:
            await press(rng.choice(follow_ups))
            break
        if "page" in grouped and rng.random() < 0.3:
            await press(rng.choice(grouped["page"]))
        elif not typed and len(script.steps) == 2 and rng.random() < 0.3:
            typed = True
            await text(rng.choice(TYPED))
        elif grouped.get("pick"):
            await press(rng.choice(grouped["pick"]))
        else:
            await text("/start")
    return script


async def echo_user(api: FakeBotApi, chat_id: int, script: Script) -> None:
    """Send the same kinds of updates as ``script`` to the echo bot (pressing its first button)."""
    chat = ChatClient(api, None, chat_id)
    for kind, t in script.steps:
        if kind == "text":
            await chat.send(t)
        else:
            msg = chat.wizard
            assert msg is not None
            await chat.press(str(msg.buttons[0]["callback_data"]), msg)


async def returning_user(api: FakeBotApi, chat_ids: list[int]) -> None:
    """Chats with a stored session come back with /start (the bot loads their session)."""
    for chat_id in chat_ids:
        await ChatClient(api, None, chat_id).send("/start")
