"""Getter for the answer to a 医保 question the guide does not cover: where to ask instead.

The answers are data (``out_of_scope`` in ``flows/national.yaml``, each with its source); the wizard shows
one above the step the user is at, so they keep their place.
"""

from __future__ import annotations

from typing import Any

from bot.catalog.catalog import Catalog
from bot.pages.dated import Sources


def pointer_context(catalog: Catalog, intent: str) -> dict[str, Any] | None:
    """The pointer for the out-of-scope ``intent``; None when the flows have none for it."""
    pointer = catalog.national.out_of_scope.get(intent)
    if pointer is None:
        return None
    sources = Sources()
    sources.cite(pointer)
    for item in sources.items:  # one link per site: two pages of one site read as the same name twice
        item["links"] = list({x["text"]: x for x in reversed(item["links"])}.values())[::-1]
    return {
        "intent": intent,
        "text": pointer.text,
        "copy_text": list(pointer.copy_text),
        "sources": sources.items,
    }
