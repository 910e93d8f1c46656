"""The default session store: one SQLite file in WAL mode, written on every step.

WAL with ``synchronous=NORMAL`` keeps every committed write across a crash of the process (kill -9); only
a power loss may drop the last few transactions.

Where the work runs: a session read or write is a point query on a primary key that touches the page
cache, not the disk (commits in WAL mode with ``synchronous=NORMAL`` do not fsync), and takes some
microseconds. Handing each one to aiosqlite's thread cost ten times that in thread switches (the bot
benchmark's profile), so :meth:`load` and :meth:`save` run them inline on a second, plain sqlite3
connection that never waits: ``busy_timeout=0``, and when the database is busy (another process or
connection writing) the statement goes to aiosqlite's thread, which may wait. What does touch the disk,
the WAL checkpoint (it fsyncs), is switched off on the inline connection and run by aiosqlite's thread
every ``CHECKPOINT_EVERY`` writes, so the event loop never blocks on disk.
"""

from __future__ import annotations

import asyncio
import sqlite3
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

_LOAD = "SELECT session, message_id, rev FROM chats WHERE chat_id = ?"
_INSERT = (
    "INSERT INTO chats (chat_id, session, message_id, rev, updated_at) VALUES (?, ?, ?, 1, ?) "
    "ON CONFLICT (chat_id) DO NOTHING RETURNING rev"
)
_UPDATE = (
    "UPDATE chats SET session = ?, message_id = ?, rev = rev + 1, updated_at = ? "
    "WHERE chat_id = ? AND rev = ? RETURNING rev"
)
CHECKPOINT_EVERY = 1000  # writes between WAL checkpoints (SQLite's own default is 1000 pages)


class SqliteSessionStore(SessionStore):
    """Records in ``path`` (created with its directory when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db: aiosqlite.Connection | None = None
        self._inline: sqlite3.Connection | None = None
        self._writes = 0
        self._checkpoint: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Open the file, switch to WAL and create the table."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(self.path, isolation_level=None)  # autocommit: one statement each
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=5000")
        await db.execute(_SCHEMA)
        self._db = db
        inline = sqlite3.connect(self.path, isolation_level=None)
        inline.execute("PRAGMA busy_timeout=0")  # never wait on the event loop
        inline.execute("PRAGMA synchronous=NORMAL")
        inline.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run on aiosqlite's thread
        self._inline = inline

    async def close(self) -> None:
        """Close the connections (idempotent)."""
        if self._checkpoint is not None:
            await self._checkpoint
            self._checkpoint = None
        if self._inline is not None:
            inline, self._inline = self._inline, None
            inline.close()
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    @property
    def db(self) -> aiosqlite.Connection:
        """The open connection; raises when the store is closed."""
        if self._db is None:
            raise RuntimeError(f"session store {self.path} is not open")
        return self._db

    async def _run(self, sql: str, params: tuple[object, ...]) -> list[sqlite3.Row]:
        """Run one statement inline; on the thread (which may wait) when the database is busy."""
        inline = self._inline
        if inline is None:
            raise RuntimeError(f"session store {self.path} is not open")
        try:
            return inline.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise
        return list(await self.db.execute_fetchall(sql, params))

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one; a corrupt session column yields a fresh session."""
        for session, message_id, rev in await self._run(_LOAD, (chat_id,)):
            return ChatRecord(Session.from_json(session), message_id, rev)
        return ChatRecord()

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Insert (rev 0) or update where the revision matches; None when another writer got there first."""
        data, now = record.session.to_json(), time.time()
        if record.rev == 0:
            changed = await self._run(_INSERT, (chat_id, data, record.message_id, now))
        else:
            changed = await self._run(_UPDATE, (data, record.message_id, now, chat_id, record.rev))
        self._writes += 1
        if self._writes % CHECKPOINT_EVERY == 0 and self._checkpoint is None:
            self._checkpoint = asyncio.create_task(self._wal_checkpoint())
        return replace(record, rev=record.rev + 1) if changed else None

    async def _wal_checkpoint(self) -> None:
        """Copy the WAL into the database file on aiosqlite's thread (PASSIVE: writers go on)."""
        try:
            await self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            self._checkpoint = None

    async def journal_mode(self) -> str:
        """The database's journal mode (``wal`` once opened)."""
        async with self.db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""
