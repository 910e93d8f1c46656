"""Settings read once from the environment (and a ``.env`` file beside the project, if present)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parent.parent
_SWITCH = {"": False, "0": False, "false": False, "off": False, "no": False}
_SWITCH |= {"1": True, "true": True, "on": True, "yes": True}
STORE_URL_SCHEMES = ("redis://", "rediss://", "unix://")


@dataclass(frozen=True)
class Settings:
    """Everything configurable. See ``.env.example`` for each variable."""

    telegram_token: str = field(default="", repr=False)  # never printed
    telegram_base_url: str = "https://api.telegram.org/bot"
    data_dir: Path = PROJECT_DIR / "data"
    flows_dir: Path = PROJECT_DIR / "flows"
    messages_dir: Path = PROJECT_DIR / "messages"
    log_level: str = "INFO"
    admin_ids: frozenset[int] = frozenset()
    telegram_concurrency: int = 4  # updates processed at once (each chat's in order)
    telegram_poll_timeout: int = 30  # seconds a getUpdates long poll waits
    flows_watch: bool = False  # reload when files under flows_dir change
    flows_watch_debounce_ms: int = 500  # changes closer together than this are one reload
    # Deployment (issue 8): how updates arrive, and where sessions live.
    bot_mode: str = "polling"  # "polling" or "webhook"
    session_store: str = ""  # "" or "sqlite": BOT_DATA_DIR/sessions.sqlite3; "memory"; "redis://host:port/db"
    webhook_url: str = ""  # public HTTPS URL given to setWebhook at start-up (empty: leave it as it is)
    webhook_listen: str = "127.0.0.1"  # address the webhook server binds
    webhook_port: int = 8080
    webhook_secret: str = field(default="", repr=False)  # X-Telegram-Bot-Api-Secret-Token
    webhook_max_connections: int = 40  # setWebhook max_connections: updates Telegram sends at once
    # Reliability and privacy (issue 7): see docs/reliability.md.
    telegram_rate_limit: int = 30  # messages and edits per second over all chats; 0: no proactive limit
    telegram_timeout: int = 10  # seconds to connect, send or read one Bot API request (then retried)
    session_retention_days: int = 30  # sessions untouched this long are deleted
    reminder_rate: int = 10  # payment reminders sent per second at most (answers to users go first)
    # The guide on the web and the Mini App (issue 19): python -m bot web, or mounted in webhook mode.
    web_listen: str = "127.0.0.1"  # address `python -m bot web` binds
    web_port: int = 8081
    web_base_url: str = ""  # public address of the web pages (no trailing /); empty: no share button

    @property
    def database(self) -> Path:
        """The SQLite file holding sessions."""
        return self.data_dir / "sessions.sqlite3"


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Build settings from ``environ`` (default: ``os.environ``) over the values in ``.env``."""
    file_values = {k: v for k, v in dotenv_values(env_file or PROJECT_DIR / ".env").items() if v is not None}
    env = {**file_values, **(os.environ if environ is None else environ)}
    try:
        admins = frozenset(int(x) for x in env.get("ADMIN_IDS", "").replace(",", " ").split())
    except ValueError as exc:
        raise ConfigError(f"ADMIN_IDS must be Telegram user ids separated by commas: {exc}") from None
    numbers: dict[str, int] = {}
    for key, default, low, high in (
        ("TELEGRAM_CONCURRENCY", 4, 1, 64),
        ("TELEGRAM_POLL_TIMEOUT", 30, 0, 50),
        ("FLOWS_WATCH_DEBOUNCE_MS", 500, 50, 60_000),
        ("TELEGRAM_RATE_LIMIT", 30, 0, 100_000),
        ("WEBHOOK_PORT", 8080, 1, 65535),
        ("WEBHOOK_MAX_CONNECTIONS", 40, 1, 100),
        ("TELEGRAM_TIMEOUT", 10, 1, 300),
        ("SESSION_RETENTION_DAYS", 30, 1, 3650),
        ("REMINDER_RATE", 10, 1, 1000),
        ("WEB_PORT", 8081, 1, 65535),
    ):
        raw = env.get(key, "").strip() or str(default)
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ConfigError(f"{key} must be a whole number from {low} to {high}, not {raw!r}")
        numbers[key] = int(raw)
    watch = env.get("FLOWS_WATCH", "").strip().lower()
    if watch not in _SWITCH:
        raise ConfigError(f"FLOWS_WATCH must be 1 or 0 (or true/false, on/off, yes/no), not {watch!r}")
    level = env.get("LOG_LEVEL", "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {level!r}")
    return Settings(
        telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
        telegram_base_url=env.get("TELEGRAM_BASE_URL", "").strip() or Settings.telegram_base_url,
        data_dir=Path(env.get("BOT_DATA_DIR") or PROJECT_DIR / "data"),
        flows_dir=Path(env.get("FLOWS_DIR") or PROJECT_DIR / "flows"),
        messages_dir=Path(env.get("MESSAGES_DIR") or PROJECT_DIR / "messages"),
        log_level=level,
        admin_ids=admins,
        telegram_concurrency=numbers["TELEGRAM_CONCURRENCY"],
        telegram_poll_timeout=numbers["TELEGRAM_POLL_TIMEOUT"],
        flows_watch=_SWITCH[watch],
        flows_watch_debounce_ms=numbers["FLOWS_WATCH_DEBOUNCE_MS"],
        telegram_rate_limit=numbers["TELEGRAM_RATE_LIMIT"],
        **_deployment(env, numbers),
        telegram_timeout=numbers["TELEGRAM_TIMEOUT"],
        session_retention_days=numbers["SESSION_RETENTION_DAYS"],
        reminder_rate=numbers["REMINDER_RATE"],
    )


