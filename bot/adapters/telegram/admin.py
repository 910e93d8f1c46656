"""Admin commands: /reload and /flows for the Telegram user ids in ``ADMIN_IDS``, their menu, file watching.

From anyone else the commands are not handled here at all, so they fall through to the bot's answer to
any unknown command: nothing reveals that they exist. Reloading builds and lints the new catalog in a
worker thread beside the running one (:class:`~bot.tools.reload.Reloader`) and swaps it in only when
valid; the optional watcher (``FLOWS_WATCH``) reloads the same way after files change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from bot.adapters.telegram.admin_report import flows_context, reload_context, render_messages
from bot.adapters.telegram.retry import background
from bot.adapters.telegram.texts import TelegramTexts
from bot.catalog.catalog import Catalog
from bot.config import Settings
from bot.errors import ConfigError, Problem
from bot.render import Renderer, read_messages_yaml
from bot.runtime import WizardHolder
from bot.tools.reload import Changes, Reloader
from bot.tools.watch import watch_flows

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
ADMIN_COMMANDS = ("reload", "flows", "reports", "stats")  # the last two: feedback.py
MENU_GROUP = -50  # a handler group of its own, before the bot's: it only makes sure an admin has the menu


@dataclass(frozen=True)
class AdminTexts:
    """The admin commands' menu descriptions and the reload's "please wait" (``messages/admin.yaml``)."""

    commands: tuple[tuple[str, str], ...]
    reload_started: str


def load_admin_texts(messages_dir: Path) -> AdminTexts:
    """Read ``admin.yaml``: a description of 1-256 characters for each admin command, and the texts."""
    path = Path(messages_dir) / "admin.yaml"
    data = read_messages_yaml(messages_dir, "admin.yaml")
    raw = data.get("commands")
    if not isinstance(raw, dict) or set(raw) != set(ADMIN_COMMANDS):
        raise ConfigError(f"{path}: commands: must describe exactly {', '.join(ADMIN_COMMANDS)}")
    for name, desc in raw.items():
        if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
            raise ConfigError(f"{path}: commands.{name}: description must be 1-256 characters")
    started = data.get("reload_started")
    if not isinstance(started, str) or not 1 <= len(started) <= 4096:
        raise ConfigError(f"{path}: reload_started: missing or not a text")
    return AdminTexts(tuple((name, raw[name]) for name in ADMIN_COMMANDS), started)


class Admin:
    """The admin commands, the admins' command menu and the optional flow-file watcher."""

    def __init__(
        self, settings: Settings, holder: WizardHolder, renderer: Renderer, texts: TelegramTexts
    ) -> None:
        self.ids = settings.admin_ids
        self.holder = holder
        self.renderer = renderer
        self.reloader = Reloader(holder, settings.flows_dir, settings.messages_dir)
        self.texts = load_admin_texts(settings.messages_dir)
        self.menu = [BotCommand(n, d) for n, d in (*texts.commands, *self.texts.commands)]
        self.watch = settings.flows_watch
        self.debounce_ms = settings.flows_watch_debounce_ms
        self._with_menu: set[int] = set()  # admins whose chat already shows the admin menu
        self._watcher: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._failing = False  # the watcher's last reload was refused
        self._previous = holder.current.catalog  # the catalog before the last reload, for region names

    def register(self, app: Application, private: filters.BaseFilter) -> None:
        """Add the handlers; call before the bot's catch-all for unknown commands."""
        if not self.ids:
            return
        admins = private & filters.User(user_id=self.ids)
        app.add_handler(CommandHandler("reload", self.reload, filters=admins))
        app.add_handler(CommandHandler("flows", self.flows, filters=admins))
        app.add_handler(MessageHandler(admins, self._ensure_menu), group=MENU_GROUP)

    # ----- lifecycle ----------------------------------------------------------------------------
    async def start(self, app: Application) -> None:
        """Give each admin the admin menu and start the watcher if configured (from ``post_init``)."""
        for admin_id in sorted(self.ids):
            await self._set_menu(app.bot, admin_id)
        if self.watch:
            self._stop.clear()
            self._watcher = asyncio.create_task(self._watch(app.bot), name="flows-watcher")
            log.info("watching %s for changes (reload after %d ms)", self.reloader.root, self.debounce_ms)

    async def stop(self) -> None:
        """Stop the watcher (from ``post_shutdown``); a reload in progress finishes first."""
        if self._watcher is None:
            return
        self._stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self._watcher
        self._watcher = None

    # ----- commands -----------------------------------------------------------------------------
    async def reload(self, update: Update, context: Context) -> None:
        """/reload: build and lint the flows beside the running catalog; swap if valid, else list the errors."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        user = update.effective_user.id if update.effective_user else None
        log.info("admin %s asked for a reload of %s", user, self.reloader.root)
        # Linting every page takes seconds for a large tree: say so at once, then edit in the outcome.
        waiting = await context.bot.send_message(chat_id, self.texts.reload_started)
        swapped, problems, diff = await asyncio.to_thread(self.reloader.reload)
        parts = render_messages(
            self.renderer, "admin_reload", reload_context(swapped, problems, diff, *self._catalogs())
        )
        try:
            await waiting.edit_text(parts[0])
        except BadRequest as exc:  # too old or gone: send it anew
            log.debug("could not edit the reload notice: %s", exc)
            await context.bot.send_message(chat_id, parts[0])
        for part in parts[1:]:
            await context.bot.send_message(chat_id, part)

    async def flows(self, update: Update, context: Context) -> None:
        """/flows: the loaded regions with their oldest and newest verified dates."""
        wizard = self.holder.current
        ctx = flows_context(wizard.catalog, wizard.clock.today())  # the one clock, as the pages
        for part in render_messages(self.renderer, "admin_flows", ctx):
            await context.bot.send_message(update.effective_chat.id, part)  # type: ignore[union-attr]

    def _catalogs(self) -> tuple[Catalog, Catalog]:
        """The catalog in use and the one before it (names of removed regions come from there)."""
        now = self.holder.current.catalog
        before = self._previous
        self._previous = now
        return now, before

    # ----- menu -----------------------------------------------------------------------------------
    async def _set_menu(self, bot: Bot, admin_id: int) -> None:
        """Show the public and the admin commands in this admin's chat only (errors are logged)."""
        scope = BotCommandScopeChat(admin_id)
        try:
            if tuple(await bot.get_my_commands(scope=scope)) != tuple(self.menu):
                await bot.set_my_commands(self.menu, scope=scope)
        except TelegramError as exc:
            # Telegram answers "chat not found" until the admin has written to the bot: retried then.
            log.info("admin %s: command menu not set yet (%s)", admin_id, exc)
            return
        self._with_menu.add(admin_id)

    async def _ensure_menu(self, update: Update, context: Context) -> None:
        """On an admin's message: set their menu if start-up could not (they had not written yet)."""
        user = update.effective_user
        if user is not None and user.id not in self._with_menu:
            await self._set_menu(context.bot, user.id)

    # ----- watching -----------------------------------------------------------------------------
    async def _watch(self, bot: Bot) -> None:
        async def on_result(swapped: bool, problems: list[Problem], diff: Changes) -> None:
            await self._report_watched(bot, swapped, problems, diff)

        try:
            await watch_flows(self.reloader, on_result, stop=self._stop, debounce_ms=self.debounce_ms)
        except Exception:  # the bot keeps running without the watcher; /reload still works
            log.exception("the flow-file watcher stopped")

    async def _report_watched(self, bot: Bot, swapped: bool, problems: list[Problem], diff: Changes) -> None:
        """Log a watched reload; tell the admins when it was refused and when it works again."""
        recovered, self._failing = self._failing and swapped, not swapped
        catalogs = self._catalogs()
        if not swapped:
            errors = [str(p) for p in problems if p.severity != "warning"]
            log.warning(
                "flow files changed but are invalid; still serving the last good catalog:\n%s",
                "\n".join(errors),
            )
        elif not recovered:
            return  # a good reload is logged by the reloader; admins are only told about trouble
        ctx = reload_context(swapped, problems, diff, *catalogs, watched=True, recovered=recovered)
        parts = render_messages(self.renderer, "admin_reload", ctx)
        for admin_id in sorted(self.ids):
            try:
                for part in parts:
                    await bot.send_message(admin_id, part, **background(bot))
            except TelegramError as exc:
                log.info("admin %s not told about the reload: %s", admin_id, exc)
