"""Choosing the session store (and the webhook gate that goes with it) from ``SESSION_STORE``."""

from __future__ import annotations

from bot.config import STORE_URL_SCHEMES, Settings
from bot.errors import ConfigError
from bot.store.base import SessionStore
from bot.store.gate import LocalUpdateGate, UpdateGate
from bot.store.memory import MemorySessionStore
from bot.store.reminders import ReminderStore
from bot.store.reminders_memory import MemoryReminderStore
from bot.store.reminders_sqlite import SqliteReminderStore
from bot.store.sqlite import SqliteSessionStore


def make_store(settings: Settings) -> SessionStore:
    """SQLite in BOT_DATA_DIR by default, ``memory``, or Redis for a ``redis://`` URL (not yet opened)."""
    spec = settings.session_store
    if spec in ("", "sqlite"):
        return SqliteSessionStore(settings.database)
    if spec == "memory":
        return MemorySessionStore()
    if spec.startswith(STORE_URL_SCHEMES):
        try:
            from bot.store.redis import RedisSessionStore
        except ImportError:
            raise ConfigError(
                "SESSION_STORE is a Redis URL but the redis package is missing: "
                "pip install 'yibao-wizard[redis]' (make does this)"
            ) from None
        return RedisSessionStore(spec)
    raise ConfigError(f"unknown SESSION_STORE {spec!r}")


def make_gate(store: SessionStore) -> UpdateGate:
    """The gate sharing ``store``'s backend: Redis for a Redis store, else this process alone."""
    if type(store).__name__ == "RedisSessionStore":  # avoids importing redis when it is not used
        from bot.store.redis import RedisSessionStore, RedisUpdateGate

        assert isinstance(store, RedisSessionStore)
        return RedisUpdateGate(store)
    return LocalUpdateGate()


def make_reminders(store: SessionStore) -> ReminderStore:
    """The reminder store sharing ``store``'s backend (its SQLite file or its Redis)."""
    if type(store).__name__ == "RedisSessionStore":  # avoids importing redis when it is not used
        from bot.store.redis import RedisSessionStore
        from bot.store.reminders_redis import RedisReminderStore

        assert isinstance(store, RedisSessionStore)
        return RedisReminderStore(store)
    if isinstance(store, SqliteSessionStore):
        return SqliteReminderStore(store)
    return MemoryReminderStore()
