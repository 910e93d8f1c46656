"""Long HTML is split into valid messages of at most 4096 characters, at blank lines first."""

from __future__ import annotations

from bot.adapters.telegram.split import LIMIT, split_message, utf16_len
from bot.testing.html_check import telegram_html_errors


def test_short_text_is_one_message() -> None:
    assert split_message("<b>你好</b>\n\n世界") == ["<b>你好</b>\n\n世界"]


def test_split_at_blank_lines_keeps_tags_balanced() -> None:
    blocks = [
        f"<b>第{i}节</b>\n" + "\n".join(f"{j}. 说明 &amp; 细节" * 10 for j in range(8)) for i in range(20)
    ]
    text = "\n\n".join(blocks)
    parts = split_message(text)
    assert len(parts) > 1
    assert all(utf16_len(p) <= LIMIT and telegram_html_errors(p) == [] for p in parts)
    assert "\n\n".join(parts) == text  # nothing lost, nothing reordered
    assert all(p.startswith("<b>第") for p in parts)  # each part starts at a section


def test_a_block_longer_than_a_message_is_split_at_lines() -> None:
    block = "<b>步骤</b>\n" + "\n".join(f"{i}. " + "很长的一行说明。" * 30 for i in range(40))
    parts = split_message(block)
    assert len(parts) > 1 and all(utf16_len(p) <= LIMIT for p in parts)
    assert "\n".join(parts) == block


def test_a_single_enormous_line_becomes_escaped_plain_text() -> None:
    line = "<b>" + "长" * 5000 + " & <i>斜</i></b>"
    parts = split_message(line)
    assert len(parts) == 2 and all(utf16_len(p) <= LIMIT for p in parts)
    assert all(telegram_html_errors(p) == [] for p in parts)
    assert parts[-1].endswith("&amp; 斜")


def test_limit_counts_utf16_units() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    parts = split_message(text)
    assert len(parts) == 2 and all(utf16_len(p) <= LIMIT for p in parts)
