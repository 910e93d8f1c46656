"""Fault run: many simulated users go through the wizard while the Bot API misbehaves.

The real Application (``build_app``, SQLite store, delivery policy) serves a loopback fake Bot API
(``bot/testing``) that answers a fraction of calls with 429 (retry_after) or 502, drops or stalls
connections, and refuses the chats of users who block the bot. Every user taps (and sometimes types,
double-taps or opens the calculator) until the instructions page. Prints the figures; asserts nothing.

Meanwhile one chat sends ``--flood`` messages at once and one update cannot be read by the library
(a poll as an older Bot API sends it): neither may cost anyone else an answer.

Arrivals and capacity. Users arrive one by one at random (a Poisson process) at ``--arrival`` users a
second. Telegram lets a bot send about 30 messages a second over all chats; the bot keeps to 24 a second
(27 in any one second), and one user's way to the instructions page costs about 7 of them (sends and
edits, retries included), so the bot can take in about 3.4 new users a second. The default, 2.5 a second
(200 users over 80 s), loads that limit to about 75%: a busy hour at the payment deadline, with the
injected faults on top. The report prints the offered load it measured. ``--spike S`` lets every user
arrive within S seconds instead: a spike beyond capacity (``--spike 2``: 95 first answers a second
against 24), where answers are sent first come, first served and the worst wait is the backlog divided
by the rate; no order of sending could answer everyone within 3 s (see docs/reliability.md).

Fault models (``--fault-model``). ``telegram`` (the default): 429s are drawn for what the bot sends
(messages, edits, callback answers), where Telegram's flood control applies; ``getUpdates`` gets 5xx,
dropped and stalled requests at the same rates but no 429, since the Bot API server has no flood limit
on it (a 429 there comes from a server restarting or a bot making over a thousand requests at once, not
call by call). ``uniform``: the model of sessions 1-4, 429s drawn on ``getUpdates`` too (see
docs/reliability.md, "The fault model").

Waits are measured from the moment the user sent the update (not from when the bot fetched it), so a
failed or paused ``getUpdates`` counts against the bot as the user sees it.

Usage: python -m bot.testing.fault_run [--users 200] [--arrival 2.5 | --spike 2] [--rate-429 0.05]
       [--rate-5xx 0.05] [--rate-reset 0.02] [--rate-timeout 0.01] [--blocked 0.05] [--rate-limit 30]
       [--seed 1] [--flood 300] [--fault-model telegram|uniform] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.adapters.telegram.app import build_app
from bot.adapters.telegram.polling import serve
from bot.adapters.telegram.texts import load_texts
from bot.catalog.loader import load_catalog
from bot.config import Settings
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient, UpdateTracker
from bot.testing.fake_bot_api import FakeBotApi, Faults
from bot.testing.fake_bot_model import FAULT_KINDS
from bot.wizard import Wizard

FLOODER = 799_999  # one chat that sends --flood messages at once
POISON_CHAT = 799_998  # one update the library cannot build (an older Bot API's poll)
OLD_POLL = {"id": "77", "question": "?", "options": [{"text": "a", "voter_count": 0}]}
TYPED = ["湖南", "长沙", "广东", "深圳", "重庆", "北京", "成都", "杭州", "城乡居民", "微信"]
MAX_ACTIONS = 20  # per user; a user who needs more has not been served well
SLOW = 3.0  # seconds: a first answer later than this is explained in the report
ARRIVAL = 2.5  # users a second (Poisson), about 75% of what the default flood limit can take in
# Methods a random draw never answers 429, by fault model (see the module docstring).
FAULT_MODELS = {"telegram": frozenset({"getUpdates"}), "uniform": frozenset[str]()}
_PACED = ("sendMessage", "editMessageText", "editMessageReplyMarkup")  # what the overall limit counts


@dataclass
class FaultReport:
    """The figures of one run."""

    users: int
    blocked_users: int
    injected: dict[str, int]
    updates: int
    users_completed: int
    users_expected: int
    updates_lost: int
    blocked_marked_inactive: int
    retries_by_users: int
    seconds: float
    settings: dict[str, object] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # what happened to each lost update
    flood_sent: int = 0  # messages the flooding chat sent
    flood_answered: int = 0  # messages the bot sent that chat (answers and the one notice)
    flood_dropped: int = 0  # its updates not processed (the per-chat bound)
    poison_skipped: int = 0  # unreadable updates skipped by long polling
    first_answer_max: float = 0.0  # seconds from each user's /start to the bot's first answer, worst user
    first_answer_within_3s: int = 0  # users whose /start was answered within 3 s
    fault_model: str = "telegram"  # see FAULT_MODELS
    arrival: str = ""  # how users arrived
    arrival_seconds: float = 0.0  # from the first user's /start to the last one's
    paced_per_user: float = 0.0  # messages and edits the overall limit counted per user (retries included)
    sustained_rate: float = 0.0  # messages a second the overall limit allows once its burst is spent
    offered_load: float = 0.0  # arrival rate x messages per user / sustained rate (above 1: beyond capacity)
    answer_p50: float = 0.0  # seconds from any update of a user to its first answer
    answer_p99: float = 0.0
    slow: list[str] = field(default_factory=list)  # each first answer later than 3 s and what held it up

    def lines(self) -> list[str]:
        """Human-readable summary."""
        faults = ", ".join(f"{k}: {self.injected.get(k, 0)}" for k in FAULT_KINDS)
        return [
            f"fault run: {self.users} users ({self.blocked_users} block the bot), {self.updates} updates, "
            f"{self.seconds:.1f} s",
            f"injected faults ({self.fault_model} model): {faults} (total {sum(self.injected.values())})",
            f"users completed: {self.users_completed}/{self.users_expected} "
            f"(users who block the bot excluded; {self.retries_by_users} extra /start by users)",
            f"blocked chats marked inactive: {self.blocked_marked_inactive}/{self.blocked_users}",
            f"updates lost: {self.updates_lost} (the flooding chat's dropped updates and the unreadable one "
            "not counted)",
            *(f"  lost: {line}" for line in self.lost),
            f"flooding chat: {self.flood_sent} messages sent, {self.flood_answered} bot messages back, "
            f"{self.flood_dropped} updates dropped; unreadable updates skipped: {self.poison_skipped}",
            f"arrivals: {self.arrival}, over {self.arrival_seconds:.1f} s; {self.paced_per_user:.1f} paced messages "
            f"per user at {self.sustained_rate:.0f}/s: offered load {self.offered_load:.2f} of the flood limit",
            f"first answer to each user's /start: {self.first_answer_within_3s}/{self.users_expected} within 3 s, "
            f"worst {self.first_answer_max:.2f} s (from the user's send)",
            *(f"  slow: {line}" for line in self.slow),
            f"every answer: p50 {self.answer_p50:.2f} s, p99 {self.answer_p99:.2f} s",
        ]


class SimulatedUser:
    """One chat going through the wizard, deciding from what the store says the bot showed."""

    def __init__(self, api: FakeBotApi, tracker: UpdateTracker, store, wizard: Wizard, chat_id: int, rng):
        self.api, self.tracker, self.store, self.wizard, self.rng = api, tracker, store, wizard, rng
        self.chat = ChatClient(api, tracker, chat_id)
        self.restarts = 0

    async def _wait(self, update_id: int) -> None:
        await self.tracker.wait(update_id, timeout=120)

    async def _press(self, label: str, double: bool = False) -> None:
        target = self.chat.wizard
        assert target is not None
        data = target.data_for(label)
        ids = [self.api.push_callback(self.chat.chat_id, target.message_id, data) for _ in range(1 + double)]
        for i in ids:
            await self._wait(i)

    async def _send(self, text: str) -> None:
        await self._wait(self.api.push_text(self.chat.chat_id, text))

    async def run(self, page_next: str) -> bool:
        """Go to the instructions page; True when reached."""
        await self._send("/start")
        for _ in range(MAX_ACTIONS):
            session = (await self.store.load(self.chat.chat_id)).session
            wizard_message = self.chat.wizard
            if session.state == "instructions":
                calc = self.wizard.labels["calc"]
                # Open the calculator, then done (only from a message that shows the instructions: the
                # store may be ahead of the chat while an answer is still on its way).
                if self.rng.random() < 0.3 and wizard_message is not None and calc in wizard_message.labels:
                    await self._press(calc)
                return True
            options = [b.text for b in self.wizard.options(session.state, session.slots)]
            if wizard_message is None or not options or not self._shows(wizard_message, session.version):
                self.restarts += 1  # what a user does when the last answer was an error notice
                await self._send("/start")
                continue
            if session.state == "province" and self.rng.random() < 0.3:
                await self._send(self.rng.choice(TYPED))
                continue
            label = self.rng.choice(options)
            while not any(b["text"].endswith(label) for b in wizard_message.buttons):
                await self._press(page_next)
                wizard_message = self.chat.wizard
                if wizard_message is None:
                    break
            await self._press(label, double=self.rng.random() < 0.2)
        return False

    @staticmethod
    def _shows(message, version: int) -> bool:
        return any(str(b.get("callback_data", "")).startswith(f"{version}:") for b in message.buttons)


async def run(
    users: int = 200,
    rate_429: float = 0.05,
    rate_5xx: float = 0.05,
    rate_reset: float = 0.02,
    rate_timeout: float = 0.01,
    blocked: float = 0.05,
    rate_limit: int = 30,
    seed: int = 1,
    data_dir: Path | None = None,
    flood: int = 300,
    arrival: float = ARRIVAL,
    spike: float | None = None,
    fault_model: str = "telegram",
) -> FaultReport:
    """One fault run; the figures. Users arrive at ``arrival`` a second (Poisson), or all within
    ``spike`` seconds when given."""
    rng = random.Random(seed)
    faults = Faults(
        rate_429=rate_429,
        rate_5xx=rate_5xx,
        rate_reset=rate_reset,
        rate_timeout=rate_timeout,
        hang=1.5,
        seed=seed,
        no_flood=FAULT_MODELS[fault_model],
        methods=frozenset(
            {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "getUpdates"}
        ),
    )
    api = await FakeBotApi(faults=faults).start()
    tmp = tempfile.TemporaryDirectory() if data_dir is None else None
    directory = Path(tmp.name) if tmp else Path(data_dir)  # type: ignore[arg-type]
    settings = Settings(
        telegram_token=api.token,
        telegram_base_url=api.base_url,
        data_dir=directory,
        telegram_rate_limit=rate_limit,
        telegram_timeout=1,  # below the fake's 1.5 s stalls, so they end as timeouts and are retried
    )
    renderer = Renderer(settings.messages_dir)
    wizard = Wizard(load_catalog(settings.flows_dir), renderer.labels)
    store = SqliteSessionStore(settings.database)
    app = build_app(settings, WizardHolder(wizard), renderer, store)
    tracker = UpdateTracker.attach(app)
    stop = asyncio.Event()
    started = time.monotonic()
    task = asyncio.create_task(serve(app, stop, poll_timeout=1, startup_window=0))
    try:
        await api.wait_for(lambda: bool(api.calls_of("getUpdates")) or task.done(), timeout=30)
        page_next = load_texts(settings.messages_dir).page_next
        chats = [800_000 + i for i in range(users)]
        blockers = set(rng.sample(chats, round(users * blocked)))
        sims = [SimulatedUser(api, tracker, store, wizard, c, random.Random(rng.random())) for c in chats]
        arrives, at = {}, 0.0
        for sim in sims:
            if spike is not None:
                arrives[sim.chat.chat_id] = sim.rng.random() * spike
            else:
                at += rng.expovariate(arrival)
                arrives[sim.chat.chat_id] = at
        began = time.monotonic()

        async def one(sim: SimulatedUser) -> bool:
            await asyncio.sleep(max(0.0, arrives[sim.chat.chat_id] - (time.monotonic() - began)))
            if sim.chat.chat_id in blockers:  # starts, then blocks the bot before the answer comes
                update_id = api.push_text(sim.chat.chat_id, "/start")
                api.faults.blocked.add(sim.chat.chat_id)
                await sim._wait(update_id)
                return False
            return await sim.run(page_next)

        async def flooder() -> None:  # one chat floods the bot, one update cannot be read
            await asyncio.sleep(0.5)
            api.push_message(POISON_CHAT, poll=OLD_POLL)
            for i in range(flood):
                api.push_text(FLOODER, f"你好 {i}")

        results, _ = await asyncio.gather(asyncio.gather(*(one(s) for s in sims)), flooder())
        inactive = [c for c in blockers if not (await store.load(c)).active]
        lost = [o for o in api.undelivered() if o.chat_id not in (FLOODER, POISON_CHAT)]
        firsts = [
            min((o for o in api.offers.values() if o.chat_id == c), key=lambda o: o.update_id) for c in chats
        ]
        waits = [  # from the user's send: a paused getUpdates counts too
            (o.answered_at - o.pushed_at) if o.answered_at is not None else 999.0
            for o in firsts
            if o.chat_id not in blockers
        ]
        slow = [_explain_slow(api, o) for o in firsts if o.chat_id not in blockers and _wait(o) > SLOW]
        every = sorted(
            o.answered_at - o.pushed_at
            for o in api.offers.values()
            if o.chat_id in arrives and o.chat_id not in blockers and o.answered_at is not None
        )
        pushes = sorted(o.pushed_at for o in firsts)
        paced = sum(1 for c in api.calls if c.method in _PACED and int(c.params.get("chat_id", 0)) in arrives)
    finally:
        # Calm the API first: PTB's last getUpdates at shutdown (confirming fetched updates) need not fail.
        faults.rate_429 = faults.rate_5xx = faults.rate_reset = faults.rate_timeout = 0.0
        stop.set()
        await task
        await api.stop()
        if tmp:
            tmp.cleanup()
    sustained = app.bot.rate_limiter.sustained_rate or 0.0
    per_user = paced / max(1, users)
    span = pushes[-1] - pushes[0] if len(pushes) > 1 else 0.0
    rate_in = (users - 1) / span if span else float(users)
    return FaultReport(
        users=users,
        blocked_users=len(blockers),
        injected=dict(faults.injected),
        updates=len(api.offers),
        users_completed=sum(results),
        users_expected=users - len(blockers),
        updates_lost=len(lost),
        blocked_marked_inactive=len(inactive),
        retries_by_users=sum(s.restarts for s in sims),
        seconds=time.monotonic() - started,
        fault_model=fault_model,
        settings={"rate_limit": rate_limit, "concurrency": settings.telegram_concurrency, "seed": seed},
        lost=[_explain(api, o) for o in lost],
        flood_sent=flood,
        flood_answered=len(api.chat_messages(FLOODER)),
        flood_dropped=app.update_processor.dropped,  # type: ignore[attr-defined]
        poison_skipped=app.bot.skipped,
        first_answer_max=max(waits, default=0.0),
        first_answer_within_3s=sum(w <= SLOW for w in waits),
        arrival=f"all within {spike:g} s" if spike is not None else f"Poisson, {arrival:g} a second",
        arrival_seconds=span,
        paced_per_user=per_user,
        sustained_rate=sustained,
        offered_load=rate_in * per_user / sustained if sustained else 0.0,
        answer_p50=statistics.median(every) if every else 0.0,
        answer_p99=every[min(len(every) - 1, int(0.99 * len(every)))] if every else 0.0,
        slow=slow,
    )


def _wait(offer) -> float:
    """Seconds from the user's send to the bot's first answer (999: none)."""
    return offer.answered_at - offer.pushed_at if offer.answered_at is not None else 999.0


def _explain_slow(api: FakeBotApi, offer) -> str:
    """Where a slow first answer lost its time: the getUpdates calls from the one under way when the user
    sent the update to the one that fetched it (with their injected faults), then the time to answer."""
    polls = api.calls_of("getUpdates")
    fetched = offer.offered_at if offer.offered_at is not None else float("inf")
    before = [c for c in polls if c.at <= offer.pushed_at][-1:]  # under way (or last answered) at the send
    during = before + [c for c in polls if offer.pushed_at < c.at <= fetched]
    faults = ", ".join(c.fault for c in during if c.fault) or "none"
    if offer.offered_at is None:
        return f"chat {offer.chat_id}: never fetched; getUpdates faults since the send: {faults}"
    answered = f"{offer.answered_at - offer.offered_at:.2f} s" if offer.answered_at is not None else "never"
    return (
        f"chat {offer.chat_id}: {_wait(offer):.2f} s; fetched {offer.offered_at - offer.pushed_at:.2f} s after "
        f"the send ({len(during)} getUpdates calls, faults: {faults}), answered {answered} after that"
    )


def _explain(api: FakeBotApi, offer) -> str:
    """One lost update and the calls the bot made for it, for the report."""
    if offer.query_id:
        calls = [c for c in api.calls if c.params.get("callback_query_id") == offer.query_id]
        what = f"button press in chat {offer.chat_id}, answered {offer.answers}x"
    else:
        calls = [c for c in api.calls if str(c.params.get("chat_id")) == str(offer.chat_id)]
        what = f"message in chat {offer.chat_id}"
    errors = ", ".join(f"{c.method}: {c.fault or c.error or 'ok'}" for c in calls[-8:])
    return f"update {offer.update_id} ({what}); last calls: {errors}"


def main(argv: list[str] | None = None) -> int:
    """Command line: run, print the figures, optionally write them as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.testing.fault_run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=200)
    arrivals = parser.add_mutually_exclusive_group()
    arrivals.add_argument(
        "--arrival", type=float, default=ARRIVAL, help="users arriving a second, at random (Poisson)"
    )
    arrivals.add_argument(
        "--spike", type=float, help="every user arrives within this many seconds instead (beyond capacity)"
    )
    parser.add_argument("--rate-429", type=float, default=0.05)
    parser.add_argument("--rate-5xx", type=float, default=0.05)
    parser.add_argument("--rate-reset", type=float, default=0.02)
    parser.add_argument("--rate-timeout", type=float, default=0.01)
    parser.add_argument("--blocked", type=float, default=0.05, help="fraction of users who block the bot")
    parser.add_argument("--rate-limit", type=int, default=30, help="TELEGRAM_RATE_LIMIT (0: off)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flood", type=int, default=300, help="messages one chat sends at once (0: none)")
    parser.add_argument(
        "--fault-model",
        choices=sorted(FAULT_MODELS),
        default="telegram",
        help="telegram: no 429 drawn on getUpdates (as Telegram); uniform: 429 on every faulty method",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bot").setLevel(logging.CRITICAL)  # failures are expected here: figures only
    report = asyncio.run(
        run(
            args.users,
            args.rate_429,
            args.rate_5xx,
            args.rate_reset,
            args.rate_timeout,
            args.blocked,
            args.rate_limit,
            args.seed,
            flood=args.flood,
            arrival=args.arrival,
            spike=args.spike,
            fault_model=args.fault_model,
        )
    )
    for line in report.lines():
        print(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
