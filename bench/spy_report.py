"""Where a bot's CPU goes, from py-spy's collapsed stacks: milliseconds per update by category.

Each sample is put in the category of the innermost frame that matches a rule (so time in httpx called
from our handler counts as HTTP, not as handler). The categories' shares of a bot's samples are scaled
to its measured CPU per update, so the two bots can be compared line by line.
"""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path


def _idle_frames() -> tuple[str, ...]:
    """Frames where a thread waits for work (py-spy still samples them): aiosqlite's worker in tx.get()."""
    try:
        from aiosqlite import core
    except ImportError:
        return ()
    lines, first = inspect.getsourcelines(core._connection_worker_thread)
    waits = [first + i for i, line in enumerate(lines) if ".get()" in line]
    return tuple(f"_connection_worker_thread (aiosqlite/core.py:{n})" for n in waits)


IDLE = _idle_frames()

RULES: list[tuple[str, tuple[str, ...]]] = [
    ("session store (SQLite/Redis)", ("SqliteSessionStore", "RedisSessionStore", "aiosqlite", "redis/")),
    ("wizard step", ("Wizard.step",)),
    ("render (jinja2)", ("Renderer.render", "Renderer.text")),
    ("keyboard build", ("build_keyboard",)),
    ("PTB: parameters -> JSON/form", ("RequestParameter", "RequestData", "to_dict", "_insert_defaults")),
    ("PTB: JSON -> objects (de_json)", ("de_json",)),
    ("HTTP client (httpx, httpcore, h11, anyio)", ("httpx/", "httpcore/", "anyio/", "h11/")),
    ("rate limiter", ("_aioratelimiter", "telegram/pacer.py")),
]
OTHER_HANDLER = "handlers, routing, update processing (other)"
LOOP = "event loop (other)"
START = "start-up and idle (not per update)"


def categorise(path: Path) -> Counter[str]:
    """Samples per category in one collapsed-stack file."""
    counts: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        frames = stack.split(";")
        if IDLE and frames[-1].endswith(IDLE):
            continue  # a thread waiting for work uses no CPU
        label = next(
            (name for f in reversed(frames) for name, keys in RULES if any(k in f for k in keys)), None
        )
        if label is None:
            if any("process_update" in f for f in frames):
                label = OTHER_HANDLER
            elif any("_run_once" in f for f in frames):
                label = LOOP
            else:
                label = START
        counts[label] += int(n)
    return counts


def compare(ours: Path, bare: Path, ours_cpu: float, bare_cpu: float) -> None:
    """Print ms of CPU per update by category for both bots (shares of per-update samples scaled to the
    measured CPU per update)."""
    rows = {}
    for name, path, cpu in (("ours", ours, ours_cpu), ("bare", bare, bare_cpu)):
        counts = categorise(path)
        per_update = sum(v for k, v in counts.items() if k != START) or 1
        rows[name] = {k: v / per_update * cpu for k, v in counts.items() if k != START}
    print("\nwhere the CPU goes (py-spy samples scaled to measured CPU), ms per update:")
    print(f"  {'':<44}{'wizard bot':>11}{'bare echo':>11}")
    for label in sorted(set(rows["ours"]) | set(rows["bare"]), key=lambda k: -rows["ours"].get(k, 0)):
        print(f"  {label:<44}{rows['ours'].get(label, 0):>11.2f}{rows['bare'].get(label, 0):>11.2f}")
