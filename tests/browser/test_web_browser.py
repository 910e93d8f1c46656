"""The web guide and the Mini App in a real headless Chromium at phone width."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from bot.adapters.web.initdata import sign
from bot.store.sqlite import SqliteSessionStore
from tests.browser.conftest import HEIGHT, TOKEN, WIDTH, set_viewport
from tests.helpers.web_server import WebServerThread

USER = 4242
pytestmark = pytest.mark.slow  # a real browser: left out of `make test-fast`

# Driver calls are typed loosely: selenium is a dev dependency imported inside the fixtures.
Driver = Any


def _wait(driver: Driver, condition: Any, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def _by_text(driver: Driver, text: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.XPATH, f"//a[normalize-space(.)={json.dumps(text, ensure_ascii=False)}]")


def _css(driver: Driver, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def _no_sideways_scroll(driver: Driver) -> None:
    width, inner = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"page is {width} px wide in a {inner} px window"


def _all_from_this_site(driver: Driver) -> None:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(driver.current_url))
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(u.startswith(origin + "/") for u in loaded), loaded


def _screenshot(driver: Driver, path: Path) -> None:
    """The whole page (up to 4,000 px high) at phone width."""
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), 4000)
    set_viewport(driver, WIDTH, height)
    driver.save_screenshot(str(path))
    set_viewport(driver, WIDTH, HEIGHT)


def test_guide_at_phone_width(browser: Driver, web: WebServerThread, shots: Path) -> None:
    browser.get(web.url + "/g/flex-310000-wechat")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "zh-CN"
    steps = browser.find_elements("css selector", ".steps li")
    assert len(steps) >= 3
    for step in steps:
        rect = step.rect
        assert (
            step.is_displayed()
            and rect["height"] > 0
            and rect["x"] >= 0
            and rect["x"] + rect["width"] <= WIDTH
        )
    assert float(browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")) >= 16
    _no_sideways_scroll(browser)
    _all_from_this_site(browser)
    _screenshot(browser, shots / "guide.png")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?i=flex",
        "/?i=res&p=450000",
        "/?i=res&p=650000&c=650000",
        "/g/res-650000-bank",
        "/g/flex-310000-wechat?calc=123456789012",
        "/g/res-430100-hall?faq=law",
        "/g/nope",
    ],
)
@pytest.mark.parametrize("width", [360, 390])
def test_no_sideways_scroll(browser: Driver, web: WebServerThread, path: str, width: int) -> None:
    set_viewport(browser, width, HEIGHT)
    try:
        browser.get(web.url + path)
        _no_sideways_scroll(browser)
    finally:
        set_viewport(browser, WIDTH, HEIGHT)


def test_chooser_by_clicks_with_live_search(browser: Driver, web: WebServerThread, shots: Path) -> None:
    browser.get(web.url + "/")
    _by_text(browser, "灵活就业人员").click()
    search = _css(browser, "input[name=q]")
    search.send_keys("changsha")
    result = _wait(browser, lambda d: d.find_elements("css selector", "#results a"))[0]
    assert result.text == "湖南省长沙市"
    _screenshot(browser, shots / "chooser.png")
    result.click()
    _wait(browser, lambda d: "缴费" in _css(d, "h1").text)
    assert "你想用哪种方式在长沙市缴费" in _css(browser, "h1").text
    _by_text(browser, "💬 微信").click()
    _wait(browser, lambda d: "/g/" in d.current_url)
    assert urlsplit(browser.current_url).path == "/g/flex-430100-wechat"
    assert "灵活就业人员 · 湖南省长沙市 · 微信" in _css(browser, ".progress").text
    _no_sideways_scroll(browser)


def test_chooser_without_javascript(browser_without_js: Driver, web: WebServerThread) -> None:
    """Plain links and a plain form: the whole way to a guide with scripts switched off."""
    b = browser_without_js
    b.get(web.url + "/")
    _by_text(b, "城乡居民").click()
    _css(b, "input[name=q]").send_keys("长沙")
    _css(b, "form.search button").click()
    _wait(b, lambda d: "q=" in d.current_url)
    _by_text(b, "湖南省长沙市").click()
    _by_text(b, "🏛 服务大厅/社区代收").click()
    _wait(b, lambda d: "/g/" in d.current_url)
    assert urlsplit(b.current_url).path == "/g/res-430100-hall"
    assert _css(b, ".steps li").is_displayed()


def test_calculator_slider_updates_the_amount(browser: Driver, web: WebServerThread) -> None:
    browser.get(web.url + "/g/flex-370200-wechat?calc=")
    slider = _wait(browser, lambda d: [s for s in d.find_elements("id", "slider") if s.is_displayed()])[0]
    top = slider.get_attribute("max")
    browser.execute_script(
        "arguments[0].value = arguments[0].max; arguments[0].dispatchEvent(new Event('input'));", slider
    )
    _wait(browser, lambda d: "基数" in _css(d, "#content .result").text)
    assert _css(browser, "input[name=calc]").get_attribute("value") == top
    assert f"calc={top}" in browser.current_url  # the address can be shared as it is


def _mini_app_url(web: WebServerThread, init_data: str, path: str = "/app/g/flex-310000-wechat?calc=") -> str:
    fragment = f"tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=android"
    return f"{web.url}{path}#{fragment}"


def _stored(web: WebServerThread, user: int) -> dict[str, str]:
    async def read() -> dict[str, str]:
        async with SqliteSessionStore(web.settings.database) as store:
            record = await store.load(user)
        return dict(record.session.slots) if record.session.state == "instructions" else {}

    return asyncio.run(read())


def _init_data(token: str, user: int, age: float = 10) -> str:
    return sign({"user": json.dumps({"id": user}), "auth_date": str(int(time.time() - age))}, token)


def _fresh(browser: Driver, web: WebServerThread) -> None:
    """Forget the Mini App data of earlier tests (kept per tab, like Telegram's own script does), and
    leave the page, so the next address loads anew (an address differing only after # would not)."""
    browser.get(web.url + "/healthz")
    browser.execute_script("sessionStorage.clear()")


def test_mini_app_with_valid_init_data_saves_to_the_chat(
    browser: Driver, web: WebServerThread, shots: Path
) -> None:
    _fresh(browser, web)
    browser.get(_mini_app_url(web, _init_data(TOKEN, USER), "/app"))
    _by_text(browser, "灵活就业人员").click()  # the chooser inside the Mini App
    _by_text(browser, "上海").click()
    _by_text(browser, "💬 微信").click()
    _wait(browser, lambda d: "/app/g/" in d.current_url)
    _by_text(browser, "🧮 算一算要交多少").click()
    save = _wait(browser, lambda d: [s for s in d.find_elements("id", "save") if s.is_displayed()])[0]
    _screenshot(browser, shots / "mini-app.png")
    _css(browser, "#save-button").click()
    _wait(browser, lambda d: save.get_attribute("data-result"))
    assert save.get_attribute("data-result") == "ok"
    assert "已保存" in _css(browser, "#save-status").text
    assert _stored(web, USER) == {"identity": "flexible", "province": "310000", "channel": "wechat"}


@pytest.mark.parametrize(
    ("init_data", "result", "says"),
    [
        (_init_data("999:someone-else", USER + 1), "forged", "无法确认"),
        (_init_data(TOKEN, USER + 1).replace(str(USER + 1), "1"), "forged", "无法确认"),
        (_init_data(TOKEN, USER + 1, age=2 * 24 * 3600), "stale", "打开太久"),
    ],
    ids=["other bot", "user changed", "stale"],
)
def test_mini_app_with_forged_or_stale_init_data_saves_nothing(
    browser: Driver, web: WebServerThread, init_data: str, result: str, says: str
) -> None:
    _fresh(browser, web)
    browser.get(_mini_app_url(web, init_data))
    save = _wait(browser, lambda d: [s for s in d.find_elements("id", "save") if s.is_displayed()])[0]
    _css(browser, "#save-button").click()
    _wait(browser, lambda d: save.get_attribute("data-result"))
    assert save.get_attribute("data-result") == result
    assert says in _css(browser, "#save-status").text
    assert _stored(web, USER + 1) == {} and _stored(web, 1) == {}


def test_mini_app_opened_outside_telegram_offers_no_saving(browser: Driver, web: WebServerThread) -> None:
    _fresh(browser, web)
    browser.get(web.url + "/app/g/res-430100-wechat")
    assert not _css(browser, "#save").is_displayed()
    assert _css(browser, ".steps li").is_displayed()


def test_mini_app_takes_telegrams_colours(browser: Driver, web: WebServerThread) -> None:
    _fresh(browser, web)
    theme = quote(json.dumps({"bg_color": "#17212b", "text_color": "#f5f5f5", "link_color": "#6ab3f3"}))
    browser.get(f"{web.url}/app/g/res-430100-wechat#tgWebAppThemeParams={theme}")
    _wait(
        browser,
        lambda d: (
            d.execute_script("return getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
        ),
    )
    assert (
        browser.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(23, 33, 43)"
    )
    assert browser.execute_script("return getComputedStyle(document.body).color") == "rgb(245, 245, 245)"
