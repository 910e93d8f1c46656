"""Command line: ``python -m bot`` runs the bot (Telegram with a token, else the terminal wizard);
``python -m bot flows lint`` checks the flow files; ``flows coverage`` and ``flows golden`` report on
and snapshot the content."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.config import Settings, load_settings
from bot.errors import BotError, FlowError
from bot.render import Renderer
from bot.wizard import Wizard

log = logging.getLogger("bot")


def build_wizard(settings: Settings) -> tuple[Catalog, Renderer, Wizard]:
    """Load flows and templates; raises :class:`FlowError` when the flows are invalid."""
    catalog = load_catalog(settings.flows_dir)
    renderer = Renderer(settings.messages_dir)
    return catalog, renderer, Wizard(catalog, renderer.labels)


def _run(settings: Settings, console: bool) -> int:
    try:
        _catalog, renderer, wizard = build_wizard(settings)
    except FlowError as exc:
        print(f"Refusing to start: {len(exc.problems)} problem(s) in {settings.flows_dir}:", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 2
    if settings.bot_mode == "webhook" and not settings.telegram_token and not console:
        print("Configuration error: webhook mode needs TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return 2
    if settings.telegram_token and not console:
        from bot.adapters.telegram import run_telegram

        return run_telegram(settings, wizard, renderer)
    from bot.adapters.console import run_console

    return run_console(wizard, renderer, sys.stdin, sys.stdout)


def _lint(settings: Settings, paths: list[str]) -> int:
    root = Path(paths[0]) if paths else settings.flows_dir
    try:
        catalog = load_catalog(root)
    except FlowError as exc:
        print(str(exc))
        print(f"{len(exc.problems)} error(s)", file=sys.stderr)
        return 1
    for w in catalog.warnings:
        print(str(w))
    print(f"OK: {len(catalog.flows)} regions, {len(catalog.warnings)} warning(s)", file=sys.stderr)
    return 0


def _content_tool(settings: Settings, command: str) -> int:
    """``flows coverage`` (report) and ``flows golden`` (regenerate golden files)."""
    try:
        catalog, renderer, _wizard = build_wizard(settings)
    except FlowError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if command == "coverage":
        from bot.coverage import format_report

        print(format_report(catalog))
        return 0
    from bot.golden import main as golden

    return golden(catalog, renderer)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bot`` and the ``yibao-bot`` script."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="医保缴费向导 (medical-insurance payment wizard)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run", help="run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal (default)"
    )
    sub.add_parser("console", help="run the wizard in the terminal even when a token is set")
    flows = sub.add_parser("flows", help="tools for the flow files").add_subparsers(
        dest="flows_command", required=True
    )
    lint = flows.add_parser("lint", help="validate the flow files; exit 1 on any error")
    lint.add_argument("paths", nargs="*", help="flows directory (default: FLOWS_DIR or ./flows)")
    flows.add_parser("coverage", help="print which regions, channels and figures the flows cover")
    flows.add_parser("golden", help="rewrite tests/golden/ from the current flows and templates")
    parser.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (same as BOT_MODE=webhook)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except BotError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    if args.webhook:
        settings = replace(settings, bot_mode="webhook")
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # transitions logs every state change at INFO; that is noise in production logs.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    if args.command == "flows" and args.flows_command in ("coverage", "golden"):
        return _content_tool(settings, args.flows_command)
    if args.command == "flows":
        return _lint(settings, args.paths)
    return _run(settings, console=args.command == "console")
