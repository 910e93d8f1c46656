"""Run ``python -m MODULE`` under cProfile timed by the process's CPU clock, so the profile shows where
CPU goes (time spent waiting, for the flood limit, the network or the scheduler, is not counted).

Usage: ``python -m bench.cpu_profile OUT.prof MODULE``; the bench's ``--profile`` runs the bot this way.
"""

from __future__ import annotations

import cProfile
import runpy
import sys
import time


def main() -> int:
    """Profile the module until it exits (SIGTERM ends the bot normally); write the stats."""
    out, module = sys.argv[1], sys.argv[2]
    sys.argv = [module]
    profile = cProfile.Profile(time.process_time)
    code = 0
    try:
        profile.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        profile.dump_stats(out)
    return code


if __name__ == "__main__":
    sys.exit(main())
