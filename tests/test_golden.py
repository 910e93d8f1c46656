"""Golden files: the rendered text of every path of a few regions must match tests/golden/ (regenerate with
``make golden`` and review the diff)."""

from __future__ import annotations

import pytest

from bot.catalog.loader import load_catalog
from bot.render import Renderer
from tests.helpers.golden import GOLDEN_DIR, GOLDEN_REGIONS, golden_name, render_region
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)
CODES = GOLDEN_REGIONS
HINT = "rendered output changed: run `make golden` and review the diff"


@pytest.mark.parametrize("code", CODES)
def test_region_matches_golden(code: str, renderer: Renderer) -> None:
    path = GOLDEN_DIR / golden_name(_CATALOG, code)
    assert path.exists(), f"{path.name} missing: {HINT}"
    assert render_region(_CATALOG, renderer, code) == path.read_text(encoding="utf-8"), HINT


def test_golden_files_are_those_of_the_representative_regions() -> None:
    expected = {golden_name(_CATALOG, c) for c in CODES}
    assert {p.name for p in GOLDEN_DIR.glob("*.txt")} == expected, HINT


def test_rendering_is_deterministic(renderer: Renderer) -> None:
    assert render_region(_CATALOG, renderer, "430100") == render_region(
        load_catalog(FLOWS), Renderer(), "430100"
    )
