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

    def __init__(self, api: FakeBotApi, child: Child, cpu0: tuple[float, float], t0: float) -> None:
        user, system = child.cpu_split()
        self.user, self.system = user - cpu0[0], system - cpu0[1]
        self.cpu, self.seconds = self.user + self.system, time.perf_counter() - t0
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
        "cpu_user_s_per_1000_updates": round(sum(p.user for p in phases) / updates * 1000, 2),
        "cpu_system_s_per_1000_updates": round(sum(p.system for p in phases) / updates * 1000, 2),
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
    ("  of which user", "cpu_user_s_per_1000_updates", "{:.2f}"),
    ("  of which system", "cpu_system_s_per_1000_updates", "{:.2f}"),
    ("Bot API calls / update", "api_calls_per_update", "{:.2f}"),
    ("updates per getUpdates", "updates_per_getupdates", "{:.1f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.1f}"),
    ("rule violations", "problems", "{}"),
]


def round_ratios(ours: dict[str, Any], other: dict[str, Any]) -> list[float]:
    """CPU per update ours / other, round by round (round i of one against round i of the other)."""
    pairs = zip(
        ours["cpu_s_per_1000_updates_by_round"], other["cpu_s_per_1000_updates_by_round"], strict=False
    )
    return [round(a / b, 2) for a, b in pairs if b]


def spread_line(label: str, ratios: list[float]) -> str:
    """The per-round ratios, their median and how far they spread (max - min): how much one run's ratio
    can be trusted on a shared machine."""
    if not ratios:
        return f"  {label}: no rounds"
    med = statistics.median(ratios)
    return (
        f"  {label} by round: {' / '.join(f'{r:.2f}' for r in ratios)}"
        f" (median {med:.2f}, spread {max(ratios) - min(ratios):.2f})"
    )


def _row(label: str, fmt: str, values: list[float], ratios: list[float | None]) -> str:
    cells = "".join(f"{fmt.format(v):>14}" for v in values)
    return f"  {label:<28}{cells}" + "".join(f"{'' if r is None else f'{r:.2f}':>11}" for r in ratios)


def report_limit_off(args: argparse.Namespace, ours: dict[str, Any], bare: dict[str, Any]) -> dict[str, Any]:
    """The limit-off regime's table; the ratios ours/bare."""
    limiter = f"overall cap {args.rate_limit}/s" if args.rate_limit else "no overall cap"
    print(
        f"bot benchmark: {args.users} virtual users through the whole wizard, {args.rounds} round(s) per bot "
        f"(ours, bare, bare, ours, ...); loopback fake Bot API; TELEGRAM_CONCURRENCY={args.concurrency}; "
        f"delivery policy (retry.py) {limiter} (same for both bots); session store {args.store or 'sqlite'}"
    )
    print(f"  {'':<28}{'wizard bot':>14}{'bare echo':>14}{'ours/bare':>11}")
    ratios: dict[str, Any] = {}
    for label, key, fmt in ROWS:
        a, b = ours[key], bare[key]
        ratio = a / b if b and key not in ("updates", "problems") else None
        if ratio is not None:
            ratios[key] = round(ratio, 2)
        print(_row(label, fmt, [a, b], [ratio]))
    by_round = round_ratios(ours, bare)
    ratios["cpu_by_round"] = by_round
    print(spread_line("CPU ours/bare", by_round))
    s = ours["sessions"]
    half = s["returning_chats_served"] // 2
    print(
        f"  sessions: bot RSS {s['rss_mb_before']:.1f} MB; {s['stored']:,} sessions stored, {half:,} of those "
        f"chats come back: {s['rss_mb_after_first_half']:.1f} MB; {s['returning_chats_served'] - half:,} more: "
        f"{s['rss_mb_after']:.1f} MB ({s['rss_growth_mb']:+.1f} MB in all, "
        f"{s['rss_growth_mb_second_half']:+.1f} MB for the second half)"
    )
    return ratios


