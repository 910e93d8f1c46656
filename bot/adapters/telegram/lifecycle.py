"""Starting and stopping the Application, and the process exit codes: shared by the polling runner
(``polling.serve``) and the webhook runner (``webhook.serve_webhook``)."""

from __future__ import annotations

import logging
import sqlite3

from telegram import Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

log = logging.getLogger(__name__)

# Edited messages and channel posts are not asked for (ignored by design, see chats.py).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.MY_CHAT_MEMBER]
EXIT_OK, EXIT_UNREACHABLE, EXIT_BAD_TOKEN, EXIT_CONFLICT = 0, 1, 2, 3


async def start_up(app: Application) -> int | None:
    """Initialize the Application and open the store; an exit code if that failed, else None."""
    try:
        await app.initialize()
    except TelegramError as exc:
        await app.bot.shutdown()  # close the HTTP clients that initialize() opened
        if isinstance(exc, InvalidToken):  # its message contains the token: never log it
            log.error(
                "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized); copy it from @BotFather again"
            )
            return EXIT_BAD_TOKEN
        log.error("cannot reach the Bot API (TELEGRAM_BASE_URL): %s", exc)
        return EXIT_UNREACHABLE
    try:
        if app.post_init:
            await app.post_init(app)
    except (OSError, sqlite3.Error) as exc:  # a Redis store raises ConnectionError (an OSError)
        log.error("cannot open the session database (check BOT_DATA_DIR, or SESSION_STORE): %s", exc)
        await app.shutdown()
        return EXIT_UNREACHABLE
    return None


async def shut_down(app: Application) -> None:
    """Stop the Application, run ``post_stop`` (background senders finish while the bot can still
    send), release its resources and run ``post_shutdown`` (closes the store)."""
    if app.running:
        await app.stop()
    if app.post_stop:  # as PTB's run_polling does after stop()
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)
    log.info("stopped")
