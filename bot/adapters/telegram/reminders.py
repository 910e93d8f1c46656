"""Reminder handlers: /reminders, typed requests ("到时候提醒我", "每月10号提醒我") and reminder buttons.

Thin like the wizard's handlers: :mod:`bot.reminders` decides which dates to offer and what each page
says, the reminder store keeps them, the presenter shows them. A request made before the user chose an
identity and a region gets a short explanation above the current wizard step (no dead end).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from telegram import Message, Update
from telegram.ext import ContextTypes, filters

from bot.adapters.telegram.handlers import WizardBot
from bot.callback import decode
from bot.catalog.vocabulary import ReminderWords
from bot.reminders.plan import find_option, make_reminder, resident_options
from bot.reminders.typed import parse_request
from bot.reminders.views import list_view, options_view, set_view
from bot.store.reminders import KEYS, ReminderStore
from bot.view import View

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
Clock = Callable[[], float]
# Button data of the two reminder actions (bot.callback codes "m" and "n"), routed here, not to the wizard.
CALLBACK_PATTERN = r"^[0-9]{1,18}:[mn]:"


class ReminderRequestFilter(filters.MessageFilter):
    """Matches text that asks for a reminder or for the list of reminders, by the words of the current
    catalog (``reminder_requests`` in flows/vocabulary.yaml)."""

    def __init__(self, words: Callable[[], ReminderWords]) -> None:
        super().__init__(name="ReminderRequest")
        self.words = words

    def filter(self, message: Message) -> bool:
        """True when :func:`~bot.reminders.typed.parse_request` recognises the text."""
        return parse_request(message.text or "", self.words()) is not None


class ReminderHandlers:
    """Setting, listing, changing and cancelling reminders."""

    def __init__(self, bot: WizardBot, reminders: ReminderStore, clock: Clock) -> None:
        self.bot = bot
        self.reminders = reminders
        self.clock = clock
        self.request_filter = ReminderRequestFilter(
            lambda: bot.holder.current.catalog.vocabulary.reminder_requests
        )

    @property
    def labels(self) -> Mapping[str, Any]:
        """Button labels (messages/labels.yaml)."""
        return self.bot.presenter.renderer.labels

    async def _list(self, chat_id: int, note: str = "") -> View:
        catalog = self.bot.holder.current.catalog
        return list_view(catalog, self.labels, await self.reminders.of_chat(chat_id), note)

    async def _send(self, update: Update, context: Context, view: View, version: int = 0) -> None:
        parts, markup = self.bot.presenter.compose(view, version)
        await self.bot.presenter.send(context.bot, update.effective_chat.id, parts, markup)  # type: ignore[union-attr]

    async def command(self, update: Update, context: Context) -> None:
        """/reminders: the chat's reminders with change and cancel buttons."""
        await self._send(update, context, await self._list(update.effective_chat.id))  # type: ignore[union-attr]

    async def typed(self, update: Update, context: Context) -> None:
        """A typed request: the list, a monthly reminder on the day named, or the dates to choose from."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        words = self.bot.holder.current.catalog.vocabulary.reminder_requests
        request = parse_request(update.effective_message.text or "", words)  # type: ignore[union-attr]
        assert request is not None  # the filter matched
        if request.list:
            await self._send(update, context, await self._list(chat_id))
            return
        session = (await self.bot.store.load(chat_id)).session
        slots = dict(session.slots)
        if request.day is not None and slots.get("identity") != "resident":
            slots["identity"] = "flexible"  # a day of the month means monthly payments
        catalog = self.bot.holder.current.catalog
        view = options_view(catalog, self.labels, slots, self.clock())
        if view.parts[0].context["kind"] == "needs_guide":
            prefix = self.bot.presenter.renderer.render(view)
            await self.bot.show_current(update, context, prefix)
            return
        if request.day is not None and slots["identity"] == "flexible":
            view = await self._set(chat_id, slots, f"m{request.day}") or view
        await self._send(update, context, view, session.version)

    async def _set(self, chat_id: int, slots: dict[str, str], code: str) -> View | None:
        """Store the reminder an option code names; its confirmation, or None if the code is not offered."""
        catalog, now = self.bot.holder.current.catalog, self.clock()
        option = find_option(catalog, slots, code, now)
        if option is None:
            return None
        reminder = make_reminder(chat_id, slots, option)
        await self.reminders.put(reminder)
        log.info("chat %s: reminder %s set for %.0f", chat_id, reminder.key, reminder.due)
        win = resident_options(catalog, reminder.slots, now)[0] if not option.day else None
        return set_view(catalog, self.labels, reminder, win)

    async def button(self, update: Update, context: Context) -> None:
        """A reminder button: offer dates, set, change, list or cancel; the message is edited in place."""
        query = update.callback_query
        assert query is not None
        chat_id = update.effective_chat.id if update.effective_chat else query.from_user.id
        cb = decode(query.data)
        catalog = self.bot.holder.current.catalog
        record = await self.bot.store.load(chat_id)
        value = cb.value if cb else ""
        toast: str | None = None
        view: View | None = None
        if cb is None:
            toast = self.bot.texts.toast_invalid
        elif cb.action == "reminders":
            key = value[1:]
            note = "cancelled" if value.startswith("x") and await self.reminders.cancel(chat_id, key) else ""
            view = await self._list(chat_id, note)
        elif value == "":
            view = options_view(catalog, self.labels, record.session.slots, self.clock())
        elif value[0] == "c" and value[1:] in KEYS:
            existing = [r for r in await self.reminders.of_chat(chat_id) if r.key == value[1:]]
            if existing:
                view = options_view(catalog, self.labels, existing[0].slots, self.clock(), keep=True)
            else:
                view = await self._list(chat_id)
        elif value[0] in "sk" and len(value) > 1:
            slots = dict(record.session.slots)
            if value[0] == "k":
                key = "flex" if value[1] == "m" else "res"
                existing = [r for r in await self.reminders.of_chat(chat_id) if r.key == key]
                slots = dict(existing[0].slots) if existing else slots
            view = await self._set(chat_id, slots, value[1:])
            if view is None:  # a date no longer offered (it passed): offer the current ones
                toast = self.bot.texts.toast_stale
                view = options_view(catalog, self.labels, slots, self.clock())
        else:
            toast = self.bot.texts.toast_invalid
        await self.bot.presenter.answer(query, toast)
        if view is None:
            return
        parts, markup = self.bot.presenter.compose(view, record.session.version)
        message = query.message if isinstance(query.message, Message) else None
        if message is None or (cb is not None and cb.action == "remind" and value == ""):  # keep the guide
            await self.bot.presenter.send(context.bot, chat_id, parts, markup)
        else:
            await self.bot.presenter.edit(context.bot, chat_id, message.message_id, parts, markup)
