"""``python -m bot reports|stats`` and ``python -m bot flows stale``: what the store holds, for
operators at a terminal (the same store the bot uses: SQLite in BOT_DATA_DIR, or SESSION_STORE)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.clock import SYSTEM_CLOCK
from bot.config import Settings
from bot.errors import BotError, FlowError
from bot.feedback import day_of
from bot.store.base import SessionStore
from bot.store.factory import make_store
from bot.tools.freshness import (
    day_stats,
    format_reports,
    format_stale,
    format_stats,
    freshness,
    stats_context,
)

T = TypeVar("T")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``reports`` and ``stats`` on the top-level sub-parser."""
    p = sub.add_parser("reports", help="list users' reports of wrong information (newest first, by region)")
    p.add_argument("--open", action="store_true", help="only reports not closed yet")
    p.add_argument("--region", help="one region's code (a province includes its cities)")
    p.add_argument("--close", type=int, metavar="ID", help="close report ID (after fixing the flows)")
    p = sub.add_parser("stats", help="anonymous usage counts per day and region")
    p.add_argument("--days", type=int, default=7, help="how many days back (default 7)")


def add_flows_parsers(flows: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``flows stale``."""
    p = flows.add_parser(
        "stale", help="per region: unknown figures, figures older than the year collected, open reports"
    )
    p.add_argument("--all", action="store_true", help="list every region, not only those needing attention")
    from bot.tools import notice_patch

    notice_patch.add_parser(flows)


def _with_store(settings: Settings, work: Callable[[SessionStore], Awaitable[T]]) -> T:
    async def go() -> T:
        store = make_store(settings)
        await store.open()
        try:
            return await work(store)
        finally:
            await store.close()

    return asyncio.run(go())


def _catalog(settings: Settings) -> Catalog | None:
    try:
        return load_catalog(settings.flows_dir)
    except FlowError:
        return None  # region names are left out; `flows lint` says what is wrong


def run_reports(args: argparse.Namespace, settings: Settings) -> int:
    """``reports``: print (or close one of) the reports."""

    async def work(store: SessionStore) -> int:
        if args.close is not None:
            if await store.close_report(args.close, SYSTEM_CLOCK.now().timestamp()):
                print(f"report #{args.close} closed")
                return 0
            print(f"report #{args.close}: no such open report", file=sys.stderr)
            return 1
        rows = await store.reports(open_only=args.open, region=args.region)
        print(format_reports(rows, _catalog(settings)), end="")
        return 0

    return _run(settings, work)


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    """``stats``: the counts of the last ``--days`` days."""
    since = day_of(SYSTEM_CLOCK.now().timestamp() - max(0, args.days - 1) * 86400)

    async def work(store: SessionStore) -> int:
        counts = await store.counts(since)
        print(format_stats(stats_context(day_stats(counts), _catalog(settings), top=20)), end="")
        return 0

    return _run(settings, work)


def run_stale(args: argparse.Namespace, settings: Settings) -> int:
    """``flows stale``: regions needing attention, most visited first."""
    try:
        catalog = load_catalog(settings.flows_dir)
    except FlowError as exc:
        print(str(exc), file=sys.stderr)
        return 1

    async def work(store: SessionStore) -> int:
        reports, counts = await store.reports(open_only=True), await store.counts()
        today = SYSTEM_CLOCK.today()  # the one clock (BOT_TODAY when set), as the pages and the lint
        print(format_stale(freshness(catalog, reports, counts, today), today, args.all), end="")
        return 0

    return _run(settings, work)


def _run(settings: Settings, work: Callable[[SessionStore], Awaitable[int]]) -> int:
    try:
        return _with_store(settings, work)
    except (BotError, OSError) as exc:
        print(f"cannot read the store (BOT_DATA_DIR or SESSION_STORE): {exc}", file=sys.stderr)
        return 1
