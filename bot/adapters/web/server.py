"""The web pages over HTTP (aiohttp): ``python -m bot web``, or mounted on the webhook server.

Routes (the same under ``/app`` for the Telegram Mini App, which adds saving the choice to the chat):

* ``GET /``: the chooser (``?i=flex&p=430000&c=430100&ch=wechat``; ``&q=长沙`` searches places);
* ``GET /places?q=``: search results as JSON (the chooser's script uses them; the form works without);
* ``GET /g/<payload>``: the guide for a deep-link payload; ``?calc=5000``, ``?faq=materials`` follow-ups;
  ``/g/<payload>/calc?calc=5000`` only the calculator's section (the calculator's script uses it);
* ``POST /app/api/choice``: ``{"initData": …, "payload": …}`` from the Mini App: checked as Telegram
  specifies (:mod:`.initdata`), then saved as the chat's session, so the chat continues from there;
* ``GET /static/<name>``: the one stylesheet and the one script; ``GET /healthz``.

Pages load nothing from other sites: the Content-Security-Policy allows this site only.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.adapters.web.initdata import InitDataError, validate
from bot.adapters.web.site import Page, WebSite
from bot.config import Settings
from bot.deeplink import parse_payload
from bot.errors import StoreUnavailableError
from bot.events import Event
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.session import Session
from bot.store.base import ChatRecord, SessionStore
from bot.wizard import Wizard

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
_TYPES = {".css": "text/css", ".js": "text/javascript"}
_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'"
)
# Telegram's web client shows Mini Apps in a frame; other pages are never framed.
_FRAMES = {False: "frame-ancestors 'none'", True: "frame-ancestors https://web.telegram.org"}
_ATTEMPTS = 3
# Pages are a few kB: compressing them in the loop costs less than handing them to a thread.
_INLINE_ZLIB = 1 << 20
Notify = Callable[[int], Awaitable[None]]


class Assets:
    """The static files, read once; each is addressed with a hash of its content (cached a year)."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.urls: dict[str, str] = {}
        for path in sorted(directory.iterdir()):
            if path.suffix in _TYPES:
                data = path.read_bytes()
                self.files[path.name] = (data, _TYPES[path.suffix])
                self.urls[path.name] = f"/static/{path.name}?v={hashlib.sha256(data).hexdigest()[:10]}"


