"""Data kept to keep the content true: users' reports of wrong information, and anonymous usage counts.

A :class:`Report` says where the user was (region, identity, channel, page, the coverage year shown)
and what they said is wrong; it holds no user or chat id. A usage count is a number per day, region and
name (:data:`COUNT_NAMES`, plus ``unknown:<text>`` for typed messages the bot did not understand);
counts hold no user or chat id either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REPORT_MAX = 500  # characters of a report kept (one message says what is wrong)
UNKNOWN_MAX = 30  # characters of a not-understood message kept in the counts
UNKNOWN_PREFIX = "unknown:"
NO_REGION = "-"  # counts made before a region was chosen (the first steps)
# Pages a report can be made from: the guide, the calculator and each follow-up answer ("faq-<topic>").
GUIDE, CALC = "guide", "calc"
CHINA = dt.timezone(dt.timedelta(hours=8), "UTC+8")  # days are Beijing days
CountKey = tuple[str, str, str]  # (day YYYY-MM-DD, region code or NO_REGION, name)


@dataclass(frozen=True)
class Report:
    """One user's report of wrong information, as kept in the store (no user or chat id)."""

    region: str
    identity: str
    channel: str
    page: str  # GUIDE, CALC or faq-<topic>
    year: str  # the coverage year the page showed ("" when it showed none)
    text: str
    created: float  # Unix time
    id: int = 0  # given by the store
    closed: float | None = None  # Unix time an operator closed it

    @property
    def open(self) -> bool:
        """True until an operator closes the report."""
        return self.closed is None


def day_of(moment: float) -> str:
    """The day (YYYY-MM-DD, Beijing time) a Unix time falls on; counts are kept per such day."""
    return dt.datetime.fromtimestamp(moment, CHINA).date().isoformat()
