"""Benchmark: K virtual users through the whole wizard against the loopback fake Bot API, the same load
against a bare python-telegram-bot echo bot, in two regimes: the flood limit off (``--rate-limit``, 0),
then on (``--limited-rate`` messages/s, with ``--limited-users`` users: the limit, not the CPU, holds
both bots back); memory as stored sessions grow, and what each component costs (bench/memory.py).

Usage: python -m bench.bot_bench [--users 500] [--rounds 2] [--warmup 20] [--concurrency 4] [--rate-limit 0]
       [--sessions 100000] [--returning 2000] [--limited-rate 27] [--limited-users 200]
       [--store sqlite|redis://…] [--profile] [--json out.json]

Each bot runs in its own process (``python -m bot`` / ``python -m bench.echo_bot``) with the same
settings, and first serves ``--warmup`` users whose updates are not counted (the first use of each page:
template compiles, caches filled), so the figures are those of a running bot. Its CPU time and RSS are
read from the operating system. Latency is the time from the fake Bot API handing an update to the bot
(getUpdates) until the bot's first send/edit for it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.child import Child, start_child
from bench.figures import Phase, print_profile, profile_path, report, summarise
from bench.users import Script, echo_user, returning_user, wizard_user
from bot.session import Session
from bot.store.base import ChatRecord, SessionStore
from bot.store.sqlite import SqliteSessionStore
from bot.testing.fake_bot_api import FakeBotApi


class PatientApi(FakeBotApi):
    """The fake Bot API whose users wait up to two minutes for an answer: under the flood limit a
    saturated bot answers after ``users / rate`` seconds (about 8 s for 200 users at 27 messages/s)."""

    async def wait_answered(self, update_id: int, timeout: float = 120.0) -> None:
        """Wait until the bot has answered ``update_id``."""
        await super().wait_answered(update_id, timeout)


FIRST_CHAT = 10_000_000  # chat ids of virtual users
WARM_CHAT = 90_000_000  # chat ids of the warm-up users (not measured)
STORED_CHAT = 50_000_000  # chat ids of seeded sessions


async def run_load(api: FakeBotApi, users: list[Any]) -> None:
    """Run every user coroutine at once; any failure aborts the benchmark."""
    await asyncio.gather(*users)


async def warm_up(api: FakeBotApi, users: list[Any]) -> None:
    """Run the warm-up users, then forget their updates and calls: what is measured afterwards is the
    steady state of a running bot, not the first use of each page (template compiles, caches filled)."""
    await run_load(api, users)
    api.offers.clear()
    api.calls.clear()


async def seed(store: SessionStore, n: int) -> float:
    """Store ``n`` sessions half-way through the wizard; seconds it took."""
    t0 = time.perf_counter()
    session = Session("channel", {"identity": "resident", "province": "430000", "city": "430100"}, 3)
    async with store:
        for i in range(n):
            await store.save(STORED_CHAT + i, ChatRecord(session, None, 0))
    return time.perf_counter() - t0


def bench_store(spec: str, data_dir: Path) -> SessionStore:
    """A second handle on the store the bot uses, for seeding sessions."""
    if spec.startswith("redis"):
        from bot.store.redis import RedisSessionStore

        return RedisSessionStore(spec)
    return SqliteSessionStore(data_dir / "sessions.sqlite3")


async def bench_ours(
    args: argparse.Namespace,
    env: dict[str, str],
    out: Path,
    sessions: bool,
    users: int | None = None,
    tag: str = "ours",
) -> tuple[Phase, list[Script], dict[str, Any]]:
    """The wizard bot: ``users`` (default ``--users``) users; with ``sessions``, then stored sessions
    growing by ``--sessions``."""
    users = users or args.users
    api = await PatientApi().start()
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=out))  # a fresh SQLite file each round
    if args.store.startswith("redis"):  # and a fresh Redis database
        import redis

        with redis.Redis.from_url(args.store) as client:
            client.flushdb()
    store_env = {"BOT_DATA_DIR": str(data_dir), "SESSION_STORE": args.store}
    profile = profile_path(args, tag) if args.profile and (sessions or tag != "ours") else None
    if args.py_spy and sessions:
        profile = profile_path(args, "ours").with_suffix(".txt")
    if args.trace_memory and sessions:
        profile = profile_path(args, "ours").with_suffix(".trace")
    child = await start_child("bot", api, {**env, **store_env}, out / "ours.log", profile)
    extra: dict[str, Any] = {}
    try:
        extra["rss_mb_after_start"] = round(child.rss_mb(), 1)
        warm = [wizard_user(api, WARM_CHAT + i, random.Random(1_000_000 + i)) for i in range(args.warmup)]
        await warm_up(api, warm)
        cpu0, t0 = child.cpu_split(), time.perf_counter()
        rngs = [random.Random(i) for i in range(users)]
        scripts = await asyncio.gather(*(wizard_user(api, FIRST_CHAT + i, rngs[i]) for i in range(users)))
        phase = Phase(api, child, cpu0, t0)
        if sessions:
            extra["sessions"] = await bench_sessions(args, api, child, data_dir)
    finally:
        code = await child.stop()
        await api.stop()
    if code != 0:
        raise RuntimeError(f"the bot exited with {code}; see {child.log}")
    return phase, list(scripts), extra


async def bench_sessions(
    args: argparse.Namespace, api: FakeBotApi, child: Child, data_dir: Path
) -> dict[str, Any]:
    """RSS before and after storing ``--sessions`` sessions and serving ``--returning`` of them, in two
    halves (the first half also fills SQLite's page cache, which is bounded: 2 MB by default)."""
    before = child.rss_mb()
    seconds = await seed(bench_store(args.store, data_dir), args.sessions)
    ids = random.Random(1).sample(
        range(STORED_CHAT, STORED_CHAT + args.sessions), min(args.returning, args.sessions)
    )
    halves, rss = [ids[: len(ids) // 2], ids[len(ids) // 2 :]], []
    for half in halves:
        per_user = [half[i :: args.users] for i in range(args.users)]
        await run_load(api, [returning_user(api, chunk) for chunk in per_user if chunk])
        rss.append(child.rss_mb())
    return {
        "stored": args.sessions,
        "seeding_seconds": round(seconds, 1),
        "returning_chats_served": len(ids),
        "rss_mb_before": round(before, 1),
        "rss_mb_after_first_half": round(rss[0], 1),
        "rss_mb_after": round(rss[1], 1),
        "rss_growth_mb": round(rss[1] - before, 1),
        "rss_growth_mb_second_half": round(rss[1] - rss[0], 1),
    }


async def bench_bare(
    args: argparse.Namespace, env: dict[str, str], out: Path, scripts: list[Script], first: bool
) -> Phase:
    """The bare echo bot under the same mix of updates (sampled by py-spy in the first round if asked)."""
    api = await PatientApi().start()
    spy = profile_path(args, "bare").with_suffix(".txt") if args.py_spy and first else None
    child = await start_child("bench.echo_bot", api, env, out / "bare.log", spy)
    try:
        await warm_up(api, [echo_user(api, WARM_CHAT + i, s) for i, s in enumerate(scripts[: args.warmup])])
        cpu0, t0 = child.cpu_split(), time.perf_counter()
        await run_load(api, [echo_user(api, FIRST_CHAT + i, s) for i, s in enumerate(scripts)])
        phase = Phase(api, child, cpu0, t0)
    finally:
        code = await child.stop()
        await api.stop()
    if code != 0:
        raise RuntimeError(f"the echo bot exited with {code}; see {child.log}")
    return phase


async def main_async(args: argparse.Namespace) -> int:
    """Run the rounds, print the comparison, write the JSON."""
    env = {
        "TELEGRAM_CONCURRENCY": str(args.concurrency),
        "TELEGRAM_RATE_LIMIT": str(args.rate_limit),
    }
    ours_phases: list[Phase] = []
    bare_phases: list[Phase] = []
    extra: dict[str, Any] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as tmp:
        out = Path(tmp)
        server = None
        if args.store == "redis":  # a redis-server of our own on 127.0.0.1, as in the tests
            from bot.testing.redis_server import RedisServer

            server = RedisServer(out).start()
            args.store = server.url
        try:
            await run_rounds(args, env, out, ours_phases, bare_phases, extra)
            limited = await run_limited(args, env, out) if args.limited_rate else None
        finally:
            if server is not None:
                server.stop()
        ours, bare = {**summarise(ours_phases), **extra}, summarise(bare_phases)
        memory = await measure_memory(env)
        machine = machine_load(load_before)
        summary = report(args, ours, bare, limited, memory)
        if args.profile:
            print_profile(profile_path(args, "ours"))
            if limited is not None:
                print_profile(profile_path(args, "ours-limited"))
        if args.py_spy:
            from bench.spy_report import compare

            compare(
                profile_path(args, "ours").with_suffix(".txt"),
                profile_path(args, "bare").with_suffix(".txt"),
                ours_phases[0].cpu / ours_phases[0].updates * 1000,
                bare_phases[0].cpu / bare_phases[0].updates * 1000,
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "settings": vars(args) | {"json": str(args.json)},
            "ours": ours,
            "bare": bare,
            "limited": limited,
            "memory": memory,
            "machine": machine,
            **summary,
        }
        args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


async def run_rounds(
    args: argparse.Namespace,
    env: dict[str, str],
    out: Path,
    ours_phases: list[Phase],
    bare_phases: list[Phase],
    extra: dict[str, Any],
) -> None:
    """Both bots, ``--rounds`` times each, in ABBA order."""
    scripts: list[Script] = []
    for r in range(args.rounds):
        # ABBA order, so a change in background load during the run weighs on both bots alike.
        for bot in ("ours", "bare") if r % 2 == 0 else ("bare", "ours"):
            if bot == "ours":
                phase, got, more = await bench_ours(args, env, out, sessions=r == 0)
                ours_phases.append(phase)
                scripts = scripts or got
                extra.update(more)
            else:
                bare_phases.append(await bench_bare(args, env, out, scripts, first=not bare_phases))


async def run_limited(args: argparse.Namespace, env: dict[str, str], out: Path) -> dict[str, Any]:
    """The flood limit on: the wizard bot and the echo bot at ``--limited-rate`` messages/s, and the echo
    bot without the limit, all under the same ``--limited-users`` users' updates; ``--rounds`` rounds, the
    order reversed every other round (ours, echo, echo without; then echo without, echo, ours)."""
    limited_env = {**env, "TELEGRAM_RATE_LIMIT": str(args.limited_rate)}
    free_env = {**env, "TELEGRAM_RATE_LIMIT": "0"}
    phases: dict[str, list[Phase]] = {"ours": [], "bare": [], "bare_no_limit": []}
    scripts: list[Script] = []
    for r in range(max(1, args.rounds)):  # round 0 starts with ours: its users' scripts are replayed
        order = ("ours", "bare", "bare_no_limit")
        for bot in order if r % 2 == 0 else order[::-1]:
            if bot == "ours":
                ours, got, _ = await bench_ours(
                    args, limited_env, out, sessions=False, users=args.limited_users, tag="ours-limited"
                )
                phases["ours"].append(ours)
                scripts = scripts or got
                continue
            bot_env = limited_env if bot == "bare" else free_env
            phases[bot].append(await bench_bare(args, bot_env, out, scripts, first=False))
    return {name: summarise(got) for name, got in phases.items()}


def machine_load(before: tuple[float, float, float]) -> dict[str, Any]:
    """Print how busy the machine was: CPU figures are CPU time of each bot process (user + system),
    less sensitive to other work than wall time, but a loaded machine still inflates them (caches,
    frequency, context switches), and the ratios most of all when the echo bot's figure is small."""
    after = os.getloadavg()
    cores = os.cpu_count() or 1
    print(
        f"machine: {cores} cores; load average (1 min) {before[0]:.1f} at the start, {after[0]:.1f} at the end "
        f"(5 min: {after[1]:.1f}). CPU per update is each bot's process CPU time; above ~{cores / 2:.0f} "
        "other work weighs on it: rerun on a quiet machine before reading the ratios.\n"
    )
    return {
        "cores": cores,
        "load_1min_start": before[0],
        "load_1min_end": after[0],
        "load_5min_end": after[1],
    }


async def measure_memory(env: dict[str, str]) -> dict[str, Any]:
    """What each component of the bot costs in RSS, measured in a fresh process (bench/memory.py)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.memory",
        env={**os.environ, **env, "BOT_DATA_DIR": tempfile.mkdtemp(prefix="bench-memory-")},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"bench.memory exited with {proc.returncode}")
    result: dict[str, Any] = json.loads(out)
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=500, help="virtual users at once (default 500)")
    ap.add_argument("--rounds", type=int, default=2, help="runs of each bot, alternating (default 2)")
    ap.add_argument(
        "--warmup", type=int, default=20, help="users run through each bot before it is measured (default 20)"
    )
    ap.add_argument("--concurrency", type=int, default=4, help="TELEGRAM_CONCURRENCY of both bots")
    ap.add_argument("--rate-limit", type=int, default=0, help="TELEGRAM_RATE_LIMIT of both bots (0: no cap)")
    ap.add_argument(
        "--limited-rate", type=int, default=27, help="TELEGRAM_RATE_LIMIT of the limited regime (0: skip it)"
    )
    ap.add_argument("--limited-users", type=int, default=200, help="virtual users in the limited regime")
    ap.add_argument("--sessions", type=int, default=100_000, help="sessions stored for the memory figure")
    ap.add_argument("--returning", type=int, default=2_000, help="stored chats that come back with /start")
    ap.add_argument(
        "--store",
        default="",
        help="SESSION_STORE of the wizard bot: default SQLite; 'redis' starts a redis-server",
    )
    ap.add_argument("--profile", action="store_true", help="run the wizard bot under cProfile and print it")
    ap.add_argument(
        "--py-spy", action="store_true", help="sample the wizard bot with py-spy (collapsed stacks)"
    )
    ap.add_argument(
        "--trace-memory",
        action="store_true",
        help="run the wizard bot under tracemalloc; write where its memory was allocated (profile-ours.trace)",
    )
    ap.add_argument("--json", type=Path, help="write the figures here")
    return asyncio.run(main_async(ap.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
