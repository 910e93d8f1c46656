"""Understanding typed text: which identity, region, channel or command a message names.

Pure and platform-neutral. The words come from the flows (region aliases) and ``flows/vocabulary.yaml``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bot.catalog.catalog import Catalog, normalize

_KEEP = frozenset("\n\t")


def clean_text(text: str) -> str:
    """``text`` in NFKC form without control and invisible format characters (null bytes, zero-width
    spaces and joiners, bidirectional marks), which only hide what a user typed."""
    flat = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in flat if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf"))


@dataclass(frozen=True)
class Understanding:
    """What a message says; every field is None when the message does not say it."""

    command: str | None = None
    identity: str | None = None
    region: str | None = None
    channel: str | None = None

    @property
    def slots_found(self) -> bool:
        """True when the message names an identity, a region or a channel."""
        return any((self.identity, self.region, self.channel))


def _best(text: str, words: Mapping[str, tuple[str, ...]]) -> str | None:
    """The name whose longest matching word is the longest in ``text`` (so 支付宝 beats 支付)."""
    best, best_len = None, 0
    for name, variants in words.items():
        for w in variants:
            if w and w in text and len(w) > best_len:
                best, best_len = name, len(w)
    return best


def understand(text: str, catalog: Catalog) -> Understanding:
    """Extract a command, identity, region and channel from ``text``."""
    key = normalize(text)
    voc = catalog.vocabulary
    return Understanding(
        command=_best(key, voc.commands),
        identity=_best(key, voc.identities),
        region=catalog.find_region(text),
        channel=_best(key, voc.channels),
    )
