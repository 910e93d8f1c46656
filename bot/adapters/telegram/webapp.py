"""The chat's side of the web guide: the menu button that opens the Mini App, and showing a choice
saved in the Mini App in the chat (see ``bot/adapters/web/``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import MenuButton, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError
from telegram.ext import Application

from bot.adapters.telegram.texts import TelegramTexts

log = logging.getLogger(__name__)

# Key in ``Application.bot_data`` of the coroutine that shows a chat's current step in a new message.
SHOW_IN_CHAT = "show_in_chat"


def menu_button(texts: TelegramTexts, web_base_url: str) -> MenuButton:
    """The Mini App's menu button when the pages are served over HTTPS (Telegram requires it), else
    Telegram's default (the command list)."""
    if web_base_url.startswith("https://"):
        return MenuButtonWebApp(texts.menu_button, WebAppInfo(f"{web_base_url}/app"))
    return MenuButtonDefault()


async def set_menu_button(app: Application, texts: TelegramTexts, web_base_url: str) -> None:
    """Set the default menu button of every private chat when it differs (errors only logged)."""
    wanted = menu_button(texts, web_base_url)
    try:
        if await app.bot.get_chat_menu_button() != wanted:
            await app.bot.set_chat_menu_button(menu_button=wanted)
    except TelegramError as exc:
        log.warning("could not set the menu button: %s", exc)


def chat_notifier(app: Application) -> Callable[[int], Awaitable[None]] | None:
    """A coroutine function showing a chat's current step in the chat (None before ``build_app``)."""
    show: Callable[..., Awaitable[None]] | None = app.bot_data.get(SHOW_IN_CHAT)
    if show is None:
        return None

    async def notify(chat_id: int) -> None:
        await show(app.bot, chat_id)

    return notify
