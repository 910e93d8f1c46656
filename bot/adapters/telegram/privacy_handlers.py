"""Privacy in the chat: pasted personal data is neither stored nor logged; /privacy and /forget.

A private message whose text or caption contains what looks like a resident ID number (valid check
digit), a bank card number (valid Luhn) or a mobile number is caught before any other handler: the
wizard never sees it, the log line names only the kinds found, the bot deletes the message from the
chat when Telegram lets it (and says so), warns the user and shows the current step again.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes, filters

from bot.adapters.telegram.handlers import WizardBot
from bot.privacy import find_personal_data
from bot.store.reminders import ReminderStore

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


class PersonalDataFilter(filters.MessageFilter):
    """Matches messages whose text or caption contains personal data (see :mod:`bot.privacy`)."""

    def filter(self, message: Message) -> bool:
        """True when the text or caption looks like it holds an ID, bank card or phone number."""
        return bool(find_personal_data(message.text or message.caption or ""))


PERSONAL_DATA = PersonalDataFilter(name="PersonalData")


class PrivacyHandlers:
    """The personal-data guard and the /privacy and /forget commands."""

    def __init__(self, bot: WizardBot, retention_days: int, reminders: ReminderStore | None = None) -> None:
        self.bot = bot
        self.retention_days = retention_days
        self.reminders = reminders

    async def personal_data(self, update: Update, context: Context) -> None:
        """Refuse a message holding personal data: delete it if possible, warn, show the current step."""
        message = update.effective_message
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        assert message is not None
        kinds = find_personal_data(message.text or message.caption or "").kinds
        log.info("chat %s: message with personal data (%s) ignored, not stored", chat_id, ", ".join(kinds))
        try:
            deleted = bool(await message.delete())
        except TelegramError as exc:  # too old, or not allowed: the warning says how to delete it
            log.debug("chat %s: could not delete the message: %s", chat_id, exc)
            deleted = False
        warning = self.bot.presenter.renderer.text("personal_data", kinds=kinds, deleted=deleted)
        await self.bot.show_current(update, context, warning)

    async def privacy(self, update: Update, context: Context) -> None:
        """/privacy: what the bot keeps, for how long, and how to delete it."""
        text = self.bot.presenter.renderer.text("privacy", days=self.retention_days)
        await context.bot.send_message(update.effective_chat.id, text)  # type: ignore[union-attr]

    async def forget(self, update: Update, context: Context) -> None:
        """/forget: delete the chat's record and reminders (after taking the buttons off the wizard message)."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        store, presenter = self.bot.store, self.bot.presenter
        record = await store.load(chat_id)
        await presenter.drop_keyboard(context.bot, chat_id, record.message_id)
        had_data = await store.forget(chat_id)
        if self.reminders is not None:
            had_data = bool(await self.reminders.forget(chat_id)) or had_data
        log.info("chat %s: /forget (%s)", chat_id, "deleted" if had_data else "nothing kept")
        await context.bot.send_message(chat_id, presenter.renderer.text("forgotten", had_data=had_data))
