"""`flows new`: a commented skeleton for a new province or city that passes lint as written."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from bot.tools.lint import lint
from bot.tools.scaffold import ScaffoldError, skeleton
from tests.helpers.trees import flows_tree

PROJECT = Path(__file__).resolve().parents[1]


def _new(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "flows", "new", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "FLOWS_DIR": str(root)},
        timeout=60,
    )


def test_city_skeleton_passes_lint(tmp_path: Path) -> None:
    root = flows_tree(tmp_path)
    result = _new(root, "430200", "--name", "株洲市", "--slug", "zhuzhou")
    assert result.returncode == 0, result.stdout + result.stderr
    path = root / "regions" / "430200-zhuzhou.yaml"
    text = path.read_text("utf-8")
    assert 'code: "430200"' in text and "name: 株洲市" in text and 'parent: "430000"' in text
    assert "# identities:" in text  # examples are there, commented out
    # 株洲 is still an alias of 湖南省 in divisions.yaml: the operator is told how to move it.
    assert "hint: '株洲' is still an alias of 湖南省 in flows/divisions.yaml" in result.stderr
    assert "0 error(s)" in result.stderr
    report = lint(root, [path])
    assert report.errors == []
    assert "430200" in report.catalog.flows and report.catalog.regions["430200"].parent == "430000"


def test_province_skeleton_by_name(tmp_path: Path) -> None:
    hubei = ("regions/420000-hubei.yaml", "regions/420100-wuhan.yaml", "regions/429004-xiantao.yaml")
    root = flows_tree(tmp_path, remove=hubei)
    result = _new(root, "湖北")
    assert result.returncode == 0, result.stderr
    text = (root / "regions" / "420000-hubei.yaml").read_text("utf-8")
    assert "name: 湖北省" in text and "parent:" not in text.split("# Names people")[0]
    report = lint(root, [root / "regions" / "420000-hubei.yaml"])
    assert report.errors == []
    assert all("older than the coverage year" in p.message for p in report.warnings)  # inherited figures


def test_refusals(tmp_path: Path) -> None:
    root = flows_tree(tmp_path)
    assert "already defines 430000" in _new(root, "湖南").stderr
    assert "give the city's name" in _new(root, "430200").stderr
    assert "does not lie in" in _new(root, "430200", "--name", "株洲市", "--parent", "440000").stderr
    result = _new(root, "430200", "--name", "株洲市")
    assert result.returncode == 0 and "430200-<pinyin>.yaml" in result.stderr
    assert "already defines 430200" in _new(root, "430200", "--name", "株洲市").stderr


def test_skeleton_is_valid_yaml_with_english_comments() -> None:
    sk = skeleton(PROJECT / "flows", "430200", name="株洲市", slug="zhuzhou", today=dt.date(2026, 11, 23))
    comments = [line for line in sk.text.splitlines() if line.startswith("# ") and ":" not in line[:20]]
    assert comments and sk.path.name == "430200-zhuzhou.yaml"
    assert "retrieved: 2026-11-23" in sk.text
    with pytest.raises(ScaffoldError, match="lowercase pinyin"):
        skeleton(PROJECT / "flows", "430200", name="株洲市", slug="Zhu Zhou")
