"""Reloading flows without a restart: build and lint the new catalog beside the old one, swap if valid.

The Telegram adapter's ``/reload`` (and the optional file watcher) call :meth:`Reloader.reload`, which
uses :func:`try_reload` and swaps the new wizard into the running bot's ``WizardHolder``. Nothing here
raises: a broken file, a template error or even a bug in a check becomes a :class:`Problem`, and the
bot keeps serving the last good catalog.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.catalog import Catalog
from bot.errors import Problem
from bot.render import MESSAGES_DIR
from bot.runtime import WizardHolder
from bot.tools.lint import lint
from bot.understand.lexicon import lexicon_for
from bot.wizard import Wizard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    """What a reload changed, by region code (for the admin's reply and the log)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def try_reload(
    root: Path | str,
    current: Catalog | None,
    *,
    messages_dir: Path = MESSAGES_DIR,
    today: dt.date | None = None,
) -> tuple[Catalog | None, list[Problem]]:
    """Build and lint a new catalog from ``root``; never raises.

    Returns ``(new_catalog, warnings)`` when the flows are valid, else ``(None, problems)`` with every
    error and warning; ``current`` is left untouched either way.
    """
    try:
        report = lint(root, messages_dir=messages_dir, today=today)
    except Exception as exc:  # a bug must not take the running bot down: report it instead
        log.exception("reload of %s failed", root)
        return None, [Problem(str(root), 0, "", f"reload failed: {exc!r}")]
    if report.errors or report.catalog is None:
        log.warning(
            "reload of %s refused: %d error(s); keeping the current catalog", root, len(report.errors)
        )
        return None, list(report.problems)
    if current is not None:
        log.info("reloaded %s: %s", root, changes(current, report.catalog))
    return report.catalog, report.warnings


def changes(old: Catalog, new: Catalog) -> Changes:
    """Regions added, removed and changed between two catalogs."""
    before, after = set(old.flows), set(new.flows)
    changed = tuple(sorted(c for c in before & after if old.flows[c] != new.flows[c]))
    return Changes(tuple(sorted(after - before)), tuple(sorted(before - after)), changed)


class Reloader:
    """Reloads the flows into a :class:`~bot.runtime.WizardHolder`; the holder keeps the last good wizard.

    The admin's ``/reload`` and the file watcher both call :meth:`reload`. Front ends read
    ``holder.current`` once per update, and the swap is a single assignment, so an update never sees half
    of one catalog and half of another.
    """

    def __init__(self, holder: WizardHolder, root: Path | str, messages_dir: Path = MESSAGES_DIR) -> None:
        self.holder = holder
        self.root = Path(root)
        self.messages_dir = messages_dir
        self._lock = threading.Lock()  # one reload at a time (an admin command and the watcher may race)

    def reload(self) -> tuple[bool, list[Problem], Changes]:
        """Try to reload; returns (swapped, problems, changes). The old wizard stays on any error."""
        with self._lock:
            old = self.holder.current
            new, problems = try_reload(self.root, old.catalog, messages_dir=self.messages_dir)
            if new is None:
                return False, problems, Changes()
            lexicon_for(new)  # built here (off the event loop) rather than by the first typed message
            self.holder.swap(Wizard(new, old.labels, old.clock))
            return True, problems, changes(old.catalog, new)
