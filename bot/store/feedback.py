"""The part of the store interface that keeps reports and usage counts (issue 16).

Every :class:`~bot.store.base.SessionStore` implements it (memory, SQLite and Redis, tested by one
contract). Reports stay until an operator closes them and then for the retention period; counts stay
for the retention period. Neither holds a user or chat id.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from bot.feedback import CountKey, Report


class FeedbackStore(ABC):
    """Reports of wrong information and anonymous usage counts."""

    @abstractmethod
    async def add_report(self, report: Report) -> int:
        """Keep ``report`` (its ``id`` is ignored); the id it gets."""

    @abstractmethod
    async def reports(self, open_only: bool = False, region: str | None = None) -> list[Report]:
        """Reports newest first; only open ones, only one region's (a province includes its cities)."""

    @abstractmethod
    async def close_report(self, report_id: int, at: float) -> bool:
        """Mark the report closed at ``at``; False when it is unknown or already closed."""

    @abstractmethod
    async def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        """Add ``counts`` to the stored ones (one call per batch; see :class:`bot.wizard.usage.UsageCounter`)."""

    @abstractmethod
    async def counts(self, since: str = "") -> dict[CountKey, int]:
        """Every count from day ``since`` (YYYY-MM-DD) on."""

    @abstractmethod
    async def purge_feedback(self, cutoff: float) -> int:
        """Delete reports closed before ``cutoff`` and counts of days before it; how many went."""


def in_region(code: str, region: str | None) -> bool:
    """True when ``region`` is None, is ``code``, or is the province ``code`` belongs to."""
    return region is None or code == region or (region.endswith("0000") and code[:2] == region[:2])
