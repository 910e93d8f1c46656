"""What every python-telegram-bot Application of this project shares: token, Bot API address, HTML
defaults and the delivery policy. A module of its own, importing neither the wizard nor the catalog, so
the benchmark's bare echo bot (bench/echo_bot.py) is built the same way without loading them."""

from __future__ import annotations

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, Defaults

from bot.adapters.telegram.retry import DeliveryPolicy
from bot.config import Settings


def base_builder(settings: Settings, policy: DeliveryPolicy | None = None) -> ApplicationBuilder:
    """Token, Bot API address, HTML defaults and the delivery policy: what every bot of ours shares
    (the benchmark's bare echo bot too, so both are measured like for like)."""
    return (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(policy or make_rate_limiter(settings))
    )


def make_rate_limiter(settings: Settings) -> DeliveryPolicy:
    """Flood control and retries (retry.py): at most TELEGRAM_RATE_LIMIT messages a second over all
    chats (0: no overall cap), Telegram's per-chat limits, waits after 429, back-off after 5xx."""
    return DeliveryPolicy(settings.telegram_rate_limit)
