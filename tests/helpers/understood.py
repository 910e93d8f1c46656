"""What ``understand`` found for a message, limited to the fields a rule's test names."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalog.catalog import Catalog
from bot.understand import understand


def fields_of(text: str, catalog: Catalog, names: Iterable[str]) -> dict[str, object]:
    """``{name: understand(text).name}`` for each of ``names`` (a test's expected dict passes its keys)."""
    u = understand(text, catalog)
    return {k: getattr(u, k) for k in names}
