"""The fake Bot API enforces Telegram's rules and its fault knobs work (raw HTTP, no bot involved)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.testing.fake_bot_api import FakeBotApi, Faults


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = await FakeBotApi().start()
    yield server
    await server.stop()


async def call(api: FakeBotApi, method: str, **params) -> httpx.Response:
    data = {k: json.dumps(v) if isinstance(v, dict | list) else str(v) for k, v in params.items()}
    async with httpx.AsyncClient() as client:
        return await client.post(f"{api.base_url}{api.token}/{method}", data=data, timeout=10)


async def test_rules_are_enforced(api: FakeBotApi) -> None:
    ok = await call(api, "sendMessage", chat_id=1, text="<b>好</b>", parse_mode="HTML")
    assert ok.json()["ok"] and ok.json()["result"]["text"] == "好"
    bad_html = await call(api, "sendMessage", chat_id=1, text="<b>好", parse_mode="HTML")
    assert bad_html.status_code == 400 and "can't parse entities" in bad_html.json()["description"]
    too_long = await call(api, "sendMessage", chat_id=1, text="长" * 4097)
    assert "too long" in too_long.json()["description"]
    keyboard = {"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}
    bad_button = await call(api, "sendMessage", chat_id=1, text="a", reply_markup=keyboard)
    assert "BUTTON_DATA_INVALID" in bad_button.json()["description"]
    assert len(api.violations) == 3
    same = await call(api, "editMessageText", chat_id=1, message_id=1, text="<b>好</b>", parse_mode="HTML")
    assert "message is not modified" in same.json()["description"]
    async with httpx.AsyncClient() as client:
        assert (await client.post(f"{api.base_url}1:bad/getMe")).status_code == 401


async def test_fault_knobs(api: FakeBotApi) -> None:
    api.faults = Faults(rate_429=1.0, retry_after=3)
    limited = await call(api, "sendMessage", chat_id=1, text="a")
    assert limited.status_code == 429 and limited.json()["parameters"] == {"retry_after": 3}
    api.faults = Faults(rate_5xx=1.0)
    assert (await call(api, "sendMessage", chat_id=1, text="a")).status_code == 502
    api.faults = Faults(blocked={7})
    assert (await call(api, "sendMessage", chat_id=7, text="a")).status_code == 403
    assert (await call(api, "sendMessage", chat_id=8, text="a")).status_code == 200


async def test_methods_without_flood_control_get_no_429_but_other_faults(api: FakeBotApi) -> None:
    """The fault run's "telegram" model: no 429 drawn on getUpdates, 5xx still drawn there."""
    both = frozenset({"sendMessage", "getUpdates"})
    api.faults = Faults(rate_429=1.0, methods=both, no_flood=frozenset({"getUpdates"}))
    assert (await call(api, "sendMessage", chat_id=1, text="a")).status_code == 429
    assert (await call(api, "getUpdates", timeout=0)).status_code == 200
    assert api.faults.injected == {"429": 1}
    api.faults = Faults(rate_5xx=1.0, methods=both, no_flood=frozenset({"getUpdates"}))
    assert (await call(api, "getUpdates", timeout=0)).status_code == 502


async def test_long_poll_wakes_on_update_and_newer_poll_wins(api: FakeBotApi) -> None:
    first = asyncio.create_task(call(api, "getUpdates", timeout=5))
    await api.wait_for(lambda: len(api.calls_of("getUpdates")) == 1)
    second = asyncio.create_task(call(api, "getUpdates", timeout=5))
    assert (await first).status_code == 409  # terminated by the newer request
    api.push_text(5, "你好")
    updates = (await second).json()["result"]
    assert updates[0]["message"]["text"] == "你好"
    confirmed = await call(api, "getUpdates", offset=updates[0]["update_id"] + 1, timeout=0)
    assert confirmed.json()["result"] == []


def _article(rid: str, text: str = "<b>步骤</b>", **extra) -> dict:
    content = {"message_text": text, "parse_mode": "HTML"}
    return {"type": "article", "id": rid, "title": "标题", "input_message_content": content, **extra}


@pytest.mark.parametrize(
    ("results", "button", "error"),
    [
        ([_article(str(i)) for i in range(51)], None, "RESULTS_TOO_MUCH"),
        ([_article("x" * 65)], None, "RESULT_ID_INVALID"),
        ([_article("a"), _article("a")], None, "RESULT_ID_DUPLICATE"),
        ([_article("a", "<b>步骤")], None, "can't parse entities"),
        ([_article("a", "长" * 4097)], None, "too long"),
        (
            [_article("a", reply_markup={"inline_keyboard": [[{"text": "x", "url": "javascript:1"}]]})],
            None,
            "URL",
        ),
        ([_article("a")], {"text": "打开", "start_parameter": "有中文"}, "START_PARAM_INVALID"),
    ],
)
async def test_inline_answers_are_checked(api: FakeBotApi, results, button, error: str) -> None:
    update_id = api.push_inline_query(5, "湖南")
    qid = api.offers[update_id].inline_id
    params = {"inline_query_id": qid, "results": results, **({"button": button} if button else {})}
    answer = await call(api, "answerInlineQuery", **params)
    assert answer.status_code == 400 and error in answer.json()["description"]
    assert api.violations and qid not in api.inline_answers


async def test_inline_query_answered_once_and_undelivered_when_not_allowed(api: FakeBotApi) -> None:
    update_id = api.push_inline_query(5, "湖南 微信")
    qid = api.offers[update_id].inline_id
    button = {"text": "在私聊中打开向导", "start_parameter": "430000-wechat"}
    ok = await call(api, "answerInlineQuery", inline_query_id=qid, results=[_article("a")], button=button)
    assert (
        ok.json()["ok"]
        and api.inline_answers[qid].ids == ["a"]
        and api.inline_answers[qid].text("a") == "步骤"
    )
    again = await call(api, "answerInlineQuery", inline_query_id=qid, results=[_article("a")])
    assert "query is too old" in again.json()["description"] and not api.violations
    api.push_inline_query(5, "长沙")
    got = await call(api, "getUpdates", allowed_updates=["message", "callback_query"])
    assert got.json()["result"] == [] and len(api.filtered) == 2
