"""Typed requests for a reminder: "到时候提醒我", "每月10号提醒我", "我的提醒".

Recognised before the wizard sees the text: a message asks for a reminder when it says 提醒 together
with a request word (我, 缴费, 交费, 到时候, 每月 …). A day of the month ("10号", "十五日") makes it a
monthly reminder; asking to see or cancel reminders opens the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.understand import clean_text

_ASK = re.compile(
    r"提醒(?:我|一下|下我)|(?:到时|到期|记得|每月|每个月|按月).{0,8}提醒|提醒.{0,6}(?:缴|交|续)"
)
_LIST = re.compile(
    r"(?:我的|查看|看看|查询|有哪些|取消|删除|关闭|修改|更改)(?:一下)?(?:缴费|我的)?提醒|提醒(?:列表|设置)"
)
_DAY = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:号|日)")
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


@dataclass(frozen=True)
class ReminderRequest:
    """What a typed request asks: the list, or a reminder (monthly on ``day`` when one is named)."""

    list: bool = False
    day: int | None = None


def _chinese_number(text: str) -> int | None:
    """1-31 written in Chinese numerals (一, 十, 十五, 二十, 三十一); None otherwise."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    t = _DIGITS.get(tens, -1) if tens else 1
    o = _DIGITS.get(ones, -1) if ones else 0
    return t * 10 + o if t >= 0 and o >= 0 else None


def parse_request(text: str) -> ReminderRequest | None:
    """The reminder request in ``text``, or None when it asks for something else."""
    t = clean_text(text).strip()
    if len(t) > 60 or "提醒" not in t:
        return None
    if _LIST.search(t):
        return ReminderRequest(list=True)
    if not _ASK.search(t):
        return None
    m = _DAY.search(t)
    day = _chinese_number(m.group(1)) if m else None
    return ReminderRequest(day=day if day is not None and 1 <= day <= 31 else None)
