"""Reports and usage counts in this process only (the memory store's part of :class:`FeedbackStore`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from bot.feedback import CountKey, Report, day_of
from bot.store.feedback import FeedbackStore, in_region


class MemoryFeedback(FeedbackStore):
    """Keeps reports in a dict and counts in a :class:`Counter`, created on first use."""

    def _fb(self) -> tuple[dict[int, Report], Counter[CountKey]]:
        if not hasattr(self, "_fb_reports"):
            self._fb_reports: dict[int, Report] = {}
            self._fb_counts: Counter[CountKey] = Counter()
        return self._fb_reports, self._fb_counts

    async def add_report(self, report: Report) -> int:
        """Keep the report under the next id."""
        reports, _ = self._fb()
        new_id = max(reports, default=0) + 1
        reports[new_id] = replace(report, id=new_id, closed=None)
        return new_id

    async def reports(self, open_only: bool = False, region: str | None = None) -> list[Report]:
        """Newest first."""
        rows = [
            r for r in self._fb()[0].values() if (r.open or not open_only) and in_region(r.region, region)
        ]
        return sorted(rows, key=lambda r: (r.created, r.id), reverse=True)

    async def close_report(self, report_id: int, at: float) -> bool:
        """Close an open report."""
        reports, _ = self._fb()
        found = reports.get(report_id)
        if found is None or not found.open:
            return False
        reports[report_id] = replace(found, closed=at)
        return True

    async def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        """Add to the counter."""
        self._fb()[1].update(counts)

    async def counts(self, since: str = "") -> dict[CountKey, int]:
        """Counts from ``since`` on."""
        return {k: n for k, n in self._fb()[1].items() if k[0] >= since}

    async def purge_feedback(self, cutoff: float) -> int:
        """Drop closed reports and days before ``cutoff``."""
        reports, counts = self._fb()
        day = day_of(cutoff)
        old = [i for i, r in reports.items() if r.closed is not None and r.closed < cutoff]
        old_days = [k for k in counts if k[0] < day]
        for i in old:
            del reports[i]
        for k in old_days:
            del counts[k]
        return len(old) + len(old_days)