class ChoiceSaver:
    """Saves a choice made in the Mini App as the chat's session (the private chat's id is the user's)."""

    def __init__(
        self,
        holder: WizardHolder,
        store: SessionStore,
        bot_token: str,
        notify: Notify | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.holder, self.store, self.bot_token = holder, store, bot_token
        self.notify = notify
        self.clock = clock

    async def save(self, init_data: str, payload: str) -> int:
        """Check ``init_data`` (raises :class:`InitDataError`) and store the guide for ``payload`` as
        the user's chat session; the chat id. ValueError for a payload that names no guide."""
        user = validate(init_data, self.bot_token, now=self.clock() if self.clock else None)
        wizard = self.holder.current
        slots = parse_payload(payload, wizard.catalog)
        if not slots:
            raise ValueError(f"not a guide: {payload!r}")
        for _ in range(_ATTEMPTS):
            record = await self.store.load(user.id)
            session = _choose(wizard, record.session, slots)
            if await self.store.save(user.id, ChatRecord(session, record.message_id, record.rev, True)):
                break
        else:
            raise StoreUnavailableError(f"chat {user.id}: session changed concurrently")
        if self.notify is not None:
            try:
                await self.notify(user.id)
            except Exception as exc:  # the choice is saved; the chat shows it on the next message anyway
                log.warning("chat %s: could not show the Mini App's choice in the chat: %r", user.id, exc)
        return user.id


def _choose(wizard: Wizard, current: Session, slots: Mapping[str, str]) -> Session:
    """``current`` restarted (its version bumped, so older buttons are stale) and filled with ``slots``."""
    session, _ = wizard.step(current, Event("restart"))
    session, _ = wizard.step(session, Event("fill", slots=dict(slots)))
    return session


def _respond(page: Page, app: bool) -> web.StreamResponse:
    if page.location:
        raise web.HTTPFound(page.location)
    headers = {
        "Content-Security-Policy": f"{_CSP}; {_FRAMES[app]}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
        **page.headers,
    }
    response = web.Response(
        status=page.status,
        text=page.body,
        content_type="text/html",
        headers=headers,
        zlib_executor_size=_INLINE_ZLIB,
    )
    response.enable_compression()
    return response


class WebRoutes:
    """aiohttp handlers over a :class:`WebSite` (and a :class:`ChoiceSaver` when the Mini App can save)."""

    def __init__(self, site: WebSite, assets: Assets, saver: ChoiceSaver | None = None) -> None:
        self.site, self.assets, self.saver = site, assets, saver

    def add_to(self, app: web.Application, health: bool = True) -> None:
        """Register the routes on ``app`` (``health``: also ``/healthz``, unless the host app has one)."""
        r = app.router
        for prefix, is_app in (("", False), ("/app", True)):
            r.add_get(prefix or "/", self._wrap(self._choose, is_app))
            if prefix:
                r.add_get(prefix + "/", self._wrap(self._choose, is_app))
            r.add_get(prefix + "/places", self._places(is_app))
            r.add_get(prefix + "/g/{payload}", self._wrap(self._guide, is_app))
            r.add_get(prefix + "/g/{payload}/calc", self._wrap(self._calc, is_app))
        r.add_post("/app/api/choice", self.choice)
        r.add_get("/static/{name}", self.static)
        if health:
            r.add_get("/healthz", self.healthz)
        app.middlewares.append(self._not_found)

    def _choose(self, request: web.Request, app: bool) -> Page:
        return self.site.choose(request.query, app)

    def _guide(self, request: web.Request, app: bool) -> Page:
        return self.site.guide(request.match_info["payload"], request.query, app)

    def _calc(self, request: web.Request, app: bool) -> Page:
        return self.site.calc_fragment(request.match_info["payload"], request.query.get("calc", ""))

    def _wrap(
        self, build: Callable[[web.Request, bool], Page], app: bool
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handler(request: web.Request) -> web.StreamResponse:
            return _respond(build(request, app), app)

        return handler

    def _places(self, app: bool) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handler(request: web.Request) -> web.StreamResponse:
            q = request.query.get("q", "")[:40]
            slots = {"identity": {"flex": "flexible", "res": "resident"}.get(request.query.get("i", ""), "")}
            return web.json_response({"q": q, "places": self.site.places(q, slots, app)})

        return handler

    @web.middleware
    async def _not_found(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Unknown addresses get the friendly 404 page; a page that fails to build gets a short 500."""
        app = request.path.startswith("/app")
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return _respond(self.site.not_found(app), app)
        except web.HTTPException:
            raise
        except Exception as exc:  # an operator error in a flow or web template: logged, not shown
            log.error("web page %s failed: %r", request.path_qs, exc, exc_info=exc)
            return _respond(self.site.error(app), app)

    async def static(self, request: web.Request) -> web.StreamResponse:
        """``/static/<name>``: the stylesheet or the script."""
        found = self.assets.files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        data, content_type = found
        headers = {
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        }
        response = web.Response(
            body=data,
            content_type=content_type,
            charset="utf-8",
            headers=headers,
            zlib_executor_size=_INLINE_ZLIB,
        )
        response.enable_compression()
        return response

    async def healthz(self, request: web.Request) -> web.Response:
        """200 with the number of regions shown."""
        return web.json_response({"status": "ok", "regions": len(self.site.wizard.catalog.regions)})

    async def choice(self, request: web.Request) -> web.Response:
        """The Mini App's choice: saved to the chat when Telegram's signature checks out."""
        if self.saver is None:
            return web.json_response({"status": "unavailable"}, status=503)
        try:
            body: Any = await request.json(loads=json.loads)
            init_data, payload = str(body["initData"]), str(body["payload"])
        except (ValueError, KeyError, TypeError):
            return web.json_response({"status": "malformed"}, status=400)
        try:
            await self.saver.save(init_data, payload)
        except InitDataError as exc:
            log.info("Mini App choice refused: %s", exc)
            status = 403 if exc.reason in ("forged", "stale") else 400
            return web.json_response({"status": exc.reason}, status=status)
        except ValueError:
            return web.json_response({"status": "malformed"}, status=400)
        except StoreUnavailableError as exc:
            log.warning("Mini App choice not saved: %s", exc)
            return web.json_response({"status": "failed"}, status=503)
        return web.json_response({"status": "ok"})


def build_routes(
    holder: WizardHolder,
    renderer: Renderer,
    store: SessionStore | None,
    settings: Settings,
    bot_username: str = "",
    notify: Notify | None = None,
) -> WebRoutes:
    """The site with its assets, and the Mini App's saver when there is a token and a store."""
    assets = Assets()
    site = WebSite(holder, renderer, assets.urls, bot_username)
    saver = None
    if store is not None and settings.telegram_token:
        saver = ChoiceSaver(holder, store, settings.telegram_token, notify)
    return WebRoutes(site, assets, saver)


async def serve_web(
    routes: WebRoutes,
    host: str,
    port: int,
    stop: asyncio.Event,
    on_ready: Callable[[int], None] | None = None,
) -> int:
    """Serve until ``stop`` is set; 0, or 1 when the port cannot be bound."""
    app = web.Application()
    routes.add_to(app)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        log.error("cannot serve the web pages on %s:%s: %s", host, port, exc)
        await runner.cleanup()
        return 1
    bound = int(runner.addresses[0][1])
    log.info("web pages on http://%s:%s/ (Mini App at /app)", host, bound)
    if on_ready is not None:
        on_ready(bound)
    await stop.wait()
    await runner.cleanup()
    return 0


async def _bot_username(settings: Settings) -> str:
    """The bot's username (guides link to the same place in the chat), or empty without a token or when
    the Bot API cannot be asked now."""
    if not settings.telegram_token:
        return ""
    from telegram import Bot
    from telegram.error import TelegramError

    try:
        async with Bot(settings.telegram_token, base_url=settings.telegram_base_url) as bot:
            return bot.username
    except (TelegramError, OSError) as exc:
        log.warning("could not ask the Bot API for the bot's name; pages will not link to the chat: %s", exc)
        return ""


def run_web(settings: Settings, wizard: Wizard, renderer: Renderer) -> int:
    """``python -m bot web``: the web pages (and the Mini App's saving, with a token) until SIGINT/SIGTERM."""
    from bot.store.factory import make_store

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        store = make_store(settings) if settings.telegram_token else None
        if store is not None:
            await store.open()
        try:
            username = await _bot_username(settings)
            routes = build_routes(WizardHolder(wizard), renderer, store, settings, bot_username=username)
            return await serve_web(routes, settings.web_listen, settings.web_port, stop)
        finally:
            if store is not None:
                await store.close()

    return asyncio.run(main())
