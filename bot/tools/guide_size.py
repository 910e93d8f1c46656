"""Figures for the guide's first message: its length in characters over every region x identity x channel.

``python -m bot.tools.guide_size`` prints the median, the largest and how many exceed 700 and 1,000
characters (the text a user reads: Telegram HTML with the tags taken out). Printed, never asserted here;
``tests/test_guide_layout.py`` holds the limits.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.catalog.models import IDENTITIES
from bot.events import Event
from bot.render import Renderer, html_to_text
from bot.session import Session
from bot.wizard import Wizard

FLOWS = Path(__file__).resolve().parent.parent.parent / "flows"


def guide_slots(catalog: Catalog) -> Iterator[tuple[str, dict[str, str]]]:
    """``(label, slots)`` for every instructions page the catalog can show."""
    for code in sorted(catalog.flows):
        region = catalog.regions[code]
        for identity in IDENTITIES:
            for channel in catalog.channels(identity, code):
                slots = {"identity": identity, "province": region.parent or code, "channel": channel}
                if region.parent or catalog.cities_of.get(code):
                    slots["city"] = code
                yield f"{code} {identity} {channel}", slots


def first_messages(catalog: Catalog, renderer: Renderer) -> Iterator[tuple[str, str]]:
    """``(label, plain text)`` of the guide's first message for every instructions page."""
    wizard = Wizard(catalog, renderer.labels)
    for label, slots in guide_slots(catalog):
        _, view = wizard.step(Session("instructions", slots, 1), Event("show"))
        yield label, html_to_text(renderer.render(view))


def main() -> int:
    catalog, renderer = load_catalog(FLOWS), Renderer()
    sizes = sorted((len(text), label) for label, text in first_messages(catalog, renderer))
    lengths = [n for n, _ in sizes]
    print(f"guide first message, {len(lengths)} pages (characters of text):")
    print(f"  median {statistics.median(lengths):.0f}, min {lengths[0]}, max {lengths[-1]} ({sizes[-1][1]})")
    print(f"  over 700: {sum(n > 700 for n in lengths)}, over 1000: {sum(n > 1000 for n in lengths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
