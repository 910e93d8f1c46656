"""Building the python-telegram-bot Application, and running it.

``build_app`` only wires things together, so tests run the very same Application against a fake Bot
API; ``run_telegram`` is what ``python -m bot`` calls: it runs the Application with long polling
(``polling.serve``) or webhooks (``webhook.serve_webhook``), both started and stopped by ``lifecycle``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.adapters.telegram.admin import Admin
from bot.adapters.telegram.builder import base_builder, shared_tls
from bot.adapters.telegram.chats import ChatEvents
from bot.adapters.telegram.failures import ErrorReporter
from bot.adapters.telegram.feedback import FeedbackDesk
from bot.adapters.telegram.flood import FloodNotice
from bot.adapters.telegram.handlers import WizardBot
from bot.adapters.telegram.inline import add_inline_mode, check_inline_mode
from bot.adapters.telegram.lifecycle import EXIT_BAD_TOKEN
from bot.adapters.telegram.logs import protect_token
from bot.adapters.telegram.ordering import (
    LENT_SECONDS,
    MESSAGES_PER_CHAT,
    UNTHROTTLED_PER_CHAT,
    PerChatUpdateProcessor,
)
from bot.adapters.telegram.output import Presenter
from bot.adapters.telegram.polling import serve
from bot.adapters.telegram.privacy_handlers import PERSONAL_DATA, PrivacyHandlers
from bot.adapters.telegram.reminder_sender import ReminderSender
from bot.adapters.telegram.reminders import CALLBACK_PATTERN, ReminderHandlers
from bot.adapters.telegram.request import JsonBodyRequest
from bot.adapters.telegram.retry import DeliveryPolicy
from bot.adapters.telegram.texts import TelegramTexts, load_texts
from bot.adapters.telegram.webapp import SHOW_IN_CHAT, chat_notifier, set_menu_button
from bot.clock import unix_time
from bot.config import Settings
from bot.errors import ConfigError
from bot.render import Renderer
from bot.retention import Retention
from bot.runtime import WizardHolder
from bot.store.base import SessionStore
from bot.store.factory import make_gate, make_reminders, make_store
from bot.wizard import Wizard
from bot.wizard.usage import UsageCounter

log = logging.getLogger(__name__)


def build_app(
    settings: Settings,
    holder: WizardHolder,
    renderer: Renderer,
    store: SessionStore,
    policy: DeliveryPolicy | None = None,
) -> Application:
    """The Application with every handler registered; the store opens in ``post_init``. ``policy`` is
    the delivery policy (flood limits, retries); by default the production one for ``settings``.
    "Now" comes from the wizard's clock (:mod:`bot.clock`; ``BOT_TODAY``, or whatever clock a test
    gave the wizard), as "today" does for the pages: reminders, usage counts, reports and /stats all
    read it. The reminder sender is in ``app.bot_data["reminder_sender"]``."""

    def clock() -> float:  # the wizard in use (a reload keeps the clock)
        return unix_time(holder.current.clock)()

    texts = load_texts(settings.messages_dir)
    presenter = Presenter(renderer, texts, settings.web_base_url)
    bot = WizardBot(holder, presenter, store)
    reminders = make_reminders(store)
    reminder_handlers = ReminderHandlers(bot, reminders, clock)
    sender = ReminderSender(reminders, store, holder, renderer, clock, rate=settings.reminder_rate)
    privacy = PrivacyHandlers(bot, settings.session_retention_days, reminders)
    chats = ChatEvents(presenter, store, reminders)
    retention = Retention(store, settings.session_retention_days, clock=clock)
    admin = Admin(settings, holder, renderer, texts)  # /reload, /flows, their menu, FLOWS_WATCH
    # anonymous counts, flushed in batches
    bot.usage = UsageCounter(store, enabled=settings.usage_counts, clock=clock)
    desk = FeedbackDesk(bot, settings.admin_ids, settings.reports_notice_seconds, clock)  # reports, /stats

    async def post_init(app: Application) -> None:
        await store.open()
        await reminders.open()
        retention.start()
        sender.start(app)  # reminders that fell due while the bot was down go out first
        bot.usage.start()
        await announce(app, texts)
        await set_menu_button(app, texts, settings.web_base_url)
        await admin.start(app)

    async def post_stop(app: Application) -> None:
        await sender.stop()  # before the HTTP client closes: the round under way may finish

    async def post_shutdown(app: Application) -> None:
        await sender.stop()  # no-op after post_stop; here too for a start-up that failed half-way
        await admin.stop()
        await desk.stop()
        await bot.usage.stop()
        await retention.stop()
        await store.close()

    # PTB's default pool size; our timeouts (a timed-out request is retried, retry.py)
    request = JsonBodyRequest(
        connection_pool_size=256,
        connect_timeout=settings.telegram_timeout,
        read_timeout=settings.telegram_timeout,
        write_timeout=settings.telegram_timeout,
        httpx_kwargs=shared_tls(),
    )
    app = (
        base_builder(settings, policy, request, lean=True)
        .concurrent_updates(
            PerChatUpdateProcessor(
                settings.telegram_concurrency,
                messages_per_chat=MESSAGES_PER_CHAT if settings.telegram_rate_limit else UNTHROTTLED_PER_CHAT,
                on_overflow=FloodNotice(presenter),
                lent_for_shared=LENT_SECONDS * settings.telegram_rate_limit or None,
            )
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["reminder_sender"] = sender
    app.bot_data[SHOW_IN_CHAT] = bot.show_in_chat  # the Mini App's saved choice, shown in the chat
    add_inline_mode(app, holder, renderer, settings.messages_dir)  # first: it skips our own cards
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & PERSONAL_DATA, privacy.personal_data))  # before anything else
    app.add_handler(CommandHandler("start", bot.start, filters=private))
    app.add_handler(CommandHandler("restart", bot.restart, filters=private))
    app.add_handler(CommandHandler("cancel", bot.cancel, filters=private))
    app.add_handler(CommandHandler("help", bot.help, filters=private))
    app.add_handler(CommandHandler("privacy", privacy.privacy, filters=private))
    app.add_handler(CommandHandler("forget", privacy.forget, filters=private))
    app.add_handler(CommandHandler("reminders", reminder_handlers.command, filters=private))
    admin.register(app, private)  # before unknown_command: others get the unknown-command answer
    desk.register(app, private)  # /reports, /stats, the report buttons (before the wizard's buttons)
    app.add_handler(MessageHandler(private & filters.COMMAND, bot.unknown_command))
    app.add_handler(
        MessageHandler(private & filters.TEXT & reminder_handlers.request_filter, reminder_handlers.typed)
    )
    app.add_handler(MessageHandler(private & filters.TEXT, bot.text))
    app.add_handler(MessageHandler(private, bot.not_text))
    app.add_handler(CallbackQueryHandler(reminder_handlers.button, pattern=CALLBACK_PATTERN))
    app.add_handler(CallbackQueryHandler(bot.button))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE, chats.group_message))
    app.add_handler(ChatMemberHandler(chats.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(ErrorReporter(presenter, store))
    return app


async def announce(app: Application, texts: TelegramTexts) -> None:
    """Set the command menu and descriptions when they differ from what Telegram has (errors only logged)."""
    b = app.bot
    check_inline_mode(b)
    commands = [BotCommand(name, desc) for name, desc in texts.commands]
    try:
        if tuple(await b.get_my_commands()) != tuple(commands):
            await b.set_my_commands(commands)
        if (await b.get_my_description()).description != texts.description:
            await b.set_my_description(texts.description)
        if (await b.get_my_short_description()).short_description != texts.short_description:
            await b.set_my_short_description(texts.short_description)
    except TelegramError as exc:
        log.warning("could not set the command menu or descriptions: %s", exc)


def run_telegram(settings: Settings, wizard: Wizard, renderer: Renderer) -> int:
    """Run the bot (long polling, or webhooks when BOT_MODE=webhook) until SIGINT/SIGTERM; the exit code."""
    protect_token(settings.telegram_token)
    protect_token(settings.webhook_secret)
    # The catalog and templates live as long as the process: keep their objects out of the garbage
    # collector's generations, so collections stay short (steadier latency).
    gc.freeze()
    try:
        store = make_store(settings)
        holder = WizardHolder(wizard)
        app = build_app(settings, holder, renderer, store)
        if settings.bot_mode == "webhook" and not settings.webhook_secret:
            raise ConfigError("BOT_MODE=webhook needs WEBHOOK_SECRET (Telegram sends it with every update)")
    except ConfigError as exc:
        log.error("%s", exc)
        return EXIT_BAD_TOKEN

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if settings.bot_mode == "webhook":
            # aiohttp (7 MB of memory) is only loaded for webhooks.
            from bot.adapters.telegram.webhook import serve_webhook
            from bot.adapters.web.server import build_routes

            # The web pages and the Mini App are served by the same server (one process does both).
            web = build_routes(holder, renderer, store, settings, notify=chat_notifier(app))
            return await serve_webhook(app, make_gate(store), settings, stop, pages=web)
        return await serve(app, stop, poll_timeout=settings.telegram_poll_timeout)

    return asyncio.run(main())
