"""Settings read once from the environment (and a ``.env`` file beside the project, if present)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parent.parent


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
    # Reliability and privacy (issue 7): see docs/reliability.md.
    telegram_rate_limit: int = 30  # messages and edits per second over all chats; 0: no proactive limit
    telegram_timeout: int = 10  # seconds to connect, send or read one Bot API request (then retried)
    session_retention_days: int = 30  # sessions untouched this long are deleted

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
        ("TELEGRAM_RATE_LIMIT", 30, 0, 100_000),
        ("TELEGRAM_TIMEOUT", 10, 1, 300),
        ("SESSION_RETENTION_DAYS", 30, 1, 3650),
    ):
        raw = env.get(key, "").strip() or str(default)
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise ConfigError(f"{key} must be a whole number from {low} to {high}, not {raw!r}")
        numbers[key] = int(raw)
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
        telegram_rate_limit=numbers["TELEGRAM_RATE_LIMIT"],
        telegram_timeout=numbers["TELEGRAM_TIMEOUT"],
        session_retention_days=numbers["SESSION_RETENTION_DAYS"],
    )
