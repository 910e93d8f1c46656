"""Keyboards: rows packed by label width, the province list paginated, the current choice marked."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.adapters.telegram.keyboard import (
    MAX_CHOICE_COLUMNS,
    MAX_COLUMNS,
    PAGE_SIZE,
    ROW_WIDTH,
    _button,
    build_keyboard,
    display_width,
    even_rows,
    pack_rows,
)
from bot.adapters.telegram.texts import load_texts
from bot.callback import decode
from bot.render import MESSAGES_DIR
from bot.session import Session

TEXTS = load_texts(MESSAGES_DIR)


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("湖南省") == 6
    assert display_width("💬 微信") == 7
    assert display_width("🏛️") == 1 or display_width("🏛️") == 2  # variation selector adds nothing


def test_pack_rows_keeps_equal_width_buttons_readable() -> None:
    labels = ["北京市", "天津市", "河北省", "内蒙古自治区", "新疆维吾尔自治区", "辽宁省"]
    rows = pack_rows(labels)
    assert [i for row in rows for i in row] == list(range(len(labels)))  # order kept
    for row in rows:
        assert len(row) <= MAX_COLUMNS
        assert len(row) == 1 or max(display_width(labels[i]) for i in row) * len(row) <= ROW_WIDTH
    assert rows[0] == [0, 1, 2]


def _labels(markup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


def test_every_province_is_one_tap_away_in_even_rows(wizard) -> None:
    view = wizard.view(Session("province", {"identity": "resident"}, 3))
    rows = _labels(build_keyboard(view, 3, TEXTS))
    flat = [t for row in rows for t in row]
    assert flat[0] == "北京" and TEXTS.page_next not in flat and TEXTS.page_prev not in flat
    for name in ("四川", "湖南", "广东", "新疆", "内蒙古"):
        assert name in flat  # formerly on page 2 or 3
    choice_rows = rows[:-1]
    assert {len(r) for r in choice_rows[:-1]} == {MAX_CHOICE_COLUMNS} and len(
        choice_rows[-1]
    ) <= MAX_CHOICE_COLUMNS
    assert len(view.options) <= PAGE_SIZE
    assert rows[-1] == ["⬅️ 上一步", "🔄 重新开始"]


def test_even_rows_fit_the_widest_label() -> None:
    labels = ["北京", "内蒙古", "黑龙江", "新疆", "上海"]
    rows = even_rows(labels)
    assert [i for row in rows for i in row] == list(range(len(labels)))
    assert rows == [[0, 1, 2, 3], [4]]
    assert [len(r) for r in even_rows(["其他城市/地区", "长沙市", "株洲市"])] == [1, 1, 1]


def test_selected_choice_is_marked(wizard) -> None:
    view = wizard.view(Session("province", {"identity": "resident", "province": "440000"}, 5))
    flat = [t for row in _labels(build_keyboard(view, 5, TEXTS)) for t in row]
    assert f"{TEXTS.selected_mark}广东" in flat and "北京" in flat


def test_buttons_carry_version_and_action(wizard) -> None:
    view = wizard.view(Session("channel", {"identity": "flexible", "province": "500000"}, 9))
    markup = build_keyboard(view, 9, TEXTS)
    decoded = [decode(b.callback_data) for row in markup.inline_keyboard for b in row]
    assert {d.version for d in decoded} == {9}
    assert [d.action for d in decoded][-2:] == ["back", "restart"]
    assert "wechat" in {d.value for d in decoded if d.action == "pick"}


def test_shared_buttons_serialise_as_plain_ones() -> None:
    """A cached button's JSON form is what python-telegram-bot makes of the same plain button, and a
    caller changing the dict it got does not change the next one."""
    shared = [_button("湖南", 3, "pick", "430000"), _button("官网", 3, "url", "https://example.org")]
    plain = [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in shared]
    assert InlineKeyboardMarkup([shared]).to_dict() == InlineKeyboardMarkup([plain]).to_dict()
    shared[0].to_dict()["text"] = "changed"
    assert shared[0].to_dict()["text"] == "湖南"
    assert shared[0] == plain[0]
