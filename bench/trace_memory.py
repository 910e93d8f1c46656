"""Run ``python -m MODULE`` under tracemalloc and, when it exits, write where the memory it still holds
was allocated (top lines, then top files), so the growth under load can be explained.

Usage: ``python -m bench.trace_memory OUT.txt MODULE``; ``bench.bot_bench --trace-memory`` runs the bot so.
"""

from __future__ import annotations

import runpy
import sys
import tracemalloc


def main() -> int:
    """Trace allocations until the module exits (SIGTERM ends the bot normally); write the summary."""
    out, module = sys.argv[1], sys.argv[2]
    sys.argv = [module]
    tracemalloc.start(1)
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        snapshot = tracemalloc.take_snapshot()
        current, peak = tracemalloc.get_traced_memory()
        with open(out, "w", encoding="utf-8") as f:
            f.write(f"traced now {current / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB\n")
            for key in ("lineno", "filename"):
                f.write(f"\ntop 30 by {key}:\n")
                for stat in snapshot.statistics(key)[:30]:
                    f.write(f"{stat.size / 2**20:8.2f} MiB {stat.count:>8} blocks  {stat.traceback}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
