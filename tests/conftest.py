"""Shared fixtures: the shipped catalog, the renderer and a wizard over them; a real redis-server."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

# One date for the whole suite (and the bots it starts): pages depend on the day, tests must not.
# Tests about other days pass a FixedClock. Set before anything imports bot.clock, which reads it once.
os.environ.setdefault("BOT_TODAY", "2026-12-01")

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.render import Renderer
from bot.testing.redis_server import RedisServer, in_ci
from bot.wizard import Wizard
from tests.helpers.trees import FLOWS


@pytest.fixture(autouse=True)
def _root_log_formatters() -> Iterator[None]:
    """Put back the formatters of the root logger's handlers after each test.

    Starting the Telegram front end wraps them in a redacting formatter (``protect_token``); pytest's
    capture handlers live for the whole session, so without this a later test's ``caplog.text`` would be
    redacted by an earlier test's start-up.
    """
    handlers = list(logging.getLogger().handlers)
    saved = [handler.formatter for handler in handlers]
    yield
    for handler, formatter in zip(handlers, saved, strict=True):
        handler.setFormatter(formatter)


# Left out of `make test-fast` (marked `slow`): modules that render every page, walk every path or run
# the command line in a subprocess, single tests of that kind, tests that start a redis-server, and e2e.
SLOW_MODULES = frozenset(
    {
        "test_lint",
        "test_scaffold",
        "test_graph",
        "test_content_paths",
        "test_golden",
        "test_reminders_views",
        "test_operators_guide",
        "test_wizard_properties",
        "test_preview",
        "test_console",
        "test_layers",
        "test_loader",
        "test_flow_safety",
        "test_reload",
        "test_dated_pages",
        "test_content_bugs",
        "test_guide_layout",
    }
)
SLOW_TESTS = frozenset(
    {
        "test_every_button_of_the_shipped_flows_fits",
        "test_every_card_of_every_region_is_a_valid_message",
        "test_user_mid_wizard_keeps_their_place_or_is_moved_back",
        "test_watcher_reloads_on_change",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
        name = getattr(item, "originalname", item.name)
        fixtures = getattr(item, "fixturenames", ())
        if module in SLOW_MODULES or name in SLOW_TESTS or "redis_url" in fixtures or "/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(FLOWS)


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="session")
def wizard(catalog: Catalog, renderer: Renderer) -> Wizard:
    return Wizard(catalog, renderer.labels)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a redis-server started for this test session on 127.0.0.1 (skipped only outside CI when
    redis-server cannot be had)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    try:
        server.start()
    except FileNotFoundError as exc:
        if in_ci():
            pytest.fail(f"{exc} (CI=true: not skipping)")
        pytest.skip(str(exc))
    try:
        yield server.url
    finally:
        server.stop()
