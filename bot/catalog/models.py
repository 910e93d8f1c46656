"""Typed models of the flow files (``flows/*.yaml``), validated with pydantic.

A file is validated *after* it is merged over its parents (national -> province -> city), so a region
file only states what differs. See ``docs/operators.md`` for every field with examples.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeGuard, TypeVar, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.money import Rounding

IDENTITIES: tuple[str, ...] = ("flexible", "resident")
CHANNELS: tuple[str, ...] = ("wechat", "alipay", "tax", "bank", "hall")
# What typed text can ask for (bot/understand/); flows/vocabulary.yaml maps words to these names.
# Small talk (a greeting, thanks, ok, "are you there", emoji alone) counts only when nothing else is asked;
# the out-of-scope questions (reimbursement rates, whether a payment arrived, registering care in another
# place, the insurance card or e-voucher, pension insurance) are recognised so the bot can say where to ask.
SMALL_TALK: tuple[str, ...] = ("greeting", "thanks", "ok", "ping", "emoji")
OUT_OF_SCOPE: tuple[str, ...] = ("reimbursement", "payment_status", "remote_care", "card", "pension")
INTENTS: tuple[str, ...] = (
    "how_to_pay", "amount", "materials", "coverage_start", "deadline", "duplicate", "legal", "hotline",
    "restart", "back", *OUT_OF_SCOPE, *SMALL_TALK,
)  # fmt: skip
# Who the insurance is for, when a message says so (kept in the session for later answers).
WHO: tuple[str, ...] = ("self", "spouse", "child", "grandchild", "parent", "newborn", "student")
COMMANDS: tuple[str, ...] = ("back", "restart")
SLOTS: tuple[str, ...] = ("identity", "region", "channel")
IdentityId = Literal["flexible", "resident"]
ChannelId = Literal["wechat", "alipay", "tax", "bank", "hall"]
SourceKind = Literal["official", "news", "aggregator"]
# What a hotline answers: `medical` (医保, 12393 nationally), `tax` (12366) or `hr` (人社, 12333).
HotlineTopic = Literal["medical", "tax", "hr"]
# Kinds of provincial-level division; each has its own home word ({{ home }}: 本省, 本市, 本区).
DivisionKind = Literal["province", "municipality", "autonomous_region"]
# Follow-up questions answered on the instructions page (short ASCII: they travel in callback data).
FAQ_TOPICS: tuple[str, ...] = ("materials", "start", "deadline", "duplicate", "law")
FaqTopic = Literal["materials", "start", "deadline", "duplicate", "law"]


# Sessions, deep links and typed text carry plain strings; the flows are keyed by these literal names.
# The functions below are where a string becomes a name (checked at run time, so the types are true).
def is_channel(value: str) -> TypeGuard[ChannelId]:
    """True when ``value`` names a channel kind."""
    return value in CHANNELS


def as_identity(value: str) -> IdentityId:
    """``value`` as an identity name; KeyError when it names none (as looking it up would raise)."""
    if value not in IDENTITIES:
        raise KeyError(value)
    return cast(IdentityId, value)


def as_channel(value: str) -> ChannelId:
    """``value`` as a channel name; KeyError when it names none."""
    if not is_channel(value):
        raise KeyError(value)
    return value


def as_topic(value: str) -> FaqTopic:
    """``value`` as a follow-up topic; KeyError when it names none."""
    if value not in FAQ_TOPICS:
        raise KeyError(value)
    return cast(FaqTopic, value)


Code = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://\S+$")]

T = TypeVar("T")


# While a catalog loads: (model class, id of an input mapping) -> (that mapping, its validated model).
_SHARED: ContextVar[dict[tuple[type, int], tuple[Any, Any]] | None] = ContextVar("_SHARED", default=None)


@contextmanager
def shared_validation() -> Iterator[None]:
    """Within the block, a mapping validated again (same object, same model) gives the same instance.

    Merging leaves every part a region does not override as the very object of its parent (see
    :func:`bot.catalog.merge.deep_merge`), so 3,000 region flows share one validated model for each
    inherited identity, channel, figure and answer: validated once, held in memory once (frozen models).
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    @model_validator(mode="wrap")
    @classmethod
    def _shared(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        cache = _SHARED.get()
        if cache is None or not isinstance(data, dict):
            return handler(data)
        key = (cls, id(data))
        hit = cache.get(key)
        if hit is not None and hit[0] is data:  # the mapping itself is kept in the entry: ids stay unique
            return hit[1]
        model = handler(data)
        cache[key] = (data, model)
        return model


class Provenance(_Model):
    """Where a claim comes from: the source, its kind, when we took it and whether anyone checked it.

    ``retrieved`` is the date the page was read (from a stored copy or the live site). ``verified`` is the
    date someone compared the claim with an official notice or site; only an ``official`` source can be
    verified, and pages say "网络资料，未经官方核实" for everything that is not.
    """

    source: Text | None = None
    source_kind: SourceKind | None = None
    retrieved: dt.date | None = None
    verified: dt.date | None = None

    @model_validator(mode="after")
    def _only_official_verified(self) -> Provenance:
        if self.verified is not None and self.source_kind != "official":
            raise ValueError(
                "verified: only an official source can be verified; "
                "for news or aggregator sources give retrieved only"
            )
        return self

    @property
    def is_verified(self) -> bool:
        """True when someone compared the claim with an official source."""
        return self.verified is not None and self.source_kind == "official"


class Window(_Model):
    """A resident collection window: the dates people pay in for one coverage year (start may be unknown)."""

    start: dt.date | None = None
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.start is not None and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class Figure(Provenance, Generic[T]):
    """A figure with its coverage year and provenance. ``value: null`` means unknown (set locally).

    ``year`` is the coverage year (待遇年度) the figure applies to, as a number; ``year_note`` qualifies it
    ("约", "一档", "页面未注明年份"). A figure whose page names no year has ``year: null`` and a year_note.
    """

    value: T | None = None
    year: int | None = Field(default=None, ge=2000, le=2100)
    year_note: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _provenance(self) -> Figure[T]:
        if self.value is not None:
            missing = [k for k in ("source", "source_kind", "retrieved") if getattr(self, k) is None]
            if self.year is None and self.year_note is None:
                missing.insert(0, "year (or year_note when the page names no year)")
            if missing:
                raise ValueError(f"a figure with a value needs {', '.join(missing)}")
        return self

    @property
    def known(self) -> bool:
        """True when the figure has a value."""
        return self.value is not None


Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=6, decimal_places=3)]
TierPercent = Annotated[Decimal, Field(gt=0, le=1000, max_digits=6, decimal_places=2)]


