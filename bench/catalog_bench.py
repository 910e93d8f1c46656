"""Benchmark: load a synthetic catalog of N region files, then time one wizard step and one render.

Usage: python -m bench.catalog_bench [--files 3000] [--steps 20000] [--json out.json]
Prints figures; asserts nothing (targets: load < 3 s and < 150 MB; p99 step+render < 2 ms). Step and
render are timed by the wall clock and, for the target, in CPU time of the thread (on a shared machine
the wall-clock tail mostly measures the scheduler).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bot.catalog.loader import load_catalog
from bot.events import Event
from bot.render import Renderer
from bot.session import Session
from bot.store.memory import MemorySessionStore
from bot.view import View
from bot.wizard import Wizard
from bot.wizard.usage import UsageCounter

FLOWS = Path(__file__).resolve().parent.parent / "flows"

CITY_TEMPLATE = """\
code: "{code}"
name: 合成{n}市
parent: "{parent}"
aliases: [合成{n}, hecheng{n}]
identities:
  resident:
    figures:
      amount: {{value: {amount}, year: 2026, source: "synthetic benchmark", source_kind: official, retrieved: 2026-11-01, verified: 2026-11-01}}
    channels:
      wechat:
        title: 微信:合成{n}市社保缴费
        steps:
          - 打开微信,搜索“合成{n}社保”小程序
          - 选择城乡居民医疗保险,确认参保地为{{{{ place }}}}
          - 核对金额后支付
        source: synthetic benchmark
        source_kind: official
        retrieved: 2026-11-01
        verified: 2026-11-01
"""


def make_tree(tmp: Path, files: int) -> Path:
    """Copy the shipped flows and add synthetic city files until there are ``files`` region files."""
    root = tmp / "flows"
    shutil.copytree(FLOWS, root)
    existing = len(list((root / "regions").glob("*.yaml")))
    provinces = [
        p.split('"')[1] for p in (root / "divisions.yaml").read_text("utf-8").splitlines() if "code:" in p
    ]
    for n in range(max(0, files - existing)):
        parent = provinces[n % len(provinces)]
        code = f"{parent[:2]}{(n // len(provinces)) % 90 + 10:02d}{n // (len(provinces) * 90) + 50:02d}"
        (root / "regions" / f"{code}-synthetic.yaml").write_text(
            CITY_TEMPLATE.format(code=code, n=n, parent=parent, amount=300 + n % 200), encoding="utf-8"
        )
    return root


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values``."""
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_tree(Path(tmp), args.files)
        nfiles = len(list((root / "regions").glob("*.yaml")))
        # Time and peak RSS of a plain load (tracemalloc would slow it down several times), then the
        # Python allocations of a second load under tracemalloc: peak while loading, kept afterwards.
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0, c0 = time.perf_counter(), time.process_time()
        catalog = load_catalog(root)
        load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        del catalog
        gc.collect()
        tracemalloc.start()
        catalog = load_catalog(root)
        gc.collect()
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    renderer = Renderer()
    wizard = Wizard(catalog, renderer.labels)
    gc.freeze()  # as the bot does after loading: the catalog stays out of the garbage collector's way
    rng = random.Random(7)
    cities = [r for r in catalog.regions.values() if r.parent]
    steps: list[float] = []
    renders: list[float] = []
    cpu: list[float] = []  # step + render in CPU time of this thread: what the code costs
    counted: list[tuple[Session, Session, str, View]] = []  # steps to count afterwards (bot/wizard/usage.py)
    for _ in range(args.steps):
        city = rng.choice(cities)
        ident = rng.choice(("flexible", "resident"))
        session = Session("channel", {"identity": ident, "province": city.parent, "city": city.code}, 5)
        channel = rng.choice(catalog.channels(ident, city.code))
        c0, t0 = time.thread_time(), time.perf_counter()
        new, view = wizard.step(session, Event("pick", channel, 5))
        t1 = time.perf_counter()
        counted.append((session, new, channel, view))
        t1 = time.perf_counter()
        renderer.render(view)
        t2, c2 = time.perf_counter(), time.thread_time()
        cpu.append((c2 - c0) * 1e3)
        steps.append((t1 - t0) * 1e3)
        renders.append((t2 - t1) * 1e3)
    both = [a + b for a, b in zip(steps, renders, strict=True)]
    # Counting a step (anonymous usage counts) is a few microseconds: timed over all steps at once, as
    # timing each call would mostly measure the clock.
    counter = UsageCounter(MemorySessionStore())
    c0 = time.thread_time()
    for before, after, chosen, shown in counted:
        counter.step(before, after, "pick", chosen, shown)
    count_us = (time.thread_time() - c0) / max(1, len(counted)) * 1e6
    result = {
        "region_files": nfiles,
        "regions_loaded": len(catalog.flows),
        "load_seconds": round(load_s, 3),
        "load_cpu_seconds": round(load_cpu, 3),
        "load_peak_rss_growth_mb": round((rss1 - rss0) / 1024, 1),
        "load_peak_traced_mb": round(peak / 2**20, 1),
        "catalog_kept_traced_mb": round(kept / 2**20, 1),
        "step_ms_median": round(statistics.median(steps), 3),
        "step_ms_p99": round(pct(steps, 0.99), 3),
        "render_ms_median": round(statistics.median(renders), 3),
        "render_ms_p99": round(pct(renders, 0.99), 3),
        "step_plus_render_ms_p99": round(pct(both, 0.99), 3),
        "step_plus_render_cpu_ms_median": round(statistics.median(cpu), 3),
        "step_plus_render_cpu_ms_p99": round(pct(cpu, 0.99), 3),
        "usage_count_cpu_us_mean": round(count_us, 2),
    }
    width = max(map(len, result))
    print("catalog + wizard benchmark")
    for k, v in result.items():
        print(f"  {k:<{width}}  {v}")
    ok = {
        "load < 3 s": load_s < 3,
        "load < 150 MB (peak RSS growth)": (rss1 - rss0) / 1024 < 150,
        # CPU time: the wall-clock p99 also counts the moments another process had the core.
        "p99 step+render < 2 ms (CPU time)": result["step_plus_render_cpu_ms_p99"] < 2,
    }
    for k, v in ok.items():
        print(f"  target {k}: {'met' if v else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps({**result, "targets": ok}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
