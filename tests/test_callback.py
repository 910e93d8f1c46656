"""Callback data: round trip, never raising on garbage, 64-byte bound for every button, stale detection."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.adapters.telegram.keyboard import build_keyboard, page_count
from bot.adapters.telegram.texts import load_texts
from bot.callback import ACTION_CODES, MAX_BYTES, Callback, decode, encode
from bot.catalog.models import IDENTITIES
from bot.events import Event
from bot.pages.followups import FAQ_TOPICS
from bot.render import MESSAGES_DIR
from bot.session import Session

MAX_VERSION = 10**18 - 1  # the largest version the format allows


@given(
    version=st.integers(0, MAX_VERSION),
    action=st.sampled_from(sorted(ACTION_CODES)),
    value=st.from_regex(r"[A-Za-z0-9_-]{0,40}", fullmatch=True),
)
def test_round_trip(version: int, action: str, value: str) -> None:
    cb = Callback(version, action, value)
    data = encode(cb)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == cb


@given(st.one_of(st.text(max_size=100), st.binary(max_size=70), st.none(), st.integers()))
def test_decode_never_raises(data: object) -> None:
    result = decode(data)
    assert result is None or isinstance(result, Callback)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "x",
        "1:p",
        "1:z:430000",
        "-1:p:430000",
        "01:p:1",
        "1:p:湖南",
        "1:p:" + "a" * 41,
        "1:p:a:b",
        "1 :p:a",
    ],
)
def test_malformed_data_decodes_to_none(data: str) -> None:
    assert decode(data) is None


def test_encode_refuses_what_cannot_fit() -> None:
    with pytest.raises(ValueError):
        encode(Callback(1, "pick", "x" * 60))
    with pytest.raises(ValueError):
        encode(Callback(1, "dance", ""))


def _every_view(wizard, catalog):
    """Every step view the shipped flows can produce."""
    yield wizard.view(Session())
    for ident in IDENTITIES:
        yield wizard.view(Session("province", {"identity": ident}))
        for prov in catalog.provinces:
            slots = {"identity": ident, "province": prov.code}
            if catalog.cities_of.get(prov.code):
                yield wizard.view(Session("city", slots))
            for region in (prov, *catalog.cities_of.get(prov.code, ())):
                full = {**slots, "city": region.code} if region.parent else slots
                yield wizard.view(Session("channel", full))
                for ch in catalog.channels(ident, region.code):
                    done = Session("instructions", {**full, "channel": ch})
                    yield wizard.view(done)
                    # Follow-up pages (calculator, answers) carry their own buttons.
                    for event in (Event("calc", "5000"), *(Event("faq", t) for t in FAQ_TOPICS)):
                        yield wizard.step(done, event)[1]


def test_every_button_of_the_shipped_flows_fits(wizard, catalog) -> None:
    texts = load_texts(MESSAGES_DIR)
    seen = 0
    for view in _every_view(wizard, catalog):
        for page in range(page_count(len(view.options))):
            markup = build_keyboard(view, MAX_VERSION, texts, page)
            for row in markup.inline_keyboard:
                for button in row:
                    if button.copy_text is not None or button.url is not None:
                        continue  # acts in the client: no callback data
                    data = button.callback_data
                    assert isinstance(data, str) and 1 <= len(data.encode()) <= MAX_BYTES, data
                    assert decode(data) is not None
                    seen += 1
    assert seen > 1000


def test_stale_version_is_detected_by_the_wizard(wizard) -> None:
    session, _ = wizard.step(Session(), Event("pick", "resident"))
    old = build_keyboard(wizard.view(Session()), 0, load_texts(MESSAGES_DIR))
    data = decode(old.inline_keyboard[0][0].callback_data)
    assert data is not None and data.version == 0 != session.version
    same, stale = wizard.step(session, Event(data.action, data.value, data.version))
    assert same == session and stale.notice == "stale"


def test_action_codes_are_distinct() -> None:
    from bot.callback import ACTION_CODES

    assert len(set(ACTION_CODES.values())) == len(ACTION_CODES)
