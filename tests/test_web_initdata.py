"""Mini App initData: accepted only when signed as Telegram documents and fresh."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import quote, urlencode

import pytest

from bot.adapters.web.initdata import MAX_AGE, InitDataError, data_check_string, sign, validate

TOKEN = "123456:TEST-token"
NOW = 1_800_000_000


def fields(**over: str) -> dict[str, str]:
    user = json.dumps({"id": 4242, "first_name": "小王", "language_code": "zh-hans"}, ensure_ascii=False)
    return {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": user, "auth_date": str(NOW - 60), **over}


def test_signed_data_gives_the_user() -> None:
    user = validate(sign(fields(), TOKEN), TOKEN, now=NOW)
    assert (user.id, user.auth_date) == (4242, NOW - 60)


def test_signature_follows_telegrams_recipe_by_hand() -> None:
    """secret = HMAC_SHA256(key "WebAppData", bot token); hash = HMAC_SHA256(secret, data-check-string)."""
    f = fields()
    check = "\n".join(f"{k}={f[k]}" for k in sorted(f))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    raw = "&".join(f"{k}={quote(v, safe='')}" for k, v in f.items()) + f"&hash={digest}"
    assert data_check_string({**f, "hash": digest}) == check
    assert validate(raw, TOKEN, now=NOW).id == 4242


@pytest.mark.parametrize(
    ("init_data", "reason"),
    [
        pytest.param(lambda: sign(fields(), "999:other-bot"), "forged", id="other bot's token"),
        pytest.param(lambda: sign(fields(), TOKEN).replace("4242", "4243"), "forged", id="user changed"),
        pytest.param(lambda: sign(fields(), TOKEN) + "&extra=1", "forged", id="field added"),
        pytest.param(lambda: sign(fields(), TOKEN)[:-2] + "00", "forged", id="hash changed"),
        pytest.param(lambda: urlencode(fields()), "forged", id="no hash"),
        pytest.param(lambda: sign(fields(auth_date=str(NOW - MAX_AGE - 1)), TOKEN), "stale", id="too old"),
        pytest.param(lambda: sign(fields(auth_date=str(NOW + 3600)), TOKEN), "stale", id="from the future"),
        pytest.param(lambda: sign(fields(auth_date="soon"), TOKEN), "malformed", id="auth_date not a number"),
        pytest.param(lambda: sign({"auth_date": str(NOW)}, TOKEN), "malformed", id="no user"),
        pytest.param(lambda: sign(fields(), TOKEN) + "&user=x", "malformed", id="field repeated"),
        pytest.param(lambda: "", "missing", id="empty"),
        pytest.param(lambda: "x" * 9000, "malformed", id="too long"),
    ],
)
def test_refused(init_data: object, reason: str) -> None:
    with pytest.raises(InitDataError) as info:
        validate(init_data(), TOKEN, now=NOW)  # type: ignore[operator]
    assert info.value.reason == reason


def test_no_token_accepts_nothing() -> None:
    with pytest.raises(InitDataError, match="missing"):
        validate(sign(fields(), ""), "", now=NOW)
