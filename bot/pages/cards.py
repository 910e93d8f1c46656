"""Inline mode, platform-neutral: a query such as "湖南 微信" -> instruction cards to send to any chat.

The query is read like a typed message (:func:`bot.understand.understand`). With a region, one card is
offered per identity x channel the query leaves open (both identities when none is named, every channel
of the region when none or an unavailable one is named); without one, a single card explains how to ask.
Every card is a whole message of at most :data:`LIMIT` characters: the full instructions page when it
fits, else a concise version (steps, hotlines, source) that points to the bot for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import flow_text
from bot.catalog.models import as_identity
from bot.clock import SYSTEM_CLOCK, Clock
from bot.deeplink import OPEN_PAYLOAD, make_payload
from bot.errors import ConfigError
from bot.pages.instructions import instructions_context
from bot.pages.typed import found_slots
from bot.render import Renderer, html_to_text, read_messages_yaml
from bot.understand import understand

LIMIT = 4096  # Telegram's maximum message length (UTF-16 code units of the text without tags)
MAX_CARDS = 50  # Telegram accepts at most 50 results per inline query
MAX_QUERY = 256  # Telegram sends at most 256 characters of query
IDENTITIES = ("flexible", "resident")


@dataclass(frozen=True)
class InlineTexts:
    """Titles and descriptions of inline results (plain-text Jinja strings) and the two button labels."""

    card_title: str
    card_description: str
    help_title: str
    help_description: str
    unknown_title: str
    unknown_description: str
    switch_pm: str
    open_bot: str


def load_inline_texts(messages_dir: Path) -> InlineTexts:
    """Read ``messages/inline.yaml``; a missing, empty or unknown key raises :class:`ConfigError`."""
    path = Path(messages_dir) / "inline.yaml"
    data = read_messages_yaml(messages_dir, "inline.yaml")
    names = [f.name for f in fields(InlineTexts)]
    problems = [
        f"{n}: missing or not a text" for n in names if not isinstance(data.get(n), str) or not data[n]
    ]
    problems += [f"{k}: unknown key" for k in sorted(set(data) - set(names))]
    if isinstance(data.get("switch_pm"), str) and len(data["switch_pm"]) > 64:
        problems.append("switch_pm: longer than 64 characters")
    if problems:
        raise ConfigError("\n".join(f"{path}: {p}" for p in problems))
    return InlineTexts(**{n: data[n] for n in names})


@dataclass(frozen=True)
class Card:
    """One result: ``text`` is the Telegram HTML message it sends; ``link`` opens the bot (deep link)."""

    id: str
    title: str
    description: str
    text: str
    link: str


@dataclass(frozen=True)
class InlineAnswer:
    """The cards for a query and the start parameter of the "open the wizard in private" button."""

    cards: tuple[Card, ...]
    start_payload: str


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def bot_link(bot: str, payload: str) -> str:
    """``https://t.me/<bot>?start=<payload>``."""
    return f"https://t.me/{bot}?start={payload}"


class InlineCards:
    """Builds the cards for inline queries from the catalog in use, the templates and the texts."""

    def __init__(
        self, renderer: Renderer, texts: InlineTexts, limit: int = LIMIT, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.renderer = renderer
        self.texts = texts
        self.limit = limit
        self.clock = clock

    def answer(self, catalog: Catalog, query: str, bot: str) -> InlineAnswer:
        """The cards for ``query`` (never empty), for the bot whose username is ``bot``."""
        u = understand(query[:MAX_QUERY], catalog)
        slots = found_slots(u, catalog)
        payload = make_payload(slots) or OPEN_PAYLOAD
        if "province" not in slots:
            return InlineAnswer((self.help_card(catalog, query, slots, bot),), payload)
        code = slots.get("city") or slots["province"]
        cards = []
        for identity in [u.identity] if u.identity else IDENTITIES:
            offered = catalog.channels(identity, code)
            for channel in [u.channel] if u.channel in offered else offered:
                cards.append(self.card(catalog, {**slots, "identity": identity, "channel": channel}, bot))
        return InlineAnswer(tuple(cards[:MAX_CARDS]), payload)

    def card(self, catalog: Catalog, slots: dict[str, str], bot: str) -> Card:
        """The instruction card for a full choice (identity, province, optional city, channel)."""
        ctx = instructions_context(catalog, slots, self.clock.today())
        payload = make_payload(slots)
        region = catalog.regions[slots["province"]].name
        place = region + (ctx["region"]["name"] if "city" in slots else "")
        link = bot_link(bot, payload)
        page = {**ctx, "choices": [ctx["identity"]["label"], place, ctx["channel"]["label"]], "bot": bot}
        text = self.renderer.text("inline_card", **page, link=link, full=True)
        if utf16_len(html_to_text(text)) > self.limit:
            text = self.renderer.text("inline_card", **page, link=link, full=False)
        meta = {
            "identity": ctx["identity"]["label"],
            "place": place,
            "channel": ctx["channel"]["label"],
            "title": ctx["channel"]["title"],
            "steps": len(ctx["steps"]),
        }
        return Card(
            id=payload,
            title=flow_text(self.texts.card_title, meta),
            description=flow_text(self.texts.card_description, meta),
            text=text,
            link=link,
        )

    def help_card(self, catalog: Catalog, query: str, slots: dict[str, str], bot: str) -> Card:
        """How to use inline mode: for an empty query, or one naming no region the bot knows."""
        link = bot_link(bot, make_payload(slots) or OPEN_PAYLOAD)
        text = self.renderer.text("inline_help", bot=bot, link=link)
        if not query.strip():
            title, description = self.texts.help_title, self.texts.help_description
            return Card("help", title, description, text, link)
        recognised = " · ".join(_names(catalog, slots))
        description = flow_text(self.texts.unknown_description, {"recognised": recognised})
        return Card("unknown", self.texts.unknown_title, description, text, link)


def _names(catalog: Catalog, slots: dict[str, str]) -> list[str]:
    out = []
    if "identity" in slots:
        out.append(catalog.national.identities[as_identity(slots["identity"])].label)
    if "channel" in slots:
        out.append(catalog.national.channel_labels[slots["channel"]].label)  # type: ignore[index]
    return out
