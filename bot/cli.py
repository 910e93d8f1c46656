"""Command line: ``python -m bot`` runs the bot (Telegram with a token, else the terminal wizard);
``python -m bot flows lint|preview|graph|new`` are the operators' tools (see docs/operators.md);
``flows coverage`` reports on the content. Golden files are written by ``make golden`` (tests/helpers)."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace

from bot.catalog.catalog import Catalog
from bot.catalog.loader import load_catalog
from bot.config import Settings, load_settings
from bot.errors import BotError, FlowError
from bot.render import Renderer
from bot.tools import feedback_cli
from bot.tools.commands import add_parsers as add_flows_parsers
from bot.tools.commands import run as run_flows
from bot.tools.coverage import format_report
from bot.wizard import Wizard

log = logging.getLogger("bot")


def build_wizard(settings: Settings) -> tuple[Catalog, Renderer, Wizard]:
    """Load flows and templates; raises :class:`FlowError` when the flows are invalid."""
    catalog = load_catalog(settings.flows_dir)
    renderer = Renderer(settings.messages_dir)
    return catalog, renderer, Wizard(catalog, renderer.labels)


def leave_out_trio() -> None:
    """Keep trio out of this process. httpcore (python-telegram-bot's HTTP client, under httpx) imports
    trio whenever it is installed, only to learn whether it runs under trio; this bot runs under
    asyncio. selenium, a test dependency, installs trio, and with it attrs, outcome and sortedcontainers:
    2.7 MiB of resident memory for nothing (``python -m bench.memory``). Works only before httpcore is
    first imported, so a process that already loaded it (a test run) is left as it is."""
    if "httpcore" not in sys.modules:
        sys.modules.setdefault("trio", None)  # type: ignore[arg-type]  # None: "import trio" fails


def _wizard_or_refuse(settings: Settings) -> tuple[Renderer, Wizard] | None:
    """The renderer and wizard of the flows, or None after printing why the flows cannot be served."""
    try:
        _catalog, renderer, wizard = build_wizard(settings)
    except FlowError as exc:
        print(f"Refusing to start: {len(exc.problems)} problem(s) in {settings.flows_dir}:", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return None
    return renderer, wizard


def _run(settings: Settings, console: bool) -> int:
    built = _wizard_or_refuse(settings)
    if built is None:
        return 2
    renderer, wizard = built
    if settings.bot_mode == "webhook" and not settings.telegram_token and not console:
        print("Configuration error: webhook mode needs TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return 2
    # Front ends are imported when chosen: the terminal wizard and the flows tools need not load
    # python-telegram-bot and aiohttp (about a second).
    if settings.telegram_token and not console:
        leave_out_trio()
        from bot.adapters.telegram.app import run_telegram

        return run_telegram(settings, wizard, renderer)
    from bot.adapters.console import run_console

    return run_console(wizard, renderer, sys.stdin, sys.stdout)


def _web(settings: Settings) -> int:
    """``python -m bot web``: the web pages and the Mini App."""
    built = _wizard_or_refuse(settings)
    if built is None:
        return 2
    renderer, wizard = built
    from bot.adapters.web.server import run_web

    return run_web(settings, wizard, renderer)


def _coverage(settings: Settings) -> int:
    """``flows coverage``: which regions, channels and figures the flows cover."""
    try:
        catalog = load_catalog(settings.flows_dir)
    except FlowError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(format_report(catalog))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser (``run``, ``console``, ``flows ...``)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="医保缴费向导 (medical-insurance payment wizard)"
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser(
        "run", help="run the bot: Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal (default)"
    )
    sub.add_parser("console", help="run the wizard in the terminal even when a token is set")
    sub.add_parser("web", help="serve the guide on the web and the Mini App (WEB_LISTEN:WEB_PORT)")
    flows = sub.add_parser("flows", help="tools for the flow files").add_subparsers(
        dest="flows_command", required=True
    )
    add_flows_parsers(flows)
    feedback_cli.add_flows_parsers(flows)
    feedback_cli.add_parsers(sub)
    flows.add_parser("coverage", help="print which regions, channels and figures the flows cover")
    parser.add_argument(
        "--webhook", action="store_true", help="receive updates by webhook (same as BOT_MODE=webhook)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bot`` and the ``yibao-bot`` script."""
    args = build_parser().parse_args(argv)
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
    if args.command == "flows" and args.flows_command == "coverage":
        return _coverage(settings)
    if args.command == "reports":
        return feedback_cli.run_reports(args, settings)
    if args.command == "stats":
        return feedback_cli.run_stats(args, settings)
    if args.command == "flows" and args.flows_command == "stale":
        return feedback_cli.run_stale(args, settings)
    if args.command == "flows" and args.flows_command == "import-notice":
        from bot.tools import notice_patch

        return notice_patch.run(args, settings)
    if args.command == "flows":
        return run_flows(args, settings)
    if args.command == "web":
        return _web(settings)
    return _run(settings, console=args.command == "console")
