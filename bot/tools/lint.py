"""``flows lint``: every check the loader makes, plus checks that need the real wizard and templates.

The loader (``load_catalog``) validates files, inheritance and cross-references. On top of that, the linter
walks every path a user can take through the real :class:`~bot.wizard.Wizard` (including the follow-up
pages over the instructions), renders every page with the real templates (StrictUndefined, so a missing
variable fails here and not in a chat), and checks:

* Telegram's 4096-character limit, measured and split exactly as the Telegram adapter does
  (``bot/adapters/telegram/split.py``: at blank lines, then at lines). A page that needs several messages
  is a warning; a single line over the limit is an error (the adapter would have to send it as plain
  text);
* every step offers a choice (no dead ends) and every region and channel in the files can be reached;
* every button encodes to callback data with the real encoder (``bot/callback.py``, 64 bytes) even with a
  10-digit session version, and every instructions page's deep link (``bot/deeplink.py``) is a valid
  ``/start`` payload.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from bot.adapters.telegram.split import split_message
from bot.callback import Callback, encode
from bot.catalog.catalog import Catalog
from bot.catalog.loader import DIVISIONS_FILE, NATIONAL_FILE, REGIONS_DIR, VOCABULARY_FILE, load_catalog
from bot.catalog.models import IDENTITIES, as_channel, as_identity
from bot.catalog.yamlsrc import YamlSource
from bot.deeplink import make_payload
from bot.errors import FlowError, Problem
from bot.events import SHOWN_NOTICES
from bot.render import MESSAGES_DIR, Renderer
from bot.tools.walk import Page, walk
from bot.view import CLIENT_ACTIONS, View
from bot.wizard import Wizard

TELEGRAM_TEXT_LIMIT = 4096  # Telegram's limit per message (the adapter counts UTF-16 code units)
DEEPLINK_LIMIT = 64  # characters from A-Za-z0-9_-
MAX_VERSION = 9_999_999_999  # a session version with 10 digits: the longest callback data we check
PIECE_SEPARATOR = "\n\n"
_DEEPLINK_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")


def callback_data(version: int, action: str, value: str) -> str:
    """The callback data of a button, from the Telegram adapter's encoder (raises ValueError if it cannot fit)."""
    return encode(Callback(version, action, value))


def deeplink_payload(slots: Mapping[str, str]) -> str:
    """The ``/start`` payload that opens this page, from the Telegram adapter's encoder."""
    return make_payload(dict(slots))


def telegram_length(markup: str) -> int:
    """Length of a message as the Telegram adapter measures it (the HTML, in UTF-16 code units)."""
    return len(markup.encode("utf-16-le")) // 2


def split_messages(markup: str) -> list[str]:
    """The messages the Telegram adapter sends for a page (its own splitter)."""
    return split_message(markup, TELEGRAM_TEXT_LIMIT)


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
    problems, count = check_pages(catalog, renderer, _focus(catalog, names))
    return LintReport(tuple(sorted({*catalog.warnings, *problems})), catalog, count, names)


def _focus(catalog: Catalog, names: tuple[str, ...]) -> set[str] | None:
    """Regions whose pages the given files can change (None: all, e.g. for national.yaml or no files)."""
    if not names:
        return None
    by_file = {src.file: code for code, src in catalog.sources.items()}
    codes = {by_file.get(n) for n in names}
    return None if None in codes else {c for c in codes if c}


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


def check_pages(
    catalog: Catalog, renderer: Renderer, regions: set[str] | None = None
) -> tuple[list[Problem], int]:
    """Walk every path (or those through ``regions``), render every page, check sizes and reachability."""
    wizard = Wizard(catalog, renderer.labels)
    out: list[Problem] = []
    reached: set[tuple[str, str, str]] = set()
    notices: dict[tuple[tuple[str, str], ...], str] = {}
    encoded: set[tuple[str, str]] = set()
    count = 0
    try:
        broken: set[tuple[str, int, str]] = set()  # a broken template is reported once, not per page
        for page in walk(wizard, regions=regions):
            count += 1
            for problem in _check_page(catalog, renderer, wizard, page, notices, encoded):
                if problem.field == "template":
                    key = (problem.file, problem.line, problem.message.split(" does not render: ")[-1])
                    if key in broken:
                        continue
                    broken.add(key)
                out.append(problem)
            if page.view.state == "instructions" and page.via is None:
                s = page.slots
                reached.add((s["identity"], s.get("city") or s["province"], s["channel"]))
    except Exception as exc:  # the wizard itself failed on these flows: report where, keep going
        out.append(Problem(str(catalog.root), 0, "", f"the wizard failed while walking the flows: {exc!r}"))
        return out, count
    for code in sorted(catalog.flows):
        if regions is not None and code not in regions and catalog.province_of(code) not in regions:
            continue
        for ident in IDENTITIES:
            for channel in catalog.channels(ident, code):
                if (ident, code, channel) not in reached:
                    path = ("identities", ident, "channels", channel)
                    file, line = catalog.locate(code, path)
                    msg = f"{catalog.regions[code].name}: this channel can never be reached in the wizard"
                    out.append(Problem(file, line, ".".join(path), msg))
    return out, count


