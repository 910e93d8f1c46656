"""What a chat that sends too much at once is told (see :mod:`bot.adapters.telegram.ordering`).

A button press beyond the chat's bound gets the ``toast_flood`` toast (every press must be answered,
or the client keeps spinning); the first message dropped in a burst gets ``messages/flood.html.j2``
once; the other dropped messages get nothing, so a flood is not answered with a flood.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.adapters.telegram.ordering import chat_key
from bot.adapters.telegram.output import Presenter

log = logging.getLogger(__name__)


class FloodNotice:
    """The ``on_overflow`` callback of the update processor."""

    def __init__(self, presenter: Presenter) -> None:
        self.presenter = presenter

    async def __call__(self, update: Update, first: bool) -> None:
        """Answer a dropped update: a toast for a press, one notice per burst for messages."""
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(self.presenter.texts.toast_flood)
            elif first and update.effective_chat is not None and update.effective_chat.type == "private":
                text = self.presenter.renderer.text("flood")
                await update.get_bot().send_message(update.effective_chat.id, text)
        except TelegramError as exc:
            log.info("chat %s: could not answer a dropped update: %s", chat_key(update), exc)
