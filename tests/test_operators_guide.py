"""docs/operators.md must match the code: its worked example passes lint, its commands parse, its lint
sample is what the linter prints, and it explains every field the models accept."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.catalog.models import (
    Alternative,
    Answer,
    Channel,
    ChannelLabel,
    Cite,
    Figure,
    Figures,
    Flow,
    Hotline,
    Identity,
    LegalBasis,
    Subsidy,
)
from bot.cli import build_parser
from bot.tools.lint import lint
from tests.helpers.trees import flows_tree

PROJECT = Path(__file__).resolve().parents[1]
GUIDE = (PROJECT / "docs" / "operators.md").read_text(encoding="utf-8")
EXAMPLE = PROJECT / "docs" / "examples" / "430200-zhuzhou.yaml"


def _flows_with_example(tmp_path: Path) -> Path:
    """A copy of flows/ after following the guide: 株洲 moved out of 湖南省's aliases, the file added."""
    root = flows_tree(tmp_path, {f"regions/{EXAMPLE.name}": EXAMPLE.read_text(encoding="utf-8")})
    divisions = root / "divisions.yaml"
    text = divisions.read_text(encoding="utf-8")
    moved = re.sub(r"(code: \"430000\".*aliases: \[[^\]]*?), 株洲", r"\1", text)
    assert moved != text, "divisions.yaml no longer lists 株洲 under 湖南省: update the guide's step 2"
    divisions.write_text(moved, encoding="utf-8")
    return root


def test_worked_example_passes_lint(tmp_path: Path) -> None:
    root = _flows_with_example(tmp_path)
    report = lint(root, [root / "regions" / EXAMPLE.name])
    assert report.errors == []
    assert all("older than the coverage year" in p.message for p in report.warnings)  # inherited figures
    assert report.catalog is not None and report.catalog.regions["430200"].parent == "430000"
    assert report.catalog.find_region("株洲") == "430200"


def test_guide_shows_the_example_file_verbatim() -> None:
    block = re.search(r"<!-- example:begin.*?-->\n```yaml\n(.*?)```\n<!-- example:end -->", GUIDE, re.S)
    assert block, "the guide's example block is missing"
    assert block.group(1) == EXAMPLE.read_text(encoding="utf-8")


def test_guide_lint_sample_is_what_lint_prints() -> None:
    block = re.search(r"```text\n\$ python -m bot (flows lint \S+)\n(.*?)```", GUIDE, re.S)
    assert block
    result = subprocess.run(
        [sys.executable, "-m", "bot", *block.group(1).split()],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )
    assert result.returncode == 1
    assert block.group(2) == result.stdout + result.stderr


@pytest.mark.parametrize(
    "model",
    [
        Flow,
        Identity,
        Figures,
        Figure,
        Channel,
        Alternative,
        Hotline,
        ChannelLabel,
        LegalBasis,
        Subsidy,
        Answer,
        Cite,
    ],
)
def test_every_field_is_explained(model) -> None:
    missing = [f for f in model.model_fields if f"`{f}`" not in GUIDE and f"{f}:" not in GUIDE]
    assert missing == [], f"docs/operators.md does not explain {model.__name__}: {missing}"


def test_every_command_in_the_guide_parses() -> None:
    commands = re.findall(r"python -m bot (flows [^`\n#]+)", GUIDE)
    assert len(commands) >= 8
    parser = build_parser()
    for command in commands:
        parser.parse_args(shlex.split(command.strip()))
