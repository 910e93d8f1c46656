"""What the user did (:class:`Event`) and what the wizard says about it above a page (:class:`Notice`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Event:
    """Something the user did: ``action`` is start/show/pick/back/restart/channel/text/fill/calc/faq/more."""

    action: str
    value: str = ""
    version: int | None = None
    slots: Mapping[str, str] = field(default_factory=dict)


class Notice(StrEnum):
    """Why a view differs from the plain page of its step. ``messages/notice.html.j2`` words each one that
    is shown; its value is what the template receives."""

    STALE = "stale"  # a button from an older message
    RESTARTED = "restarted"
    RECOGNISED = "recognised"  # typed text filled some answers
    NOT_UNDERSTOOD = "not_understood"
    INVALID_CHOICE = "invalid_choice"
    CANNOT_GO = "cannot_go"  # back from the first step
    CATALOG_CHANGED = "catalog_changed"  # a reload removed the step the user was at
    UNKNOWN_ACTION = "unknown_action"
    FOLLOWUP_NEEDS_INSTRUCTIONS = "followup_needs_instructions"
    QUESTION = "question"  # a typed question on a page that answers it
    CONTINUE = "continue"  # below answers given before the guide: "carry on choosing"
    SMALL_TALK = "small_talk"  # a greeting, thanks, ok, "are you there", emoji: a short friendly reply
    ANSWERED = "answered"  # a typed question answered above the step (no notice of its own)
    # a place name shared by places in several provinces, or a home and a present place with nothing to
    # choose between them (老家湖南,人在深圳)
    AMBIGUOUS_PLACE = "ambiguous_place"
    REPORTED = "reported"  # a report of wrong information was kept: thanks, above the page reported on
    REPORT_PERSONAL = "report_personal"  # a report with an ID, card or phone number was refused


# The notices that put a line above a page (every one but ANSWERED).
SHOWN_NOTICES: tuple[Notice, ...] = tuple(n for n in Notice if n is not Notice.ANSWERED)
