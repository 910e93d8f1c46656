"""Checking a Telegram Mini App's ``initData`` exactly as Telegram's documentation specifies.

``initData`` is a query string (``query_id=…&user=%7B…%7D&auth_date=…&hash=…``). Telegram signs it:

* ``data_check_string``: every received field except ``hash``, sorted by key, as ``key=<value>`` with
  the URL-decoded value, joined by a line feed (``\\n``);
* ``secret_key = HMAC_SHA256(key="WebAppData", message=bot_token)``;
* the data is genuine when ``hex(HMAC_SHA256(key=secret_key, message=data_check_string)) == hash``.

``auth_date`` (Unix time) must also be recent, or a copy of old data could be replayed: data older than
``max_age`` seconds, or dated in the future beyond a small clock skew, is refused as stale.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.errors import BotError

MAX_AGE = 24 * 3600  # seconds an initData stays usable after Telegram issued it
CLOCK_SKEW = 300  # seconds auth_date may lie in the future (clocks differ a little)
MAX_LENGTH = 8192  # a real initData is a few hundred characters


class InitDataError(BotError):
    """``initData`` is missing, malformed, forged or stale; ``reason`` is one of those words."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"initData {reason}{': ' + detail if detail else ''}")
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    """The Telegram user who opened the Mini App (only the id is used: it is the private chat's id)."""

    id: int
    auth_date: int


def _secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    """The fields other than ``hash``, sorted by key, as ``key=value`` lines."""
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The query string Telegram would send for ``fields`` (with ``hash``); tests and tools use it."""
    digest = hmac.new(_secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def validate(init_data: str, bot_token: str, now: float | None = None, max_age: int = MAX_AGE) -> WebAppUser:
    """The user ``init_data`` was issued to, if Telegram signed it for ``bot_token`` and it is fresh;
    otherwise :class:`InitDataError` (``missing``, ``malformed``, ``forged`` or ``stale``)."""
    if not init_data or not bot_token:
        raise InitDataError("missing")
    if len(init_data) > MAX_LENGTH:
        raise InitDataError("malformed", "too long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("malformed", str(exc)) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("malformed", "a field is repeated")
    received = fields.get("hash", "")
    expected = hmac.new(
        _secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataError("forged")
    # Signed by Telegram from here on: the fields can be trusted to be what Telegram sent.
    try:
        auth_date = int(fields["auth_date"])
        user: Any = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError) as exc:
        raise InitDataError("malformed", f"no usable auth_date or user: {exc!r}") from None
    now = time.time() if now is None else now
    if auth_date < now - max_age or auth_date > now + CLOCK_SKEW:
        raise InitDataError("stale", f"auth_date {auth_date} is {int(now - auth_date)} s old")
    return WebAppUser(user_id, auth_date)
