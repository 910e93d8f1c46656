"""The gazetteer: every place name, in a sentence, resolves to its own province (never another one)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.gazetteer import read_gazetteer
from bot.understand import understand
from bot.understand.place_words import flow_region
from bot.understand.text import fold

SENTENCES = ("{}城乡居民医保怎么交", "{}灵活就业医保微信")


@pytest.fixture(scope="module")
def own_provinces(catalog: Catalog) -> dict[str, set[str]]:
    """Place word -> the provinces of every place that has it (a shared name may mean any of them), plus
    the province of the catalog's curated alias when the word is one (山城: 重庆, also 鹤壁's 山城区)."""
    places = list(read_gazetteer(catalog.root))
    parents = {p.code: p.parent for p in places}
    own: dict[str, set[str]] = defaultdict(set)
    for p in places:
        region = flow_region(p.code, parents, catalog)
        assert region is not None, p
        for w in {p.name, *p.shorts}:
            if len(w) >= 2:
                own[w].add(catalog.province_of(region))
    for w in own:
        code = catalog.alias_index.get(fold(w))
        if code:
            own[w].add(catalog.province_of(code))
    return dict(own)


def test_gazetteer_is_complete(catalog: Catalog) -> None:
    places = list(read_gazetteer(catalog.root))
    levels = defaultdict(int)
    for p in places:
        levels[p.level] += 1
    assert levels[1] == 31 and levels[2] >= 330 and levels[3] >= 2800, levels
    for p in places:
        assert p.level == 1 or p.parent, p


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_place_resolves_to_its_own_province(
    catalog: Catalog, own_provinces: dict[str, set[str]], sentence: str
) -> None:
    wrong = []
    for word, provinces in own_provinces.items():
        u = understand(sentence.format(word), catalog)
        got = {catalog.province_of(c) for c in (u.region,) if c} or {
            catalog.province_of(c) for c in u.region_options
        }
        if got - provinces or (u.region and catalog.province_of(u.region) not in provinces):
            wrong.append((word, sorted(provinces), u.region, u.region_options))
    assert not wrong, (len(wrong), wrong[:40])


@pytest.mark.parametrize(
    ("text", "region", "place"),
    [
        ("乐山城乡居民医保怎么交", "510000", "乐山市"),
        ("眉山城乡居民医保怎么交", "510000", "眉山市"),
        ("湘潭城乡居民医保怎么交", "430000", "湘潭市"),
        ("慈溪灵活就业医保微信", "330000", "慈溪市"),
        ("常熟的医保", "320000", "常熟市"),
        ("余杭区灵活就业", "330100", "余杭区"),
        ("深圳龙岗", "440300", "龙岗区"),
        ("海南州城乡居民", "630000", "海南藏族自治州"),
        ("吉林市交医保", "220000", "吉林市"),
        ("吉林省交医保", "220000", ""),
        ("湖南湘潭", "430000", "湘潭市"),
        ("长沙", "430100", ""),
        ("重庆山城医保怎么交", "500000", ""),
    ],
)
def test_places(catalog: Catalog, text: str, region: str, place: str) -> None:
    u = understand(text, catalog)
    assert (u.region, u.place) == (region, place)


@pytest.mark.parametrize(
    ("text", "provinces"),
    [
        ("山城医保怎么交", {"500000", "410000"}),  # 重庆's nickname, 鹤壁's 山城区
        ("石门医保怎么交", {"130000", "430000"}),  # 石家庄's old name, 常德's 石门县
        ("榕城灵活就业", {"350000", "440000"}),  # 福州's nickname, 揭阳's 榕城区
        ("江城居民医保", {"420000", "440000", "530000"}),  # 武汉, 阳江's 江城区, 普洱's 江城县
    ],
)
def test_nickname_that_names_a_place_elsewhere_asks(catalog: Catalog, text: str, provinces: set[str]) -> None:
    u = understand(text, catalog)
    assert u.region is None and {catalog.province_of(c) for c in u.region_options} == provinces


def test_nickname_with_its_province_named_decides(catalog: Catalog) -> None:
    assert understand("湖南石门医保怎么交", catalog).region == "430000"
    assert understand("河北石门医保怎么交", catalog).region == "130100"
    assert understand("福建榕城灵活就业", catalog).region == "350100"


def test_same_name_places_in_two_provinces_ask(catalog: Catalog) -> None:
    u = understand("朝阳区医保怎么交", catalog)
    assert u.region is None and {catalog.province_of(c) for c in u.region_options} == {"110000", "220000"}
    u = understand("北京朝阳区医保怎么交", catalog)
    assert u.region == "110000"
    assert understand("朝阳市", catalog).region == "210000"
