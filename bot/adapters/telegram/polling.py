"""Receiving updates by long polling (``getUpdates``), until told to stop."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.adapters.telegram.lifecycle import (
    ALLOWED_UPDATES,
    EXIT_CONFLICT,
    EXIT_OK,
    EXIT_UNREACHABLE,
    shut_down,
    start_up,
)

log = logging.getLogger(__name__)

# A 409 Conflict this soon after start means another instance was already polling: this one gives way.
STARTUP_WINDOW = 15.0


async def serve(
    app: Application, stop: asyncio.Event, poll_timeout: float = 30, startup_window: float = STARTUP_WINDOW
) -> int:
    """Long-poll until ``stop`` is set. Exit codes: 0 stopped, 1 Bot API or database unavailable at
    start-up, 2 bad token, 3 another instance is polling."""
    conflict = asyncio.Event()
    started = time.monotonic()

    def on_poll_error(exc: TelegramError) -> None:
        if not isinstance(exc, Conflict):
            log.warning("getUpdates failed, retrying: %s", exc)
        elif time.monotonic() - started < startup_window:
            log.error(
                "Another bot instance is already receiving updates for this token (Telegram answered "
                "409 Conflict: %s). Stop the other instance, or give this one its own token from @BotFather, "
                "then start again.",
                exc,
            )
            conflict.set()
        else:
            log.warning(
                "409 Conflict: a newer instance started polling with this token; it will give way (%s)", exc
            )

    code = await start_up(app)
    if code is not None:
        return code
    try:
        await app.updater.start_polling(  # type: ignore[union-attr]
            timeout=dt.timedelta(seconds=poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            error_callback=on_poll_error,
        )
        await app.start()
        log.info("@%s is receiving updates (long polling)", app.bot.username)
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(conflict.wait())]
        _done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in pending:
            w.cancel()
    except TelegramError as exc:
        log.error("could not start polling: %s", exc)
        return EXIT_UNREACHABLE
    finally:
        try:
            if app.updater is not None and app.updater.running:
                await _stop_updater(app, quiet=conflict.is_set())
        except Exception as exc:  # still stop the rest: the store must be closed and the process exit
            log.error("stopping long polling failed (%s); stopping the rest anyway", exc, exc_info=exc)
        await shut_down(app)
    return EXIT_CONFLICT if conflict.is_set() else EXIT_OK


async def _stop_updater(app: Application, quiet: bool) -> None:
    """Stop polling. After a conflict, PTB's final getUpdates (to confirm updates) fails with the same
    409 and logs a traceback that would bury the clear message already given; drop that record."""
    updater_log = logging.getLogger("telegram.ext.Updater")
    drop = logging.Filter("nothing")  # a filter whose name matches no logger drops every record
    if quiet:
        updater_log.addFilter(drop)
    try:
        await app.updater.stop()  # type: ignore[union-attr]
    finally:
        updater_log.removeFilter(drop)
