"""Full-width punctuation, no nested brackets and thousands separators in everything a user reads: every
message template's source, every button label and flow string, and rendered pages (every instructions
page and its follow-ups are checked in tests/test_content_paths.py with the same helper)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.render import MESSAGES_DIR
from tests.helpers.trees import FLOWS
from tests.helpers.typography import typography_problems

TEMPLATES = sorted(MESSAGES_DIR.rglob("*.j2"))  # the web templates too
TEXT_FILES = [
    *sorted(MESSAGES_DIR.rglob("*.yaml")),
    FLOWS / "national.yaml",
    *sorted((FLOWS / "regions").glob("*.yaml")),
]


def _strings(x: object) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, list):
        return [s for v in x for s in _strings(v)]
    if isinstance(x, dict):
        return [s for v in x.values() for s in _strings(v)]
    return []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_sources(path: Path) -> None:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert not typography_problems(line, template=True), f"{path.name}:{n}: {line}"


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_flow_and_label_strings(path: Path) -> None:
    for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not typography_problems(s, template=True), f"{path.name}: {s}"


def test_the_checks_catch_what_they_should() -> None:
    assert typography_problems("已识别:湖南")
    assert typography_problems("（2025年度（2024年秋季缴纳））")
    assert typography_problems("每月 12000 元")
    assert not typography_problems("每月 12,000 元（2025年度），见 m.example.com/a(1).html")
