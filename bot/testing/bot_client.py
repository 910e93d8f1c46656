"""Driving a bot like a user does: send text, commands and stickers, tap buttons, read the bot's messages.

:class:`UpdateTracker` registers a handler in a late group of the real Application, so a test knows
when an update has been fully processed (PTB runs groups in order). Without a tracker (a bot in another
process) the client waits until the fake server saw the bot answer.
"""

from __future__ import annotations

import asyncio
import time

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.testing.fake_bot_api import FakeBotApi, InlineAnswer, Sent


class UpdateTracker:
    """Knows which update ids the Application finished processing."""

    GROUP = 1_000_000

    def __init__(self) -> None:
        self.done: set[int] = set()
        self._changed = asyncio.Event()

    @classmethod
    def attach(cls, app: Application) -> UpdateTracker:
        """Add the tracking handler to ``app`` (after all of the bot's own handlers)."""
        tracker = cls()
        app.add_handler(TypeHandler(Update, tracker._record), group=cls.GROUP)
        return tracker

    async def _record(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.done.add(update.update_id)
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until ``update_id`` has been processed."""
        deadline = time.monotonic() + timeout
        while update_id not in self.done:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"update {update_id} not processed within {timeout}s")
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), left)
            except TimeoutError:
                continue


class ChatClient:
    """One private chat with the bot."""

    def __init__(
        self, api: FakeBotApi, tracker: UpdateTracker | None = None, chat_id: int = 100001, name: str = "小王"
    ) -> None:
        self.api, self.tracker, self.chat_id, self.name = api, tracker, chat_id, name
        self.last_update = 0

    async def _settle(self, update_id: int) -> None:
        self.last_update = update_id
        if self.tracker is not None:
            await self.tracker.wait(update_id)
        else:
            await self.api.wait_answered(update_id)

    async def send(self, text: str) -> Sent | None:
        """Send text (or a command); return the bot message touched last."""
        await self._settle(self.api.push_text(self.chat_id, text, self.name))
        return self.last

    async def send_media(self, kind: str) -> Sent | None:
        """Send a sticker, photo, voice, video or document."""
        await self._settle(self.api.push_media(self.chat_id, kind, self.name))
        return self.last

    async def press(self, data: str, message: Sent) -> Sent | None:
        """Press a button with raw ``data`` on ``message``."""
        await self._settle(self.api.push_callback(self.chat_id, message.message_id, data, self.name))
        return self.last

    async def click(self, label: str, message: Sent | None = None) -> Sent | None:
        """Tap the button labelled ``label`` on ``message`` (default: the current wizard message)."""
        target = message or self.wizard
        assert target is not None, "no message with buttons"
        return await self.press(target.data_for(label), target)

    async def inline(self, query: str) -> InlineAnswer:
        """Type ``@bot <query>`` (in any chat); the bot's answer to the inline query."""
        update_id = self.api.push_inline_query(self.chat_id, query, self.name)
        await self._settle(update_id)
        qid = self.api.offers[update_id].inline_id or ""
        assert qid in self.api.inline_answers, f"inline query {query!r} was not answered"
        return self.api.inline_answers[qid]

    async def share(self, result_id: str) -> Sent | None:
        """Send result ``result_id`` of the last inline query into this chat; the bot message touched last."""
        await self._settle(self.api.push_inline_choice(self.chat_id, self.last_update, result_id, self.name))
        return self.last

    @property
    def messages(self) -> list[Sent]:
        """The bot's messages in this chat, oldest first."""
        return self.api.chat_messages(self.chat_id)

    @property
    def last(self) -> Sent | None:
        """The bot message sent or edited most recently."""
        return self.api.last_touched(self.chat_id)

    @property
    def wizard(self) -> Sent | None:
        """The newest bot message that has buttons."""
        with_buttons = [m for m in self.messages if m.buttons]
        return with_buttons[-1] if with_buttons else None

    @property
    def toast(self) -> str | None:
        """The toast shown for the last button press (None when the press was answered silently)."""
        return self.api.offers[self.last_update].toast
