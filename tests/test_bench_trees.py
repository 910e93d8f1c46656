"""The catalog bench's synthetic region files must pass the schema the shipped flows pass, or `make bench`
fails before it measures anything (as it did once `retrieved` became required)."""

from __future__ import annotations

from pathlib import Path

from bench.catalog_bench import make_tree
from bot.catalog.loader import load_catalog


def test_synthetic_city_files_load(tmp_path: Path) -> None:
    shipped = len(list((Path(__file__).resolve().parent.parent / "flows" / "regions").glob("*.yaml")))
    root = make_tree(tmp_path, shipped + 3)
    catalog = load_catalog(root)
    synthetic = sorted(p.name.split("-")[0] for p in (root / "regions").glob("*-synthetic.yaml"))
    assert len(synthetic) == 3
    for code in synthetic:
        assert "wechat" in catalog.channels("resident", code)
