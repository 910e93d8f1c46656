"""The error handler: whatever went wrong in an update is logged, and the user is told what to do.

By kind of failure:

* Telegram refuses the chat (403 "bot was blocked by the user", "user is deactivated", 400 "chat not
  found"): the chat is marked inactive in the store, nothing more is sent to it (no retry storm).
* The session store is unavailable (database locked, disk full): "busy, try again" (``busy.html.j2``).
* The chat's stored session was damaged and reset (``SessionResetError``): an apology and how to start
  again (``session_reset.html.j2``), once; the next update works.
* Flood control asked for a longer wait than the delivery policy accepts: logged; sending anything
  else now would only be refused too.
* Anything else: logged with a traceback; "something went wrong, your progress is kept" (``hint``).

A button press is always answered (toast), so the user's client stops spinning.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram.output import Presenter
from bot.errors import SessionResetError, StoreUnavailableError
from bot.store.base import SessionStore

log = logging.getLogger(__name__)
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid")


def chat_is_gone(exc: BaseException) -> bool:
    """True when Telegram will not deliver to the chat any more (blocked, deleted, kicked)."""
    if isinstance(exc, Forbidden):
        return True
    return isinstance(exc, BadRequest) and any(s in exc.message.lower() for s in _GONE)


async def mark_inactive(store: SessionStore, chat_id: int, reason: object) -> None:
    """Record that ``chat_id`` cannot be written to (logged; a store failure is only logged too)."""
    log.info("chat %s: Telegram refuses messages (%s); marked inactive", chat_id, reason)
    try:
        await store.set_active(chat_id, False)
    except StoreUnavailableError as exc:
        log.warning("chat %s: could not mark inactive: %s", chat_id, exc)


class ErrorReporter:
    """PTB error handler: log by kind, mark gone chats, tell the user."""

    def __init__(self, presenter: Presenter, store: SessionStore) -> None:
        self.presenter = presenter
        self.store = store

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle ``context.error`` raised while processing ``update``."""
        exc = context.error
        if not isinstance(update, Update):
            log.error("error outside an update: %s", exc, exc_info=exc)
            return
        chat = update.effective_chat.id if update.effective_chat else None
        query = update.callback_query
        if exc is not None and chat_is_gone(exc):
            if chat is not None:
                await mark_inactive(self.store, chat, exc)
            return
        kind = "button" if query else "message"
        texts = self.presenter.texts
        if isinstance(exc, RetryAfter):
            log.error(
                "update %s (%s in chat %s): flood control, not retried: %s", update.update_id, kind, chat, exc
            )
            return
        if isinstance(exc, SessionResetError):
            log.error("update %s (%s in chat %s): %s", update.update_id, kind, chat, exc)
            toast, notice = texts.toast_error, self.presenter.renderer.text("session_reset")
        elif isinstance(exc, StoreUnavailableError):
            log.error(
                "update %s (%s in chat %s): session store unavailable: %s", update.update_id, kind, chat, exc
            )
            toast, notice = texts.toast_busy, self.presenter.renderer.text("busy")
        else:
            log.error("update %s (%s in chat %s) failed: %r", update.update_id, kind, chat, exc, exc_info=exc)
            toast, notice = texts.toast_error, self.presenter.hint("error")
        if query is not None:
            await self.presenter.answer(query, toast)
        if chat is None:
            return
        try:
            await context.bot.send_message(chat, notice)
        except TelegramError as send_exc:
            if chat_is_gone(send_exc):
                await mark_inactive(self.store, chat, send_exc)
            else:
                log.warning("chat %s: could not send the error notice: %s", chat, send_exc)
