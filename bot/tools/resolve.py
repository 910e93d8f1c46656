"""Turn what an operator types (``湖南``, ``长沙``, ``430100``, ``居民``, ``微信``) into catalog ids."""

from __future__ import annotations

from bot.catalog.catalog import Catalog, normalize
from bot.catalog.models import CHANNELS, IDENTITIES, as_identity
from bot.understand import understand


class NameError_(ValueError):
    """A name that matches nothing; the message lists what would."""


def region(catalog: Catalog, text: str) -> str:
    """Region code for a code, a name or any alias (``430100``, ``长沙市``, ``长沙``, ``湘``)."""
    text = text.strip()
    if text in catalog.regions:
        return text
    code = catalog.find_region(text)
    if code is None:
        raise NameError_(f"unknown region {text!r}: give a code such as 430100 or a name such as 长沙")
    return code


def identity(catalog: Catalog, text: str) -> str:
    """Identity id for ``flexible``/``resident``, a label (城乡居民) or a word from vocabulary.yaml."""
    key = normalize(text)
    for ident in IDENTITIES:
        if key in (ident, normalize(catalog.national.identities[as_identity(ident)].label)):
            return ident
    found = understand(text, catalog).identity
    if found is None:
        raise NameError_(f"unknown identity {text!r}: use one of {', '.join(IDENTITIES)} (or 灵活就业, 居民)")
    return found


def channel(catalog: Catalog, text: str) -> str:
    """Channel id for an id (``wechat``), a button label (微信) or a word from vocabulary.yaml."""
    key = normalize(text)
    for ch in CHANNELS:
        label = catalog.national.channel_labels.get(ch)  # type: ignore[call-overload]
        if key == ch or (label and key == normalize(label.label)):
            return ch
    found = understand(text, catalog).channel
    if found is None:
        raise NameError_(
            f"unknown channel {text!r}: use one of {', '.join(CHANNELS)} (or 微信, 支付宝, 银行)"
        )
    return found


def choices(catalog: Catalog, region_code: str, ident: str, ch: str) -> dict[str, str]:
    """The wizard slots that lead to the instructions for this identity, region and channel."""
    r = catalog.regions[region_code]
    slots = {"identity": ident, "province": r.parent or r.code, "channel": ch}
    if r.parent:
        slots["city"] = r.code
    elif catalog.cities_of.get(r.code):
        slots["city"] = r.code  # the "other cities" button: the province's own flow
    return slots
