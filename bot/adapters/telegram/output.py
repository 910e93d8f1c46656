"""Showing views in Telegram: render, split, send or edit in place, answer button presses.

Telegram's quirks are handled here and nowhere else: "message is not modified" counts as success, a
message that can no longer be edited is replaced by a new one, and a late callback answer is ignored.

The wizard's sends and edits (:func:`post_own_message`) go through python-telegram-bot's request method
(``Bot._post``: defaults, the delivery policy, errors) with the parameters ``send_message`` and
``edit_message_text`` would pass, and read only the message id from Telegram's answer. PTB would build a
:class:`~telegram.Message` from it (``Message.de_json``: 143 attributes set one by one), about 5% of the
bot's CPU under load, for an object nobody reads. Other sends (commands' replies, reminders, notices) keep
PTB's public methods.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, TelegramError
from telegram.ext import ExtBot
from telegram.request import BaseRequest

from bot.adapters.telegram.keyboard import build_keyboard
from bot.adapters.telegram.split import split_message
from bot.adapters.telegram.texts import TelegramTexts
from bot.render import Renderer
from bot.view import View

log = logging.getLogger(__name__)

_CANNOT_EDIT = ("message to edit not found", "message can't be edited", "message_id_invalid")


def is_not_modified(exc: BadRequest) -> bool:
    """True for Telegram's answer to an edit that changes nothing."""
    return "message is not modified" in exc.message.lower()


_DEFAULT = BaseRequest.DEFAULT_NONE  # PTB's marker "not given": the bot's Defaults (HTML, no link preview)


async def post_own_message(
    bot: Bot, method: str, params: dict[str, Any], markup: InlineKeyboardMarkup | None
) -> int:
    """Call ``method`` (sendMessage, editMessageText, editMessageReplyMarkup for a chat's message) as
    python-telegram-bot's method of that name would, without building a :class:`~telegram.Message`
    from the answer; the message's id. ``params``: what the call names (chat, message, text). The
    parameters that have defaults are passed as PTB passes them ("not given", in PTB's order), so
    the bot's :class:`~telegram.ext.Defaults` fill them in exactly as for ``bot.send_message``
    (``tests/test_telegram_output.py`` compares the requests)."""
    if isinstance(bot, ExtBot):
        markup = bot._replace_keyboard(markup)  # what ExtBot does (arbitrary callback data; off here)
    data: dict[str, Any] = {
        **params,
        "disable_notification": _DEFAULT,
        "link_preview_options": _DEFAULT,
        "parse_mode": _DEFAULT,
        "protect_content": _DEFAULT,
        "reply_markup": markup,
    }
    if method == "editMessageReplyMarkup":  # PTB leaves the link preview out (and yet sends parse_mode)
        del data["link_preview_options"]
    result = await bot._post(method, data)
    return int(result["message_id"])


class Presenter:
    """Turns views into messages and keyboards, and puts them on screen."""

    def __init__(self, renderer: Renderer, texts: TelegramTexts, web_base_url: str = "") -> None:
        self.renderer = renderer
        self.texts = texts
        self.web_base_url = web_base_url  # WEB_BASE_URL: guides get a share button to their web page

    def compose(
        self,
        view: View,
        version: int,
        prefix: str | None = None,
        page: int | None = None,
        payload: str | None = None,
    ) -> tuple[list[str], InlineKeyboardMarkup | None]:
        """The view's text as messages of at most 4096 characters, and the keyboard for the last one.
        ``payload``: the deep-link payload of the guide shown (its web page gets a share button)."""
        text = self.renderer.render(view)
        if prefix:
            text = f"{prefix}\n\n{text}"
        link = f"{self.web_base_url}/g/{payload}" if self.web_base_url and payload else None
        return split_message(text), build_keyboard(view, version, self.texts, page, link)

    async def send(
        self, bot: Bot, chat_id: int, parts: Sequence[str], markup: InlineKeyboardMarkup | None = None
    ) -> int:
        """Send ``parts`` as new messages, the keyboard on the last; the last message's id."""
        message_id = 0
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            params = {"chat_id": chat_id, "text": part}
            message_id = await post_own_message(bot, "sendMessage", params, markup if last else None)
        return message_id

    async def edit(
        self,
        bot: Bot,
        chat_id: int,
        message_id: int,
        parts: Sequence[str],
        markup: InlineKeyboardMarkup | None,
    ) -> int:
        """Edit ``message_id`` to show the first part (sending any others after it); the id with the keyboard."""
        only = len(parts) == 1
        try:
            params = {"text": parts[0], "chat_id": chat_id, "message_id": message_id}
            await post_own_message(bot, "editMessageText", params, markup if only else None)
        except BadRequest as exc:
            if is_not_modified(exc):
                pass
            elif any(s in exc.message.lower() for s in _CANNOT_EDIT):
                log.debug("chat %s: message %s cannot be edited (%s); sending anew", chat_id, message_id, exc)
                return await self.send(bot, chat_id, parts, markup)
            else:
                raise
        return message_id if only else await self.send(bot, chat_id, parts[1:], markup)

    async def drop_keyboard(self, bot: Bot, chat_id: int, message_id: int | None) -> None:
        """Remove the buttons from an old wizard message (best effort: it may be gone or too old)."""
        if message_id is None:
            return
        try:
            params = {"chat_id": chat_id, "message_id": message_id}
            await post_own_message(bot, "editMessageReplyMarkup", params, None)
        except BadRequest as exc:
            log.debug("chat %s: could not remove keyboard of %s: %s", chat_id, message_id, exc)

    async def answer(self, query: CallbackQuery, toast: str | None = None) -> None:
        """Answer a button press (stops the client's spinner); a late or repeated answer is ignored."""
        try:
            await query.answer(toast)
        except TelegramError as exc:
            log.debug("callback %s not answered: %s", query.id, exc)

    def help_text(self, unknown_command: str | None = None) -> str:
        """The /help message (with a line about an unknown command when given one)."""
        return self.renderer.text("help", unknown_command=unknown_command)

    def hint(self, kind: str) -> str:
        """A short hint shown above the current step (``not_text``, ``bad_link``, ``error``)."""
        return self.renderer.text("hint", kind=kind)