_MODES = ("polling", "webhook")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class _Web(TypedDict):
    web_listen: str
    web_port: int
    web_base_url: str


class _Deployment(_Web):
    bot_mode: str
    session_store: str
    webhook_url: str
    webhook_listen: str
    webhook_port: int
    webhook_secret: str
    webhook_max_connections: int


def _deployment(env: Mapping[str, str], numbers: Mapping[str, int]) -> _Deployment:
    """BOT_MODE, SESSION_STORE and the WEBHOOK_* settings, checked."""
    mode = env.get("BOT_MODE", "").strip().lower() or "polling"
    if mode not in _MODES:
        raise ConfigError(f"BOT_MODE must be polling or webhook, not {mode!r}")
    store = env.get("SESSION_STORE", "").strip()
    if store and store not in ("sqlite", "memory") and not store.startswith(STORE_URL_SCHEMES):
        raise ConfigError(
            f"SESSION_STORE must be empty (SQLite in BOT_DATA_DIR), memory, or a redis:// URL, not {store!r}"
        )
    secret = env.get("WEBHOOK_SECRET", "").strip()
    if secret and not _SECRET.fullmatch(secret):
        raise ConfigError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    url = env.get("WEBHOOK_URL", "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise ConfigError(f"WEBHOOK_URL must be an https:// URL, not {url!r}")
    return {
        "bot_mode": mode,
        "session_store": store,
        "webhook_url": url,
        "webhook_listen": env.get("WEBHOOK_LISTEN", "").strip() or Settings.webhook_listen,
        "webhook_port": numbers["WEBHOOK_PORT"],
        "webhook_secret": secret,
        "webhook_max_connections": numbers["WEBHOOK_MAX_CONNECTIONS"],
        **_web(env, numbers),
    }


def _web(env: Mapping[str, str], numbers: Mapping[str, int]) -> _Web:
    """WEB_LISTEN, WEB_PORT and WEB_BASE_URL, checked."""
    base = env.get("WEB_BASE_URL", "").strip().rstrip("/")
    if base and (not base.startswith(("https://", "http://")) or any(c in base for c in "?# ")):
        raise ConfigError(f"WEB_BASE_URL must be an https:// address without ? or #, not {base!r}")
    if base and urlsplit(base).path:
        # The pages link to each other by absolute paths (/g/…, /app), so they live at the host's root.
        raise ConfigError(f"WEB_BASE_URL must be the site's root, without a path, not {base!r}")
    return {
        "web_listen": env.get("WEB_LISTEN", "").strip() or Settings.web_listen,
        "web_port": numbers["WEB_PORT"],
        "web_base_url": base,
    }
