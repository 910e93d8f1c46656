"""Run ``python -m MODULE`` under tracemalloc and, when it exits, write where the memory it still holds
was allocated (top lines, then top files), and what more was alive when the traced memory was highest
(a snapshot taken then, compared with the one at exit, once the load is over), so the growth under load
can be explained.

Usage: ``python -m bench.trace_memory OUT.txt MODULE``; ``bench.bot_bench --trace-memory`` runs the bot so.
"""

from __future__ import annotations

import runpy
import sys
import threading
import time
import tracemalloc

_EVERY = 0.05  # seconds between looks at the traced memory
_SETTLE = 3.0  # seconds after start before looking
_STEP = 256 * 1024  # a new peak snapshot once the traced memory grew this much past the last one


class PeakWatcher(threading.Thread):
    """Takes a snapshot whenever the traced memory reaches a new high, after the start-up."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak: tracemalloc.Snapshot | None = None
        self.peak_size = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        time.sleep(_SETTLE)  # imports and start-up set the first highs
        self.peak_size = tracemalloc.get_traced_memory()[0]
        while not self.stopped.wait(_EVERY):
            current = tracemalloc.get_traced_memory()[0]
            if current > self.peak_size + _STEP:
                self.peak, self.peak_size = tracemalloc.take_snapshot(), current


def main() -> int:
    """Trace allocations until the module exits (SIGTERM ends the bot normally); write the summary."""
    out, module = sys.argv[1], sys.argv[2]
    sys.argv = [module]
    tracemalloc.start(1)
    watcher = PeakWatcher()
    watcher.start()
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        watcher.stopped.set()
        snapshot = tracemalloc.take_snapshot()
        current, peak = tracemalloc.get_traced_memory()
        with open(out, "w", encoding="utf-8") as f:
            f.write(f"traced now {current / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB\n")
            for key in ("lineno", "filename"):
                f.write(f"\ntop 30 by {key}:\n")
                for stat in snapshot.statistics(key)[:30]:
                    f.write(f"{stat.size / 2**20:8.2f} MiB {stat.count:>8} blocks  {stat.traceback}\n")
            if watcher.peak is not None:
                f.write(
                    f"\nalive at the highest snapshot ({watcher.peak_size / 2**20:.1f} MiB), minus at exit:\n"
                )
                for diff in watcher.peak.compare_to(snapshot, "lineno")[:30]:
                    f.write(
                        f"{diff.size_diff / 2**20:8.2f} MiB {diff.count_diff:>8} blocks  {diff.traceback}\n"
                    )
    return code


if __name__ == "__main__":
    sys.exit(main())
