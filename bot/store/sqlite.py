"""The default session store: one SQLite file in WAL mode, written on every step.

Durability: every write is one statement in its own transaction; WAL with ``synchronous=NORMAL`` keeps
every committed write across a crash of the process (kill -9), and a crash mid-write leaves the previous
row intact. Only a power loss may drop the last few transactions. ``secure_delete`` overwrites what
/forget and the retention purge delete, and the WAL is truncated after them, so deleted choices do not
linger in the file.

Where the work runs: a session read or write is a point query on a primary key that touches the page
cache, not the disk (commits in WAL mode with ``synchronous=NORMAL`` do not fsync), and takes some
microseconds. Handing each one to aiosqlite's thread cost ten times that in thread switches (the bot
benchmark's profile), so :meth:`load` and :meth:`save` run them inline on a second, plain sqlite3
connection that never waits: ``busy_timeout=0``, and when the database is busy (another process or
connection writing) the statement goes to aiosqlite's thread, which may wait up to ``busy_timeout``.
What does touch the disk (WAL checkpoints, which fsync; /forget; the purge) runs on aiosqlite's thread,
so the event loop never blocks on disk.

A failing database (locked for longer than ``busy_timeout``, disk full, read-only, corrupt) raises
:class:`StoreUnavailableError` from every method; the bot keeps running.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import aiosqlite

from bot.errors import StoreUnavailableError
from bot.session import Session
from bot.store.base import ChatRecord, SessionStore
from bot.store.sqlite_feedback import SqliteFeedback

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    chat_id    INTEGER PRIMARY KEY,
    session    TEXT    NOT NULL,
    message_id INTEGER,
    rev        INTEGER NOT NULL,
    updated_at REAL    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS chats_updated_at ON chats (updated_at)"
_LOAD = "SELECT session, message_id, rev, active FROM chats WHERE chat_id = ?"
_INSERT = (
    "INSERT INTO chats (chat_id, session, message_id, rev, updated_at, active) VALUES (?, ?, ?, 1, ?, ?) "
    "ON CONFLICT (chat_id) DO NOTHING RETURNING rev"
)
_UPDATE = (
    "UPDATE chats SET session = ?, message_id = ?, rev = rev + 1, updated_at = ?, active = ? "
    "WHERE chat_id = ? AND rev = ? RETURNING rev"
)
CHECKPOINT_EVERY = 1000  # writes between WAL checkpoints (SQLite's own default is 1000 pages)


class SqliteSessionStore(SqliteFeedback, SessionStore):
    """Records in ``path`` (created with its directory when missing)."""

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._inline: sqlite3.Connection | None = None
        self._writes = 0
        self._checkpoint: asyncio.Task[None] | None = None

    async def open(self) -> None:
        """Open the file, switch to WAL, create the table (adding columns older versions lacked)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(self.path, isolation_level=None)  # autocommit: one statement each
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA secure_delete=ON")
            await db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            await db.execute(_SCHEMA)
            async with db.execute("PRAGMA table_info(chats)") as cur:
                columns = {row[1] for row in await cur.fetchall()}
            if "active" not in columns:  # a database written before the active flag existed
                await db.execute("ALTER TABLE chats ADD COLUMN active INTEGER NOT NULL DEFAULT 1")
            await db.execute(_INDEX)
            await self.create_feedback_tables(db)
            inline = sqlite3.connect(self.path, isolation_level=None)
            inline.execute("PRAGMA busy_timeout=0")  # never wait on the event loop
            inline.execute("PRAGMA synchronous=NORMAL")
            inline.execute("PRAGMA secure_delete=ON")
            inline.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run on aiosqlite's thread
        except BaseException:
            await db.close()
            raise
        self._db, self._inline = db, inline

    async def close(self) -> None:
        """Close the connections (idempotent)."""
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
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

    @asynccontextmanager
    async def _guard(self, what: str) -> AsyncIterator[aiosqlite.Connection]:
        """The thread's connection; a database error inside becomes :class:`StoreUnavailableError`."""
        db = self.db
        try:
            yield db
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"{self.path}: cannot {what}: {exc}") from exc

    async def _run(self, what: str, sql: str, params: tuple[object, ...]) -> list[sqlite3.Row]:
        """Run one statement inline; on the thread (which may wait) when the database is busy."""
        inline = self._inline
        if inline is None:
            raise RuntimeError(f"session store {self.path} is not open")
        try:
            return inline.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise StoreUnavailableError(f"{self.path}: cannot {what}: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"{self.path}: cannot {what}: {exc}") from exc
        async with self._guard(what) as db:
            return list(await db.execute_fetchall(sql, params))

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one; a corrupt session column yields a fresh session."""
        for session, message_id, rev, active in await self._run("read a session", _LOAD, (chat_id,)):
            return ChatRecord(Session.from_json(session), message_id, rev, bool(active))
        return ChatRecord()

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Insert (rev 0) or update where the revision matches; None when another writer got there first."""
        data, now, active = record.session.to_json(), time.time(), int(record.active)
        if record.rev == 0:
            params: tuple[object, ...] = (chat_id, data, record.message_id, now, active)
            changed = await self._run("save a session", _INSERT, params)
        else:
            params = (data, record.message_id, now, active, chat_id, record.rev)
            changed = await self._run("save a session", _UPDATE, params)
        self._writes += 1
        if self._writes % CHECKPOINT_EVERY == 0 and self._checkpoint is None:
            self._checkpoint = asyncio.create_task(self._wal_checkpoint())
        return replace(record, rev=record.rev + 1) if changed else None

    async def _wal_checkpoint(self) -> None:
        """Copy the WAL into the database file on aiosqlite's thread (PASSIVE: writers go on)."""
        try:
            async with self._guard("checkpoint the WAL") as db:
                await db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except StoreUnavailableError:
            pass  # the next checkpoint tries again; the WAL is still a valid journal meanwhile
        finally:
            self._checkpoint = None

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Flip the flag (the revision moves on; ``updated_at`` does not: no user did it); marking an
        unknown chat inactive inserts a fresh record."""
        async with self._guard("mark a chat") as db:
            await db.execute(
                "UPDATE chats SET active = ?, rev = rev + 1 WHERE chat_id = ? AND active != ?",
                (int(active), chat_id, int(active)),
            )
            if not active:
                await db.execute(
                    "INSERT INTO chats (chat_id, session, message_id, rev, updated_at, active) "
                    "VALUES (?, ?, NULL, 1, ?, 0) ON CONFLICT (chat_id) DO NOTHING",
                    (chat_id, ChatRecord().session.to_json(), time.time()),
                )

    async def forget(self, chat_id: int) -> bool:
        """Delete the chat's row (overwritten on disk) and truncate the WAL."""
        async with self._guard("delete a session") as db:
            cur = await db.execute("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            deleted = cur.rowcount
            await cur.close()
            if deleted:
                await (await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")).close()
        return deleted > 0

    async def purge(self, cutoff: float) -> int:
        """Delete rows last saved before ``cutoff``."""
        async with self._guard("purge old sessions") as db:
            cur = await db.execute("DELETE FROM chats WHERE updated_at < ?", (cutoff,))
            deleted = cur.rowcount
            await cur.close()
            if deleted:
                await (await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")).close()
        return deleted

    async def journal_mode(self) -> str:
        """The database's journal mode (``wal`` once opened)."""
        async with self.db.execute("PRAGMA journal_mode") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else ""
