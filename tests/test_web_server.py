"""The web pages over real HTTP on 127.0.0.1: routes, headers, compression, the Mini App's saving."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.adapters.web.initdata import sign
from bot.adapters.web.server import Assets, ChoiceSaver, build_routes
from bot.config import Settings
from bot.render import MESSAGES_DIR, Renderer
from bot.runtime import WizardHolder
from bot.store.sqlite import SqliteSessionStore
from bot.wizard import Wizard
from tests.helpers.page_check import page_problems
from tests.helpers.web_server import serving

TOKEN = "123456:TEST-token"
USER = 777


def init_data(user: int = USER, token: str = TOKEN, age: float = 30) -> str:
    fields = {
        "user": json.dumps({"id": user, "first_name": "小王"}),
        "auth_date": str(int(time.time() - age)),
    }
    return sign(fields, token)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteSessionStore]:
    s = SqliteSessionStore(tmp_path / "sessions.sqlite3")
    await s.open()
    yield s
    await s.close()


@pytest.fixture
async def base(wizard: Wizard, renderer: Renderer, store: SqliteSessionStore) -> AsyncIterator[str]:
    routes = build_routes(WizardHolder(wizard), renderer, store, Settings(telegram_token=TOKEN))
    async with serving(routes) as url:
        yield url


async def fetch(url: str, **kw: Any) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as http, http.get(url, allow_redirects=False, **kw) as r:
        return r.status, dict(r.headers), await r.text()


async def post(url: str, body: Any) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as http, http.post(url, json=body) as r:
        return r.status, await r.json()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/?i=flex&p=430000", 200),
        ("/?i=flex&q=%E9%95%BF%E6%B2%99", 200),
        ("/g/flex-430100-wechat", 200),
        ("/g/flex-430100-wechat?calc=6000", 200),
        ("/g/res-430100-wechat?faq=materials", 200),
        ("/app", 200),
        ("/app/", 200),
        ("/app/g/res-310000-alipay", 200),
        ("/g/nope", 404),
        ("/no/such/page", 404),
        ("/app/g/nope", 404),
    ],
)
async def test_pages(base: str, path: str, status: int) -> None:
    got, headers, body = await fetch(base + path)
    assert got == status
    assert headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert page_problems(body) == []
    framing = "https://web.telegram.org" if path.startswith("/app") else "'none'"
    assert f"frame-ancestors {framing}" in headers["Content-Security-Policy"]


async def test_chooser_redirects_to_the_guide(base: str) -> None:
    status, headers, _ = await fetch(base + "/?i=res&p=430000&c=430100&ch=wechat")
    assert (status, headers["Location"]) == (302, "/g/res-430100-wechat")
    status, headers, _ = await fetch(base + "/app?i=res&p=430000&c=430100&ch=wechat")
    assert (status, headers["Location"]) == (302, "/app/g/res-430100-wechat")


async def test_pages_are_compressed_for_clients_that_ask(base: str) -> None:
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        async with http.get(base + "/g/flex-430100-wechat", headers={"Accept-Encoding": "gzip"}) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            zipped = len(await r.read())
        async with http.get(base + "/g/flex-430100-wechat", headers={"Accept-Encoding": "identity"}) as r:
            assert "Content-Encoding" not in r.headers
            assert zipped < len(await r.read()) / 2


async def test_static_files_are_versioned_and_cached(base: str) -> None:
    for name, url in Assets().urls.items():
        status, headers, body = await fetch(base + url)
        assert status == 200 and body
        assert "immutable" in headers["Cache-Control"]
        assert headers["Content-Type"].startswith("text/css" if name.endswith(".css") else "text/javascript")
    assert (await fetch(base + "/static/nothing.js"))[0] == 404


async def test_places_json(base: str) -> None:
    status, _, body = await fetch(base + "/places?q=changsha&i=flex")
    data = json.loads(body)
    assert status == 200 and data["places"][0] == {
        "name": "湖南省长沙市",
        "href": "/?i=flex&p=430000&c=430100",
    }
    data = json.loads((await fetch(base + "/app/places?q=%E6%B9%98"))[2])
    assert data["places"][0]["href"] == "/app?p=430000"


async def test_calculator_fragment(base: str) -> None:
    status, _, body = await fetch(base + "/g/flex-310000-wechat/calc?calc=8000")
    assert status == 200 and "<html" not in body and "8,000" in body


async def test_healthz(base: str, wizard: Wizard) -> None:
    status, _, body = await fetch(base + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "regions": len(wizard.catalog.regions)}


async def test_mini_app_saves_the_choice_as_the_chat_session(base: str, store: SqliteSessionStore) -> None:
    status, body = await post(
        base + "/app/api/choice", {"initData": init_data(), "payload": "res-430100-wechat"}
    )
    assert (status, body) == (200, {"status": "ok"})
    record = await store.load(USER)
    assert record.session.state == "instructions"
    assert dict(record.session.slots) == {
        "identity": "resident", "province": "430000", "city": "430100", "channel": "wechat"
    }  # fmt: skip
    # A second choice replaces it and bumps the version (buttons on older messages become stale).
    version = record.session.version
    await post(base + "/app/api/choice", {"initData": init_data(), "payload": "flex-310000-tax"})
    record = await store.load(USER)
    assert record.session.slots["channel"] == "tax" and record.session.version > version


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        ({"initData": init_data(token="999:other"), "payload": "res-430100-wechat"}, 403, "forged"),
        ({"initData": init_data(age=3 * 24 * 3600), "payload": "res-430100-wechat"}, 403, "stale"),
        ({"initData": "", "payload": "res-430100-wechat"}, 400, "missing"),
        ({"initData": init_data(), "payload": "nope"}, 400, "malformed"),
        ({"payload": "res-430100-wechat"}, 400, "malformed"),
    ],
)
async def test_mini_app_refuses(
    base: str, store: SqliteSessionStore, body: dict[str, str], status: int, answer: str
) -> None:
    assert await post(base + "/app/api/choice", body) == (status, {"status": answer})
    assert (await store.load(USER)).rev == 0  # nothing saved


async def test_mini_app_without_a_token_cannot_save(wizard: Wizard, renderer: Renderer) -> None:
    routes = build_routes(WizardHolder(wizard), renderer, None, Settings())
    async with serving(routes) as url:
        assert await post(url + "/app/api/choice", {"initData": init_data(), "payload": "res-430100-wechat"}) == (
            503, {"status": "unavailable"}
        )  # fmt: skip


async def test_a_page_that_fails_gets_a_short_500(
    wizard: Wizard, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An operator's mistake in a web template: logged with the template's name, a short page shown."""
    messages = tmp_path / "messages"
    shutil.copytree(MESSAGES_DIR, messages)
    broken = messages / "web" / "instructions.html.j2"
    broken.write_text(broken.read_text(encoding="utf-8").replace("{{ coverage_start }}", "{{ no_such }}"))
    routes = build_routes(WizardHolder(wizard), Renderer(messages), None, Settings())
    async with serving(routes) as url:
        status, _, body = await fetch(url + "/g/flex-430100-wechat")
        assert (await fetch(url + "/"))[0] == 200  # the rest of the site is unaffected
    assert status == 500 and "12393" in body and "no_such" not in body
    assert "web/instructions.html.j2" in caplog.text


async def test_saver_clock_is_injectable(wizard: Wizard, store: SqliteSessionStore) -> None:
    saver = ChoiceSaver(WizardHolder(wizard), store, TOKEN, clock=lambda: time.time() + 2 * 24 * 3600)
    from bot.adapters.web.initdata import InitDataError

    with pytest.raises(InitDataError, match="stale"):
        await saver.save(init_data(), "res-430100-wechat")
