"""The guide on the web, without a web framework: a request's path and query -> a :class:`Page`.

Every page comes from the same wizard, catalog and page getters as the chat (a deep-link payload is
filled into a fresh session exactly as ``/start <payload>`` does, and the wizard's view is rendered
with the web templates in ``messages/web/``), so the content rules hold on the web by construction.
The chooser keeps its place in the address (``/?i=flex&p=430000``), so plain links and forms work
without JavaScript and any step can be shared or bookmarked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup

from bot.catalog.models import FAQ_TOPICS
from bot.deeplink import IDENTITY_SHORT, make_payload, parse_payload
from bot.events import Event
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.session import STEPS, Session
from bot.understand.places import search_places
from bot.view import View
from bot.wizard import Wizard

_SHORT_OF = {v: k for k, v in IDENTITY_SHORT.items()}
# Chooser parameters in the address -> wizard slots.
PARAMS: tuple[tuple[str, str], ...] = (("i", "identity"), ("p", "province"), ("c", "city"), ("ch", "channel"))
MAX_PARAM = 64


@dataclass(frozen=True)
class Page:
    """An answer: ``status``, and either an HTML ``body`` or a redirect ``location``."""

    status: int
    body: str = ""
    location: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


def chooser_query(slots: Mapping[str, str]) -> str:
    """``?i=flex&p=430000``-style query for ``slots`` (empty string for none)."""
    params = {}
    for key, slot in PARAMS:
        value = slots.get(slot)
        if value:
            params[key] = _SHORT_OF.get(value, value) if slot == "identity" else value
    return "?" + urlencode(params) if params else ""


def slots_from_query(query: Mapping[str, str]) -> dict[str, str]:
    """Wizard slots named by a chooser query (unchecked: the wizard keeps only plausible ones)."""
    slots = {}
    for key, slot in PARAMS:
        value = str(query.get(key, ""))[:MAX_PARAM]
        if value:
            slots[slot] = IDENTITY_SHORT.get(value, value) if slot == "identity" else value
    return slots


class WebSite:
    """Builds the web pages. ``app`` pages are the Telegram Mini App: the same pages under ``/app``
    with the Mini App's extras (saving the choice to the chat)."""

    def __init__(
        self, holder: WizardHolder, renderer: Renderer, assets: Mapping[str, str], bot_username: str = ""
    ) -> None:
        self.holder = holder
        self.renderer = renderer
        self.assets = assets  # asset name -> its address with a version (cache busting)
        self.bot_username = bot_username

    @property
    def wizard(self) -> Wizard:
        """The wizard in use (swapped whole when the flows are reloaded)."""
        return self.holder.current

    # ----- pages ----------------------------------------------------------------------------------
    def guide(self, payload: str, query: Mapping[str, str], app: bool = False) -> Page:
        """``/g/<payload>``: the guide; ``?calc=5000`` the calculator, ``?faq=materials`` an answer."""
        wizard = self.wizard
        slots = parse_payload(payload, wizard.catalog)
        if slots is None:
            return self.not_found(app)
        session = self._session(wizard, slots)
        if session.state != "instructions":  # a partial link: continue choosing from there
            return Page(302, location=self._root(app) + chooser_query(session.slots))
        view = wizard.view(session)
        topic = str(query.get("faq", ""))[:MAX_PARAM]
        if "calc" in query:
            _, view = wizard.step(session, Event("calc", str(query["calc"])[:MAX_PARAM]))
        elif topic:
            if topic not in FAQ_TOPICS:
                return self.not_found(app)
            _, view = wizard.step(session, Event("faq", topic))
        return self._page("guide", app, view, session, payload=make_payload(dict(session.slots)), topic=topic)

    def calc_fragment(self, payload: str, base: str) -> Page:
        """Just the calculator's section for ``base`` (the script updates the page with it)."""
        wizard = self.wizard
        slots = parse_payload(payload, wizard.catalog)
        if slots is None:
            return self.not_found()
        session = self._session(wizard, slots)
        if session.state != "instructions":
            return self.not_found()
        _, view = wizard.step(session, Event("calc", base[:MAX_PARAM]))
        return Page(200, str(self._parts(view, skip=("header",))))

    def choose(self, query: Mapping[str, str], app: bool = False) -> Page:
        """``/``: one step of the chooser (identity, province with search, city, channel)."""
        wizard = self.wizard
        session = self._session(wizard, slots_from_query(query))
        if session.state == "instructions":
            return Page(302, location=self._guide_url(dict(session.slots), app))
        view = wizard.view(session)
        search = str(query.get("q", "")).strip()[:MAX_PARAM]
        kept = {k: v for k, v in session.slots.items() if STEPS.index(k) < STEPS.index(session.state)}
        searching = session.state in ("province", "city") and search
        places = self.places(search, {"identity": kept.get("identity", "")}, app) if searching else []
        options = [
            {"text": b.text, "selected": b.selected, "href": self._pick_url(session, b.value, app)}
            for b in view.options
        ]
        back, _ = wizard.step(session, Event("back"))
        back_href = None
        if session.state != "identity":
            before = {k: v for k, v in back.slots.items() if STEPS.index(k) < STEPS.index(back.state)}
            back_href = self._root(app) + chooser_query(before)
        # The search form keeps the identity chosen (a place found sets the province and city).
        hidden = [("i", _SHORT_OF[kept["identity"]])] if kept.get("identity") in _SHORT_OF else []
        return self._page(
            "choose", app, view, session, options=options, back_href=back_href, search=search, places=places,
            hidden=hidden,
        )  # fmt: skip

    def places(self, query: str, slots: Mapping[str, str], app: bool = False) -> list[dict[str, str]]:
        """Search results for the script: each place's full name and the chooser address it leads to."""
        wizard = self.wizard
        return [
            {
                "name": p.full_name,
                "href": self._root(app) + chooser_query({**slots, "province": p.province, "city": p.city}),
            }
            for p in search_places(wizard.catalog, query)
        ]

    def not_found(self, app: bool = False) -> Page:
        """The friendly 404: what happened and a link to start."""
        body = self.renderer.text("web/notfound", **self._common(app, "notfound"))
        return Page(404, body)

    def error(self, app: bool = False) -> Page:
        """A page that failed to build (an operator error, logged): say so and give the hotline."""
        body = self.renderer.text("web/error", **self._common(app, "error"))
        return Page(500, body)

    # ----- helpers --------------------------------------------------------------------------------
    @staticmethod
    def _session(wizard: Wizard, slots: Mapping[str, str]) -> Session:
        """A fresh session with ``slots`` filled in, as a deep link does in the chat."""
        if not slots:
            return Session()
        session, _ = wizard.step(Session(), Event("fill", slots=dict(slots)))
        return session

    @staticmethod
    def _root(app: bool) -> str:
        return "/app" if app else "/"

    def _guide_url(self, slots: dict[str, str], app: bool) -> str:
        prefix = "/app/g/" if app else "/g/"
        return prefix + quote(make_payload(slots))

    def _pick_url(self, session: Session, value: str, app: bool) -> str:
        state = session.state
        kept = {k: v for k, v in session.slots.items() if STEPS.index(k) < STEPS.index(state)}
        return self._root(app) + chooser_query({**kept, state: value})

    def _parts(self, view: View, skip: tuple[str, ...] = ()) -> Markup:
        """The view's parts rendered with the web templates (``messages/web/<part>.html.j2``)."""
        out = []
        for part in view.parts:
            if part.template in skip:
                continue
            out.append(self.renderer.text(f"web/{part.template}", **part.context, webpage=True))
        return Markup("\n".join(out))

    def _common(self, app: bool, page: str) -> dict[str, Any]:
        return {"app": app, "root": self._root(app), "assets": self.assets, "page": page}

    def _page(self, name: str, app: bool, view: View, session: Session, **extra: Any) -> Page:
        header = next((p.context for p in view.parts if p.template == "header"), {})
        calc = next((p.context for p in view.parts if p.template == "calc"), None)
        body = self.renderer.text(
            f"web/{name}",
            **self._common(app, name),
            state=session.state,
            header=header,
            content=self._parts(view, skip=("header",)),
            slots=dict(session.slots),
            calc=calc,
            change_channel=self._root(app)
            + chooser_query({k: v for k, v in session.slots.items() if k != "channel"}),
            bot_link=f"https://t.me/{self.bot_username}?start={make_payload(dict(session.slots))}"
            if self.bot_username and name == "guide"
            else "",
            **extra,
        )
        return Page(200, body)
