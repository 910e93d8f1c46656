"""The default session store: one SQLite file in WAL mode, written on every step.

aiosqlite runs the sqlite3 calls on its own thread, so the event loop never blocks on disk. WAL with
``synchronous=NORMAL`` keeps every committed write across a crash of the process (kill -9); only a power
loss may drop the last few transactions.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import aiosqlite

from bot.session import Session
from bot.store.base import ChatRecord, SessionStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id    INTEGER PRIMARY KEY,
    session    TEXT    NOT NULL,
    message_id INTEGER,
    rev        INTEGER NOT NULL,
    updated_at REAL    NOT NULL
)
"""


class SqliteSessionStore(SessionStore):
    """Records in ``path`` (created with its directory when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None

    async def open(self) -> None:
        """Open the file, switch to WAL and create the table."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(self.path, isolation_level=None)  # autocommit: one statement each
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute(_SCHEMA)
        self._db = db

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    @property
    def db(self) -> aiosqlite.Connection:
        """The open connection; raises when the store is closed."""
        if self._db is None:
            raise RuntimeError(f"session store {self.path} is not open")
        return self._db

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one; a corrupt session column yields a fresh session."""
        async with self.db.execute(
            "SELECT session, message_id, rev FROM chats WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return ChatRecord()
        return ChatRecord(Session.from_json(row[0]), row[1], row[2])

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Insert (rev 0) or update where the revision matches; None when another writer got there first."""
        data, now = record.session.to_json(), time.time()
        if record.rev == 0:
            cur = await self.db.execute(
                "INSERT INTO chats (chat_id, session, message_id, rev, updated_at) VALUES (?, ?, ?, 1, ?) "
                "ON CONFLICT (chat_id) DO NOTHING",
                (chat_id, data, record.message_id, now),
            )
        else:
            cur = await self.db.execute(
                "UPDATE chats SET session = ?, message_id = ?, rev = rev + 1, updated_at = ? "
                "WHERE chat_id = ? AND rev = ?",
                (data, record.message_id, now, chat_id, record.rev),
            )
        changed = cur.rowcount
        await cur.close()
        return replace(record, rev=record.rev + 1) if changed == 1 else None

    async def journal_mode(self) -> str:
        """The database's journal mode (``wal`` once opened)."""
        async with self.db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""
