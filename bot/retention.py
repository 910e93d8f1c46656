"""The retention policy: sessions nobody touched for ``days`` days are deleted, at start-up and hourly.

A session only helps a user continue where they stopped; after a month it is more likely stale than
useful, and keeping less is the point (see ``/privacy``). Works with every :class:`SessionStore`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from bot.background import cancel_and_wait
from bot.clock import SYSTEM_UNIX_TIME
from bot.errors import StoreUnavailableError
from bot.store.base import SessionStore

log = logging.getLogger(__name__)
DAY = 86_400.0


class Retention:
    """Purges old sessions from ``store`` now and then every ``interval`` seconds while running."""

    def __init__(
        self,
        store: SessionStore,
        days: int,
        interval: float = 3600.0,
        clock: Callable[[], float] = SYSTEM_UNIX_TIME,
    ) -> None:
        self.store = store
        self.clock = clock  # the bot's one clock: reports and day counts are stamped with it
        self.days = days
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def purge_once(self, now: float | None = None) -> int:
        """Delete sessions untouched for ``days`` days before ``now``; how many were deleted. The stores
        stamp sessions with the real time (``time.time``), so sessions age by it even when ``BOT_TODAY``
        moves the bot's clock; feedback is stamped by the bot's clock and ages by it."""
        cutoff = (time.time() if now is None else now) - self.days * DAY
        deleted = await self.store.purge(cutoff)
        if deleted:
            log.info("retention: deleted %d session(s) untouched for %d days", deleted, self.days)
        # Closed reports and usage counts are kept for the same period (open reports until closed).
        feedback = await self.store.purge_feedback((self.clock() if now is None else now) - self.days * DAY)
        if feedback:
            log.info(
                "retention: deleted %d closed report(s) and day counts older than %d days",
                feedback,
                self.days,
            )
        return deleted

    async def _run(self) -> None:
        while True:
            try:
                await self.purge_once()
            except StoreUnavailableError as exc:  # try again at the next round
                log.warning("retention: purge failed: %s", exc)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        """Start purging in the background (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="session-retention")

    async def stop(self) -> None:
        """Stop the background purge."""
        await cancel_and_wait(self._task)
        self._task = None
