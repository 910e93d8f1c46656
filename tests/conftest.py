"""Shared fixtures: the shipped catalog, the renderer and a wizard over them; a real redis-server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.render import Renderer
from bot.wizard import Wizard
from tests.helpers.redis_server import RedisServer, in_ci
from tests.helpers.trees import FLOWS

# One date for the whole suite (and the bots it starts): pages depend on the day, tests must not.
# Tests about other days pass a FixedClock.
os.environ.setdefault("BOT_TODAY", "2026-12-01")


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
