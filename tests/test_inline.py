"""Inline cards (pure): which cards a query offers, that each is a valid message, and the texts file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.deeplink import parse_payload
from bot.errors import ConfigError
from bot.pages.cards import LIMIT, InlineCards, load_inline_texts, utf16_len
from bot.render import MESSAGES_DIR, Renderer, html_to_text
from bot.testing.html_check import telegram_html_errors
from tests.helpers.trees import flows_tree

BOT = "yibao_test_bot"


@pytest.fixture(scope="module")
def cards(renderer: Renderer) -> InlineCards:
    return InlineCards(renderer, load_inline_texts(MESSAGES_DIR))


def test_every_card_of_every_region_is_a_valid_message(catalog, cards: InlineCards) -> None:
    count = 0
    for code, region in catalog.regions.items():
        answer = cards.answer(catalog, region.name, BOT)
        expected = sum(len(catalog.channels(i, code)) for i in ("flexible", "resident"))
        assert len(answer.cards) == expected and len({c.id for c in answer.cards}) == expected
        for card in answer.cards:
            assert not telegram_html_errors(card.text), (code, card.id)
            assert utf16_len(html_to_text(card.text)) <= LIMIT and len(card.id.encode()) <= 64
            assert parse_payload(card.id, catalog) is not None and card.title and card.description
            count += 1
    assert count > 500


def test_named_channel_not_offered_offers_the_others(tmp_path: Path, renderer, cards: InlineCards) -> None:
    city = 'code: "659001"\nname: 石河子市\nparent: "650000"\naliases: [石河子]\n'
    city += "identities:\n  flexible:\n    channels: {alipay: null}\n"
    catalog = load_catalog(flows_tree(tmp_path, {"regions/659001-shihezi.yaml": city}))
    answer = cards.answer(catalog, "石河子 灵活就业 支付宝", BOT)
    ids = [c.id for c in answer.cards]
    assert ids and "flex-659001-alipay" not in ids and all(i.startswith("flex-659001-") for i in ids)


def test_too_long_guide_gives_the_concise_card(catalog, renderer: Renderer) -> None:
    # The guide answers first and is short (tests/test_guide_layout.py); a small limit still shows the
    # concise card.
    short = InlineCards(renderer, load_inline_texts(MESSAGES_DIR), limit=200)
    full = InlineCards(renderer, load_inline_texts(MESSAGES_DIR)).answer(catalog, "长沙 灵活就业 微信", BOT)
    concise = short.answer(catalog, "长沙 灵活就业 微信", BOT)
    text = html_to_text(concise.cards[0].text)
    assert "💰 交多少" in html_to_text(full.cards[0].text) and "💰 交多少" not in text
    assert "操作步骤" in text and "步骤来源" in text and "12393" in text and "可选基数档次" not in text
    assert "法律依据" not in text and not telegram_html_errors(concise.cards[0].text)


def test_help_card_links_to_the_bot(catalog, cards: InlineCards) -> None:
    answer = cards.answer(catalog, "   ", BOT)
    [card] = answer.cards
    assert card.id == "help" and answer.start_payload == "open"
    assert card.link == f"https://t.me/{BOT}?start=open" and card.link in card.text


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("card_title: x\n", "card_description: missing"),
        ("[1, 2]\n", "must be a mapping"),
        ("{bad: [\n", "cannot read"),
    ],
)
def test_bad_inline_texts_are_reported(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "inline.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_inline_texts(tmp_path)


def test_unknown_and_too_long_keys_are_reported(tmp_path: Path) -> None:
    text = (MESSAGES_DIR / "inline.yaml").read_text(encoding="utf-8")
    (tmp_path / "inline.yaml").write_text(text + "extra: x\nswitch_pm: " + "很" * 65 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="extra: unknown key") as err:
        load_inline_texts(tmp_path)
    assert "switch_pm: longer than 64" in str(err.value)