def report_limit_on(args: argparse.Namespace, limited: dict[str, Any]) -> dict[str, Any]:
    """The limit-on regime's table; the figures the targets use."""
    ours, bare, free = limited["ours"], limited["bare"], limited["bare_no_limit"]
    print(
        f"\nflood limit on: {args.limited_users} virtual users, TELEGRAM_RATE_LIMIT={args.limited_rate} for the "
        "wizard bot and the echo bot; the echo bot also without the limit (same updates)"
    )
    print(
        f"  {'':<28}{'wizard, limit':>14}{'echo, limit':>14}{'echo, none':>14}"
        f"{'ours/echo':>11}{'ours/none':>11}"
    )
    for label, key, fmt in ROWS:
        values = [ours[key], bare[key], free[key]]
        skip = key in ("updates", "problems")
        print(_row(label, fmt, values, [None if skip or not v else ours[key] / v for v in values[1:]]))
    spread = [
        d["latency_ms_p99"] / d["latency_ms_p50"] if d["latency_ms_p50"] else 0.0 for d in (ours, bare, free)
    ]
    print(_row("latency p99 / p50", "{:.2f}", spread, [None, None]))
    by_round = {"with_limit": round_ratios(ours, bare), "without_limit": round_ratios(ours, free)}
    print(spread_line("CPU ours/echo (same limit)", by_round["with_limit"]))
    print(spread_line("CPU ours/echo without the limit", by_round["without_limit"]))
    return {
        "cpu_by_round": by_round,
        "cpu_vs_echo_without_limit": round(
            ours["cpu_s_per_1000_updates"] / free["cpu_s_per_1000_updates"], 2
        ),
        "cpu_vs_echo_with_limit": round(ours["cpu_s_per_1000_updates"] / bare["cpu_s_per_1000_updates"], 2),
        "latency_p99_over_p50": round(spread[0], 2),
        "peak_rss_mb": ours["peak_rss_mb"],
    }


def report_memory(memory: dict[str, Any], peak: float, started: float | None = None) -> None:
    """Where the bot's resident memory goes, from a fresh process's imports and start-up to the peak."""
    print("\nmemory (RSS, MiB) of the wizard bot by component (bench/memory.py, a fresh process):")
    print(f"  {'interpreter':<48}{memory['interpreter']:>7.1f}")
    imports = list(memory["imports"].items())
    shown, rest = imports[:12], imports[12:]
    for name, mib in shown:
        print(f"  {'import ' + name:<48}{mib:>7.1f}")
    print(f"  {f'import: {len(rest)} other packages':<48}{sum(v for _, v in rest):>7.1f}")
    for name, mib in memory["phases"].items():
        if name != "imports":
            print(f"  {name:<48}{mib:>7.1f}")
    print(f"  {'= built, ready to poll':<48}{memory['ready']:>7.1f}")
    base = memory["ready"]
    if started is not None:  # the bot process itself when it first polled (bench/bot_bench.py)
        print(f"  {'start-up: store opened, first Bot API calls':<48}{started - base:>7.1f}")
        print(f"  {'= the bot process when it first polls':<48}{started:>7.1f}")
        base = started
    print(f"  {'under load (updates in flight, caches, buffers)':<48}{peak - base:>7.1f}")
    print(f"  {'= peak RSS under the benchmark':<48}{peak:>7.1f}")


def report(
    args: argparse.Namespace,
    ours: dict[str, Any],
    bare: dict[str, Any],
    limited: dict[str, Any] | None,
    memory: dict[str, Any],
) -> dict[str, Any]:
    """Print both regimes, the memory breakdown and the targets; the ratios and targets."""
    ratios: dict[str, Any] = report_limit_off(args, ours, bare)
    peak = ours["peak_rss_mb"]
    if limited is not None:
        ratios["limited"] = report_limit_on(args, limited)
        peak = max(peak, ratios["limited"]["peak_rss_mb"])
    report_memory(memory, peak, ours.get("rss_mb_after_start"))
    s = ours["sessions"]
    print()
    cpu_off = ratios["cpu_s_per_1000_updates"]
    targets = {
        f"limit off: CPU per update at most 1.1x the bare echo bot's ({cpu_off:.2f}x)": cpu_off <= 1.1,
        f"RSS flat as sessions grow (< 5 MB for {s['stored']:,} stored; {s['rss_growth_mb']:+.1f} MB)": (
            s["rss_growth_mb"] < 5
        ),
        f"peak RSS at most 80 MiB ({peak:.1f} MiB)": peak <= 80,
    }
    if limited is not None:
        lim = ratios["limited"]
        cpu_on, spread = lim["cpu_vs_echo_without_limit"], lim["latency_p99_over_p50"]
        targets |= {
            f"limit on: CPU per update at most 1.3x the echo bot's without the limit ({cpu_on:.2f}x; "
            f"{lim['cpu_vs_echo_with_limit']:.2f}x the echo bot's under the same limit)": cpu_on <= 1.3,
            f"limit on: first come, first served (latency p99/p50 at most 1.5; {spread:.2f})": spread <= 1.5,
        }
    for name, ok in targets.items():
        print(f"  target {name}: {'met' if ok else 'NOT met'}")
    return {"ratios": ratios, "targets": targets, "peak_rss_mb": peak}


def profile_path(args: argparse.Namespace, bot: str) -> Path:
    """Where a bot's profile goes: beside the JSON, or in bench-results/."""
    folder = args.json.parent if args.json else Path("bench-results")
    folder.mkdir(parents=True, exist_ok=True)
    return (folder / f"profile-{bot}.prof").resolve()


def print_profile(path: Path, limit: int = 25) -> None:
    """The functions with the most own time in the child's profile."""
    print(f"\nCPU profile of the wizard bot ({path}), top {limit} by own CPU time:")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(limit)
