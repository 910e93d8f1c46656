"""End-to-end fixtures: a fake Bot API on 127.0.0.1 and the real Application polling it.

Every test's fake server must end with no rule violations and every button press answered. The time from
the fake server handing an update to the bot until the bot's first message or edit for it is collected
across the run and printed in the summary (a measurement, never an assertion), leaving out tests marked
``unmeasured`` (injected faults and flood limits slow them down on purpose).
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.polling import serve
from bot.clock import Clock
from bot.config import Settings
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient, UpdateTracker
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard

LATENCIES: list[float] = []
POLL_TIMEOUT = 1  # seconds; an injected update wakes the pending poll at once, so this only bounds idling


@pytest.fixture
async def api(request: pytest.FixtureRequest) -> AsyncIterator[FakeBotApi]:
    server = await FakeBotApi().start()
    yield server
    await server.stop()
    if request.node.get_closest_marker("unmeasured") is None:
        LATENCIES.extend(server.latencies())
    assert server.problems() == []


@pytest.fixture
def settings(tmp_path: Path, api: FakeBotApi) -> Settings:
    return Settings(telegram_token=api.token, telegram_base_url=api.base_url, data_dir=tmp_path / "data")


@dataclass
class RunningBot:
    app: Application
    tracker: UpdateTracker
    store: SqliteSessionStore
    holder: WizardHolder


@asynccontextmanager
async def running_bot(
    settings: Settings,
    api: FakeBotApi,
    wizard: Wizard,
    renderer: Renderer,
    store: SqliteSessionStore | None = None,
    clock: Clock | None = None,
) -> AsyncIterator[RunningBot]:
    """Build the Application over ``settings`` (and ``store``) and serve it until the block ends. With
    ``clock``, the wizard (and so the whole bot: pages, reminders, counts) reads "today" and "now" from it."""
    store = store or SqliteSessionStore(settings.database)
    if clock is not None:
        wizard = Wizard(wizard.catalog, wizard.labels, clock)
    holder = WizardHolder(wizard)
    app = build_app(settings, holder, renderer, store)
    tracker = UpdateTracker.attach(app)
    stop = asyncio.Event()
    polls = len(api.calls_of("getUpdates"))
    task = asyncio.create_task(serve(app, stop, poll_timeout=POLL_TIMEOUT, startup_window=0))
    await api.wait_for(lambda: len(api.calls_of("getUpdates")) > polls or task.done())
    assert not task.done(), f"bot stopped at start-up with exit code {task.result()}"
    try:
        yield RunningBot(app, tracker, store, holder)
    finally:
        stop.set()
        assert await task == 0


@pytest.fixture
async def bot(
    settings: Settings, api: FakeBotApi, wizard: Wizard, renderer: Renderer
) -> AsyncIterator[RunningBot]:
    async with running_bot(settings, api, wizard, renderer) as b:
        yield b


@pytest.fixture
def chat(api: FakeBotApi, bot: RunningBot) -> ChatClient:
    return ChatClient(api, bot.tracker)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if LATENCIES:
        ms = sorted(x * 1000 for x in LATENCIES)
        p90 = statistics.quantiles(ms, n=10, method="inclusive")[-1] if len(ms) > 1 else ms[0]
        terminalreporter.write_line(
            f"e2e: {len(ms)} updates answered; update offered -> bot's answer: "
            f"median {statistics.median(ms):.1f} ms, p90 {p90:.1f} ms, max {ms[-1]:.1f} ms"
        )
