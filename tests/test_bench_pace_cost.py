"""``python -m bench.pace_cost`` runs and prints its summary (figures only: no timing is asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import pace_cost


def test_pace_cost_prints_its_factors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_json = tmp_path / "pace.json"
    assert pace_cost.main(["--units", "5", "--reps", "1", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "rep 0: back to back" in out
    assert "one unit per wake-up at 21 a second" in out
    written = json.loads(out_json.read_text())
    assert len(written["one_per_wake"]) == len(written["five_per_wake"]) == 1
