"""`flows graph`: every path for a region drawn with the transitions diagrams extension."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog.models import IDENTITIES
from bot.tools import graph

PROJECT = Path(__file__).resolve().parents[1]
# Pictures need Graphviz's `dot` (scripts/system-deps.sh installs it). Outside CI a machine without it
# skips these; in CI they always run, so a missing install step fails loudly.
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None and os.environ.get("CI") != "true", reason="Graphviz `dot` is not installed"
)


def test_region_diagram_has_every_path(catalog, renderer) -> None:
    d = graph.region_diagram(catalog, renderer, "430000")
    leaves = [n for n in d.nodes if n.count("_") == 2 and not n.endswith("_other")]
    expected = {
        f"{i}_{code}_{ch}"
        for code in ("430000", "430100")
        for i in IDENTITIES
        for ch in catalog.channels(i, code)
    }
    assert set(leaves) == expected
    labels = "\n".join(label for label, _ in d.nodes.values())
    assert "长沙市" in labels and renderer.labels["city_other"] in labels
    assert catalog.channel("resident", "430100", "bank").title in labels
    assert "from 湖南省" in labels and "from 长沙市" in labels and "from national defaults" in labels


def test_city_diagram_shows_only_that_city(catalog, renderer) -> None:
    d = graph.region_diagram(catalog, renderer, "430100")
    assert all("430000_" not in n for n in d.nodes)
    assert {n for n in d.nodes if n.count("_") == 2} == {
        f"{i}_430100_{ch}" for i in IDENTITIES for ch in catalog.channels(i, "430100")
    }


def test_mermaid_text(catalog, renderer) -> None:
    text = graph.render(graph.region_diagram(catalog, renderer, "110000"), "mermaid").decode()
    assert "stateDiagram-v2" in text
    assert 'state "城乡居民" as resident' in text
    assert "[*] --> start" in text
    assert "resident_110000 --> resident_110000_wechat: 微信" in text


def test_step_machine_diagram() -> None:
    text = graph.render(graph.machine_diagram(), "dot").decode()
    assert "has_cities" in text and "instructions" in text and "digraph" in text


@needs_dot
@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_picture_is_written(catalog, renderer, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"g.{suffix}"
    assert graph.write(graph.region_diagram(catalog, renderer, "430000"), out) == suffix
    data = out.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data[:1000]


@needs_dot
def test_cli_writes_picture(tmp_path: Path) -> None:
    out = tmp_path / "hunan.svg"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "flows", "graph", "湖南", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 1000 and "长沙市" in out.read_text("utf-8")


def test_cli_mermaid_to_stdout_and_bad_region() -> None:
    run = [sys.executable, "-m", "bot", "flows", "graph"]
    result = subprocess.run([*run, "430100"], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert result.returncode == 0 and "stateDiagram-v2" in result.stdout
    result = subprocess.run([*run, "火星"], capture_output=True, text=True, cwd=PROJECT, timeout=60)
    assert result.returncode == 1 and "unknown region" in result.stderr


def test_committed_example_picture_exists() -> None:
    picture = PROJECT / "docs" / "graph-430000.svg"
    assert picture.stat().st_size > 1000 and "长沙市" in picture.read_text("utf-8")
