"""Handlers: each turns one Telegram update into a wizard event and shows the resulting view.

The wizard decides (pure), the store remembers (every step), the presenter speaks (templates). Wizard
state lives in the store, so any instance can serve any update and a restart loses nothing. A page that
fails to build or render is replaced by a fallback (``fallback.py``); failures of Telegram or the store
go to the error handler (``failures.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import Bot, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.adapters.telegram import fallback
from bot.adapters.telegram.output import Presenter
from bot.callback import decode
from bot.deeplink import OPEN_PAYLOAD, make_payload, parse_payload
from bot.errors import BotError, StoreUnavailableError
from bot.events import Event, Notice
from bot.feedback import NO_REGION, Report
from bot.runtime import WizardHolder
from bot.session import Session
from bot.store.base import ChatRecord, SessionStore
from bot.understand import clean_text
from bot.view import View
from bot.wizard import Wizard
from bot.wizard.usage import START, UsageCounter

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
Decide = Callable[[Wizard, Session], tuple[Session, View]]
# Text shown above a page: fixed, or chosen from the session as loaded before the step (None: nothing).
Prefix = str | Callable[[Session], str | None] | None
MAX_TEXT = 1000  # longer messages are cut before parsing; nobody names a place in more
_ATTEMPTS = 3  # write conflicts come only from several instances sharing a store


class StoreConflictError(BotError):
    """Another instance kept changing the same chat; the update was not applied."""


class WizardBot:
    """The bot's reactions to commands, typed text, other messages and button presses."""

    def __init__(self, holder: WizardHolder, presenter: Presenter, store: SessionStore) -> None:
        self.holder = holder
        self.presenter = presenter
        self.texts = presenter.texts
        self.store = store
        self.usage = UsageCounter(store, enabled=False)  # build_app sets the configured counter
        self.on_report: Callable[[Report], Awaitable[None]] | None = None  # keeps a user's report

    # ----- plumbing -----------------------------------------------------------------------------
    async def _apply(
        self,
        chat_id: int,
        decide: Decide,
        message_id: int | None = None,
        event: Event | None = None,
        leave: bool = False,
    ) -> tuple[ChatRecord, ChatRecord, View]:
        """Load the chat, run the pure ``decide`` and save; on a write conflict, reload and decide again.
        Returns the record as loaded, the record saved and the view: one load and one save per step,
        always *before* the step is shown (a kill -9 after the save loses nothing shown; a kill before it
        shows nothing). The step is saved with ``message_id`` as the wizard message (None: the one saved
        before), or with none when ``leave`` (/cancel: the caller takes the buttons off the loaded one's
        message). Nothing is written when neither the session nor the wizard message changes.

        A chat that was inactive (Telegram refused it) is active again: its user just wrote. When
        ``decide`` fails (an operator error in a flow or template), nothing is saved and the view is
        the fallback over the current step. A store failure goes on to the error handler ("busy"):
        nothing was shown.
        """
        wizard = self.holder.current
        for _ in range(_ATTEMPTS):
            record = await self.store.load(chat_id)
            try:
                session, view = decide(wizard, record.session)
            except Exception as exc:  # logged with flow and template names; the user gets the fallback
                fallback.report(exc, wizard.catalog, record.session)
                return record, record, fallback.step_fallback(wizard, record.session)
            target = None if leave else record.message_id if message_id is None else message_id
            if session == record.session and target == record.message_id and record.active:
                if event is not None:
                    self.usage.step(record.session, session, event.action, event.value, view)
                return record, record, view
            saved = await self.store.save(chat_id, ChatRecord(session, target, record.rev, True))
            if saved is not None:
                if event is not None:  # counted once the step is saved (a conflict decides again)
                    self.usage.step(record.session, session, event.action, event.value, view)
                if view.report is not None and self.on_report is not None:
                    await self.on_report(view.report)
                return record, saved, view
        raise StoreConflictError(f"chat {chat_id}: session changed concurrently {_ATTEMPTS} times")

    async def _remember(self, chat_id: int, record: ChatRecord, message_id: int | None) -> None:
        """Store the id of the message now showing the saved step, when it is new (a second write, as the
        id is known only once the message is sent; a conflict means a newer step won and keeps its own).
        The step is already on disk and on screen, so a store failure here is only logged: the next press
        on the message saves its id with that step."""
        if message_id != record.message_id:
            try:
                await self.store.save(chat_id, replace(record, message_id=message_id))
            except StoreUnavailableError as exc:
                log.warning("chat %s: wizard message id not saved: %s", chat_id, exc)

    def _compose(
        self, view: View, session: Session, prefix: str | None = None, page: int | None = None
    ) -> tuple[list[str], InlineKeyboardMarkup | None]:
        """Render ``view`` for Telegram; a view that fails to render is shown as the fallback text with
        the same buttons (the failure is logged with the flow and template names)."""
        # The guide (and its follow-ups) can be shared as a web page.
        guide = make_payload(dict(session.slots)) if view.state == session.state == "instructions" else None
        try:
            return self.presenter.compose(view, session.version, prefix, page, guide)
        except Exception as exc:  # an operator error in a template or flow string
            catalog = self.holder.current.catalog
            fallback.report(exc, catalog, session)
            safe = fallback.render_fallback(view, catalog, session.slots)
            return self.presenter.compose(safe, session.version, prefix, page)

    async def _show_new(
        self,
        update: Update,
        context: Context,
        decide: Decide,
        prefix: Prefix = None,
        event: Event | None = None,
    ) -> None:
        """Apply ``decide`` and show the view in a new wizard message; older ones are left as they are."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        await self._send_step(context.bot, chat_id, decide, prefix, event)

    async def _send_step(
        self, bot: Bot, chat_id: int, decide: Decide, prefix: Prefix = None, event: Event | None = None
    ) -> None:
        """Save the step, then send it in a new message and save that message's id (known only once it is
        sent): two writes for a changed step, one when only the message is new (the current step again)."""
        loaded, record, view = await self._apply(chat_id, decide, event=event)
        text = prefix(loaded.session) if callable(prefix) else prefix
        parts, markup = self._compose(view, record.session, text)
        message_id = await self.presenter.send(bot, chat_id, parts, markup)
        await self._remember(chat_id, record, message_id)

    # ----- commands -----------------------------------------------------------------------------
    async def start(self, update: Update, context: Context) -> None:
        """/start [payload]: continue where the chat was, or jump to the step a deep link names."""
        self.usage.add(NO_REGION, START)
        payload = " ".join(context.args or []).strip()
        if not payload or payload == OPEN_PAYLOAD:
            # Welcome a chat that has chosen nothing yet (judged on the session the step loads).
            def welcome(before: Session) -> str | None:
                return self.presenter.renderer.text("welcome") if not before.slots else None

            await self._show_new(update, context, lambda w, s: w.step(s, Event("start")), welcome)
            return
        slots = parse_payload(payload, self.holder.current.catalog)

        def jump(w: Wizard, s: Session) -> tuple[Session, View]:
            s, _ = w.step(s, Event("restart"))
            return w.step(s, Event("show") if slots is None else Event("fill", slots=slots))

        await self._show_new(
            update, context, jump, self.presenter.hint("bad_link") if slots is None else None
        )

    async def restart(self, update: Update, context: Context) -> None:
        """/restart: back to the first step with nothing chosen."""
        await self._show_new(update, context, lambda w, s: w.step(s, Event("restart")))

    async def cancel(self, update: Update, context: Context) -> None:
        """/cancel: forget the choices, take the buttons off the wizard message and say goodbye. One save:
        the first step, with no wizard message (a later message starts a new one)."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        loaded, _, _ = await self._apply(chat_id, lambda w, s: w.step(s, Event("restart")), leave=True)
        await self.presenter.drop_keyboard(context.bot, chat_id, loaded.message_id)
        await context.bot.send_message(chat_id, self.presenter.renderer.text("cancelled"))

    async def help(self, update: Update, context: Context) -> None:
        """/help: how to use the bot; the wizard is not touched."""
        await context.bot.send_message(update.effective_chat.id, self.presenter.help_text())  # type: ignore[union-attr]

    async def unknown_command(self, update: Update, context: Context) -> None:
        """Any other command: say so and show the help."""
        text = clean_text(update.effective_message.text or "")  # type: ignore[union-attr]
        command = text.split()[0][:32] if text.split() else "/"
        await context.bot.send_message(update.effective_chat.id, self.presenter.help_text(command))  # type: ignore[union-attr]

    # ----- messages -----------------------------------------------------------------------------
    async def text(self, update: Update, context: Context) -> None:
        """Typed text: the wizard understands names, numbers and sentences, or says it did not."""
        text = (update.effective_message.text or "")[:MAX_TEXT]  # type: ignore[union-attr]
        event = Event("text", text)
        await self._show_new(update, context, lambda w, s: w.step(s, event), event=event)

    async def not_text(self, update: Update, context: Context) -> None:
        """Stickers, photos, voice, files and the like: a polite hint and the current step."""
        await self.show_current(update, context, self.presenter.hint("not_text"))

    async def show_in_chat(self, bot: Bot, chat_id: int) -> None:
        """Show the chat's current step in a new message (after the Mini App saved a choice)."""
        await self._send_step(bot, chat_id, lambda w, s: w.step(s, Event("show")))

    async def show_current(self, update: Update, context: Context, prefix: str | None = None) -> None:
        """Show the current step in a new message, with ``prefix`` (a hint or a warning) on top."""
        await self._show_new(update, context, lambda w, s: w.step(s, Event("show")), prefix)

    # ----- buttons ------------------------------------------------------------------------------
    async def button(self, update: Update, context: Context) -> None:
        """A button press: act on it if it is current, else a toast and the current step, in place."""
        query = update.callback_query
        assert query is not None
        if update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE:
            await self.presenter.answer(query, self.texts.toast_invalid)  # the wizard runs in private chats
            return
        chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
        message = query.message if isinstance(query.message, Message) else None
        cb = decode(query.data)
        page: int | None = None
        toast: str | None = None
        if cb is None:
            event, toast = Event("show"), self.texts.toast_invalid
        elif cb.action == "page":
            event, page = Event("show", version=cb.version), int(cb.value) if cb.value.isdigit() else 0
        else:
            event = Event(cb.action, cb.value, cb.version)
        # The step is saved before it is shown, with the pressed message as the wizard message (one write
        # when that message is edited; a second write records a new message's id when Telegram no longer
        # lets us edit it). The press is answered after the save, not on arrival: the toast depends on the
        # outcome (expired button), and a second tap on the same button, queued behind this update for
        # the chat (ordering.py), then finds the new version saved and is told the button has expired
        # instead of acting twice. A store failure answers with the "busy" toast (failures.py).
        pressed = message.message_id if message else None
        _, record, view = await self._apply(chat_id, lambda w, s: w.step(s, event), pressed, event)
        if view.notice is Notice.STALE:
            toast, page = self.texts.toast_stale, None
        await self.presenter.answer(query, toast)
        parts, markup = self._compose(view, record.session, page=page)
        if pressed is None:
            shown = await self.presenter.send(context.bot, chat_id, parts, markup)
        else:
            shown = await self.presenter.edit(context.bot, chat_id, pressed, parts, markup)
        await self._remember(chat_id, record, shown)
