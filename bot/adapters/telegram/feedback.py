"""Users' reports and usage counts on Telegram (issue 16): keeping a report, the admins' batched notice,
``/reports`` with close and jump buttons, ``/stats``, and the freshness summary after ``/flows``.

Only the Telegram user ids in ``ADMIN_IDS`` get the commands and the notices; from anyone else the
commands fall through to the unknown-command answer, and the buttons answer like a stale button.
The texts are ``messages/admin_reports*.html.j2``, ``admin_stats.html.j2`` and ``admin_stale.html.j2``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.adapters.telegram.admin_report import render_messages
from bot.adapters.telegram.handlers import WizardBot
from bot.adapters.telegram.retry import background
from bot.background import cancel_and_wait
from bot.clock import SYSTEM_UNIX_TIME
from bot.events import Event
from bot.feedback import CHINA, Report, day_of
from bot.pages.reporting import page_event
from bot.session import Session
from bot.tools.freshness import day_stats, freshness, report_groups, stale_context, stats_context, when
from bot.view import View
from bot.wizard import Wizard

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE
CALLBACK_PREFIX = "rp:"  # rp:c:<id> close, rp:j:<id> jump, rp:r: refresh
MAX_LISTED = 20  # reports listed with buttons in /reports; the rest are counted
STATS_DAYS = 7
FLOWS_GROUP = 1  # /flows: the freshness summary follows the admin's region list (group 0)


class FeedbackDesk:
    """Keeps reports, tells the admins in batches, and answers their /reports and /stats."""

    def __init__(
        self,
        bot: WizardBot,
        admin_ids: frozenset[int],
        notice_delay: float,
        clock: Callable[[], float] = SYSTEM_UNIX_TIME,
    ) -> None:
        self.bot = bot
        self.store = bot.store
        self.renderer = bot.presenter.renderer
        self.ids = admin_ids
        self.notice_delay = notice_delay
        self.clock = clock
        self._app_bot: Bot | None = None
        self._waiting: list[Report] = []  # kept, not yet in a notice
        self._notice: asyncio.Task[None] | None = None

    def register(self, app: Application, private: filters.BaseFilter) -> None:
        """Add the admins' handlers (before the catch-all for unknown commands)."""
        self._app_bot = app.bot
        self.bot.on_report = self.keep
        app.add_handler(CallbackQueryHandler(self.button, pattern=f"^{CALLBACK_PREFIX}"))
        if not self.ids:
            return
        admins = private & filters.User(user_id=self.ids)
        app.add_handler(CommandHandler("reports", self.reports, filters=admins))
        app.add_handler(CommandHandler("stats", self.stats, filters=admins))
        app.add_handler(CommandHandler("flows", self.stale, filters=admins), group=FLOWS_GROUP)

    async def stop(self) -> None:
        """Stop waiting to notify (at shutdown the Bot API may be gone; the reports are in the store and
        /reports lists them)."""
        if self._notice is not None and not self._notice.done():
            await cancel_and_wait(self._notice)
            if self._waiting:
                log.info("%d report(s) not announced to the admins before shutdown", len(self._waiting))

    # ----- a user's report ----------------------------------------------------------------------
    async def keep(self, report: Report) -> None:
        """Store the report (stamped now) and have the admins told, batched over ``notice_delay``."""
        report = replace(report, created=self.clock())
        report = replace(report, id=await self.store.add_report(report))
        log.info("report #%s kept (region %s, page %s)", report.id, report.region, report.page)
        if not self.ids:
            return
        self._waiting.append(report)
        if self._notice is None or self._notice.done():
            self._notice = asyncio.create_task(self._notice_later(), name="report-notice")

    async def _notice_later(self) -> None:
        await asyncio.sleep(self.notice_delay)
        await self._send_notice()

    async def _send_notice(self) -> None:
        """One short message to each admin about the reports kept since the last one."""
        batch, self._waiting = self._waiting, []
        if not batch or self._app_bot is None:
            return
        catalog = self.bot.holder.current.catalog
        regions = Counter(r.region for r in batch)
        named = [
            (catalog.regions[c].name if c in catalog.regions else c, n) for c, n in regions.most_common()
        ]
        (text,) = render_messages(
            self.renderer, "admin_reports_notice", {"total": len(batch), "regions": named}
        )
        for admin_id in sorted(self.ids):
            try:
                await self._app_bot.send_message(admin_id, text, **background(self._app_bot))
            except TelegramError as exc:
                log.info("admin %s not told about %d report(s): %s", admin_id, len(batch), exc)

    # ----- /reports -----------------------------------------------------------------------------
    async def _reports_view(self) -> tuple[list[str], InlineKeyboardMarkup | None]:
        reports = await self.store.reports(open_only=True)
        catalog = self.bot.holder.current.catalog
        listed = reports[:MAX_LISTED]
        groups = report_groups(listed, catalog)
        shown: list[dict[str, Any]] = [
            {
                "region": g["region"],
                "reports": [
                    {
                        "id": r.id,
                        "when": when(r.created),
                        "identity": r.identity,
                        "channel": r.channel,
                        "page": r.page,
                        "year": r.year,
                        "text": r.text,
                    }
                    for r in g["reports"]
                ],
            }
            for g in groups
        ]
        ctx = {"total": len(reports), "groups": shown, "more": len(reports) - len(listed)}
        parts = render_messages(self.renderer, "admin_reports", ctx)
        labels = self.renderer.labels
        rows = [
            [
                InlineKeyboardButton(
                    f"{labels['report_close']} #{r['id']}", callback_data=f"{CALLBACK_PREFIX}c:{r['id']}"
                ),
                InlineKeyboardButton(
                    f"{labels['report_jump']} #{r['id']}", callback_data=f"{CALLBACK_PREFIX}j:{r['id']}"
                ),
            ]
            for g in shown
            for r in g["reports"]
        ]
        return parts, InlineKeyboardMarkup(rows) if rows else None

    async def reports(self, update: Update, context: Context) -> None:
        """/reports: the open reports, newest first, grouped by region, each with close and jump buttons."""
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        parts, markup = await self._reports_view()
        for i, part in enumerate(parts):
            await context.bot.send_message(
                chat_id, part, reply_markup=markup if i == len(parts) - 1 else None
            )

    async def button(self, update: Update, context: Context) -> None:
        """rp:c:<id> closes a report and refreshes the list; rp:j:<id> shows its page as users see it."""
        query = update.callback_query
        assert query is not None
        if query.from_user.id not in self.ids:
            await query.answer(self.bot.texts.toast_invalid)
            return
        kind, _, raw = (query.data or "").removeprefix(CALLBACK_PREFIX).partition(":")
        report_id = int(raw) if raw.isdigit() else 0
        texts = self.renderer.labels
        if kind == "c":
            closed = await self.store.close_report(report_id, self.clock())
            await query.answer(f"{texts['report_closed']} #{report_id}" if closed else texts["report_gone"])
            message = query.message if isinstance(query.message, Message) else None
            if message is not None:
                parts, markup = await self._reports_view()
                with contextlib.suppress(BadRequest):  # "not modified" or too old: the toast said it
                    await message.edit_text(parts[0], reply_markup=markup if len(parts) == 1 else None)
            log.info("admin %s closed report #%s", query.from_user.id, report_id)
            return
        found = next((r for r in await self.store.reports() if r.id == report_id), None)
        if kind != "j" or found is None:
            await query.answer(texts["report_gone"])
            return
        await query.answer()
        await self.show_as_user(update, context, found)

    async def show_as_user(self, update: Update, context: Context, report: Report) -> None:
        """Put the admin's own wizard on the report's page (as the user saw it, with today's content)."""
        region = report.region
        slots = {"identity": report.identity, "province": region[:2] + "0000", "channel": report.channel}
        if not region.endswith("0000"):
            slots["city"] = region
        action, value = page_event(report.page)

        def jump(w: Wizard, s: Session) -> tuple[Session, View]:
            s, _ = w.step(s, Event("restart"))
            s, view = w.step(s, Event("fill", slots=slots))
            if s.state == "instructions" and action != "show":
                s, view = w.step(s, Event(action, value))
            return s, view

        prefix = self.renderer.text(
            "admin_report_jump", id=report.id, text=report.text, when=when(report.created), year=report.year
        )
        await self.bot._show_new(update, context, jump, prefix)

    # ----- /stats and the /flows summary --------------------------------------------------------
    async def stats(self, update: Update, context: Context) -> None:
        """/stats: the counts of the last days (anonymous: no user ids are counted)."""
        await self.bot.usage.flush()  # include what was counted since the last flush
        since = day_of(self.clock() - (STATS_DAYS - 1) * 86400)
        counts = await self.store.counts(since)
        ctx = stats_context(day_stats(counts), self.bot.holder.current.catalog)
        ctx["counting"] = self.bot.usage.enabled
        for part in render_messages(self.renderer, "admin_stats", ctx):
            await context.bot.send_message(update.effective_chat.id, part)  # type: ignore[union-attr]

    async def stale(self, update: Update, context: Context) -> None:
        """/flows (after the region list): regions needing attention, most visited first."""
        await self.bot.usage.flush()
        today = dt.datetime.fromtimestamp(self.clock(), CHINA).date()
        rows = freshness(
            self.bot.holder.current.catalog,
            await self.store.reports(open_only=True),
            await self.store.counts(),
            today,
        )
        for part in render_messages(self.renderer, "admin_stale", stale_context(rows, today)):
            await context.bot.send_message(update.effective_chat.id, part)  # type: ignore[union-attr]
