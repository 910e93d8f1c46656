"""Receiving updates by webhook: a small aiohttp server in front of the same Application as polling.

Follows python-telegram-bot's "custom webhook bot" example (own web server, updates handed to the
Application), with what several instances behind one URL need:

* ``POST <path of WEBHOOK_URL>`` (default ``/telegram``) takes one update. The
  ``X-Telegram-Bot-Api-Secret-Token`` header must equal WEBHOOK_SECRET (else 403). The update is
  processed *before* the answer: Telegram sends a chat's next update only after a 2xx answer, so each
  chat's updates reach the bot one at a time and in order, whichever instance takes them. Through the
  :class:`~bot.store.gate.UpdateGate` an update already processed (Telegram retries when an answer gets
  lost) is acknowledged without being processed again; with Redis this holds across instances.
* ``GET /healthz``: 200 ``{"status": "ok"}`` while serving; 503 while draining or when the shared store
  does not answer (the proxy then sends updates to another instance).
* SIGTERM/SIGINT: new updates are refused with 503 (Telegram or the proxy retry them elsewhere), the
  ones in flight are finished, then the server and the Application stop.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.adapters.telegram.answering import BEFORE_ANSWER
from bot.adapters.telegram.lifecycle import ALLOWED_UPDATES, EXIT_OK, EXIT_UNREACHABLE, shut_down, start_up
from bot.adapters.telegram.ordering import chat_key, slot_released
from bot.adapters.telegram.unreadable import lean_update
from bot.adapters.web.server import WebRoutes
from bot.config import Settings
from bot.store.gate import UpdateGate

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_PATH = "/telegram"
DRAIN_TIMEOUT = 20.0  # seconds to finish updates in flight at shutdown (compose gives 30 before SIGKILL)
CLOSE_TIMEOUT = 2.0  # then seconds for open connections to close (half-sent requests are cut off)


def webhook_path(url: str) -> str:
    """The path the server takes updates on: WEBHOOK_URL's path, or ``/telegram``."""
    path = urlsplit(url).path if url else ""
    return path if path not in ("", "/") else DEFAULT_PATH


