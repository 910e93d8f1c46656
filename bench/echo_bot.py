"""The baseline for ``make bench``: a bare python-telegram-bot echo bot.

It answers every message with one message carrying a 3-button inline keyboard, and every button press
with ``answerCallbackQuery`` plus one such message, so it makes exactly as many Bot API calls per
update as the wizard bot (which answers a press and edits its message). It runs with the same settings
as the bot under test (TELEGRAM_* variables: concurrency, rate limiter, poll timeout, HTML parse mode),
so the comparison is like with like. Usage: ``python -m bench.echo_bot`` with the same environment
variables as ``python -m bot``.
"""

from __future__ import annotations

import html
import logging
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.adapters.telegram.builder import base_builder
from bot.adapters.telegram.lifecycle import ALLOWED_UPDATES
from bot.config import load_settings

KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton(label, callback_data=f"1:p:{label}") for label in ("one", "two", "three")]]
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message: send its text back with the keyboard."""
    text = update.effective_message.text or "?"  # type: ignore[union-attr]
    await context.bot.send_message(update.effective_chat.id, html.escape(text), reply_markup=KEYBOARD)  # type: ignore[union-attr]


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: acknowledge it, then send its data back with the keyboard."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await context.bot.send_message(query.from_user.id, html.escape(query.data or "?"), reply_markup=KEYBOARD)


def main() -> int:
    """Poll until SIGINT/SIGTERM."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = base_builder(settings).concurrent_updates(settings.telegram_concurrency).build()
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=settings.telegram_poll_timeout, close_loop=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
