"""Settings read once from the environment (and a ``.env`` file beside the project, if present)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parent.parent
_SWITCH = {"": False, "0": False, "false": False, "off": False, "no": False}
_SWITCH |= {"1": True, "true": True, "on": True, "yes": True}


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
    )