class Figures(_Model):
    """The figures of one identity in one region. Every one is optional; unknown ones stay null."""

    amount: Figure[Money] = Figure()  # resident: personal contribution per year (元/年)
    base_floor: Figure[Money] = Figure()  # flexible: lowest monthly contribution base (元/月)
    base_ceiling: Figure[Money] = Figure()  # flexible: highest monthly contribution base (元/月)
    rate: Figure[Percent] = Figure()  # flexible: contribution rate, percent of the base
    # flexible: allowed bases as percent of the average wage
    tiers: Figure[tuple[TierPercent, ...]] = Figure()
    average_wage: Figure[Money] = Figure()  # flexible: monthly average wage the tiers are percents of (元/月)
    period: Figure[Text] = Figure()  # when to pay, in words (flexible: monthly; resident: when no dates)
    window: Figure[Window] = Figure()  # resident: the collection window of one coverage year, as dates
    # flexible: True when ``tiers`` are the two ends of a range (60%-300%, any base in between)
    tiers_are_range: bool = False


class Hotline(_Model):
    """A phone line people can call; ``topic`` marks the medical-insurance line ``{{ hotline }}`` names."""

    name: Text
    number: Annotated[str, StringConstraints(pattern=r"^[0-9-]{3,20}$")]
    topic: HotlineTopic | None = None


class Alternative(_Model):
    """Another entry point for the same channel kind (e.g. a mini-program besides the city service)."""

    name: Text
    how: Text


