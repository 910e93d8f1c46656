"""A/B of two versions of the wizard bot: the same users against each, in ABBA order within one run.

Usage: python -m bench.ab_bench A_DIR B_DIR [--users 200] [--rounds 4] [--rate-limit 0]

Each directory holds a copy of the project (``git archive REV | tar -x -C DIR``); the bot is started from
it (``python -m bot`` with that directory first on the path), against the loopback fake Bot API, with
the virtual users of ``bench/users.py``. Rounds run A, B, B, A, A, B, ... so a change in the machine's
load weighs on both alike. Prints CPU per 1,000 updates (user and system time of the bot process), peak
RSS and the per-pair ratio B/A with its median and spread; compare only figures from one run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bot_bench import FIRST_CHAT, PatientApi
from bench.child import start_child
from bench.users import wizard_user


async def one_round(root: Path, users: int, rate: int, out: Path, tag: str) -> dict[str, float]:
    """One run of the bot in ``root`` under ``users`` users; its figures."""
    api = await PatientApi().start()
    env = {
        "TELEGRAM_CONCURRENCY": "4",
        "TELEGRAM_RATE_LIMIT": str(rate),
        "BOT_DATA_DIR": tempfile.mkdtemp(prefix="data-", dir=out),
        "PYTHONPATH": str(root),
    }
    child = await start_child("bot", api, env, out / f"{tag}.log", root=root)
    try:
        (u0, s0), t0 = child.cpu_split(), time.perf_counter()
        await asyncio.gather(*(wizard_user(api, FIRST_CHAT + i, random.Random(i)) for i in range(users)))
        (u1, s1), seconds = child.cpu_split(), time.perf_counter() - t0
        n = len(api.offers)
        lat = sorted(api.latencies())
        figures = {
            "updates": n,
            "user": (u1 - u0) / n * 1000,
            "system": (s1 - s0) / n * 1000,
            "updates_per_s": n / seconds,
            "p99_over_p50": lat[int(0.99 * len(lat))] / statistics.median(lat) if lat else 0.0,
            "peak_rss": child.peak_rss_mb(),
            "per_poll": n / max(1, len(api.calls_of("getUpdates"))),
            "problems": len(api.problems()),
        }
    finally:
        code = await child.stop()
        await api.stop()
    if code != 0:
        raise RuntimeError(f"the bot in {root} exited with {code}; see {out / tag}.log")
    return figures


async def main_async(args: argparse.Namespace) -> int:
    """Run the rounds and print the comparison."""
    roots = {"A": args.a.resolve(), "B": args.b.resolve()}
    results: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="ab-bench-") as tmp:
        for r in range(args.rounds):
            for name in ("A", "B") if r % 2 == 0 else ("B", "A"):
                got = await one_round(roots[name], args.users, args.rate_limit, Path(tmp), f"{name}{r}")
                results[name].append(got)
                print(
                    f"round {r} {name}: CPU/1000 {got['user'] + got['system']:.2f} s (user {got['user']:.2f}, "
                    f"system {got['system']:.2f}); {got['updates_per_s']:.1f} updates/s; p99/p50 "
                    f"{got['p99_over_p50']:.2f}; {got['per_poll']:.1f} updates per getUpdates; peak RSS {got['peak_rss']:.1f} MiB; problems "
                    f"{got['problems']:.0f}; load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    print(f"\nA = {roots['A']}\nB = {roots['B']}\n{args.users} users, TELEGRAM_RATE_LIMIT={args.rate_limit}")
    for key in ("user", "system", "peak_rss", "updates_per_s", "p99_over_p50", "per_poll"):
        a = [x[key] for x in results["A"]]
        b = [x[key] for x in results["B"]]
        print(f"  {key:<14} A median {statistics.median(a):7.2f}   B median {statistics.median(b):7.2f}")
    total = [
        (y["user"] + y["system"]) / (x["user"] + x["system"])
        for x, y in zip(results["A"], results["B"], strict=True)
    ]
    print(
        f"  CPU B/A by pair: {' / '.join(f'{t:.3f}' for t in total)} (median {statistics.median(total):.3f}, "
        f"spread {max(total) - min(total):.3f}); load average {load:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path, help="project copy A (the baseline)")
    ap.add_argument("b", type=Path, help="project copy B (the change)")
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=4, help="runs of each version (ABBA order)")
    ap.add_argument("--rate-limit", type=int, default=0, help="TELEGRAM_RATE_LIMIT (0: no overall cap)")
    return asyncio.run(main_async(ap.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
