"""A real headless Chromium (Debian's ``chromium`` and ``chromium-driver``, installed by
``scripts/system-deps.sh``) driven through Selenium, and the web pages served in a thread.

Nothing is downloaded at run time: the driver and the browser are the system's. Outside CI a missing
browser skips these tests; in CI (CI=true) it fails them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.render import Renderer
from bot.testing.redis_server import in_ci
from bot.wizard import Wizard
from tests.helpers.web_server import WebServerThread

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
TOKEN = "123456:BROWSER-test-token"
WIDTH, HEIGHT = 390, 844  # a common phone, in CSS pixels
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    f"--window-size={WIDTH},{HEIGHT}",
)


def _driver(javascript: bool = True) -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}")
    options.add_argument("--lang=zh-CN")
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    set_viewport(driver, WIDTH, HEIGHT)
    return driver


def set_viewport(driver: object, width: int, height: int) -> None:
    """Emulate a phone screen of ``width`` x ``height`` CSS pixels."""
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if missing:
        reason = f"no browser for the browser tests: {', '.join(missing)} (run scripts/system-deps.sh)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: not skipping")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_browser()
    driver = _driver()
    yield driver
    driver.quit()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser_without_js() -> Iterator[object]:
    _need_browser()
    driver = _driver(javascript=False)
    yield driver
    driver.quit()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def web(
    wizard: Wizard, renderer: Renderer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WebServerThread]:
    server = WebServerThread(wizard, renderer, tmp_path_factory.mktemp("web"), TOKEN).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: SCREENSHOTS_DIR (``make screenshots``: docs/web), else a temporary directory."""
    target = os.environ.get("SCREENSHOTS_DIR")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