class Channel(Provenance):
    """How to pay through one channel kind: numbered steps plus what to have ready."""

    title: Text
    steps: tuple[Text, ...] = Field(min_length=1)
    materials: tuple[Text, ...] = ()
    tips: tuple[Text, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    url: HttpsUrl | None = None
    source: Text
    source_kind: SourceKind
    retrieved: dt.date


class Subsidy(Provenance):
    """A group whose personal share is fully or partly paid by the state, e.g. 低保 members or students."""

    group: Text
    amount: Money | None = None  # what the person still pays per year (元/年); None when not stated
    text: Text
    year: int | None = Field(default=None, ge=2000, le=2100)  # coverage year; None: the page names none
    year_note: Text | None = None
    source: Text
    source_kind: SourceKind
    retrieved: dt.date


class Cite(_Model):
    """A further source backing an answer, with its own quality tag."""

    source: Text
    source_kind: SourceKind


class Answer(Provenance):
    """The answer to one follow-up question: a few short points and where they come from."""

    points: tuple[Text, ...] = Field(min_length=1)
    source: Text
    source_kind: SourceKind
    also: tuple[Cite, ...] = ()
    retrieved: dt.date


class Identity(_Model):
    """Everything about one kind of payer in one region."""

    label: Text
    summary: Text
    figures: Figures = Figures()
    coverage_start: Text
    materials: tuple[Text, ...] = ()
    notes: tuple[Text, ...] = ()
    subsidies: tuple[Subsidy, ...] = ()
    rounding: Rounding = "fen"  # how contributions are rounded: to the fen (default), jiao or yuan
    faq: dict[FaqTopic, Answer] = {}
    channels: dict[ChannelId, Channel | None]


class ChannelLabel(_Model):
    """How a channel kind is named on buttons."""

    label: Text
    icon: str = ""


class NamedChannel(Provenance):
    """A provincial channel's name (e.g. 河南税务App) with where the name comes from."""

    name: Text
    source: Text
    source_kind: SourceKind
    retrieved: dt.date


class TaxChannels(_Model):
    """The province's own tax-bureau channels. Residents and flexible employees both pay through them,
    so the national steps name them (``{{ tax_app }}`` …) instead of "the provincial tax bureau's app".
    Government-services apps (闽政通, 皖事通 …) do not belong here: list them as ``alternatives``."""

    app: NamedChannel | None = None  # the tax bureau's mobile app, e.g. 河南税务App
    wechat: NamedChannel | None = None  # its WeChat official account or mini-program
    alipay: NamedChannel | None = None  # its Alipay mini-program
    web: NamedChannel | None = None  # the electronic tax bureau website, e.g. 河南省电子税务局


class LegalBasis(_Model):
    """A legal provision the guidance rests on."""

    title: Text
    text: Text
    source: Text


class Pointer(Provenance):
    """Where to ask about a 医保 question the guide does not cover (``national.yaml`` ``out_of_scope``):
    a short answer naming the official place, the words worth copying (a hotline, an app's name) and
    where the answer comes from."""

    text: Text
    copy_text: tuple[Text, ...] = ()
    source: Text
    source_kind: SourceKind


class Flow(_Model):
    """A merged flow for one region (national defaults, then province, then city)."""

    code: Code
    name: Text
    parent: Code | None = None
    aliases: tuple[Text, ...] = ()
    hotlines: tuple[Hotline, ...] = ()
    notes: tuple[Text, ...] = ()
    tax_channels: TaxChannels = TaxChannels()
    identities: dict[IdentityId, Identity]

    @field_validator("identities")
    @classmethod
    def _both_identities(cls, v: dict[str, Identity]) -> dict[str, Identity]:
        missing = [i for i in IDENTITIES if i not in v]
        if missing:
            raise ValueError(f"missing identities: {', '.join(missing)}")
        return v


class National(Flow):
    """The national default flow: a :class:`Flow` plus the labels and texts shared by every region."""

    channel_labels: dict[ChannelId, ChannelLabel]
    legal_basis: tuple[LegalBasis, ...] = Field(min_length=1)
    out_of_scope: dict[str, Pointer] = Field(default_factory=dict)
    # Said first on the guide when the payment is for one of these (keys from WHO: newborn, student).
    first_words: dict[str, Pointer] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _pointers_name_intents(self) -> National:
        unknown = [k for k in self.out_of_scope if k not in OUT_OF_SCOPE]
        if unknown:
            raise ValueError(f"out_of_scope: {', '.join(unknown)} is not one of {', '.join(OUT_OF_SCOPE)}")
        unknown = [k for k in self.first_words if k not in WHO]
        if unknown:
            raise ValueError(f"first_words: {', '.join(unknown)} is not one of {', '.join(WHO)}")
        return self

    @model_validator(mode="after")
    def _every_faq_answered(self) -> National:
        for ident, body in self.identities.items():
            missing = [t for t in FAQ_TOPICS if t not in body.faq]
            if missing:
                raise ValueError(
                    f"identities.{ident}.faq: national defaults must answer {', '.join(missing)}"
                )
        return self


class Division(_Model):
    """A provincial-level division listed in ``flows/divisions.yaml``."""

    code: Code
    name: Text
    short: Text
    kind: DivisionKind = "province"
    aliases: tuple[Text, ...] = ()


class HomeWords(_Model):
    """How a page names the division it is about (``{{ home }}``), by kind; ``national`` names no place."""

    province: Text
    municipality: Text
    autonomous_region: Text
    national: Text


class Divisions(_Model):
    """The list of all provincial-level divisions, so a province without a file still works."""

    home_words: HomeWords
    provinces: tuple[Division, ...] = Field(min_length=1)
