"""Deep-link payloads: ``t.me/<bot>?start=flex-430000-wechat`` jumps straight to a step or the instructions.

Telegram passes 1-64 characters of ``A-Za-z0-9_-``. A payload is up to three ``-``-separated tokens in
any order: an identity short id (``flex``, ``res``), a region's national administrative-division code
(``430000`` province, ``430100`` city) and a channel id (``wechat``, ``alipay``, ``tax``, ``bank``, ``hall``).
"""

from __future__ import annotations

import re

from bot.catalog.catalog import Catalog
from bot.catalog.models import CHANNELS

IDENTITY_SHORT: dict[str, str] = {"flex": "flexible", "res": "resident"}
# Opens the wizard where the chat was, like a plain /start (inline mode's button when nothing is named).
OPEN_PAYLOAD = "open"
_SHORT_OF = {v: k for k, v in IDENTITY_SHORT.items()}
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CODE = re.compile(r"[0-9]{6}")


def parse_payload(payload: str, catalog: Catalog) -> dict[str, str] | None:
    """Slots named by ``payload`` (identity, province, city, channel), or None when it is not valid."""
    if not _PAYLOAD.fullmatch(payload):
        return None
    slots: dict[str, str] = {}
    for token in payload.lower().split("-"):
        if token in IDENTITY_SHORT and "identity" not in slots:
            slots["identity"] = IDENTITY_SHORT[token]
        elif _CODE.fullmatch(token) and token in catalog.regions and "province" not in slots:
            slots["province"] = catalog.province_of(token)
            if token != slots["province"]:
                slots["city"] = token
        elif token in CHANNELS and "channel" not in slots:
            slots["channel"] = token
        else:
            return None
    province = slots.get("province", "")
    if "channel" in slots and "city" not in slots and catalog.cities_of.get(province):
        # A full link naming a province that has city files means the province-wide guide ("其他城市/地区").
        slots["city"] = province
    return slots


def make_payload(slots: dict[str, str]) -> str:
    """The shortest payload for ``slots`` (the inverse of :func:`parse_payload`)."""
    parts = []
    if "identity" in slots:
        parts.append(_SHORT_OF[slots["identity"]])
    region = slots.get("city") or slots.get("province")
    if region:
        parts.append(region)
    if "channel" in slots:
        parts.append(slots["channel"])
    return "-".join(parts)
