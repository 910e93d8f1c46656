"""Reading an official notice (医保局 / 税务局 征缴通告) into the figures the flows hold.

``read_notice`` takes the notice's text (plain text or a saved HTML page) and finds: the residents'
individual amount (and amounts by group), the coverage year, the collection window, the waiting period;
the flexible employees' base floor and ceiling (or the percent tiers), the medical rate, and the period
they apply to. Every sentence with a number that was not placed is listed, so the operator reads those.

The text is normalised first: full-width characters to ASCII (NFKC), Chinese numerals next to a unit
(四百元, 三个月, 二〇二五年, 百分之八, 百分之八点五) to digits (``understand.numerals``), thousands separators dropped (1,070 元). Dates
are read in their usual forms (2025年9月1日, 2025.9.1, 2025-09-01, 2025/9/1, 9月1日 with the year from the
context, 次年2月28日) and a window may run into the next year.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Generic, TypeVar

from bot.understand.numerals import read_decimal, read_integer

# ----- normalising ------------------------------------------------------------------------------------
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "td"}
_CN_DIGITS = {ch: str(i) for i, ch in enumerate("零一二三四五六七八九")} | {"〇": "0"}
_CN_RUN = re.compile(r"[〇零一二两三四五六七八九十百千万]+(?=\s*(?:年|月|日|号|元|个月|周岁|%|档))")
_PERCENT_WORDS = re.compile(r"百分之([〇零一二两三四五六七八九十百点]+)")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")


class _Text(HTMLParser):
    """The visible text of an HTML page, one line per block element (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.out.append(data)


def html_text(raw: str) -> str:
    """The text of ``raw`` when it is an HTML page, else ``raw`` itself."""
    if not re.search(r"<(html|body|p|div|br|span|table)\b", raw, re.IGNORECASE):
        return raw
    parser = _Text()
    parser.feed(raw)
    parser.close()
    return "".join(parser.out)


def _cn_number(run: str) -> str:
    if len(run) >= 2 and all(ch in _CN_DIGITS for ch in run):  # 二〇二五: digit by digit (years)
        return "".join(_CN_DIGITS[ch] for ch in run)
    value = read_integer(run)
    return run if value is None else str(value)


def _cn_percent(match: re.Match[str]) -> str:
    """百分之八点五 -> 8.5%; words that spell no number are left as they are (the operator reads them)."""
    value = read_decimal(match.group(1))
    return match.group() if value is None else f"{value}%"


def normalise(raw: str) -> str:
    """Plain text with ASCII digits and punctuation, Chinese numerals as digits, no thousands separators."""
    text = unicodedata.normalize("NFKC", html_text(raw))
    text = _PERCENT_WORDS.sub(_cn_percent, text)
    text = _CN_RUN.sub(lambda m: _cn_number(m.group()), text)
    text = _THOUSANDS.sub("", text)
    text = re.sub(r"[ \t\u3000\xa0]+", " ", text)
    return text


def sentences(text: str) -> list[str]:
    """Sentences (split at 。;!? and line ends), stripped, empty ones dropped."""
    return [s.strip() for s in re.split(r"[。;!?\n]+", text) if s.strip()]


# ----- dates ------------------------------------------------------------------------------------------
_DATE = re.compile(
    r"(?P<next>次年|翌年|来年|明年)?\s*(?:(?P<y>20\d\d)\s*(?:年|\.|-|/)\s*)?"
    r"(?P<m>1[0-2]|0?[1-9])\s*(?:月|\.|-|/)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*(?:日|号)?"
)
_RANGE_SEP = r"\s*(?:起)?\s*(?:至|到|~|-|—|–)\s*"
_WINDOW = re.compile(rf"(?P<a>{_DATE.pattern}){_RANGE_SEP}(?P<b>{_DATE.pattern.replace('?P<', '?P<b_')})")


@dataclass(frozen=True)
class Day:
    """A calendar date read from a notice."""

    year: int
    month: int
    day: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月{self.day}日"

    @property
    def date(self) -> dt.date:
        """As a :class:`datetime.date`."""
        return dt.date(self.year, self.month, self.day)


def _window(sentence: str, context_year: int | None) -> tuple[Day, Day] | None:
    """The first date range in ``sentence`` (a start without a year takes ``context_year``; an end
    without one takes the start's year, or the next year after 次年 or when it would come first)."""
    for m in _WINDOW.finditer(sentence.replace("－", "-")):
        g = m.groupdict()
        y1 = int(g["y"]) if g["y"] else context_year
        if y1 is None:
            continue
        start = Day(y1, int(g["m"]), int(g["d"]))
        if g["b_y"]:
            y2 = int(g["b_y"])
        else:
            y2 = y1 + 1 if g["b_next"] or (int(g["b_m"]), int(g["b_d"])) < (start.month, start.day) else y1
        end = Day(y2, int(g["b_m"]), int(g["b_d"]))
        if (end.year, end.month, end.day) > (start.year, start.month, start.day):
            return start, end
    return None


# ----- what a notice says -----------------------------------------------------------------------------
V = TypeVar("V")
Window = tuple["Day", "Day"]


@dataclass(frozen=True)
class Found(Generic[V]):
    """One figure read from the notice, with the sentence it came from."""

    value: V
    sentence: str


@dataclass
class Notice:
    """Everything read from one notice; None where the notice did not say."""

    coverage_year: int | None = None
    resident_amount: Found[Decimal] | None = None
    groups: list[tuple[str, Decimal | None, str]] = field(default_factory=list)  # (group, amount, sentence)
    window: Found[Window] | None = None
    waiting: Found[int] | None = None  # months
    base_floor: Found[Decimal] | None = None
    base_ceiling: Found[Decimal] | None = None
    tiers: Found[tuple[int, int]] | None = None  # low and high percent of the average wage
    rate: Found[Decimal] | None = None
    flexible_period: Found[Window | int] | None = None  # the dates, or only the year
    unplaced: list[str] = field(default_factory=list)

    @property
    def flexible_year(self) -> int | None:
        """The year the flexible employees' figures apply to (the start of their period)."""
        v = self.flexible_period.value if self.flexible_period else None
        return v[0].year if isinstance(v, tuple) else v


_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?元")
_YEAR_OF_COVER = re.compile(r"(20\d\d)\s*年度")
_YEAR_BEFORE_SCHEME = re.compile(r"(20\d\d)\s*年(?:城乡)?居民(?:基本)?医(?:疗)?(?:保险|保)")
_RESIDENT = re.compile(r"个人缴费|个人缴纳|个人筹资|缴费标准|每人每年")
_STATE_MONEY = re.compile(r"财政补助|财政补贴|政府补助|各级财政|补助标准|人均财政")
_FLEX = re.compile(r"灵活就业|缴费基数|个体")
_GROUPS: tuple[tuple[str, str], ...] = (
    ("大学生", r"大学生|高校学生|在校大学生"),
    ("中小学生和未成年人", r"中小学生|学生儿童|少年儿童|未成年人|18周岁以下|婴幼儿|新生儿|在校学生|学生"),
    ("特困、低保等困难群众", r"特困|低保|低收入|重度残疾|脱贫|孤儿|困难群众|优抚"),
    ("60周岁以上老年人", r"60周岁以上|老年人"),
    ("成年居民", r"成年居民|18周岁以上|成年人|一般居民|其他居民|城乡居民"),
)
_WAIVED = re.compile(r"全额资助|全额补助|免缴|不需缴费|无需缴费")
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def _year_context(text: str) -> int | None:
    m = _YEAR_OF_COVER.search(text) or _YEAR_BEFORE_SCHEME.search(text)
    return int(m.group(1)) if m else None


def _money(clause: str) -> Decimal | None:
    m = _MONEY.search(clause)
    if not m:
        return None
    value = Decimal(m.group(1)) * (10000 if m.group(2) else 1)
    return value


def _group(clause: str) -> str | None:
    for name, words in _GROUPS:
        if re.search(words, clause):
            return name
    return None


def _resident(notice: Notice, sentence: str) -> bool:
    """Amounts by group in a sentence about what residents pay; True if something was placed."""
    if not _RESIDENT.search(sentence) or _FLEX.search(sentence):
        return False
    placed = False
    current: str | None = None
    for clause in re.split(r"[,，:：;；]", sentence):
        current = _group(clause) or current
        if _STATE_MONEY.search(clause) and not re.search(r"个人", clause):
            continue  # what the state adds per person is not what the person pays
        amount = _money(clause)
        waived = bool(_WAIVED.search(clause))
        if amount is None and not waived:
            continue
        if amount is not None and not Decimal(50) <= amount <= Decimal(2000):
            continue  # not a yearly individual amount
        group = current or "成年居民"
        if waived:
            notice.groups.append((group, Decimal(0), sentence))
        elif re.search(r"资助|补助|补贴|救助", clause):  # what the state pays for them, not what they pay
            notice.groups.append((group, None, sentence))
        elif group == "成年居民" and notice.resident_amount is None and amount is not None:
            notice.resident_amount = Found(amount, sentence)
        else:
            notice.groups.append((group, amount, sentence))
        placed = True
    return placed


def _flexible(notice: Notice, sentence: str) -> bool:
    """Base floor and ceiling (or tiers), the medical rate and their period; True if something was placed."""
    if not _FLEX.search(sentence) and not re.search(r"费率|缴费比例", sentence):
        return False
    placed = False
    low = re.search(r"下限[^0-9%]{0,12}?(\d+(?:\.\d+)?)\s*元", sentence)
    high = re.search(r"上限[^0-9%]{0,12}?(\d+(?:\.\d+)?)\s*元", sentence)
    both = re.search(
        r"基数[^0-9]{0,15}?(\d+(?:\.\d+)?)\s*元?\s*(?:至|到|-|~)\s*(\d+(?:\.\d+)?)\s*元", sentence
    )
    if low:
        notice.base_floor = Found(Decimal(low.group(1)), sentence)
    if high:
        notice.base_ceiling = Found(Decimal(high.group(1)), sentence)
    if both and not (low or high):
        notice.base_floor = Found(Decimal(both.group(1)), sentence)
        notice.base_ceiling = Found(Decimal(both.group(2)), sentence)
    placed = bool(low or high or both)
    tiers = re.search(r"(\d+)\s*%\s*(?:至|到|-|~|—)\s*(\d+)\s*%", sentence)
    if tiers and re.search(r"平均工资|社平|基数", sentence):
        notice.tiers = Found((int(tiers.group(1)), int(tiers.group(2))), sentence)
        placed = True
    for clause in re.split(r"[,，;；]", sentence):
        if re.search(r"医疗|医保", clause) and not re.search(r"养老|失业|工伤", clause):
            m = _RATE.search(clause)
            if (
                m
                and re.search(r"费率|比例|缴费|按", clause)
                and not re.search(r"平均工资|至\s*\d+\s*%", clause)
            ):
                notice.rate = Found(Decimal(m.group(1)), sentence)
                placed = True
    return placed


def read_notice(raw: str) -> Notice:
    """Read ``raw`` (plain text or HTML) into a :class:`Notice`."""
    text = normalise(raw)
    notice = Notice(coverage_year=_year_context(text))
    flex_year: int | None = None
    for sentence in sentences(text):
        placed = False
        about_flex = bool(_FLEX.search(sentence))
        if _flexible(notice, sentence):
            placed = True
        if _resident(notice, sentence):
            placed = True
        context_year = _year_context(sentence) or notice.coverage_year
        window = _window(sentence, (context_year - 1) if context_year and not about_flex else context_year)
        if window is not None:
            if about_flex or re.search(r"执行|适用|缴费基数", sentence):
                if notice.flexible_period is None:
                    notice.flexible_period = Found(window, sentence)
                    placed = True
            elif re.search(r"征缴|缴费期|缴费时间|集中|缴纳时间|缴费", sentence) and notice.window is None:
                notice.window = Found(window, sentence)
                placed = True
        elif about_flex and (m := _YEAR_OF_COVER.search(sentence) or re.search(r"(20\d\d)\s*年", sentence)):
            flex_year = flex_year or int(m.group(1))
        if "等待期" in sentence and notice.waiting is None and (w := re.search(r"(\d+)\s*个月", sentence)):
            notice.waiting = Found(int(w.group(1)), sentence)
            placed = True
        if re.search(r"\d", sentence) and not placed and not _only_heading_numbers(sentence):
            notice.unplaced.append(sentence)
    if notice.flexible_period is None and flex_year is not None and notice.base_floor is not None:
        notice.flexible_period = Found(flex_year, notice.base_floor.sentence)
    if notice.coverage_year is None and notice.window is not None:
        start, end = notice.window.value
        # Paid in autumn for the next year; a window that runs into the new year is for that year.
        notice.coverage_year = end.year + 1 if end.month >= 9 and start.year == end.year else end.year
    return notice


def _only_heading_numbers(sentence: str) -> bool:
    """True for lines whose only numbers are a document number, a list mark or the date it was issued."""
    rest = re.sub(
        r"[〔\[(]20\d\d[〕\])]\s*\d+\s*号|^\s*\d+\s*[、.)]|20\d\d年\d{1,2}月\d{1,2}日\s*$", "", sentence
    )
    rest = re.sub(r"20\d\d\s*年度?(?![\d月])", "", rest)  # a title's year
    return not re.search(r"\d", rest)
