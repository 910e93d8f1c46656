"""Session stores: one interface (:class:`SessionStore`), an in-memory and a SQLite implementation."""

from bot.store.base import ChatRecord, SessionStore
from bot.store.memory import MemorySessionStore
from bot.store.sqlite import SqliteSessionStore

__all__ = ["ChatRecord", "MemorySessionStore", "SessionStore", "SqliteSessionStore"]
