"""``flows lint``: every check the loader makes, plus checks that need the real wizard and templates.

The loader (``load_catalog``) validates files, inheritance and cross-references. On top of that, the linter
walks every path a user can take through the real :class:`~bot.wizard.Wizard`, renders every page with the
real templates (StrictUndefined, so a missing variable fails here and not in a chat), and checks:

* pages fit Telegram's 4096-character limit. Pages with buttons must fit whole. The instructions page is
  split by the Telegram adapter at blank lines, so each blank-line-separated piece must fit (an error
  otherwise) and a page longer than one message is reported as a warning (it is sent as several);
* every step offers a choice (no dead ends) and every region and channel in the files can be reached;
* every button's callback data and every instructions page's deep-link payload fit 64 bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from bot.catalog.catalog import Catalog
from bot.catalog.loader import DIVISIONS_FILE, NATIONAL_FILE, REGIONS_DIR, VOCABULARY_FILE, load_catalog
from bot.catalog.models import IDENTITIES
from bot.catalog.yamlsrc import YamlSource
from bot.errors import FlowError, Problem
from bot.render import MESSAGES_DIR, Renderer, html_to_text
from bot.view import Part, View
from bot.walk import Page, walk
from bot.wizard import NOTICES, Wizard

TELEGRAM_TEXT_LIMIT = 4096  # characters after entity parsing (Telegram counts UTF-16 code units)
CALLBACK_DATA_LIMIT = 64  # bytes
DEEPLINK_LIMIT = 64  # characters from A-Za-z0-9_-
MAX_VERSION = 9_999_999_999  # a session version with 10 digits: the longest callback data we check
PIECE_SEPARATOR = "\n\n"  # where the Telegram adapter may split a long instructions page
_DEEPLINK_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")


def callback_data(version: int, action: str, value: str) -> str:
    """The callback data of a button, as the Telegram adapter encodes it.

    NOTE for the lead: this mirrors the planned ``version:action:value`` format. When ``bot/callback.py``
    lands, make this call its encoder so the linter measures the real thing.
    """
    return f"{version}:{action}:{value}"


def deeplink_payload(identity: str, code: str, channel: str) -> str:
    """The ``/start`` payload that jumps straight to an instructions page.

    NOTE for the lead: mirrors the planned ``identity-region-channel`` payload (e.g. ``flex-430000-wechat``);
    point it at ``bot/deeplink.py``'s encoder when that lands. The full identity id is used here, which is
    the longest form.
    """
    return f"{identity}-{code}-{channel}"


def telegram_length(markup: str) -> int:
    """Length Telegram checks against 4096: the text after HTML parsing, in UTF-16 code units."""
    return len(html_to_text(markup).encode("utf-16-le")) // 2


def pieces(markup: str) -> list[str]:
    """The parts of a page that the Telegram adapter will not split further (blank-line separated)."""
    return [p for p in markup.split(PIECE_SEPARATOR) if p.strip()]


def split_messages(markup: str, limit: int = TELEGRAM_TEXT_LIMIT, first: int = 0) -> list[str]:
    """Group a page's pieces greedily into messages of at most ``limit`` characters.

    ``first`` reserves room in the first message (for a notice above the page). NOTE for the lead: this
    is the splitting the linter assumes; the Telegram adapter should split the same way (or this should
    call the adapter's splitter).
    """
    out: list[list[str]] = [[]]
    used = first
    for p in pieces(markup):
        size = telegram_length(p) + len(PIECE_SEPARATOR)
        if out[-1] and used + size > limit:
            out.append([])
            used = 0
        out[-1].append(p)
        used += size
    return [PIECE_SEPARATOR.join(m) for m in out]


@dataclass(frozen=True)
class LintReport:
    """What ``flows lint`` found: ``problems`` (errors and warnings) and the catalog when it loaded."""

    problems: tuple[Problem, ...]
    catalog: Catalog | None = None
    pages: int = 0
    files: tuple[str, ...] = ()  # names of the files asked about (as problems name them); empty: all

    @property
    def errors(self) -> list[Problem]:
        """Problems that fail the lint."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that are reported but do not fail."""
        return [p for p in self.problems if p.severity == "warning"]


def lint(
    root: Path | str,
    files: Sequence[Path | str] = (),
    *,
    messages_dir: Path = MESSAGES_DIR,
    today: dt.date | None = None,
) -> LintReport:
    """Lint the flows tree at ``root``. Never raises for bad flows: every problem is in the report.

    ``files`` are the files to report on (empty: the whole tree). Files in ``root`` or ``root/regions/``
    are part of the tree; any other file is checked as if it were in ``root/regions/``.
    """
    root = Path(root)
    in_tree, extra = _split_files(root, files)
    names = tuple(YamlSource.name_for(p, root) for p in (*in_tree, *extra))
    try:
        catalog = load_catalog(root, today=today, extra=extra)
    except FlowError as exc:
        return LintReport(tuple(sorted({*exc.problems, *exc.warnings})), files=names)
    try:
        renderer = Renderer(messages_dir)
    except Exception as exc:  # a broken labels.yaml or messages dir: report it, never crash
        problem = Problem(str(messages_dir), 0, "", f"cannot load templates: {exc}")
        return LintReport((*catalog.warnings, problem), files=names)
    problems, count = check_pages(catalog, renderer)
    return LintReport(tuple(sorted({*catalog.warnings, *problems})), catalog, count, names)


def _split_files(root: Path, files: Sequence[Path | str]) -> tuple[list[Path], list[Path]]:
    """Files of the tree (as the loader names them: under ``root``) and files to add to it."""
    top = {(root / n).resolve() for n in (NATIONAL_FILE, DIVISIONS_FILE, VOCABULARY_FILE)}
    regions = (root / REGIONS_DIR).resolve()
    in_tree, extra = [], []
    for f in map(Path, files):
        real = f.resolve()
        if real in top:
            in_tree.append(root / real.name)
        elif real.parent == regions:
            in_tree.append(root / REGIONS_DIR / real.name)
        else:
            extra.append(f)
    return in_tree, extra


def only_files(report: LintReport) -> tuple[list[Problem], int]:
    """The problems that name the files the lint was asked about, and how many errors name others."""
    mine = [p for p in report.problems if p.file in report.files]
    others = sum(1 for p in report.errors if p.file not in report.files)
    return mine, others


# ----- page checks -----------------------------------------------------------------------------------


def check_pages(catalog: Catalog, renderer: Renderer) -> tuple[list[Problem], int]:
    """Walk every path, render every page and check sizes, dead ends and reachability."""
    wizard = Wizard(catalog, renderer.labels)
    out: list[Problem] = []
    reached: set[tuple[str, str, str]] = set()
    notices: dict[tuple[str, ...], int] = {}
    count = 0
    try:
        for page in walk(wizard):
            count += 1
            out += _check_page(catalog, renderer, wizard, page, notices)
            if page.view.state == "instructions":
                s = page.slots
                reached.add((s["identity"], s.get("city") or s["province"], s["channel"]))
    except Exception as exc:  # the wizard itself failed on these flows: report where, keep going
        out.append(Problem(str(catalog.root), 0, "", f"the wizard failed while walking the flows: {exc!r}"))
        return out, count
    for code in sorted(catalog.flows):
        for ident in IDENTITIES:
            for channel in catalog.channels(ident, code):
                if (ident, code, channel) not in reached:
                    path = ("identities", ident, "channels", channel)
                    file, line = catalog.locate(code, path)
                    msg = f"{catalog.regions[code].name}: this channel can never be reached in the wizard"
                    out.append(Problem(file, line, ".".join(path), msg))
    return out, count


def _describe(catalog: Catalog, slots: Any) -> str:
    words = []
    if "identity" in slots:
        words.append(catalog.national.identities[slots["identity"]].label)
    code = slots.get("city") or slots.get("province")
    if code in catalog.regions:
        words.append(catalog.regions[code].name)
    if "channel" in slots:
        words.append(catalog.national.channel_labels[slots["channel"]].label)
    return " · ".join(words) or "first step"


def _blame_page(catalog: Catalog, page: Page) -> tuple[str, int, str]:
    s, state = page.slots, page.view.state
    code = s.get("city") or s.get("province")
    if code in catalog.regions and "identity" in s:
        path: tuple[str, ...] = ("identities", s["identity"], "channels")
        if state == "instructions":
            path = (*path, s["channel"])
        file, line = catalog.locate(code, path)
        return file, line, ".".join(path)
    return f"messages/{state}.html.j2", 0, state


def _template_problem(exc: Exception, page: Page, catalog: Catalog) -> Problem:
    file, line = f"messages/{page.view.state}.html.j2", 0
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            file, line = f"messages/{Path(frame.filename).name}", frame.lineno or 0
            break
    msg = f"page for {_describe(catalog, page.slots)} does not render: {exc}"
    return Problem(file, line, "template", msg)


def _notice_length(renderer: Renderer, wizard: Wizard, slots: Any, cache: dict[tuple[str, ...], int]) -> int:
    """The longest notice that may stand above this page (with the separator)."""
    recognised = tuple(wizard._choices(slots))
    if recognised not in cache:
        cache[recognised] = max(
            telegram_length(
                renderer.render(
                    View("notice", (Part("notice", {"notice": n, "recognised": list(recognised)}),))
                )
            )
            for n in NOTICES
        ) + len(PIECE_SEPARATOR)
    return cache[recognised]


def _check_page(
    catalog: Catalog, renderer: Renderer, wizard: Wizard, page: Page, cache: dict[tuple[str, ...], int]
) -> list[Problem]:
    out: list[Problem] = []
    view = page.view
    try:
        markup = renderer.render(view)
        extra = _notice_length(renderer, wizard, page.slots, cache)
    except (TemplateError, LookupError, TypeError, ValueError) as exc:
        return [_template_problem(exc, page, catalog)]
    file, line, field = _blame_page(catalog, page)
    where = _describe(catalog, page.slots)
    if view.state != "instructions" and not view.options:
        out.append(
            Problem(file, line, field, f"{where}: the {view.state} step offers no choice (a dead end)")
        )
    size = telegram_length(markup) + extra
    if view.state == "instructions":
        longest = max((telegram_length(p) for p in pieces(markup)), default=0)
        if longest + extra > TELEGRAM_TEXT_LIMIT:
            msg = (
                f"instructions for {where}: one paragraph is {longest} characters; Telegram allows "
                f"{TELEGRAM_TEXT_LIMIT} per message even when a page is split: shorten it"
            )
            out.append(Problem(file, line, field, msg))
        elif size > TELEGRAM_TEXT_LIMIT:
            n = len(split_messages(markup, first=extra))
            msg = f"instructions for {where} are {size} characters: they will be sent as {n} messages"
            out.append(Problem(file, line, field, msg, "warning"))
        payload = deeplink_payload(
            page.slots["identity"], page.slots.get("city") or page.slots["province"], page.slots["channel"]
        )
        if len(payload) > DEEPLINK_LIMIT or not _DEEPLINK_CHARS.match(payload):
            msg = f"deep-link payload {payload!r} must be 1-{DEEPLINK_LIMIT} characters from A-Za-z0-9_-"
            out.append(Problem(file, line, field, msg))
    elif size > TELEGRAM_TEXT_LIMIT:
        msg = f"the {view.state} page for {where} is {size} characters; Telegram allows {TELEGRAM_TEXT_LIMIT}"
        out.append(Problem(file, line, field, msg))
    for b in (*view.options, *view.actions):
        data = callback_data(MAX_VERSION, b.action, b.value).encode()
        if len(data) > CALLBACK_DATA_LIMIT:
            msg = f"button {b.text!r} needs {len(data)} bytes of callback data; Telegram allows {CALLBACK_DATA_LIMIT}"
            out.append(Problem(file, line, field, msg))
    return out
