"""Division kinds and home words come from ``flows/divisions.yaml``; hotline topics from the flow files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.catalog.catalog import Catalog
from bot.catalog.flowstrings import MEDICAL_HOTLINE, flow_context
from bot.catalog.loader import load_catalog
from bot.errors import FlowError
from bot.pages.followups import national_flow_context
from tests.helpers.trees import FLOWS, flows_tree

DIVISIONS = yaml.safe_load((FLOWS / "divisions.yaml").read_text(encoding="utf-8"))
PROVINCES = DIVISIONS["provinces"]


@pytest.mark.parametrize("division", PROVINCES, ids=[d["code"] for d in PROVINCES])
def test_home_word_is_the_word_for_the_kind(catalog: Catalog, division: dict[str, object]) -> None:
    kind = str(division.get("kind", "province"))
    word = DIVISIONS["home_words"][kind]
    code = str(division["code"])
    assert flow_context(catalog, code)["home"] == word
    for city in catalog.cities_of.get(code, ()):
        assert flow_context(catalog, city.code)["home"] == word
    # A municipality is its own city; a province or autonomous region page names no city.
    assert bool(flow_context(catalog, code)["city"]) == (kind == "municipality")


def test_answers_with_no_place_use_the_national_word(catalog: Catalog) -> None:
    assert national_flow_context(catalog)["home"] == DIVISIONS["home_words"]["national"]


def _with_divisions(tmp_path: Path, old: str, new: str) -> Path:
    text = (FLOWS / "divisions.yaml").read_text(encoding="utf-8")
    assert old in text
    return flows_tree(tmp_path, {"divisions.yaml": text.replace(old, new, 1)})


def test_changing_a_home_word_in_the_yaml_changes_the_page(tmp_path: Path) -> None:
    root = _with_divisions(tmp_path, "municipality: 本市", "municipality: 本直辖市")
    catalog = load_catalog(root)
    assert flow_context(catalog, "110000")["home"] == "本直辖市"
    assert flow_context(catalog, "430000")["home"] == DIVISIONS["home_words"]["province"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "name: 北京市, short: 京, kind: municipality,",
            "name: 北京市, short: 京, kind: municipalty,",
            r"divisions\.yaml:\d+: provinces\[0\]\.kind: .*'municipality'",
        ),
        (
            "autonomous_region: 本区, ",
            "",
            r"divisions\.yaml:\d+: home_words\.autonomous_region: required field is missing",
        ),
    ],
    ids=["misspelt-kind", "missing-home-word"],
)
def test_bad_divisions_are_reported_with_file_line_field(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    root = _with_divisions(tmp_path, old, new)
    with pytest.raises(FlowError) as info:
        load_catalog(root)
    assert re.search(expected, str(info.value)), str(info.value)


def test_hotline_is_the_regions_medical_line_else_12393(catalog: Catalog) -> None:
    # 海西州 lists its own line with topic: medical; 海南省 lists a tax line, which is never {{ hotline }}.
    assert flow_context(catalog, "632800")["hotline"] == "0999-12333"
    assert flow_context(catalog, "460000")["hotline"] == MEDICAL_HOTLINE
    assert flow_context(catalog, "430000")["hotline"] == MEDICAL_HOTLINE


def test_a_hotline_without_the_medical_topic_is_not_the_medical_line(tmp_path: Path) -> None:
    haixi = (FLOWS / "regions/632800-haixi.yaml").read_text(encoding="utf-8")
    text = haixi.replace(", topic: medical}", "}")
    assert text != haixi
    catalog = load_catalog(flows_tree(tmp_path, {"regions/632800-haixi.yaml": text}))
    assert flow_context(catalog, "632800")["hotline"] == MEDICAL_HOTLINE
