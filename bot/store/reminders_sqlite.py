"""Reminders in the session store's SQLite file (table ``reminders``).

The claim is one ``UPDATE … WHERE rowid IN (SELECT … LIMIT n) RETURNING``: SQLite runs a statement in
one write transaction, so two processes sharing the file can never claim the same row. Reminder work is
rare (a user sets one; the sender claims a batch every few seconds), so it all runs on aiosqlite's
thread, off the event loop.
"""

from __future__ import annotations

from bot.store.reminders import LEASE, Claimed, Reminder, ReminderStore
from bot.store.sqlite import SqliteSessionStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reminders (
    chat_id INTEGER NOT NULL,
    key     TEXT    NOT NULL,
    next_at REAL    NOT NULL,
    claim   TEXT    NOT NULL DEFAULT '',
    data    TEXT    NOT NULL,
    PRIMARY KEY (chat_id, key)
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS reminders_next_at ON reminders (next_at)"
_PUT = (
    "INSERT INTO reminders (chat_id, key, next_at, claim, data) VALUES (?, ?, ?, '', ?) "
    "ON CONFLICT (chat_id, key) DO UPDATE SET next_at = excluded.next_at, claim = '', data = excluded.data"
)
_CLAIM = (
    "UPDATE reminders SET next_at = ?, claim = ? WHERE rowid IN "
    "(SELECT rowid FROM reminders WHERE next_at <= ? ORDER BY next_at LIMIT ?) "
    "RETURNING chat_id, key, data"
)


class SqliteReminderStore(ReminderStore):
    """Reminders in the same database as ``sessions`` (open it first)."""

    def __init__(self, sessions: SqliteSessionStore) -> None:
        self.sessions = sessions

    async def open(self) -> None:
        """Create the table and its index."""
        async with self.sessions._guard("create the reminders table") as db:
            await db.execute(_SCHEMA)
            await db.execute(_INDEX)

    async def put(self, reminder: Reminder) -> None:
        """Add or replace the chat's reminder with this key (a pending claim is void)."""
        async with self.sessions._guard("save a reminder") as db:
            await db.execute(_PUT, (reminder.chat_id, reminder.key, reminder.due, reminder.to_json()))

    async def of_chat(self, chat_id: int) -> list[Reminder]:
        """The chat's reminders, soonest first."""
        async with self.sessions._guard("read reminders") as db:
            rows = await db.execute_fetchall("SELECT key, data FROM reminders WHERE chat_id = ?", (chat_id,))
        found = [Reminder.from_json(chat_id, key, data) for key, data in rows]
        return sorted((r for r in found if r is not None), key=lambda r: r.due)

    async def cancel(self, chat_id: int, key: str) -> bool:
        """Delete one reminder."""
        async with self.sessions._guard("delete a reminder") as db:
            cur = await db.execute("DELETE FROM reminders WHERE chat_id = ? AND key = ?", (chat_id, key))
            deleted = cur.rowcount
            await cur.close()
        return deleted > 0

    async def forget(self, chat_id: int) -> int:
        """Delete the chat's reminders, overwritten on disk (``secure_delete``) and out of the WAL."""
        async with self.sessions._guard("delete reminders") as db:
            cur = await db.execute("DELETE FROM reminders WHERE chat_id = ?", (chat_id,))
            deleted = cur.rowcount
            await cur.close()
            if deleted:
                await (await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")).close()
        return deleted

    async def claim_due(self, now: float, limit: int, token: str, lease: float = LEASE) -> list[Claimed]:
        """One atomic statement takes the due rows for ``token``."""
        async with self.sessions._guard("claim reminders") as db:
            rows = await db.execute_fetchall(_CLAIM, (now + lease, token, now, limit))
        out = []
        for chat_id, key, data in rows:
            reminder = Reminder.from_json(chat_id, key, data)
            if reminder is not None:
                out.append(Claimed(reminder, token))
        return sorted(out, key=lambda c: c.reminder.due)

    async def finish(self, claimed: Claimed, next_due: Reminder | None) -> bool:
        """Delete or reschedule the row while it still carries the claim's token."""
        r = claimed.reminder
        async with self.sessions._guard("finish a reminder") as db:
            if next_due is None:
                sql = "DELETE FROM reminders WHERE chat_id = ? AND key = ? AND claim = ?"
                cur = await db.execute(sql, (r.chat_id, r.key, claimed.token))
            else:
                sql = (
                    "UPDATE reminders SET next_at = ?, claim = '', data = ? "
                    "WHERE chat_id = ? AND key = ? AND claim = ?"
                )
                params = (next_due.due, next_due.to_json(), r.chat_id, r.key, claimed.token)
                cur = await db.execute(sql, params)
            done = cur.rowcount
            await cur.close()
        return done > 0

    async def count(self) -> int:
        """How many reminders are kept."""
        async with self.sessions._guard("count reminders") as db:
            rows = await db.execute_fetchall("SELECT count(*) FROM reminders")
        return int(next(iter(rows))[0])
