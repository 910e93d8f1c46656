"""What each part of the bot costs in resident memory: run in a fresh process, it imports what
``python -m bot`` imports and builds what it builds (catalog, templates, wizard with the typed-text
index, the Telegram Application), and attributes each RSS increase to its cause.

Imports are metered per module as it executes (a finder at the head of ``sys.meta_path`` times each
loader's ``exec_module``): the RSS growth of a module, minus that of the modules it imported in turn,
goes to the module's top-level package (standard-library modules are pooled). The ``make bench``
report adds the growth under load (peak RSS of the bot under the benchmark minus this process's RSS
when ready). Usage: ``python -m bench.memory`` prints JSON. Figures only; nothing is asserted.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import json
import os
import sys
import types
from collections import defaultdict
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE")
STDLIB = "Python standard library"
OURS = "bot (our modules)"


def peak_rss_mib() -> float:
    """Highest resident memory of this process so far (VmHWM), in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mib() -> float:
    """Resident memory of this process now, in MiB (from /proc/self/statm)."""
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * _PAGE / 2**20


class ImportMeter(importlib.abc.MetaPathFinder):
    """Attributes the RSS growth of every module executed while installed to its top-level package."""

    def __init__(self) -> None:
        self.by_package: dict[str, float] = defaultdict(float)
        self.by_module: dict[str, float] = {}
        self._stack: list[float] = []  # RSS of nested imports, per level, to subtract from the outer one

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        """Find the module with the other finders, then meter its loader's ``exec_module``."""
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec: ModuleSpec | None = finder.find_spec(fullname, path, target)
            if spec is not None:
                loader = spec.loader
                if loader is not None and not isinstance(loader, type) and hasattr(loader, "exec_module"):
                    self._wrap(loader, fullname)
                return spec
        return None

    def _wrap(self, loader: Any, fullname: str) -> None:
        inner: Callable[[types.ModuleType], None] = loader.exec_module
        top = fullname.partition(".")[0]
        group = STDLIB if top in sys.stdlib_module_names else OURS if top == "bot" else top

        def exec_module(module: types.ModuleType) -> None:
            before = rss_mib()
            self._stack.append(0.0)
            try:
                inner(module)
            finally:
                nested = self._stack.pop()
                grown = rss_mib() - before
                self.by_package[group] += grown - nested
                self.by_module[fullname] = grown - nested
                if self._stack:
                    self._stack[-1] += grown

        # A loader with slots stays unmetered (its growth goes to the importer).
        with contextlib.suppress(AttributeError):
            loader.exec_module = exec_module


def measure() -> dict[str, Any]:
    """Import and build what the bot does at start, metering each step; the figures in MiB."""
    start = rss_mib()
    meter = ImportMeter()
    sys.meta_path.insert(0, meter)
    phases: dict[str, float] = {}
    at = rss_mib()

    def phase(name: str) -> None:
        nonlocal at
        now = rss_mib()
        phases[name] = round(now - at, 2)
        at = now

    os.environ.setdefault("TELEGRAM_BOT_TOKEN", "123456:bench-memory")
    from bot.cli import build_wizard, leave_out_trio

    leave_out_trio()  # as python -m bot does before it loads python-telegram-bot
    from bot.adapters.telegram.app import build_app
    from bot.config import load_settings
    from bot.runtime import WizardHolder
    from bot.store.factory import make_store

    sys.meta_path.remove(meter)
    phase("imports")
    settings = load_settings()
    catalog, renderer, wizard = build_wizard(settings)
    phase("catalog, templates, wizard and typed-text index")
    build_app(settings, WizardHolder(wizard), renderer, make_store(settings))
    phase("Telegram Application")
    from bot.understand.lexicon import intent_model, lexicon_for

    intent_model(lexicon_for(catalog))  # what the first message the intent fallback is asked about loads
    phase("intent fallback weights (at its first use)")
    del catalog
    return {
        "interpreter": round(start, 2),
        "imports": {k: round(v, 2) for k, v in sorted(meter.by_package.items(), key=lambda kv: -kv[1])},
        "phases": phases,
        "ready": round(rss_mib(), 2),
        "peak_so_far": round(peak_rss_mib(), 2),
        "largest_modules": {
            k: round(v, 2) for k, v in sorted(meter.by_module.items(), key=lambda kv: -kv[1])[:15]
        },
    }


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False, indent=1))
