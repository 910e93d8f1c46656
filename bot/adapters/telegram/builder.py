"""What every python-telegram-bot Application of this project shares: token, Bot API address, HTML
defaults, the delivery policy and long polling that skips unreadable updates. A module of its own,
importing neither the wizard nor the catalog, so the benchmark's bare echo bot (bench/echo_bot.py) is
built the same way without loading them."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import httpx
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot.adapters.telegram.retry import DeliveryPolicy
from bot.adapters.telegram.unreadable import PollingBot
from bot.config import Settings


def base_builder(
    settings: Settings,
    policy: DeliveryPolicy | None = None,
    request: BaseRequest | None = None,
    lean: bool = False,
) -> ApplicationBuilder:
    """Token, Bot API address, HTML defaults, the delivery policy and long polling that skips unreadable
    updates (unreadable.py): what every bot of ours shares (the benchmark's bare echo bot too, so both
    are measured like for like). ``request``: the HTTP client for everything but getUpdates. ``lean``:
    updates, and the messages that sends and edits return, are built without what the wizard never
    reads (unreadable.py); the echo bot, which stands for a bare python-telegram-bot, builds them whole."""
    bot = PollingBot(
        lean=lean,
        token=settings.telegram_token,
        base_url=settings.telegram_base_url,
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        rate_limiter=policy or make_rate_limiter(settings),
        request=request or HTTPXRequest(connection_pool_size=256, httpx_kwargs=shared_tls()),
        # what PTB's builder would make
        get_updates_request=HTTPXRequest(connection_pool_size=1, httpx_kwargs=shared_tls()),
    )
    return ApplicationBuilder().bot(bot)


@cache
def _tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # what httpx makes by default (certifi, or SSL_CERT_FILE/DIR)


def shared_tls() -> dict[str, Any]:
    """``httpx_kwargs`` for an :class:`HTTPXRequest` that verifies certificates with the process's one
    TLS context: each httpx client would otherwise load the CA bundle again (0.8 MiB of RSS apiece)."""
    return {"verify": _tls_context()}


def make_rate_limiter(settings: Settings) -> DeliveryPolicy:
    """Flood control and retries (retry.py): at most TELEGRAM_RATE_LIMIT messages a second over all
    chats (0: no overall cap), Telegram's per-chat limits, waits after 429, back-off after 5xx."""
    return DeliveryPolicy(settings.telegram_rate_limit)
