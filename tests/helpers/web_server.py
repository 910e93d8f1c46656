"""The web pages served for real on 127.0.0.1: in the test's event loop, or in a thread of their own
(for a browser driven by blocking calls)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.adapters.web.server import WebRoutes, build_routes, serve_web
from bot.config import Settings
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.store.sqlite import SqliteSessionStore
from bot.wizard import Wizard


@asynccontextmanager
async def serving(routes: WebRoutes) -> AsyncIterator[str]:
    """Serve ``routes`` on a free port in this loop; yields the base address ``http://127.0.0.1:port``."""
    stop = asyncio.Event()
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve_web(routes, "127.0.0.1", 0, stop, ready.set_result))
    port = await asyncio.wait_for(ready, 10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        assert await task == 0


class WebServerThread:
    """``python -m bot web`` in a thread: the site over a SQLite store in ``data_dir``, with ``token``."""

    def __init__(
        self,
        wizard: Wizard,
        renderer: Renderer,
        data_dir: Path,
        token: str,
        make_routes: Callable[[WizardHolder, SqliteSessionStore, Settings], WebRoutes] | None = None,
    ) -> None:
        self.settings = Settings(telegram_token=token, data_dir=data_dir)
        self.wizard, self.renderer = wizard, renderer
        self.make_routes = make_routes
        self.url = ""
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="web-server", daemon=True)

    def start(self) -> WebServerThread:
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError("the web server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        store = SqliteSessionStore(self.settings.database)
        await store.open()
        holder = WizardHolder(self.wizard)
        if self.make_routes is not None:
            routes = self.make_routes(holder, store, self.settings)
        else:
            routes = build_routes(holder, self.renderer, store, self.settings)

        def ready(port: int) -> None:
            self.url = f"http://127.0.0.1:{port}"
            self._ready.set()

        try:
            await serve_web(routes, "127.0.0.1", 0, self._stop, ready)
        finally:
            await store.close()
