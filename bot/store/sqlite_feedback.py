"""Reports and usage counts in the SQLite session database (tables ``reports`` and ``counts``).

Neither table has a user or chat id. Counts arrive in batches (:class:`bot.wizard.usage.UsageCounter` adds up
in memory and flushes now and then), so a step never waits for them; the batch is one transaction of
upserts on aiosqlite's thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager

import aiosqlite

from bot.feedback import CountKey, Report, day_of
from bot.store.feedback import FeedbackStore, in_region

FEEDBACK_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS reports (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        region   TEXT NOT NULL,
        identity TEXT NOT NULL,
        channel  TEXT NOT NULL,
        page     TEXT NOT NULL,
        year     TEXT NOT NULL,
        text     TEXT NOT NULL,
        created  REAL NOT NULL,
        closed   REAL
    )""",
    """CREATE TABLE IF NOT EXISTS counts (
        day    TEXT    NOT NULL,
        region TEXT    NOT NULL,
        name   TEXT    NOT NULL,
        n      INTEGER NOT NULL,
        PRIMARY KEY (day, region, name)
    ) WITHOUT ROWID""",
)
_COLUMNS = "region, identity, channel, page, year, text, created, id, closed"


class SqliteFeedback(FeedbackStore):
    """The SQLite store's reports and counts (mixed into :class:`SqliteSessionStore`)."""

    # Provided by SqliteSessionStore: the thread connection, its errors turned into StoreUnavailableError.
    _guard: Callable[[str], AbstractAsyncContextManager[aiosqlite.Connection]]

    async def create_feedback_tables(self, db: aiosqlite.Connection) -> None:
        """Create the tables (called from ``open``)."""
        for statement in FEEDBACK_SCHEMA:
            await db.execute(statement)

    async def add_report(self, report: Report) -> int:
        """Insert the report; its id."""
        r = report
        async with self._guard("keep a report") as db:
            cur = await db.execute(
                "INSERT INTO reports (region, identity, channel, page, year, text, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (r.region, r.identity, r.channel, r.page, r.year, r.text, r.created),
            )
            new_id = cur.lastrowid
            await cur.close()
        return int(new_id or 0)

    async def reports(self, open_only: bool = False, region: str | None = None) -> list[Report]:
        """Newest first."""
        where = " WHERE closed IS NULL" if open_only else ""
        async with self._guard("read reports") as db:
            rows = await db.execute_fetchall(
                f"SELECT {_COLUMNS} FROM reports{where} ORDER BY created DESC, id DESC"
            )
        found = [Report(*row) for row in rows]
        return [r for r in found if in_region(r.region, region)]

    async def close_report(self, report_id: int, at: float) -> bool:
        """Set ``closed`` on an open report."""
        async with self._guard("close a report") as db:
            cur = await db.execute(
                "UPDATE reports SET closed = ? WHERE id = ? AND closed IS NULL", (at, report_id)
            )
            changed = cur.rowcount
            await cur.close()
        return changed > 0

    async def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        """Upsert the batch in one transaction."""
        if not counts:
            return
        rows = [(day, region, name, n) for (day, region, name), n in counts.items()]
        async with self._guard("add usage counts") as db:
            await db.execute("BEGIN")
            try:
                await db.executemany(
                    "INSERT INTO counts (day, region, name, n) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (day, region, name) DO UPDATE SET n = n + excluded.n",
                    rows,
                )
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    async def counts(self, since: str = "") -> dict[CountKey, int]:
        """Counts from day ``since`` on."""
        async with self._guard("read usage counts") as db:
            rows = await db.execute_fetchall(
                "SELECT day, region, name, n FROM counts WHERE day >= ?", (since,)
            )
        return {(day, region, name): n for day, region, name, n in rows}

    async def purge_feedback(self, cutoff: float) -> int:
        """Delete closed reports and count days before ``cutoff``."""
        async with self._guard("purge reports and counts") as db:
            deleted = 0
            for sql, arg in (
                ("DELETE FROM reports WHERE closed IS NOT NULL AND closed < ?", cutoff),
                ("DELETE FROM counts WHERE day < ?", day_of(cutoff)),
            ):
                cur = await db.execute(sql, (arg,))
                deleted += cur.rowcount
                await cur.close()
        return deleted
