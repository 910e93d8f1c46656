"""Anonymous usage counts: per day and region, how many started, reached each step and the guide,
opened each follow-up, reported something, and which typed messages were not understood.

:func:`usage_names` reads one wizard step (pure); :class:`UsageCounter` adds the names up in memory and
writes them to the store in batches every ``interval`` seconds, so counting costs a step a dictionary
update and never a store write. A count holds no user or chat id; a not-understood message is kept only
after the privacy guard (a message with personal data is never counted), cut to ``UNKNOWN_MAX``
characters, with its digits masked. Counts are deleted after the retention period with the sessions.
Should the process die, the last ``interval`` seconds of counts are lost: they are statistics.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Callable

from bot.background import cancel_and_wait
from bot.clock import SYSTEM_UNIX_TIME
from bot.events import Notice
from bot.feedback import CHINA, NO_REGION, UNKNOWN_MAX, UNKNOWN_PREFIX, CountKey, day_of
from bot.privacy import find_personal_data
from bot.session import Session
from bot.store.feedback import FeedbackStore
from bot.view import View

log = logging.getLogger(__name__)
_DIGITS = re.compile(r"\d")
START = "start"  # /start (with or without a deep link)
STEP = "step:"  # step:<state>: entered that step (step:instructions is reaching a guide)
FOLLOWUP = "open:"  # open:calc, open:faq-<topic>
REPORT = "report"
DAY = 86_400.0


def region_of(session: Session) -> str:
    """The most specific region chosen so far, or :data:`NO_REGION`."""
    return session.slots.get("city") or session.slots.get("province") or NO_REGION


def unknown_text(text: str) -> str | None:
    """A not-understood message as it may be counted (None when it holds personal data)."""
    if find_personal_data(text):
        return None
    return _DIGITS.sub("#", " ".join(text.split()))[:UNKNOWN_MAX]


def usage_names(before: Session, after: Session, action: str, value: str, view: View) -> list[str]:
    """The count names one wizard step adds (``value`` is the typed text for ``text`` steps)."""
    names: list[str] = []
    if after.state != before.state:
        names.append(STEP + after.state)
    if view.report is not None:
        names.append(REPORT)
    elif view.notice is Notice.NOT_UNDERSTOOD and action == "text":
        typed = unknown_text(value)
        if typed:
            names.append(UNKNOWN_PREFIX + typed)
    elif view.notice is None and action in ("calc", "faq") and len(view.parts) > 1:
        page = view.parts[-1].template
        if page in ("calc", "faq"):
            names.append(FOLLOWUP + ("calc" if page == "calc" else f"faq-{value}"))
    return names


class UsageCounter:
    """Adds counts up in memory and flushes them to ``store`` every ``interval`` seconds."""

    def __init__(
        self,
        store: FeedbackStore,
        enabled: bool = True,
        interval: float = 30.0,
        clock: Callable[[], float] = SYSTEM_UNIX_TIME,
    ) -> None:
        self.store = store
        self.enabled = enabled
        self.interval = interval
        self.clock = clock
        self.pending: Counter[CountKey] = Counter()
        self._task: asyncio.Task[None] | None = None
        self._day, self._day_ends = "", 0.0  # today's name, and when it ends (no date maths per step)

    def _today(self) -> str:
        now = self.clock()
        if not self._day_ends - DAY <= now < self._day_ends:
            self._day = day_of(now)
            midnight = dt.datetime.fromisoformat(self._day).replace(tzinfo=CHINA) + dt.timedelta(days=1)
            self._day_ends = midnight.timestamp()
        return self._day

    def add(self, region: str, *names: str) -> None:
        """Count ``names`` once each for ``region`` today."""
        if not self.enabled or not names:
            return
        day = self._today()
        for name in names:
            self.pending[(day, region, name)] += 1

    def step(self, before: Session, after: Session, action: str, value: str, view: View) -> None:
        """Count what one wizard step did (see :func:`usage_names`)."""
        if self.enabled:
            self.add(region_of(after), *usage_names(before, after, action, value, view))

    async def flush(self) -> None:
        """Write what was counted since the last flush; on failure keep it for the next one."""
        if not self.pending:
            return
        batch, self.pending = self.pending, Counter()
        try:
            await self.store.add_counts(batch)
        except Exception as exc:  # a store that is down: try again next time, the counts wait in memory
            log.warning("usage counts not written yet: %s", exc)
            self.pending.update(batch)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()

    def start(self) -> None:
        """Flush in the background (idempotent; nothing runs when counting is off)."""
        if self.enabled and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._run(), name="usage-counts")

    async def stop(self) -> None:
        """Stop the background flush and write what is left."""
        await cancel_and_wait(self._task)
        self._task = None
        await self.flush()
