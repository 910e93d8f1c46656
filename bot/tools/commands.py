"""The ``flows`` sub-commands of ``python -m bot``: lint, preview, graph and new."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.catalog.loader import NATIONAL_FILE, load_catalog
from bot.config import Settings
from bot.errors import FlowError
from bot.render import Renderer
from bot.tools.lint import LintReport, lint, only_files


def add_parsers(flows: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``flows lint|preview|graph|new`` on the ``flows`` sub-parser."""
    p = flows.add_parser("lint", help="validate the flow files; exit 1 on any error")
    p.add_argument(
        "paths",
        nargs="*",
        help="flows directories or region files (default: FLOWS_DIR); a file alone is checked "
        "in the flows tree it belongs to, else in FLOWS_DIR",
    )
    p = flows.add_parser(
        "preview", help="print the instructions the bot shows for a region, identity, channel"
    )
    p.add_argument("region", help="code or name: 430100, 长沙, 湖南")
    p.add_argument("identity", help="flexible, resident, 灵活就业, 居民 ...")
    p.add_argument("channel", help="wechat, alipay, tax, bank, hall, 微信, 支付宝 ...")
    p.add_argument("--html", action="store_true", help="print the Telegram HTML instead of plain text")
    p = flows.add_parser("graph", help="draw every path of the wizard for a region (or the step machine)")
    p.add_argument("region", nargs="?", help="code or name; without it the wizard's steps are drawn")
    p.add_argument(
        "-o", "--output", help="file to write (.svg, .png, .pdf, .mmd, .dot); default: stdout text"
    )
    p.add_argument(
        "--format", choices=("svg", "png", "pdf", "mermaid", "dot"), help="default: from -o's extension"
    )
    p = flows.add_parser("new", help="write a commented skeleton file for a new province or city")
    p.add_argument("region", help="a province (430000 or 湖南) or a city code (430200)")
    p.add_argument("--name", help="the region's name, required for a city: 株洲市")
    p.add_argument("--parent", help="the city's province code (default: from the city code)")
    p.add_argument("--slug", help="pinyin for the file name: zhuzhou -> 430200-zhuzhou.yaml")
    p.add_argument("-o", "--output", help="write here instead of FLOWS_DIR/regions/<code>-<slug>.yaml")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one ``flows`` sub-command; returns the exit status."""
    if args.flows_command == "lint":
        return run_lint(settings, args.paths)
    if args.flows_command == "new":
        return _new(settings, args)
    catalog = _load(settings.flows_dir)
    if catalog is None:
        return 1
    renderer = Renderer(settings.messages_dir)
    if args.flows_command == "preview":
        from bot.tools.preview import preview

        return preview(catalog, renderer, args.region, args.identity, args.channel, html=args.html)
    return _graph(catalog, renderer, args)


def _load(root: Path) -> Catalog | None:
    try:
        return load_catalog(root)
    except FlowError as exc:
        print(str(exc), file=sys.stderr)
        print(
            f"{len(exc.problems)} error(s) in {root}: run `python -m bot flows lint` and fix them first",
            file=sys.stderr,
        )
        return None


# ----- lint ------------------------------------------------------------------------------------------


def _tree_of(path: Path) -> Path | None:
    """The flows directory (holding national.yaml) that ``path`` lies in, if any."""
    for d in [path if path.is_dir() else path.parent, *path.resolve().parents][:4]:
        if (d / NATIONAL_FILE).is_file():
            return d
    return None


def _relative(path: Path) -> str:
    """``path`` relative to the working directory when it lies inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def lint_targets(paths: list[str], default_root: Path) -> tuple[dict[Path, list[Path]], list[str]]:
    """Group the given paths by flows tree: tree -> files to report on (empty: the whole tree)."""
    targets: dict[Path, list[Path]] = {}
    missing: list[str] = []
    for raw in paths or [str(default_root)]:
        p = Path(raw)
        if not p.exists():
            missing.append(raw)
            continue
        tree = _tree_of(p)
        if p.is_dir() and tree is not None:
            targets[tree] = []  # the whole tree
            continue
        files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
        root = tree or default_root
        if targets.get(root) != []:
            targets.setdefault(root, []).extend(files)
    return targets, missing


def run_lint(settings: Settings, paths: list[str]) -> int:
    """``flows lint``: print every problem as ``file:line: field: message``; 1 on any error."""
    targets, missing = lint_targets(paths, settings.flows_dir)
    status = 0
    for raw in missing:
        print(f"{raw}: (file): no such file or directory")
        status = 1
    for root, files in targets.items():
        report: LintReport = lint(root, files, messages_dir=settings.messages_dir)
        shown, others = only_files(report) if files else (list(report.problems), 0)
        for problem in shown:
            print(problem)
        errors = sum(p.severity == "error" for p in shown)
        warnings = len(shown) - errors
        name = _relative(root)
        what = f"{len(files)} file(s) in the context of {name}" if files else name
        pages = f", {report.pages} pages rendered" if report.catalog else ""
        print(f"{what}: {errors} error(s), {warnings} warning(s){pages}", file=sys.stderr)
        if others:
            print(
                f"note: {others} more error(s) in other files of {root}; run `flows lint {root}`",
                file=sys.stderr,
            )
        if report.catalog is None and errors + others:
            print(
                "note: page checks (sizes, dead ends, reachability) run once these are fixed", file=sys.stderr
            )
        if errors or others:
            status = 1
    return status


# ----- graph and new ---------------------------------------------------------------------------------


def _graph(catalog: Catalog, renderer: Renderer, args: argparse.Namespace) -> int:
    # Each command's module is imported when that command runs (graph loads transitions' diagram
    # support and graphviz; `flows lint` needs neither).
    from bot.tools import graph
    from bot.tools.resolve import NameError_, region

    try:
        d = (
            graph.region_diagram(catalog, renderer, region(catalog, args.region))
            if args.region
            else graph.machine_diagram()
        )
    except NameError_ as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not args.output:
        fmt = args.format or "mermaid"
        if fmt in graph.PICTURE_FORMATS:
            print("error: pictures need -o FILE", file=sys.stderr)
            return 1
        sys.stdout.write(graph.render(d, fmt).decode())
        return 0
    if (args.format or Path(args.output).suffix.lstrip(".")) in graph.PICTURE_FORMATS and not shutil.which(
        "dot"
    ):
        print(
            "error: Graphviz's `dot` is not installed: run `make system-deps` (or use --format mermaid)",
            file=sys.stderr,
        )
        return 1
    try:
        fmt = graph.write(d, Path(args.output), args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    counts = graph.summary(d)
    print(f"wrote {args.output} ({fmt}, {counts['nodes']} boxes, {counts['edges']} arrows)", file=sys.stderr)
    return 0


def _new(settings: Settings, args: argparse.Namespace) -> int:
    from bot.tools.scaffold import ScaffoldError, skeleton

    root = settings.flows_dir
    try:
        sk = skeleton(root, args.region, name=args.name, parent=args.parent, slug=args.slug)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    path = Path(args.output) if args.output else sk.path
    code = sk.path.name[:6]
    existing = sorted((root / "regions").glob(f"{code}*.yaml"))
    if existing and not args.output and not args.force:
        print(f"error: {existing[0]} already defines {code}: edit that file instead", file=sys.stderr)
        return 1
    if path.exists() and not args.force:
        print(f"error: {path} exists (use --force to overwrite it)", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(sk.text, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    for hint in sk.hints:
        print(f"hint: {hint}", file=sys.stderr)
    return run_lint(settings, [str(path)])
