"""Invalid flow files are reported with file, line, field and a plain-words problem, all in one pass.

Each fixture in ``tests/flows_invalid/`` is a region file; its first line says what must be reported:
``# expect: <regex>`` (one line per expected problem).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.catalog.loader import load_catalog
from bot.errors import FlowError
from tests.helpers.trees import flows_tree

# Fixtures marked "# lint-only" break rules that only `flows lint` checks (rendered pages) or only warn;
# tests/test_lint.py runs every fixture through the linter.
INVALID = sorted(
    p for p in (Path(__file__).parent / "flows_invalid").glob("*.yaml") if "# lint-only" not in p.read_text()
)


@pytest.mark.parametrize("fixture", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_is_reported(fixture: Path, tmp_path: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    expected = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# expect:")]
    assert expected, "fixture must say what it expects"
    root = flows_tree(tmp_path, {f"regions/{fixture.name}": text})
    with pytest.raises(FlowError) as info:
        load_catalog(root)
    report = str(info.value)
    for pattern in expected:
        assert re.search(pattern, report), f"{pattern!r} not in:\n{report}"


def test_all_problems_in_one_pass(tmp_path: Path) -> None:
    files = {f"regions/{p.name}": p.read_text(encoding="utf-8") for p in INVALID if "syntax" not in p.name}
    root = flows_tree(tmp_path, files)
    with pytest.raises(FlowError) as info:
        load_catalog(root)
    files_named = {p.file for p in info.value.problems}
    assert len(files_named) >= 3


def test_missing_national_file(tmp_path: Path) -> None:
    with pytest.raises(FlowError, match="national default flow is missing"):
        load_catalog(tmp_path)


def test_shipped_flows_load_clean(catalog) -> None:
    assert len(catalog.provinces) == 31
    assert not [w for w in catalog.warnings if w.severity == "error"]


def test_yaml_tags_are_refused(tmp_path: Path) -> None:
    root = flows_tree(tmp_path, {"regions/x.yaml": 'code: !!python/object/apply:os.system ["echo hi"]\n'})
    with pytest.raises(FlowError, match=r"x\.yaml:1"):
        load_catalog(root)


def test_links_are_followed_inside_the_flows_directory_only(tmp_path: Path) -> None:
    from tests.helpers.trees import small_flows_tree

    root = small_flows_tree(tmp_path)
    # A link to a file elsewhere in the tree is read; the same file linked from outside is refused.
    kept = root / "drafts" / "430300-xiangtan.yaml"
    kept.parent.mkdir()
    kept.write_text("code: '430300'\nname: 湘潭市\nparent: '430000'\n", encoding="utf-8")
    (root / "regions" / "430300-xiangtan.yaml").symlink_to(kept)
    assert "430300" in load_catalog(root).regions
    secret = tmp_path / "elsewhere" / "430400-hengyang.yaml"
    secret.parent.mkdir()
    secret.write_text("code: '430400'\nname: 衡阳市\nparent: '430000'\n", encoding="utf-8")
    (root / "regions" / "430400-hengyang.yaml").symlink_to(secret)
    with pytest.raises(FlowError) as info:
        load_catalog(root)
    assert [str(p) for p in info.value.problems] == [
        f"flows/regions/430400-hengyang.yaml: (file): links to {secret.resolve()}, outside the flows directory "
        f"{root}; not loaded"
    ]


def test_a_linked_regions_folder_outside_the_flows_directory_is_not_read(tmp_path: Path) -> None:
    from tests.helpers.trees import small_flows_tree

    root = small_flows_tree(tmp_path)
    moved = tmp_path / "elsewhere"
    (root / "regions").rename(moved)
    (root / "regions").symlink_to(moved)
    with pytest.raises(FlowError) as info:
        load_catalog(root)
    files = sorted(p.name for p in moved.glob("*.yaml"))
    assert files and sorted(p.file.rsplit("/", 1)[-1] for p in info.value.problems) == files
    assert all("outside the flows directory" in p.message for p in info.value.problems)


def test_app_regions_naming_a_region_the_tree_lacks_warn_and_load(tmp_path: Path) -> None:
    """A tree without 天津 (a province dropped from divisions.yaml) still loads and understands typed text;
    the vocabulary's 天津 apps are reported with file and line."""
    from bot.understand import understand
    from tests.helpers.trees import small_flows_tree

    catalog = load_catalog(small_flows_tree(tmp_path))
    warned = [w for w in catalog.warnings if w.field == "app_regions.天津"]
    assert warned and warned[0].file.endswith("vocabulary.yaml") and warned[0].line > 0
    assert understand("长沙灵活就业医保怎么交", catalog).region == "430100"
