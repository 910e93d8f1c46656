"""Shared fixtures: the shipped catalog, the renderer and a wizard over them."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.render import Renderer
from bot.wizard import Wizard
from tests.helpers.trees import FLOWS


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(FLOWS)


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer()


@pytest.fixture(scope="session")
def wizard(catalog: Catalog, renderer: Renderer) -> Wizard:
    return Wizard(catalog, renderer.labels)
