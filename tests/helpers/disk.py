"""Making a real SQLite session database run out of space, for disk-full tests.

``PRAGMA max_page_count`` caps the file at its current size (for the store's own connection, like a full
disk would); filler rows with ever larger chat ids then pack the table's last page, so the next new
chat (a larger chat id) needs a page the database may not grow: SQLite answers SQLITE_FULL
("database or disk is full"), exactly what a full disk produces.
"""

from __future__ import annotations

import sqlite3

from bot.store.sqlite import SqliteSessionStore

FILLER_BASE = (
    10**11
)  # chat ids of filler rows; real test chats use smaller ids, or larger ones to hit the cap


async def fill_to_the_brim(store: SqliteSessionStore) -> int:
    """Cap the database at its size and fill the chats table's last page; the number of filler rows."""
    db = store.db
    async with db.execute("PRAGMA page_count") as cur:
        pages = (await cur.fetchone())[0]  # type: ignore[index]
    await cap(store, pages)
    rows = 0
    while True:
        try:
            await db.execute(
                "INSERT INTO chats (chat_id, session, message_id, rev, updated_at) VALUES (?, '{}', NULL, 1, 0)",
                (FILLER_BASE + rows,),
            )
        except sqlite3.OperationalError as exc:
            assert "full" in str(exc), exc
            return rows
        rows += 1


NO_CAP = 1073741823  # SQLite's default max_page_count


async def cap(store: SqliteSessionStore, pages: int) -> None:
    """Set ``max_page_count`` on both of the store's connections (it is a per-connection setting)."""
    await store.db.execute(f"PRAGMA max_page_count = {pages}")
    if store._inline is not None:
        store._inline.execute(f"PRAGMA max_page_count = {pages}")


async def make_room(store: SqliteSessionStore) -> None:
    """Lift the cap again, as if space had been freed."""
    await cap(store, NO_CAP)
