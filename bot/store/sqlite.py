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
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import aiosqlite

from bot.errors import SessionResetError, StoreUnavailableError
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
FILE_CHECK_EVERY = 1.0  # seconds between checks that the database file is still there
_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_COLUMNS = "chat_id, session, message_id, rev, updated_at, active"
log = logging.getLogger(__name__)


class _Damaged(Exception):
    """A statement met a damaged page (SQLITE_CORRUPT, SQLITE_NOTADB)."""


def _salvage(path: Path) -> tuple[int, set[int], Path]:
    """Copy every readable row of the damaged database ``path`` into a fresh file put in its place; the
    damaged files are renamed ``<name>.damaged-<time>[-wal|-shm]``. Chat ids come from the table and,
    where its pages are broken, from the ``updated_at`` index. Returns (rows copied, chat ids whose row
    could not be read, the damaged file's new path)."""
    kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    fresh = path.with_name(path.name + ".salvage")
    fresh.unlink(missing_ok=True)
    ids: set[int] = set()
    src = sqlite3.connect(path)
    try:
        for query in ("SELECT chat_id FROM chats", "SELECT chat_id FROM chats INDEXED BY chats_updated_at"):
            try:
                for (chat_id,) in src.execute(query):
                    ids.add(chat_id)
            except sqlite3.DatabaseError:
                pass  # what was read before the damaged page is kept
        dst = sqlite3.connect(fresh)
        try:
            dst.execute(_SCHEMA)
            dst.execute(_INDEX)
            copied, lost = 0, set()
            for chat_id in sorted(ids):
                try:
                    row = src.execute(
                        f"SELECT {_COLUMNS} FROM chats WHERE chat_id = ?", (chat_id,)
                    ).fetchone()
                    if row is None:
                        lost.add(chat_id)
                        continue
                    dst.execute(f"INSERT INTO chats ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", row)
                    copied += 1
                except sqlite3.DatabaseError:
                    lost.add(chat_id)
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()
    for suffix in ("", "-wal", "-shm"):
        damaged = Path(f"{path}{suffix}")
        if damaged.exists():
            damaged.rename(Path(f"{kept}{suffix}"))
    fresh.rename(path)
    return copied, lost, kept


class SqliteSessionStore(SqliteFeedback, SessionStore):
    """Records in ``path`` (created with its directory when missing)."""

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._db: aiosqlite.Connection | None = None
        self._inline: sqlite3.Connection | None = None
        self._writes = 0
        self._checkpoint: asyncio.Task[None] | None = None
        self._inode: int | None = None
        self._next_check = 0.0
        self._reset: set[int] = set()  # chats whose damaged row was dropped; told once

    async def open(self) -> None:
        """Open the file, switch to WAL, create the table (adding columns older versions lacked); check
        its integrity (``PRAGMA quick_check``) and salvage it when damaged (see :meth:`_salvage`)."""
        existed = self.path.exists()
        await self._open()
        problem = await self._quick_check()
        if problem is not None:
            await self._salvage(f"quick_check found damage ({problem})")
        elif not existed:
            log.warning(
                "no session database at %s: starting with no stored sessions (first start, or the file "
                "was deleted)", self.path,
            )  # fmt: skip
        self._remember_file()

    async def _quick_check(self) -> str | None:
        """None when ``PRAGMA quick_check`` says ok, else its first findings."""
        try:
            async with self.db.execute("PRAGMA quick_check(5)") as cur:
                rows = [str(r[0]) for r in await cur.fetchall()]
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return None if rows == ["ok"] else "; ".join(rows)

    def _remember_file(self) -> None:
        """Note which file is open, so a deletion or replacement is noticed (:meth:`_check_file`)."""
        try:
            self._inode = os.stat(self.path).st_ino
        except OSError:
            self._inode = None
        self._next_check = time.monotonic() + FILE_CHECK_EVERY

    async def _check_file(self) -> None:
        """Notice the database file vanishing while open (its sessions would be gone at the next start)
        and write it back from the open connection; a file put in its place is only reported."""
        self._next_check = time.monotonic() + FILE_CHECK_EVERY
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            inode = None
        except OSError:
            return
        if inode == self._inode or self._inline is None:
            return
        if inode is not None:
            log.error(
                "session database %s was replaced by another file while open; still using the old one",
                self.path,
            )
            self._inode = inode
            return
        count = self._inline.execute("SELECT count(*) FROM chats").fetchone()[0]
        log.error(
            "session database %s was deleted while the bot was running; writing it back from the open "
            "connection (%d sessions)", self.path, count,
        )  # fmt: skip
        self.path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(self.path)
        try:
            self._inline.backup(target)
        finally:
            target.close()
        await self._close_connections()
        await self._open()
        self._remember_file()

    async def _salvage(self, why: str) -> None:
        """The database is damaged: copy every row that can still be read into a fresh file, keep the
        damaged one as ``<name>.damaged-<time>``, and reopen. Chats whose row could not be read start
        again; each is told so once (:class:`SessionResetError` from :meth:`load`)."""
        log.error("session database %s is damaged: %s; salvaging the readable sessions", self.path, why)
        await self._close_connections()
        copied, lost, kept = await asyncio.to_thread(_salvage, self.path)
        self._reset |= lost
        log.error(
            "session database %s salvaged: %d sessions kept, %d could not be read and are reset (their "
            "users get an apology); the damaged file is kept as %s", self.path, copied, len(lost), kept.name,
        )  # fmt: skip
        await self._open()
        self._remember_file()

    async def _open(self) -> None:
        """Open both connections on ``path``."""
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
        await self._close_connections()

    async def _close_connections(self) -> None:
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
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) in _DAMAGED:
                raise _Damaged(str(exc)) from exc
            raise StoreUnavailableError(f"{self.path}: cannot {what}: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"{self.path}: cannot {what}: {exc}") from exc
        async with self._guard(what) as db:
            return list(await db.execute_fetchall(sql, params))

    async def _run_checked(
        self, chat_id: int, what: str, sql: str, params: tuple[object, ...]
    ) -> list[sqlite3.Row]:
        """:meth:`_run`, salvaging the database when the statement meets a damaged page; raises
        :class:`SessionResetError` when this chat's row was among those lost."""
        if self._reset and chat_id in self._reset:
            self._reset.discard(chat_id)
            raise SessionResetError(f"chat {chat_id}: stored session was damaged and has been reset")
        try:
            return await self._run(what, sql, params)
        except _Damaged as exc:
            await self._salvage(f"cannot {what} of chat {chat_id}: {exc}")
        if chat_id in self._reset:
            self._reset.discard(chat_id)
            raise SessionResetError(f"chat {chat_id}: stored session was damaged and has been reset")
        return await self._run(what, sql, params)

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one; a corrupt session column yields a fresh session; a row on a
        damaged page: :class:`SessionResetError` once, then a fresh record."""
        for session, message_id, rev, active in await self._run_checked(
            chat_id, "read a session", _LOAD, (chat_id,)
        ):
            return ChatRecord(Session.from_json(session), message_id, rev, bool(active))
        return ChatRecord()

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Insert (rev 0) or update where the revision matches; None when another writer got there first."""
        if time.monotonic() >= self._next_check:
            await self._check_file()
        data, now, active = record.session.to_json(), time.time(), int(record.active)
        if record.rev == 0:
            params: tuple[object, ...] = (chat_id, data, record.message_id, now, active)
            changed = await self._run_checked(chat_id, "save a session", _INSERT, params)
        else:
            params = (data, record.message_id, now, active, chat_id, record.rev)
            changed = await self._run_checked(chat_id, "save a session", _UPDATE, params)
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
