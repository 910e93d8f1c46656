"""Benchmark: what a busy minute of reminders (10,000 due at once) does to answer latency.

Usage: python -m bench.reminder_bench [--reminders 10000] [--users 20] [--steps 15] [--think 1.0]
       [--rate-limit 30] [--reminder-rate 10] [--json out.json]

The wizard bot runs in its own process (``python -m bot``) against the loopback fake Bot API, with
its default SQLite store. Each scenario starts a fresh bot; in the loaded ones, ``--reminders``
reminders that fell due within the last minute are written to its database first, so the bot finds
them at start-up, as after a busy minute or an outage. Then ``--users`` people use the wizard at once,
each taking ``--steps`` steps (tapping through it, turning pages, opening follow-ups, starting again)
with a pause of up to ``--think`` seconds between steps, as people do; the time from the fake API
handing over each user update to the bot's answer is measured. (Users with no pause would saturate
the bot, and the figure would be queueing, not the reminders' effect.) Scenarios: no reminders, and 10,000 due, with the flood limit on (``--rate-limit``, Telegram's
30/s) and off; and one with reminders unpaced (``REMINDER_RATE`` 1000) to show what pacing buys.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.child import start_child
from bench.figures import pct
from bench.users import _buttons
from bot.store.reminders import Reminder
from bot.store.reminders_sqlite import SqliteReminderStore
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi

FIRST_USER = 10_000_000
FIRST_REMINDED = 60_000_000
IDLE = 5.0  # seconds without users after the load, to see the reminders' own pace
SLOTS = {"identity": "flexible", "province": "430000", "city": "430100", "channel": "tax"}


async def seed(data_dir: Path, n: int) -> None:
    """``n`` monthly reminders that fell due over the last minute."""
    store = SqliteSessionStore(data_dir / "sessions.sqlite3")
    async with store:
        reminders = SqliteReminderStore(store)
        await reminders.open()
        now = time.time()
        db = store.db
        await db.execute("BEGIN")
        for i in range(n):
            due = now - 60 + 60 * i / max(1, n)
            r = Reminder(FIRST_REMINDED + i, "flex", due, due + 7 * 86_400, SLOTS, 10)
            await db.execute(
                "INSERT INTO reminders (chat_id, key, next_at, claim, data) VALUES (?, ?, ?, '', ?)",
                (r.chat_id, r.key, r.due, r.to_json()),
            )
        await db.execute("COMMIT")


def reminded(api: FakeBotApi) -> list[object]:
    """The reminders sent so far."""
    return [c for c in api.calls_of("sendMessage") if int(c.params["chat_id"]) >= FIRST_REMINDED]


async def person(api: FakeBotApi, chat_id: int, steps: int, think: float, rng: random.Random) -> None:
    """One user: /start, then a button (a choice, a page, a follow-up) per step, pausing in between."""
    chat = ChatClient(api, None, chat_id)
    await asyncio.sleep(rng.uniform(0, think))
    await chat.send("/start")
    for _ in range(steps - 1):
        await asyncio.sleep(rng.uniform(0, think))
        grouped = _buttons(chat.wizard)
        choices = grouped.get("pick", []) + grouped.get("page", []) + grouped.get("faq", [])
        if choices and chat.wizard is not None:
            await chat.press(rng.choice(choices), chat.wizard)
        else:
            await chat.send("/start")


async def scenario(
    name: str, args: argparse.Namespace, out: Path, reminders: int, rate_limit: int, reminder_rate: int
) -> dict[str, Any]:
    """One fresh bot, optional due reminders, ``--users`` users through the wizard; the figures."""
    api = await FakeBotApi().start()
    data_dir = Path(tempfile.mkdtemp(prefix="data-", dir=out))
    if reminders:
        await seed(data_dir, reminders)
    env = {
        "BOT_DATA_DIR": str(data_dir),
        "TELEGRAM_RATE_LIMIT": str(rate_limit),
        "REMINDER_RATE": str(reminder_rate),
        "TELEGRAM_CONCURRENCY": "4",
    }
    child = await start_child("bot", api, env, out / f"{name}.log")
    try:
        t0 = time.perf_counter()
        rngs = [random.Random(i) for i in range(args.users)]
        await asyncio.gather(
            *(person(api, FIRST_USER + i, args.steps, args.think, rngs[i]) for i in range(args.users))
        )
        seconds = time.perf_counter() - t0
        sent = len(reminded(api))
        if reminders:  # then nobody uses the bot for a few seconds: the reminders' own pace
            await asyncio.sleep(IDLE)
        idle = len(reminded(api)) - sent
    finally:
        code = await child.stop()
        await api.stop()
    if code != 0:
        raise RuntimeError(f"the bot exited with {code}; see {out / name}.log")
    lat = [x * 1000 for x in api.latencies()]
    return {
        "scenario": name,
        "due_reminders": reminders,
        "flood_limit_per_s": rate_limit,
        "reminder_rate_per_s": reminder_rate,
        "user_updates": len(lat),
        "seconds": round(seconds, 1),
        "answer_ms_p50": round(statistics.median(lat), 1) if lat else 0.0,
        "answer_ms_p95": round(pct(lat, 0.95), 1),
        "answer_ms_max": round(max(lat), 1) if lat else 0.0,
        "reminders_sent_meanwhile": sent,
        "reminders_per_s": round(sent / seconds, 1),
        "reminders_per_s_idle": round(idle / IDLE, 1),
        "problems": len(api.problems()),
    }


async def main_async(args: argparse.Namespace) -> int:
    """Run the scenarios, print a table, write the JSON."""
    rows = []
    n, flood = args.reminders, args.rate_limit
    plan = [
        ("no reminders, flood limit on", 0, flood, args.reminder_rate),
        (f"{n:,} due, flood limit on", n, flood, args.reminder_rate),
        ("no reminders, flood limit off", 0, 0, args.reminder_rate),
        (f"{n:,} due, flood limit off", n, 0, args.reminder_rate),
        (f"{n:,} due, unpaced (1000/s), flood off", n, 0, 1000),
    ]
    with tempfile.TemporaryDirectory(prefix="reminder-bench-") as tmp:
        for i, (name, count, rate_limit, reminder_rate) in enumerate(plan):
            rows.append(await scenario(f"s{i}", args, Path(tmp), count, rate_limit, reminder_rate))
            rows[-1]["scenario"] = name
    print(
        f"\nReminders vs answers: {args.users} people x {args.steps} steps (pauses up to {args.think} s) "
        f"while due reminders drain"
    )
    head = (
        f"{'scenario':<40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'sent':>6} {'rem/s':>6} {'idle/s':>6}"
        f" {'secs':>6}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['scenario']:<40} {r['answer_ms_p50']:>8.1f} {r['answer_ms_p95']:>8.1f} {r['answer_ms_max']:>8.1f}"
            f" {r['reminders_sent_meanwhile']:>6} {r['reminders_per_s']:>6.1f} {r['reminders_per_s_idle']:>6.1f}"
            f" {r['seconds']:>6.1f}"
        )
    print(
        f"(sent, rem/s: reminders delivered while the users were served; idle/s: in the {IDLE:.0f} s after; "
        f"REMINDER_RATE {args.reminder_rate}/s drains {n:,} in about {n / args.reminder_rate / 60:.0f} min)"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"settings": vars(args) | {"json": str(args.json)}, "rows": rows},
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reminders", type=int, default=10_000, help="reminders due (default 10,000)")
    ap.add_argument("--users", type=int, default=20, help="people using the wizard at once (default 20)")
    ap.add_argument("--steps", type=int, default=15, help="updates each sends (default 15)")
    ap.add_argument("--think", type=float, default=1.0, help="longest pause between steps, s (default 1)")
    ap.add_argument("--rate-limit", type=int, default=30, help="TELEGRAM_RATE_LIMIT when on (default 30)")
    ap.add_argument("--reminder-rate", type=int, default=10, help="REMINDER_RATE (default 10)")
    ap.add_argument("--json", type=Path, help="write the figures here")
    return asyncio.run(main_async(ap.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
