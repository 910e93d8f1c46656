"""What pacing itself costs on this machine, with no bot at all (issue 18's limit-on target).

    python -m bench.pace_cost [--units 300] [--reps 6] [--json out.json]

The same unit of Python work (a JSON round trip of a small document with Chinese text, about 1 ms) is
done ``--units`` times in three ways: back to back; one unit per wake-up every 47 ms (21 a second, the
pace of a bot held by the flood limit); five units per wake-up every 235 ms (the same rate, work
gathered). Each repetition measures back to back before and after the paced runs; the process's CPU
time per unit is compared with their mean. A factor above 1 is what the machine charges for doing work
in small wake-ups (caches gone cold, a lower clock after idling, the scheduler), whatever the program:
a bot paced to 21 updates a second pays it on every update, the bare echo bot included. Figures only;
nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

GAP = 1 / 21.3  # seconds between wake-ups: the updates per second of a bot under the flood limit
_DOC = {f"k{i}": [f"值{j}" for j in range(20)] for i in range(40)}


def unit() -> None:
    """About a millisecond of ordinary Python work."""
    for _ in range(6):
        json.loads(json.dumps(_DOC, ensure_ascii=False))


def cpu_per_unit(units: int, gap: float, per_wake: int = 1) -> float:
    """Milliseconds of process CPU per unit, ``per_wake`` units per wake-up, ``gap`` seconds apart."""
    start, done = time.process_time(), 0
    while done < units:
        for _ in range(per_wake):
            unit()
        done += per_wake
        if gap:
            time.sleep(gap)
    return (time.process_time() - start) / done * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=300)
    ap.add_argument("--reps", type=int, default=6)
    ap.add_argument("--json", type=Path, help="write the factors here")
    args = ap.parse_args(argv)
    one, five = [], []
    for rep in range(args.reps):
        before = cpu_per_unit(args.units, 0)
        paced = cpu_per_unit(args.units, GAP)
        gathered = cpu_per_unit(args.units, GAP * 5, per_wake=5)
        after = cpu_per_unit(args.units, 0)
        flat = (before + after) / 2
        one.append(paced / flat)
        five.append(gathered / flat)
        print(
            f"rep {rep}: back to back {before:.3f} / {after:.3f} ms per unit; one per wake-up {paced:.3f}"
            f" ({one[-1]:.2f}x); five per wake-up {gathered:.3f} ({five[-1]:.2f}x)",
            flush=True,
        )
    print(
        f"CPU per unit against back to back, median of {args.reps}: one unit per wake-up at 21 a second"
        f" {statistics.median(one):.2f}x, five per wake-up {statistics.median(five):.2f}x"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"one_per_wake": one, "five_per_wake": five}
        args.json.write_text(
            json.dumps({"settings": {"units": args.units, "reps": args.reps}} | figures, indent=2)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