def _describe(catalog: Catalog, page: Page) -> str:
    slots = page.slots
    words = []
    if "identity" in slots:
        words.append(catalog.national.identities[as_identity(slots["identity"])].label)
    code = slots.get("city") or slots.get("province")
    if code is not None and code in catalog.regions:
        words.append(catalog.regions[code].name)
    if "channel" in slots:
        words.append(catalog.national.channel_labels[as_channel(slots["channel"])].label)
    where = " · ".join(words) or "first step"
    if page.via:
        return f"{page.via[0]} {page.via[1]} page for {where}".replace("  ", " ")
    return f"{page.view.state} page for {where}"


def _blame_page(catalog: Catalog, page: Page) -> tuple[str, int, str]:
    s, state = page.slots, page.view.state
    code = s.get("city") or s.get("province")
    if code is not None and code in catalog.regions and "identity" in s:
        path: tuple[str, ...] = ("identities", s["identity"], "channels")
        if page.via and page.via[0] == "faq":
            path = ("identities", s["identity"], "faq", page.via[1])
        elif page.via:
            path = ("identities", s["identity"], "figures")
        elif state == "instructions":
            path = (*path, s["channel"])
        file, line = catalog.locate(code, path)
        return file, line, ".".join(path)
    return f"messages/{state}.html.j2", 0, state


def _template_problem(exc: Exception, page: Page, catalog: Catalog) -> Problem:
    file, line = f"messages/{page.view.parts[-1].template}.html.j2", 0
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            file, line = f"messages/{Path(frame.filename).name}", frame.lineno or 0
            break
    msg = f"{_describe(catalog, page)} does not render: {exc}"
    return Problem(file, line, "template", msg)


def _longest_notice(
    renderer: Renderer, wizard: Wizard, slots: Any, cache: dict[tuple[tuple[str, str], ...], str]
) -> str:
    """The longest notice that may stand above this page, as rendered markup."""
    key = tuple(sorted(dict(slots).items()))
    if key not in cache:
        notices = (
            renderer.render(View("notice", (wizard.notice_part(n, "instructions", slots),)))
            for n in SHOWN_NOTICES
        )
        cache[key] = max(notices, key=telegram_length)
    return cache[key]


def _check_page(
    catalog: Catalog,
    renderer: Renderer,
    wizard: Wizard,
    page: Page,
    cache: dict[tuple[tuple[str, str], ...], str],
    encoded: set[tuple[str, str]],
) -> list[Problem]:
    out: list[Problem] = []
    view = page.view
    try:
        markup = renderer.render(view)
        worst = _longest_notice(renderer, wizard, page.slots, cache) + PIECE_SEPARATOR + markup
    except (TemplateError, LookupError, TypeError, ValueError) as exc:
        return [_template_problem(exc, page, catalog)]
    file, line, field = _blame_page(catalog, page)
    where = _describe(catalog, page)
    if view.state != "instructions" and not view.options:
        msg = f"{where}: the {view.state} step offers no choice (a dead end)"
        out.append(Problem(file, line, field, msg))
    longest = max(telegram_length(x) for x in worst.split("\n"))
    if longest > TELEGRAM_TEXT_LIMIT:
        msg = (
            f"{where}: one line is {longest} characters; Telegram allows {TELEGRAM_TEXT_LIMIT} per "
            "message and a line cannot be split: shorten it"
        )
        out.append(Problem(file, line, field, msg))
    else:
        n = len(split_messages(worst))
        if n > 1:
            msg = f"{where}: {telegram_length(worst)} characters, sent as {n} messages"
            out.append(Problem(file, line, field, msg, "warning"))
    if view.state == "instructions" and page.via is None:
        payload = deeplink_payload(page.slots)
        if len(payload) > DEEPLINK_LIMIT or not _DEEPLINK_CHARS.match(payload):
            msg = f"deep-link payload {payload!r} must be 1-{DEEPLINK_LIMIT} characters from A-Za-z0-9_-"
            out.append(Problem(file, line, field, msg))
    for b in (*view.options, *view.actions):
        if b.action in CLIENT_ACTIONS or (b.action, b.value) in encoded:
            continue  # the same button on another page: its encoding is known to fit
        try:
            callback_data(MAX_VERSION, b.action, b.value)
            encoded.add((b.action, b.value))
        except ValueError as exc:
            out.append(Problem(file, line, field, f"button {b.text!r}: {exc}"))
    return out
