"""Inline mode on Telegram: ``@bot 湖南 微信`` in any chat answers with instruction cards to send there.

The cards come from :mod:`bot.pages.cards` (pure); this module only turns them into
``InlineQueryResultArticle`` results and answers the query. It never raises: a failure to build cards
answers with the help card, a failure to answer is logged. Inline mode must be switched on in
@BotFather (``/setinline``); :func:`check_inline_mode` says so in the log at start-up when it is off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, InlineQueryHandler, MessageHandler, filters

from bot.deeplink import OPEN_PAYLOAD
from bot.pages.cards import Card, InlineAnswer, InlineCards, load_inline_texts
from bot.render import Renderer
from bot.runtime import WizardHolder

log = logging.getLogger(__name__)

# The cards depend only on the query and the flows, not on who asks: Telegram may cache them for
# everyone. Five minutes keeps a reload of the flows visible soon without asking the bot on every key.
CACHE_SECONDS = 300
IS_PERSONAL = False


class _ViaThisBot(filters.MessageFilter):
    """Messages a user sent through this bot's inline mode (its own cards), e.g. into its private chat."""

    def filter(self, message: Message) -> bool:
        return message.via_bot is not None and message.via_bot.id == message.get_bot().id


class InlineMode:
    """Answers inline queries with instruction cards."""

    def __init__(self, holder: WizardHolder, cards: InlineCards) -> None:
        self.holder = holder
        self.cards = cards

    def build(self, query: str, bot: str) -> InlineAnswer:
        """The answer for ``query``; the help card if building the cards fails."""
        catalog = self.holder.current.catalog
        try:
            return self.cards.answer(catalog, query, bot)
        except Exception:
            log.exception("inline query %r: could not build cards; answering with the help card", query[:64])
            return InlineAnswer((self.cards.help_card(catalog, "", {}, bot),), OPEN_PAYLOAD)

    def result(self, card: Card) -> InlineQueryResultArticle:
        """One card as an article whose message is the card's HTML, with a button opening the bot."""
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(self.cards.texts.open_bot, url=card.link)]])
        content = InputTextMessageContent(
            card.text, parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        )
        return InlineQueryResultArticle(
            id=card.id,
            title=card.title,
            description=card.description,
            input_message_content=content,
            reply_markup=markup,
        )

    async def query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer one inline query (errors are logged, never raised)."""
        q = update.inline_query
        if q is None:
            return
        try:
            answer = self.build(q.query, context.bot.username)
            button = InlineQueryResultsButton(
                self.cards.texts.switch_pm, start_parameter=answer.start_payload
            )
            await q.answer(
                [self.result(c) for c in answer.cards],
                cache_time=CACHE_SECONDS,
                is_personal=IS_PERSONAL,
                button=button,
            )
        except TelegramError as exc:  # typically "query is too old": the user typed on
            log.info("inline query %s not answered: %s", q.id, exc)
        except Exception:
            log.exception("inline query %s failed", q.id)

    async def ignore(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A card of ours sent into the bot's own chat is the user's copy, not a question: no answer."""


def add_inline_mode(app: Application, holder: WizardHolder, renderer: Renderer, messages_dir: Path) -> None:
    """Register the inline-query handler, and one that ignores our own cards (call it before the message
    handlers: in one handler group the first match wins). Bad ``inline.yaml`` raises ConfigError."""
    mode = InlineMode(holder, InlineCards(renderer, load_inline_texts(messages_dir)))
    app.add_handler(InlineQueryHandler(mode.query))
    app.add_handler(MessageHandler(_ViaThisBot(), mode.ignore))


def check_inline_mode(bot: Bot) -> None:
    """Log how to switch inline mode on when @BotFather has it off (Telegram then sends no queries)."""
    if not bot.supports_inline_queries:
        log.warning(
            "inline mode is off for @%s: send /setinline to @BotFather (placeholder e.g. 湖南 微信) so users "
            "can share instruction cards from any chat",
            bot.username,
        )
