"""Building the python-telegram-bot Application, and running it with long polling.

``build_app`` only wires things together, so tests run the very same Application against a fake Bot
API; ``serve`` runs it until told to stop; ``run_telegram`` is what ``python -m bot`` calls.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sqlite3
import time

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import Conflict, InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.adapters.telegram.admin import Admin
from bot.adapters.telegram.chats import ChatEvents
from bot.adapters.telegram.failures import ErrorReporter
from bot.adapters.telegram.feedback import FeedbackDesk
from bot.adapters.telegram.handlers import WizardBot
from bot.adapters.telegram.inline import add_inline_mode, check_inline_mode
from bot.adapters.telegram.logs import protect_token
from bot.adapters.telegram.ordering import PerChatUpdateProcessor
from bot.adapters.telegram.output import Presenter
from bot.adapters.telegram.privacy_handlers import PERSONAL_DATA, PrivacyHandlers
from bot.adapters.telegram.request import JsonBodyRequest
from bot.adapters.telegram.retry import DeliveryPolicy
from bot.adapters.telegram.texts import TelegramTexts, load_texts
from bot.config import Settings
from bot.errors import ConfigError
from bot.render import Renderer
from bot.retention import Retention
from bot.runtime import WizardHolder
from bot.store.base import SessionStore
from bot.store.factory import make_gate, make_store
from bot.usage import UsageCounter
from bot.wizard import Wizard

log = logging.getLogger(__name__)

# Edited messages and channel posts are not asked for (ignored by design, see chats.py).
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.MY_CHAT_MEMBER]
# A 409 Conflict this soon after start means another instance was already polling: this one gives way.
STARTUP_WINDOW = 15.0
EXIT_OK, EXIT_UNREACHABLE, EXIT_BAD_TOKEN, EXIT_CONFLICT = 0, 1, 2, 3


def build_app(
    settings: Settings, holder: WizardHolder, renderer: Renderer, store: SessionStore
) -> Application:
    """The Application with every handler registered; the store opens in ``post_init``."""
    texts = load_texts(settings.messages_dir)
    presenter = Presenter(renderer, texts)
    bot = WizardBot(holder, presenter, store)
    privacy = PrivacyHandlers(bot, settings.session_retention_days)
    chats = ChatEvents(presenter, store)
    retention = Retention(store, settings.session_retention_days)
    admin = Admin(settings, holder, renderer, texts)  # /reload, /flows, their menu, FLOWS_WATCH
    bot.usage = UsageCounter(store, enabled=settings.usage_counts)  # anonymous counts, flushed in batches
    desk = FeedbackDesk(bot, settings.admin_ids, settings.reports_notice_seconds)  # reports, /stats

    async def post_init(app: Application) -> None:
        await store.open()
        retention.start()
        bot.usage.start()
        await announce(app, texts)
        await admin.start(app)

    async def post_shutdown(app: Application) -> None:
        await admin.stop()
        await desk.stop()
        await bot.usage.stop()
        await retention.stop()
        await store.close()

    app = (
        base_builder(settings)
        .request(  # PTB's default pool size; our timeouts (a timed-out request is retried, retry.py)
            JsonBodyRequest(
                connection_pool_size=256,
                connect_timeout=settings.telegram_timeout,
                read_timeout=settings.telegram_timeout,
                write_timeout=settings.telegram_timeout,
            )
        )
        .concurrent_updates(PerChatUpdateProcessor(settings.telegram_concurrency))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    add_inline_mode(app, holder, renderer, settings.messages_dir)  # first: it skips our own cards
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & PERSONAL_DATA, privacy.personal_data))  # before anything else
    app.add_handler(CommandHandler("start", bot.start, filters=private))
    app.add_handler(CommandHandler("restart", bot.restart, filters=private))
    app.add_handler(CommandHandler("cancel", bot.cancel, filters=private))
    app.add_handler(CommandHandler("help", bot.help, filters=private))
    app.add_handler(CommandHandler("privacy", privacy.privacy, filters=private))
    app.add_handler(CommandHandler("forget", privacy.forget, filters=private))
    admin.register(app, private)  # before unknown_command: others get the unknown-command answer
    desk.register(app, private)  # /reports, /stats, the report buttons (before the wizard's buttons)
    app.add_handler(MessageHandler(private & filters.COMMAND, bot.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, bot.text))
    app.add_handler(MessageHandler(private, bot.not_text))
    app.add_handler(CallbackQueryHandler(bot.button))
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGE, chats.group_message))
    app.add_handler(ChatMemberHandler(chats.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_error_handler(ErrorReporter(presenter, store))
    return app


def base_builder(settings: Settings) -> ApplicationBuilder:
    """Token, Bot API address, HTML defaults and the delivery policy: what every bot of ours shares
    (the benchmark's bare echo bot too, so both are measured like for like)."""
    return (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(make_rate_limiter(settings))
    )


def make_rate_limiter(settings: Settings) -> DeliveryPolicy:
    """Flood control and retries (retry.py): at most TELEGRAM_RATE_LIMIT messages a second over all
    chats (0: no overall cap), Telegram's per-chat limits, waits after 429, back-off after 5xx."""
    return DeliveryPolicy(settings.telegram_rate_limit)


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
            timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES, error_callback=on_poll_error
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
        if app.updater is not None and app.updater.running:
            await _stop_updater(app, quiet=conflict.is_set())
        await shut_down(app)
    return EXIT_CONFLICT if conflict.is_set() else EXIT_OK


async def shut_down(app: Application) -> None:
    """Stop the Application, release its resources and run ``post_shutdown`` (closes the store)."""
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)
    log.info("stopped")


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


def run_telegram(settings: Settings, wizard: Wizard, renderer: Renderer) -> int:
    """Run the bot (long polling, or webhooks when BOT_MODE=webhook) until SIGINT/SIGTERM; the exit code."""
    protect_token(settings.telegram_token)
    protect_token(settings.webhook_secret)
    # The catalog and templates live as long as the process: keep their objects out of the garbage
    # collector's generations, so collections stay short (steadier latency).
    gc.freeze()
    try:
        store = make_store(settings)
        app = build_app(settings, WizardHolder(wizard), renderer, store)
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
            from bot.adapters.telegram.webhook import serve_webhook

            return await serve_webhook(app, make_gate(store), settings, stop)
        return await serve(app, stop, poll_timeout=settings.telegram_poll_timeout)

    return asyncio.run(main())
