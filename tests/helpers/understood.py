"""What ``understand`` found for a message, limited to the fields a rule's test names."""

from __future__ import annotations

from collections.abc import Iterable

from bot.catalog.catalog import Catalog
from bot.understand import understand
from bot.understand.parse import USE_FALLBACK


def fields_of(
    text: str, catalog: Catalog, names: Iterable[str], use_fallback: bool = USE_FALLBACK
) -> dict[str, object]:
    """``{name: understand(text).name}`` for each of ``names`` (a test's expected dict passes its keys);
    ``use_fallback=False`` reads the rules alone, for a test of a rule the model may outvote."""
    u = understand(text, catalog, use_fallback)
    return {k: getattr(u, k) for k in names}
