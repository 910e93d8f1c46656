"""Figures of the bot benchmark: one load phase of one bot, totals over rounds, the printed comparison."""

from __future__ import annotations

import argparse
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from bench.child import Child
from bot.testing.fake_bot_api import FakeBotApi


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of ``values`` (0 when empty)."""
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0.0


class Phase:
    """Raw figures of one load phase of one bot (a round); rounds are added up by :func:`summarise`."""

    def __init__(self, api: FakeBotApi, child: Child, cpu0: float, t0: float) -> None:
        self.cpu, self.seconds = child.cpu_seconds() - cpu0, time.perf_counter() - t0
        self.updates = len(api.offers)
        self.latencies = [x * 1000 for x in api.latencies()]
        self.calls = sum(1 for c in api.calls if c.method != "getUpdates")
        self.polls = len(api.calls) - self.calls
        self.rss_end, self.peak_rss = child.rss_mb(), child.peak_rss_mb()
        self.problems = len(api.problems())


def summarise(phases: list[Phase]) -> dict[str, Any]:
    """One bot's figures over all its rounds (totals, pooled latencies, highest RSS)."""
    updates = sum(p.updates for p in phases)
    seconds = sum(p.seconds for p in phases)
    lat = [x for p in phases for x in p.latencies]
    return {
        "rounds": len(phases),
        "updates": updates,
        "seconds": round(seconds, 2),
        "updates_per_s": round(updates / seconds, 1),
        "latency_ms_p50": round(statistics.median(lat), 1) if lat else 0.0,
        "latency_ms_p95": round(pct(lat, 0.95), 1),
        "latency_ms_p99": round(pct(lat, 0.99), 1),
        "cpu_s_per_1000_updates": round(sum(p.cpu for p in phases) / updates * 1000, 2),
        "cpu_s_per_1000_updates_by_round": [round(p.cpu / p.updates * 1000, 2) for p in phases],
        "api_calls_per_update": round(sum(p.calls for p in phases) / updates, 2),
        "updates_per_getupdates": round(updates / max(1, sum(p.polls for p in phases)), 1),
        "rss_mb_end": round(max(p.rss_end for p in phases), 1),
        "peak_rss_mb": round(max(p.peak_rss for p in phases), 1),
        "problems": sum(p.problems for p in phases),
    }


ROWS = [
    ("updates", "updates", "{:,}"),
    ("updates/s", "updates_per_s", "{:.1f}"),
    ("offered -> answer p50 ms", "latency_ms_p50", "{:.1f}"),
    ("offered -> answer p95 ms", "latency_ms_p95", "{:.1f}"),
    ("offered -> answer p99 ms", "latency_ms_p99", "{:.1f}"),
    ("bot CPU s / 1,000 updates", "cpu_s_per_1000_updates", "{:.2f}"),
    ("Bot API calls / update", "api_calls_per_update", "{:.2f}"),
    ("updates per getUpdates", "updates_per_getupdates", "{:.1f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
    ("rule violations", "problems", "{}"),
]


def report(args: argparse.Namespace, ours: dict[str, Any], bare: dict[str, Any]) -> dict[str, Any]:
    """Print the comparison; the ratios and targets."""
    limiter = f"overall cap {args.rate_limit}/s" if args.rate_limit else "no overall cap"
    print(
        f"bot benchmark: {args.users} virtual users through the whole wizard, {args.rounds} round(s) per bot "
        f"(ours, bare, bare, ours, ...); loopback fake Bot API; TELEGRAM_CONCURRENCY={args.concurrency}; "
        f"delivery policy (retry.py) {limiter} (same for both bots); session store {args.store or 'sqlite'}"
    )
    print(f"  {'':<28}{'wizard bot':>12}{'bare echo':>12}{'ours/bare':>11}")
    ratios: dict[str, float] = {}
    for label, key, fmt in ROWS:
        a, b = ours[key], bare[key]
        ratio = a / b if b and key not in ("updates", "problems") else None
        if ratio is not None:
            ratios[key] = round(ratio, 2)
        print(
            f"  {label:<28}{fmt.format(a):>12}{fmt.format(b):>12}{'' if ratio is None else f'{ratio:.2f}':>11}"
        )
    by_round = " / ".join(
        f"{a / b:.2f}"
        for a, b in zip(
            ours["cpu_s_per_1000_updates_by_round"], bare["cpu_s_per_1000_updates_by_round"], strict=True
        )
    )
    print(f"  CPU ratio by round: {by_round}")
    s = ours["sessions"]
    half = s["returning_chats_served"] // 2
    print(
        f"  sessions: bot RSS {s['rss_mb_before']:.1f} MB; {s['stored']:,} sessions stored, {half:,} of those "
        f"chats come back: {s['rss_mb_after_first_half']:.1f} MB; {s['returning_chats_served'] - half:,} more: "
        f"{s['rss_mb_after']:.1f} MB ({s['rss_growth_mb']:+.1f} MB in all, "
        f"{s['rss_growth_mb_second_half']:+.1f} MB for the second half)"
    )
    targets = {
        "CPU per update within 1.3x of the bare echo bot": ratios["cpu_s_per_1000_updates"] <= 1.3,
        f"RSS flat as sessions grow (< 5 MB for {s['stored']:,} stored)": s["rss_growth_mb"] < 5,
    }
    for name, ok in targets.items():
        print(f"  target {name}: {'met' if ok else 'NOT met'}")
    return {"ratios": ratios, "targets": targets}


def profile_path(args: argparse.Namespace, bot: str) -> Path:
    """Where a bot's profile goes: beside the JSON, or in bench-results/."""
    folder = args.json.parent if args.json else Path("bench-results")
    folder.mkdir(parents=True, exist_ok=True)
    return (folder / f"profile-{bot}.prof").resolve()


def print_profile(path: Path, limit: int = 25) -> None:
    """The functions with the most own time in the child's profile."""
    print(f"\nprofile of the wizard bot ({path}), top {limit} by own time:")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(limit)
