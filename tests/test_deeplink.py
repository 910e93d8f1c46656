"""Deep-link payloads: compact ids to wizard slots, anything invalid refused."""

from __future__ import annotations

import pytest

from bot.deeplink import make_payload, parse_payload


@pytest.mark.parametrize(
    ("payload", "slots"),
    [
        # A full link to a province with city files opens its province-wide guide (其他城市/地区).
        (
            "flex-430000-wechat",
            {"identity": "flexible", "province": "430000", "city": "430000", "channel": "wechat"},
        ),
        ("flex-500000-bank", {"identity": "flexible", "province": "500000", "channel": "bank"}),
        ("res-430000", {"identity": "resident", "province": "430000"}),
        ("res-430100", {"identity": "resident", "province": "430000", "city": "430100"}),
        (
            "wechat-430100-flex",
            {"identity": "flexible", "province": "430000", "city": "430100", "channel": "wechat"},
        ),
        ("RES", {"identity": "resident"}),
        ("500000", {"province": "500000"}),
        ("alipay", {"channel": "alipay"}),
    ],
)
def test_valid_payloads(catalog, payload: str, slots: dict[str, str]) -> None:
    assert parse_payload(payload, catalog) == slots


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "flex-999999",
        "flex-flex",
        "flex-430000-wechat-bank",
        "湖南",
        "flex 430000",
        "x" * 65,
        "flex--wechat",
        "123",
    ],
)
def test_invalid_payloads(catalog, payload: str) -> None:
    assert parse_payload(payload, catalog) is None


def test_make_payload_round_trips(catalog) -> None:
    slots = {"identity": "resident", "province": "440000", "city": "440300", "channel": "bank"}
    payload = make_payload(slots)
    assert payload == "res-440300-bank" and len(payload) <= 64
    assert parse_payload(payload, catalog) == slots


def test_every_instructions_page_has_a_deep_link(catalog, wizard) -> None:
    from bot.catalog.models import IDENTITIES
    from bot.events import Event
    from bot.session import Session

    for code, region in catalog.regions.items():
        province = region.parent or code
        city = code if region.parent else (code if catalog.cities_of.get(code) else None)
        for ident in IDENTITIES:
            for ch in catalog.channels(ident, code):
                slots = {
                    "identity": ident,
                    "province": province,
                    "channel": ch,
                    **({"city": city} if city else {}),
                }
                found = parse_payload(make_payload(slots), catalog)
                session, _ = wizard.step(Session(), Event("fill", slots=found))
                assert session.state == "instructions" and dict(session.slots) == slots