class WebhookServer:
    """The HTTP side: checks, hands each update to the Application, reports health, drains on stop."""

    def __init__(
        self, app: Application, gate: UpdateGate, settings: Settings, pages: WebRoutes | None = None
    ) -> None:
        self.app = app
        self.pages = pages  # the web pages and the Mini App, served beside the updates
        self.gate = gate
        self.secret = settings.webhook_secret
        self.host, self.port = settings.webhook_listen, settings.webhook_port
        self.path = webhook_path(settings.webhook_url)
        self.draining = False
        self.in_flight = 0
        self.processed = self.duplicates = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._runner: web.AppRunner | None = None

    def web_app(self) -> web.Application:
        """The aiohttp application with the update and health routes."""
        web_app = web.Application()
        web_app.router.add_post(self.path, self.receive)
        web_app.router.add_get("/healthz", self.healthz)
        if self.pages is not None:
            self.pages.site.bot_username = self.app.bot.username  # known once the Application is initialized
            self.pages.add_to(web_app, health=False)
        return web_app

    async def start(self) -> None:
        """Listen on ``host:port`` (OSError when the port is taken)."""
        self._runner = web.AppRunner(
            self.web_app(), access_log=None, handle_signals=False, shutdown_timeout=CLOSE_TIMEOUT
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        if self.port == 0:  # a free port was asked for (tests): report the one the system chose
            self.port = int(self._runner.addresses[0][1])

    async def drain(self, timeout: float | None = None) -> bool:
        """Refuse new updates, wait for those in flight, stop listening; False if some were cut off.
        Takes at most ``timeout`` seconds (default :data:`DRAIN_TIMEOUT`) plus :data:`CLOSE_TIMEOUT`
        for connections that never sent a whole request (slow or dead clients)."""
        timeout = DRAIN_TIMEOUT if timeout is None else timeout
        self.draining = True
        finished = True
        if not self._idle.is_set():
            try:
                await asyncio.wait_for(self._idle.wait(), timeout)
            except TimeoutError:
                log.warning("%d update(s) in flight after %.0fs; stopping anyway", self.in_flight, timeout)
                finished = False
        await self.close()
        return finished

    async def close(self) -> None:
        """Stop listening at once (idempotent)."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # ----- routes ---------------------------------------------------------------------------------
    async def receive(self, request: web.Request) -> web.Response:
        """One update from Telegram: checked, processed, then acknowledged."""
        if self.draining:
            return web.Response(status=503, headers={"Retry-After": "1"}, text="shutting down")
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()):
            return web.Response(status=403, text="wrong secret token")
        try:
            data = await request.json(loads=json.loads)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an object with an integer update_id")
            lean_update(data)  # as long polling does (unreadable.py)
            update = Update.de_json(data, self.app.bot)
        except web.HTTPException:
            raise
        except (Exception, RecursionError) as exc:  # any malformed body: deep JSON, wrong types, bad bytes
            log.warning("webhook: not an update (%s)", type(exc).__name__)
            return web.Response(status=400, text="not an update")
        self.in_flight += 1
        self._idle.clear()
        try:
            await self._process(update)
        except Exception as exc:  # the shared store failed: Telegram delivers the update again later
            log.error("update %s not processed: %r", update.update_id, exc, exc_info=exc)
            return web.Response(status=500, text="not processed; retry")
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self._idle.set()
        return web.Response(status=200)

    async def healthz(self, request: web.Request) -> web.Response:
        """200 while serving with the store reachable; 503 otherwise."""
        if self.draining:
            status = "draining"
        elif not await self.gate.healthy():
            status = "store unavailable"
        else:
            status = "ok"
        body = {"status": status, "in_flight": self.in_flight, "processed": self.processed}
        return web.json_response(body, status=200 if status == "ok" else 503)

    # ----- processing -----------------------------------------------------------------------------
    async def _process(self, update: Update) -> None:
        """Through the Application's update processor (bounded concurrency, per-chat order), in the
        chat's turn, unless the update was processed already."""
        key = chat_key(update)
        if key is None:
            await self.app.update_processor.process_update(update, self.app.process_update(update))
            return

        async def in_turn() -> None:
            # Waiting for another instance's turn lends the processing slot to other chats.
            async with self.gate.turn(key, waiting=slot_released):
                if await self.gate.seen(key, update.update_id):
                    self.duplicates += 1
                    log.info("update %s (chat %s) was already processed; acknowledged", update.update_id, key)
                    return
                marked = False

                async def mark() -> None:  # just before the first answer leaves (answering.py)
                    nonlocal marked
                    await self.gate.done(key, update.update_id)
                    marked = True

                token = BEFORE_ANSWER.set(mark)
                try:
                    await self.app.process_update(update)
                finally:
                    BEFORE_ANSWER.reset(token)
                if not marked:
                    await self.gate.done(key, update.update_id)
                self.processed += 1

        await self.app.update_processor.process_update(update, in_turn())


async def set_webhook(app: Application, settings: Settings) -> None:
    """Point Telegram at WEBHOOK_URL with the secret token (every instance sets the same; idempotent)."""
    await app.bot.set_webhook(
        settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=ALLOWED_UPDATES,
        max_connections=settings.webhook_max_connections,
    )
    log.info("webhook set to %s", settings.webhook_url)


async def serve_webhook(
    app: Application,
    gate: UpdateGate,
    settings: Settings,
    stop: asyncio.Event,
    on_ready: Callable[[WebhookServer], Awaitable[None]] | None = None,
    pages: WebRoutes | None = None,
) -> int:
    """Serve webhooks until ``stop`` is set, then drain. Exit codes as :func:`~.polling.serve` (0 stopped,
    1 Bot API, store or port unavailable at start-up, 2 bad token)."""
    code = await start_up(app)
    if code is not None:
        return code
    server = WebhookServer(app, gate, settings, pages)
    try:
        await app.start()
        if settings.webhook_url:
            await set_webhook(app, settings)
        await server.start()
    except (TelegramError, OSError) as exc:
        log.error("cannot start the webhook server on %s:%s: %s", server.host, server.port, exc)
        await _stop(app, server)
        return EXIT_UNREACHABLE
    log.info(
        "@%s is receiving updates (webhook on http://%s:%s%s)", app.bot.username, server.host, server.port,
        server.path,
    )  # fmt: skip
    if on_ready is not None:
        await on_ready(server)
    await stop.wait()
    started = time.monotonic()
    finished = await server.drain()
    log.info(
        "drained in %.1fs (%s); %d updates processed, %d duplicates acknowledged",
        time.monotonic() - started, "all finished" if finished else "some cut off", server.processed,
        server.duplicates,
    )  # fmt: skip
    await _stop(app, server)
    return EXIT_OK


async def _stop(app: Application, server: WebhookServer) -> None:
    await server.close()
    await shut_down(app)
