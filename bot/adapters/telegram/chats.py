"""Chats other than a private conversation: groups, channels, and the user blocking the bot.

* **Groups**: the wizard runs only in private chats (its answers are personal and its buttons belong to
  one user). A group message addressed to the bot (a command, an @mention, a reply to one of its
  messages) gets a short hint with a button opening the private chat; anything else is ignored.
* **Channel posts and edited messages** are not asked for (see ``ALLOWED_UPDATES``) and no handler
  takes them if they come anyway: ignored by design. Re-acting to an edit would move the user twice.
* **Blocking**: Telegram reports the user blocking (``kicked``) and unblocking (``member``) the bot as a
  ``my_chat_member`` update; the chat is marked inactive or active again at once.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import ContextTypes

from bot.adapters.telegram.output import Presenter
from bot.errors import StoreUnavailableError
from bot.store.base import SessionStore
from bot.store.reminders import ReminderStore

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def is_addressed(message: Message, username: str, bot_id: int) -> bool:
    """True when a group message is meant for the bot: a reply to it, its @mention, or a command
    (bare, or ``/cmd@<username>``; Telegram only delivers bare commands meant for this bot)."""
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    me = f"@{username}".lower()
    entities = message.parse_entities() or message.parse_caption_entities()
    for entity, text in entities.items():
        if entity.type == MessageEntity.MENTION and text.lower() == me:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id:
            return True
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            target = text.partition("@")[2].lower()
            if not target or target == username.lower():
                return True
    return False


class ChatEvents:
    """Group hints and membership changes."""

    def __init__(
        self, presenter: Presenter, store: SessionStore, reminders: ReminderStore | None = None
    ) -> None:
        self.presenter = presenter
        self.store = store
        self.reminders = reminders

    async def group_message(self, update: Update, context: Context) -> None:
        """In a group: answer a message addressed to the bot with a hint to use the private chat."""
        message = update.effective_message
        if message is None or not is_addressed(message, context.bot.username, context.bot.id):
            return
        button = InlineKeyboardButton(
            self.presenter.texts.group_button, url=f"https://t.me/{context.bot.username}"
        )
        await message.reply_text(
            self.presenter.renderer.text("group", username=context.bot.username),
            reply_markup=InlineKeyboardMarkup([[button]]),
        )

    async def membership(self, update: Update, context: Context) -> None:
        """The user blocked (``kicked``: reminders are dropped) or unblocked (``member``) the bot in a private chat."""
        change = update.my_chat_member
        if change is None or change.chat.type != "private":
            return
        status = change.new_chat_member.status
        if status not in (ChatMemberStatus.BANNED, ChatMemberStatus.MEMBER):
            return
        active = status == ChatMemberStatus.MEMBER
        log.info("chat %s: the user %s the bot", change.chat.id, "unblocked" if active else "blocked")
        try:
            await self.store.set_active(change.chat.id, active)
            if not active and self.reminders is not None:  # nothing more may be sent: no reminders either
                await self.reminders.forget(change.chat.id)
        except StoreUnavailableError as exc:
            log.warning("chat %s: could not record the change: %s", change.chat.id, exc)
