"""Every (identity x region x channel) the shipped flows define renders a complete, valid page.

The combinations are generated from the YAML at collection time, so a new flow file is covered
automatically.
"""

from __future__ import annotations

import re

import pytest

from bot.catalog.loader import load_catalog
from bot.catalog.models import IDENTITIES
from bot.render import Renderer
from bot.session import Session
from bot.wizard import Wizard
from tests.helpers.html_check import telegram_html_errors
from tests.helpers.trees import FLOWS

_CATALOG = load_catalog(FLOWS)


def _combinations() -> list[tuple[str, str, str]]:
    out = []
    for code in sorted(_CATALOG.flows):
        for ident in IDENTITIES:
            for ch in _CATALOG.channels(ident, code):
                out.append((ident, code, ch))
    return out


COMBINATIONS = _combinations()


def test_there_are_many_combinations() -> None:
    assert len(COMBINATIONS) >= len(_CATALOG.flows) * 2 * 4


@pytest.mark.parametrize(("identity", "code", "channel"), COMBINATIONS)
def test_instructions_render(identity: str, code: str, channel: str, renderer: Renderer) -> None:
    region = _CATALOG.regions[code]
    slots = {"identity": identity, "province": region.parent or code, "channel": channel}
    if region.parent:
        slots["city"] = code
    wizard = Wizard(_CATALOG, renderer.labels)
    view = wizard.view(Session("instructions", slots, 1))
    text = renderer.render(view)
    assert re.search(r"^1\. \S", text, re.M) and re.search(r"^2\. \S", text, re.M), "numbered steps"
    for marker in ("{{", "}}", "{%", "%}", "None", "Undefined"):
        assert marker not in text
    assert telegram_html_errors(text) == []
    assert _CATALOG.channel(identity, code, channel).title in text.replace("&gt;", ">")
    assert "12393" in text
    assert "核实于" not in text
    assert "以当地通知为准" in text
