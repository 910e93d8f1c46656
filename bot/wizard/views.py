"""What the user sees at a step: its choices, the notice above it, the page parts and the buttons.

Pure functions of the catalog, the button labels and a session; the wizard decides *which* view, this
module builds it. A view is assembled in order from named pieces (notice, answers, header, page), never
edited afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.catalog.catalog import Catalog, button_name
from bot.catalog.models import FAQ_TOPICS, IDENTITIES, IdentityId, as_channel, as_identity, is_channel
from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import Notice
from bot.pages import reporting
from bot.pages.followups import calc_context, faq_context
from bot.pages.instructions import family_context, instructions_context, region_code
from bot.session import STEPS, Session
from bot.view import Button, Part, View

MAX_COPY = 2  # copy buttons for app and mini-program names on the guide
IDENTITY_ORDER: tuple[IdentityId, ...] = ("flexible", "resident")  # the identity step's buttons, in order


@dataclass(frozen=True)
class Heading:
    """The notice above a page and what it names: answers ``recognised`` in typed text, those the region
    does not offer (``unavailable``), the question's ``intent`` and the figure a question ``waiting``
    for a region will use ("-" when none)."""

    notice: Notice
    recognised: Mapping[str, str] = field(default_factory=dict)
    unavailable: Mapping[str, str] = field(default_factory=dict)
    intent: str | None = None
    waiting: str | None = None


class Views:
    """Builds views for one catalog and set of button labels; keeps no per-user state."""

    def __init__(self, catalog: Catalog, labels: Mapping[str, str], clock: Clock = SYSTEM_CLOCK) -> None:
        self.catalog = catalog
        self.labels = labels
        self.clock = clock
        # The values each step offers, indexed once per catalog: a step checks a pick, counts the steps
        # left and skips single-choice steps several times, and must not build a button for every city
        # of a province each time (the cost would grow with the number of region files).
        self._provinces = tuple((r.code, button_name(catalog, r.code)) for r in catalog.provinces)
        self._province_values = tuple(code for code, _ in self._provinces)
        self._city_values = {
            prov: (*(c.code for c in cities), prov) for prov, cities in catalog.cities_of.items() if cities
        }
        # Button label (whole, or its last word) -> value, per step and choices; a few dozen at most.
        self._by_label: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}

    # ----- choices -------------------------------------------------------------------------------
    def values(self, state: str, slots: Mapping[str, str]) -> tuple[str, ...]:
        """The values of :meth:`options` (what a pick may choose), without building the buttons."""
        if state == "identity":
            return IDENTITY_ORDER
        if state == "province":
            return self._province_values
        if state == "city":
            return self._city_values.get(slots.get("province", ""), ())
        if state == "channel":
            if "identity" not in slots or "province" not in slots:
                return ()
            return self.catalog.channels(slots["identity"], region_code(dict(slots)))
        return ()

    def typed_choice(self, state: str, slots: Mapping[str, str], text: str) -> str | None:
        """The value that typed ``text`` picks at ``state``: a number (the button's position, from 1) or a
        button's label, whole or its last word (without the icon); None when it names no button."""
        values = self.values(state, slots)
        if not values:
            return None
        if text.isascii() and text.isdigit() and 1 <= int(text) <= len(values):
            return values[int(text) - 1]
        key = (state, values)  # the labels follow from the values
        by_label = self._by_label.get(key)
        if by_label is None:
            by_label = {}
            for b in self.options(state, slots):  # the first button a text names wins
                by_label.setdefault(b.text, b.value)
                by_label.setdefault(b.text.split(" ")[-1], b.value)
            self._by_label[key] = by_label
        return by_label.get(text)

    def options(self, state: str, slots: Mapping[str, str]) -> list[Button]:
        """The choices at ``state`` given earlier choices (empty at the instructions page)."""
        cat, chosen = self.catalog, slots.get(state)
        if state == "identity":
            idents = cat.national.identities
            return [Button("pick", i, idents[i].label, i == chosen) for i in IDENTITY_ORDER]
        if state == "province":
            return [Button("pick", code, name, code == chosen) for code, name in self._provinces]
        if state == "city":
            prov = slots.get("province", "")
            cities = cat.cities_of.get(prov, ())
            if not cities:
                return []
            other = Button("pick", prov, self.labels["city_other"], chosen == prov)
            return [*(Button("pick", c.code, c.name, c.code == chosen) for c in cities), other]
        if state == "channel":
            if "identity" not in slots or "province" not in slots:
                return []
            labels = cat.national.channel_labels
            return [
                Button("pick", c, f"{labels[c].icon} {labels[c].label}".strip(), c == chosen)
                for c in map(as_channel, cat.channels(slots["identity"], region_code(dict(slots))))
            ]
        return []

    # ----- pieces --------------------------------------------------------------------------------
    def _progress(self, session: Session) -> tuple[int, int]:
        slots = session.slots
        path = [s for s in STEPS if s != "city" or self.values("city", slots)]
        path = [s for s in path if s in ("identity", "province") or len(self.values(s, slots)) != 1]
        if session.state not in path:
            return len(path), len(path)
        return path.index(session.state) + 1, len(path)

    def _choices(self, slots: Mapping[str, str]) -> list[str]:
        cat, out = self.catalog, []
        if "options" in slots:  # places of the same name: the regions each may mean
            return [cat.regions[c].name for c in slots["options"].split(",") if c in cat.regions]
        # Values come from the user (deep links, typed text): unknown ones are left out, never looked up.
        identity = slots.get("identity")
        if identity is not None and identity in IDENTITIES:
            out.append(cat.national.identities[as_identity(identity)].label)
        if "province" in slots and slots["province"] in cat.regions:
            place = cat.regions[slots["province"]].name
            city = slots.get("city")
            if city and city != slots["province"] and city in cat.regions:
                place += cat.regions[city].name
            if slots.get("place"):  # 湘潭市 → 湖南省全省通用办法
                guide = cat.regions[city if city and city in cat.regions else slots["province"]]
                label = "place_city" if guide.parent else f"place_{guide.name[-1]}"
                template = self.labels.get(label, self.labels["place_city"])
                place = template.format(place=slots["place"], region=guide.name)
            out.append(place)
        channel = slots.get("channel")
        if channel is not None and is_channel(channel) and channel in cat.national.channel_labels:
            out.append(cat.national.channel_labels[channel].label)
        return out

    def _header(self, session: Session, state: str) -> Part:
        step, total = self._progress(session)
        return Part(
            "header", {"state": state, "step": step, "total": total, "choices": self._choices(session.slots)}
        )

    def notice_part(
        self,
        notice: Notice,
        state: str,
        recognised: Mapping[str, str] | None = None,
        intent: str | None = None,
        unavailable: Mapping[str, str] | None = None,
        waiting: str | None = None,
    ) -> Part:
        """The notice shown above a page, with what the user typed, if anything."""
        context: dict[str, Any] = {
            "notice": notice.value,
            "recognised": self._choices(recognised or {}),
            "unavailable": self._choices(unavailable or {}),
            "intent": intent or "",
            "state": state,
        }
        if waiting is not None:
            context["waiting"] = waiting
        return Part("notice", context)

    def _heading_part(self, heading: Heading, state: str, intent: str | None) -> Part:
        return self.notice_part(
            heading.notice, state, heading.recognised, intent, heading.unavailable, heading.waiting
        )

    # ----- views ---------------------------------------------------------------------------------
    def view(
        self,
        session: Session,
        heading: Heading | None = None,
        answers: tuple[Part, ...] = (),
        lead: tuple[Part, ...] = (),
        lead_actions: tuple[Button, ...] = (),
    ) -> View:
        """The page of ``session``'s step, under an optional notice; ``answers`` (to a question typed
        before the guide) stand between the notice and the page, followed by "carry on choosing".
        ``lead`` parts (a pointer for a question the guide does not cover) come first, and
        ``lead_actions`` (their copy buttons) before the step's own buttons."""
        state, slots = session.state, dict(session.slots)
        answers = tuple(self._for_family(p, session) for p in answers)
        parts: list[Part] = list(lead)
        if heading is not None and not (answers and heading.notice is Notice.QUESTION):
            # Above answers, the notice confirms what was recognised; the answers speak for the question.
            parts.append(self._heading_part(heading, state, "" if answers else heading.intent))
        if answers:
            parts.extend((*answers, self.notice_part(Notice.CONTINUE, state)))
        parts.append(self._header(session, state))
        actions: list[Button] = list(lead_actions)
        if state == "instructions" and heading is not None and heading.notice is Notice.SMALL_TALK:
            # Small talk under the guide: the short reply and the guide's buttons; the guide is in the
            # chat above, and 📋 返回缴费指南 shows it again.
            context = instructions_context(self.catalog, slots, self.clock.today())
            actions = [Button("show", "", self.labels["to_instructions"]), *self.guide_actions(context)]
            return View(state, tuple(parts[:-1]), (), tuple(actions), heading.notice)
        if state == "instructions":
            context = instructions_context(
                self.catalog, slots, self.clock.today(), session.who, session.people
            )
            parts.append(Part("instructions", context))
            actions.extend(self.guide_actions(context))
        else:
            parts.append(Part(state, self._step_context(state, slots)))
        if state != "identity":
            actions.append(Button("back", "", self.labels["back"]))
            actions.append(Button("restart", "", self.labels["restart"]))
        notice = heading.notice if heading is not None else (Notice.ANSWERED if answers else None)
        return View(state, tuple(parts), tuple(self.options(state, slots)), tuple(actions), notice)

    def followup(self, session: Session, action: str, value: str, heading: Heading | None = None) -> View:
        """A follow-up page (calculator or answer) over the instructions; the session does not change.
        ``heading`` (what typed text recognised on the way here) stands above it."""
        if session.state != "instructions":
            return self.view(session, Heading(Notice.FOLLOWUP_NEEDS_INSTRUCTIONS))
        slots = dict(session.slots)
        if action == "faq" and value not in FAQ_TOPICS:
            return self.view(session, Heading(Notice.UNKNOWN_ACTION))
        if action == "calc":
            part = Part("calc", calc_context(self.catalog, slots, self.clock.today(), value.strip()[:40]))
            part = self._for_family(part, session)
            current = ("calc", "")
        elif action == "more":
            part = Part("guide_more", instructions_context(self.catalog, slots, self.clock.today()))
            current = ("more", "")
        else:
            part = Part("faq", faq_context(self.catalog, slots, value, self.clock.today()))
            current = ("faq", value)
        head = (self._heading_part(heading, "instructions", ""),) if heading is not None else ()
        page = {"calc": reporting.CALC, "more": reporting.GUIDE}.get(action, f"faq-{value}")
        actions = [
            Button("show", "", self.labels["to_instructions"]),
            *self._followup_buttons(current),
            Button("report", page, self.labels["report"]),
            Button("restart", "", self.labels["restart"]),
        ]
        parts = (*head, self._header(session, "instructions"), part)
        return View("instructions", parts, (), tuple(actions), heading.notice if heading else None)

    def report_ask(self, session: Session, notice: Notice | None = None) -> View:
        """The page asking what is wrong, for the report waiting in ``session`` (a notice on top when
        given); its one button goes back to the page without reporting."""
        page = session.question.removeprefix(reporting.PENDING)
        parts = [self.notice_part(notice, session.state)] if notice is not None else []
        parts.append(Part("report_ask", {"page": page, "choices": self._choices(session.slots)}))
        back = Button("report", reporting.CANCEL, self.labels["report_cancel"])
        return View(session.state, tuple(parts), (), (back,), notice)

    @staticmethod
    def _for_family(part: Part, session: Session) -> Part:
        """The calculator ``part`` with the amount for everyone the payment is for, when a message said
        how many people (我和孙子两个人一共要交多少钱); other parts unchanged."""
        if part.template != "calc" or session.people < 2:
            return part
        ctx = part.context
        family = family_context(str(ctx["identity"]), ctx.get("amount"), session.who, session.people)
        return Part("calc", {**ctx, "family": family})

    def guide_actions(self, context: Mapping[str, Any] | None = None) -> list[Button]:
        """The guide's buttons below its first message, in order: the channel's official site when the
        flows give one, a copy button for each app or mini-program the steps name (to paste into WeChat
        search), the follow-ups (calculator, questions,
        more), then changing the channel and reporting a mistake. Features that add a button to the guide
        add it here; the adapter packs the list into rows."""
        names = context["channel_names"][:MAX_COPY] if context else []
        url = context["channel"]["url"] if context else ""
        return [
            *((Button("url", url, self.labels["open_site"]),) if url else ()),
            *(Button("copy", n["name"], self.labels["copy"].format(name=n["name"])) for n in names),
            *self._followup_buttons(),
            Button("remind", "", self.labels["remind"]),  # handled by the front end
            Button("channel", "", self.labels["other_channel"]),
            Button("report", reporting.GUIDE, self.labels["report"]),
        ]

    def _followup_buttons(self, current: tuple[str, str] | None = None) -> list[Button]:
        """The calculator, follow-up question and "more" buttons, leaving out the page being shown."""
        pairs = [("calc", ""), *(("faq", t) for t in FAQ_TOPICS), ("more", "")]
        return [
            Button(action, value, self.labels[f"{action}_{value}" if value else action])
            for action, value in pairs
            if (action, value) != current
        ]

    def _step_context(self, state: str, slots: dict[str, str]) -> dict[str, Any]:
        cat = self.catalog
        if state == "identity":
            return {
                "identities": [
                    {"label": i.label, "summary": i.summary} for i in cat.national.identities.values()
                ]
            }
        if state == "city":
            return {"province": cat.regions[slots["province"]].name}
        if state == "channel":
            code = region_code(slots)
            titles = []
            for c in cat.channels(slots["identity"], code):
                ch = cat.channel(slots["identity"], code, c)
                titles.append(
                    {
                        "label": cat.national.channel_labels[as_channel(c)].label,
                        "title": ch.title if ch else "",
                    }
                )
            return {"region": cat.regions[code].name, "channels": titles}
        return {}
