"""The coverage report lists every region and ends with the summary line."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

from bot.cli import main
from bot.tools.coverage import coverage, format_report, summary


def test_report_lists_every_region(catalog) -> None:
    report = format_report(catalog)
    for code in catalog.regions:
        assert code in report
    last = report.splitlines()[-1]
    assert last.startswith("regions: ") and "figures known:" in last and "combinations" in last


def test_summary_counts(catalog) -> None:
    rows = coverage(catalog)
    s = summary(catalog, rows)
    assert s["regions"] == len(catalog.regions) and s["provinces"] == 31
    assert s["combinations"] == sum(
        len(catalog.channels(i, c)) for c in catalog.regions for i in ("flexible", "resident")
    )
    assert 0 < s["local"] <= s["known"] <= s["figures"]


def test_cli_flows_coverage() -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["flows", "coverage"]) == 0
    assert "regions: " in out.getvalue()
