"""``flows import-notice`` on notice texts in several provinces' styles (tests/data/notices/README.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from bot.cli import main
from bot.tools.notice import Day, normalise, read_notice
from bot.tools.notice_patch import build_patch, chinese_text, dump
from tests.helpers.trees import small_flows_tree

NOTICES = Path(__file__).parent / "data" / "notices"
TODAY = dt.date(2026, 12, 1)

# What each notice says, as an operator reading it would put it in the flows.
EXPECTED = {
    "hunan_resident.txt": {
        "coverage_year": 2026, "amount": Decimal(400), "window": (Day(2025, 9, 1), Day(2025, 12, 31)),
        "waiting": 3, "groups": [], "unplaced_has": ["各级财政补助标准不低于每人每年700元"],
    },
    "guangdong_groups.html": {
        "coverage_year": 2026, "amount": Decimal(420), "window": (Day(2025, 10, 1), Day(2026, 2, 28)),
        "waiting": 3,
        "groups": [("中小学生和未成年人", Decimal(380)), ("大学生", Decimal(300)), ("特困、低保等困难群众", Decimal(0))],
        "unplaced_has": [],
    },
    "sichuan_numerals.txt": {
        "coverage_year": 2026, "amount": Decimal(400), "window": (Day(2025, 9, 1), Day(2026, 2, 28)),
        "waiting": 3, "groups": [("中小学生和未成年人", Decimal(380)), ("特困、低保等困难群众", None)],
        "unplaced_has": ["各级财政按每人每年710元给予补助", "每多断缴1年,等待期增加1个月"],
    },
    "shandong_slashes.txt": {
        "coverage_year": 2026, "amount": Decimal(400), "window": (Day(2025, 9, 1), Day(2025, 12, 31)),
        "waiting": None, "groups": [("大学生", Decimal(380))], "unplaced_has": ["全市共有服务网点128个"],
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_resident_notices(name: str) -> None:
    want = EXPECTED[name]
    notice = read_notice((NOTICES / name).read_text(encoding="utf-8"))
    assert notice.coverage_year == want["coverage_year"]
    assert notice.resident_amount is not None and notice.resident_amount.value == want["amount"]
    assert notice.window is not None and notice.window.value == want["window"]
    assert (notice.waiting.value if notice.waiting else None) == want["waiting"]
    assert [(g, a) for g, a, _ in notice.groups] == want["groups"]
    for sentence in want["unplaced_has"]:
        assert any(sentence in s for s in notice.unplaced), (sentence, notice.unplaced)
    # A notice's title and issue date are not figures: they are not listed as unplaced.
    assert not any(s.endswith(("通告", "公告")) for s in notice.unplaced)


def test_flexible_notice_with_thousands_separators_and_a_period_into_next_year() -> None:
    notice = read_notice((NOTICES / "beijing_flexible.txt").read_text(encoding="utf-8"))
    assert notice.base_floor is not None and notice.base_floor.value == Decimal(7056)
    assert notice.base_ceiling is not None and notice.base_ceiling.value == Decimal(35283)
    assert notice.rate is not None and notice.rate.value == Decimal("9.8")  # not the pension's 20%
    assert notice.flexible_period is not None
    assert notice.flexible_period.value == (Day(2025, 7, 1), Day(2026, 6, 30))
    assert notice.flexible_year == 2025 and notice.resident_amount is None
    assert any("每月25日前" in s for s in notice.unplaced)


def test_a_rate_in_chinese_words_with_a_decimal_point_is_read() -> None:
    notice = read_notice("灵活就业人员参加职工医保的缴费比例为百分之八点五。")
    assert notice.rate is not None and notice.rate.value == Decimal("8.5")


def test_tiers_of_the_average_wage_are_not_a_rate() -> None:
    notice = read_notice((NOTICES / "shandong_slashes.txt").read_text(encoding="utf-8"))
    assert notice.tiers is not None and notice.tiers.value == (60, 300)
    assert notice.rate is None  # "单位缴费比例为2%" is the employer's, not a medical rate for the person


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("二〇二五年九月一日至十二月三十一日", "2025年9月1日至12月31日"),
        ("每人每年一千零七十元", "每人每年1070元"),
        ("费率为百分之八", "费率为8%"),
        ("费率为百分之八点五", "费率为8.5%"),  # not "八.五%"
        ("按百分之零点五计", "按0.5%计"),
        ("百分之十二点二五", "12.25%"),
        ("百分之一百", "100%"),
        ("百分之点五", "百分之点五"),  # no whole part: left for the operator to read
        ("缴费基数为７，０５６元", "缴费基数为7056元"),
        ("统一为380元，一般居民", "统一为380元,一般居民"),  # 一 not next to a unit stays a word
    ],
)
def test_normalise(raw: str, text: str) -> None:
    assert normalise(raw) == text


@pytest.mark.parametrize(
    ("sentence", "window"),
    [
        ("2026年度征缴期为2025.9.1-2025.12.31", (Day(2025, 9, 1), Day(2025, 12, 31))),
        ("2026年度缴费时间:2025-09-01至2026-03-31", (Day(2025, 9, 1), Day(2026, 3, 31))),
        ("2026年度集中缴费期为9月1日至次年2月28日", (Day(2025, 9, 1), Day(2026, 2, 28))),
        ("2026年度缴费期为2025年10月8日至12月31日", (Day(2025, 10, 8), Day(2025, 12, 31))),
        ("2026年度缴费期为2025年11月1日到2月28日", (Day(2025, 11, 1), Day(2026, 2, 28))),
    ],
)
def test_windows_written_several_ways(sentence: str, window: tuple[Day, Day]) -> None:
    notice = read_notice(sentence)
    assert notice.window is not None and notice.window.value == window


def test_patch_quotes_sentences_with_chinese_punctuation() -> None:
    notice = read_notice((NOTICES / "guangdong_groups.html").read_text(encoding="utf-8"))
    text = dump(build_patch(notice, "https://example.gov.cn/n.html", TODAY))
    assert "value: 420" in text and "year: 2026" in text and "source_kind: official" in text
    assert "「个人缴费标准：18周岁以上居民每人每年420元，" in text and "&id" not in text
    assert chinese_text("三、特困人员(含孤儿),由政府全额资助") == "特困人员（含孤儿），由政府全额资助。"


@pytest.mark.parametrize("name", [*sorted(EXPECTED), "beijing_flexible.txt"])
def test_write_applies_the_patch_keeps_comments_and_lints_clean(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = small_flows_tree(tmp_path)
    monkeypatch.setenv("FLOWS_DIR", str(flows))
    region = flows / "regions" / "430000-hunan.yaml"
    before = region.read_text(encoding="utf-8")
    status = main(["flows", "import-notice", str(NOTICES / name), "--region", "430000",
                   "--source", "https://example.gov.cn/notice.html", "--write"])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0, out
    after = region.read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0]  # the file's own comment is kept
    assert "https://example.gov.cn/notice.html" in after and "# written to" in out


def test_write_without_a_region_file_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FLOWS_DIR", str(small_flows_tree(tmp_path)))
    assert (
        main(["flows", "import-notice", str(NOTICES / "hunan_resident.txt"), "--region", "650000", "--write"])
        == 1
    )
    assert "flows new 650000" in capsys.readouterr().err
