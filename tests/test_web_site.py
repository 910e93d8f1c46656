"""The web pages built in-process (no HTTP, no browser): every guide renders from the same wizard and
page getters as the chat, loads nothing from other sites, and the chooser leads to the guide."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from bot.adapters.web.server import Assets
from bot.adapters.web.site import WebSite, chooser_query, slots_from_query
from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.catalog.models import FAQ_TOPICS
from bot.deeplink import make_payload
from bot.events import Event
from bot.pages.instructions import instructions_context
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.session import Session
from bot.understand.places import search_places
from bot.wizard import Wizard
from tests.helpers.page_check import page_problems
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)


def _guides(catalog: Catalog) -> list[str]:
    """Every region x identity x channel the flows offer, as deep-link payloads."""
    out = []
    for code, region in sorted(catalog.regions.items()):
        for identity in ("flexible", "resident"):
            for channel in catalog.channels(identity, code):
                slots = {"identity": identity, "province": region.parent or code, "channel": channel}
                if region.parent:
                    slots["city"] = code
                out.append(make_payload(slots))
    return out


GUIDES = _guides(_CATALOG)


@pytest.fixture(scope="module")
def site(wizard: Wizard, renderer: Renderer) -> WebSite:
    return WebSite(WizardHolder(wizard), renderer, Assets().urls, bot_username="yibao_test_bot")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.slow
@pytest.mark.parametrize("payload", GUIDES)
def test_every_guide_renders_self_contained(site: WebSite, wizard: Wizard, payload: str) -> None:
    page = site.guide(payload, {})
    assert page.status == 200, payload
    assert page_problems(page.body) == []
    # The same getter as the chat: every step and every source of the chat's guide is on the page.
    session, _ = wizard.step(Session(), Event("fill", slots=site_slots(wizard, payload)))
    ctx = instructions_context(wizard.catalog, dict(session.slots), wizard.clock.today())
    text = _text(page.body)
    for step in ctx["steps"]:
        assert step in text
    for s in ctx["sources"]:
        assert s["label"] in text and all(link["text"] in text for link in s["links"])
    assert "核实于" not in text
    assert f"?start={payload}" in page.body  # opens the same place in Telegram


def site_slots(wizard: Wizard, payload: str) -> dict[str, str]:
    from bot.deeplink import parse_payload

    slots = parse_payload(payload, wizard.catalog)
    assert slots is not None
    return slots


@pytest.mark.slow
@pytest.mark.parametrize("payload", sorted({p.split("-")[0] + "-" + p.split("-")[1] for p in GUIDES}))
def test_follow_ups_render(site: WebSite, payload: str) -> None:
    """Per region and identity: the calculator (empty, a base, nonsense) and every answer."""
    guide = next(g for g in GUIDES if g.startswith(payload + "-"))
    for query in ({"calc": ""}, {"calc": "6000"}, {"calc": "很多"}, *({"faq": t} for t in FAQ_TOPICS)):
        page = site.guide(guide, query)
        assert page.status == 200, (guide, query)
        assert page_problems(page.body) == [], (guide, query)
    fragment = site.calc_fragment(guide, "6000")
    assert fragment.status == 200 and page_problems(fragment.body, full_page=False) == []


def test_a_calculation_matches_the_chat(site: WebSite, wizard: Wizard, renderer: Renderer) -> None:
    session, _ = wizard.step(Session(), Event("fill", slots=site_slots(wizard, "flex-310000-wechat")))
    _, view = wizard.step(session, Event("calc", "8000"))
    chat = _text(renderer.render(view))
    web = _text(site.guide("flex-310000-wechat", {"calc": "8000"}).body)
    monthly = re.search(r"每月 (\d[\d,.]*) 元", chat)
    assert monthly is not None and f"每月 {monthly.group(1)} 元" in web


@pytest.mark.parametrize("payload", ["nope", "flex-999999-wechat", "x" * 80, "flex-430100-fax", "flex-flex"])
def test_unknown_payload_is_a_friendly_404(site: WebSite, payload: str) -> None:
    page = site.guide(payload, {})
    assert page.status == 404
    assert 'href="/"' in page.body and "没有找到" in page.body
    assert page_problems(page.body) == []


def test_unknown_follow_up_is_404(site: WebSite) -> None:
    assert site.guide("flex-430100-wechat", {"faq": "lottery"}).status == 404


def test_partial_payload_continues_in_the_chooser(site: WebSite) -> None:
    page = site.guide("res-500000", {})
    assert (page.status, page.location) == (302, "/?i=res&p=500000")
    assert site.guide("res-500000", {}, app=True).location == "/app?i=res&p=500000"


def _follow(site: WebSite, href: str, app: bool = False) -> tuple[str, str]:
    """Open a chooser or guide address in-process: (kind, body)."""
    parts = urlsplit(href)
    query = dict(parse_qsl(parts.query))
    if parts.path.startswith(("/g/", "/app/g/")):
        page = site.guide(parts.path.rsplit("/", 1)[1], query, app)
    else:
        page = site.choose(query, app)
    if page.location:
        return _follow(site, page.location, app)
    assert page.status == 200, href
    return ("guide" if "/g/" in parts.path else "choose"), page.body


def _link(body: str, text: str) -> str:
    m = re.search(r'<a href="([^"]*)"[^>]*>' + re.escape(text) + "</a>", body)
    assert m is not None, f"no link {text!r}"
    return html.unescape(m.group(1))


@pytest.mark.parametrize("app", [False, True])
def test_chooser_walk_by_links(site: WebSite, app: bool) -> None:
    root = "/app" if app else "/"
    kind, body = _follow(site, root, app)
    assert kind == "choose" and "你是哪一类参保人" in body
    kind, body = _follow(site, _link(body, "城乡居民"), app)
    assert "你在哪个省份参保" in body
    kind, body = _follow(site, _link(body, "湖南"), app)
    assert "哪个城市" in body
    kind, body = _follow(site, _link(body, "长沙市"), app)
    assert "你想用哪种方式在长沙市缴费" in body
    back = _link(body, "⬅️ 上一步")
    kind, body = _follow(site, _link(body, "💬 微信"), app)
    assert kind == "guide" and "城乡居民 · 湖南省长沙市 · 微信" in html.unescape(body)
    assert "你在湖南省哪个城市参保" in _follow(site, back, app)[1]


def test_search_finds_a_city_by_pinyin_and_leads_past_the_city_step(site: WebSite) -> None:
    page = site.choose({"i": "flex", "q": "changsha"})
    assert page.status == 200
    href = _link(page.body, "湖南省长沙市")
    assert slots_from_query(dict(parse_qsl(urlsplit(href).query))) == {
        "identity": "flexible", "province": "430000", "city": "430100"
    }  # fmt: skip
    assert "你想用哪种方式在长沙市缴费" in _follow(site, href)[1]


def test_search_without_hits_says_so(site: WebSite) -> None:
    page = site.choose({"i": "flex", "q": "火星"})
    assert "没有找到“火星”" in html.unescape(page.body)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("长沙", "430100"), ("changsha", "430100"), ("長沙", "430100"), ("湘", "430000"), ("上海", "310000")],
)
def test_search_places(catalog: Catalog, query: str, expected: str) -> None:
    assert search_places(catalog, query)[0].code == expected


def test_search_places_falls_back_to_understanding(catalog: Catalog) -> None:
    assert [p.code for p in search_places(catalog, "我在长沙交医保")] == ["430100"]
    assert [p.code for p in search_places(catalog, "我在慈溪交医保")] == ["330282"]
    assert search_places(catalog, "") == [] and search_places(catalog, "zzzz") == []


@pytest.mark.parametrize(
    ("query", "code", "province", "city", "full_name"),
    [
        ("慈溪", "330282", "330000", "330000", "浙江省宁波市慈溪市"),  # the province's general guide
        ("cixi", "330282", "330000", "330000", "浙江省宁波市慈溪市"),
        ("余杭", "330110", "330000", "330100", "浙江省杭州市余杭区"),  # 杭州's own guide
        ("湘潭", "430300", "430000", "430000", "湖南省湘潭市"),
    ],
)
def test_search_places_uses_the_gazetteer(
    catalog: Catalog, query: str, code: str, province: str, city: str, full_name: str
) -> None:
    """Counties and short forms are found, each filling the slots the chat fills for the same name."""
    hit = next(p for p in search_places(catalog, query) if p.code == code)
    assert (hit.province, hit.city, hit.full_name) == (province, city, full_name)


def test_search_places_offers_every_place_a_pinyin_names(catalog: Catalog) -> None:
    assert {p.code for p in search_places(catalog, "yiwu")} == {"330782", "650522"}  # 义乌, 伊吾


def test_chooser_query_round_trip() -> None:
    slots = {"identity": "flexible", "province": "430000", "city": "430100", "channel": "wechat"}
    assert chooser_query(slots) == "?i=flex&p=430000&c=430100&ch=wechat"
    assert slots_from_query(dict(parse_qsl(chooser_query(slots)[1:]))) == slots


def test_nonsense_in_the_chooser_address_is_ignored(site: WebSite) -> None:
    page = site.choose({"i": "<script>", "p": "999999", "ch": "fax"})
    assert page.status == 200 and "你是哪一类参保人" in page.body and "<script>" not in page.body
