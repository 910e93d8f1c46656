"""Delivering due reminders: claimed from the store, paced, behind answers to users, 403 handled.

How delivery is scheduled: one background task per instance polls the reminder store every
``interval`` seconds (and at once after start-up, so reminders that fell due while the bot was down go
out first). It claims at most a batch that its pace can send before the next poll; the claim is atomic
in the store, so with several instances on one Redis (or one SQLite file) each reminder is sent by
exactly one of them. A claimed reminder past its usefulness (the bot was down beyond the deadline) is
dropped with a log line instead of being sent.

APScheduler (PTB's JobQueue) would only replace the ``sleep`` of this loop: the schedule itself has to
live in the shared store for the exactly-once claim and for restarts, which APScheduler 3's job stores
do not coordinate across processes. So the loop stays a dozen lines over the store.

Priority and pace: every reminder is sent with ``rate_limit_args=Priority.BACKGROUND``, so under the
flood limit it takes a turn of the bot's one overall :class:`~bot.adapters.telegram.pacer.Pacer` only
when no answer to a user is waiting for one: a busy morning of reminders never stands in front of
someone in the middle of the wizard, and nothing polls to find out. On top of that the sender paces
itself to ``rate`` messages a second (``REMINDER_RATE``, default a third of Telegram's 30/s) with a
pacer of its own (the same class, FIFO, one timer), which also holds when the flood limit is off.
Every reminder goes out through :meth:`ReminderSender.deliver`, the one place that sends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import TelegramError
from telegram.ext import Application

from bot.adapters.telegram.failures import chat_is_gone, mark_inactive
from bot.adapters.telegram.pacer import Pacer
from bot.adapters.telegram.retry import background
from bot.adapters.telegram.split import split_message
from bot.background import cancel_and_wait
from bot.callback import Callback, encode
from bot.clock import SYSTEM_UNIX_TIME
from bot.deeplink import make_payload
from bot.errors import StoreUnavailableError
from bot.reminders.plan import after_delivery, still_useful
from bot.reminders.views import due_view
from bot.render import Renderer
from bot.runtime import WizardHolder
from bot.store.base import SessionStore
from bot.store.reminders import Claimed, ReminderStore

log = logging.getLogger(__name__)
Clock = Callable[[], float]


class ReminderSender:
    """Polls ``reminders`` for due ones and sends them through ``app.bot``."""

    def __init__(
        self,
        reminders: ReminderStore,
        store: SessionStore,
        holder: WizardHolder,
        renderer: Renderer,
        clock: Clock = SYSTEM_UNIX_TIME,
        rate: float = 10.0,
        interval: float = 5.0,
        parallel: int = 8,
    ) -> None:
        self.reminders = reminders
        self.store = store
        self.holder = holder
        self.renderer = renderer
        self.clock = clock
        self.rate = rate
        self.interval = interval
        self.token = uuid.uuid4().hex[:12]  # this instance's claims
        self._pace = Pacer(rate, burst=max(1, int(rate / 10)))  # rate/s, bursts of a tenth of a second
        self._parallel = asyncio.Semaphore(parallel)  # sends in flight (each waits for Telegram)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._wake = asyncio.Event()
        self._claims = 0
        self.sent = self.dropped = self.gone = self.failed = 0

    # ----- the loop --------------------------------------------------------------------------------
    def start(self, app: Application) -> None:
        """Start polling in the background (idempotent)."""
        self._stopping = False
        self._wake.clear()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(app.bot), name="reminders")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop polling: the round under way may finish within ``grace`` seconds; what it could not
        send stays claimed until its lease runs out (then this or another instance sends it)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self, bot: Bot) -> None:
        while not self._stopping:
            try:
                full = await self.run_once(bot)
            except StoreUnavailableError as exc:
                log.warning("reminders: store unavailable, trying again: %s", exc)
                full = False
            except Exception:  # never let the loop die: the next round tries again
                log.exception("reminders: round failed")
                full = False
            if not full and not self._stopping:
                with contextlib.suppress(TimeoutError):  # woken early by stop()
                    await asyncio.wait_for(self._wake.wait(), self.interval)

    def batch(self) -> int:
        """How many reminders to claim at once: what the pace sends in one interval (at least one)."""
        return max(1, int(self.rate * self.interval))

    async def run_once(self, bot: Bot) -> bool:
        """Claim one batch of due reminders and deliver it; True when the batch was full (more may wait)."""
        limit = self.batch()
        claimed = await self.reminders.claim_due(self.clock(), limit, f"{self.token}.{self._claims}")
        self._claims += 1
        if claimed:
            await asyncio.gather(*(self._one(bot, c) for c in claimed))
        return len(claimed) == limit

    async def _one(self, bot: Bot, claimed: Claimed) -> None:
        async with self._parallel:
            try:
                await self.deliver(bot, claimed)
            except StoreUnavailableError as exc:  # sent but not finished: the lease brings it back
                log.warning(
                    "reminder %s:%s: store unavailable: %s",
                    claimed.reminder.chat_id,
                    claimed.reminder.key,
                    exc,
                )
            except Exception:  # e.g. an operator error in a template: tried again when the lease runs out
                log.exception("reminder %s:%s not sent", claimed.reminder.chat_id, claimed.reminder.key)

    # ----- one reminder ----------------------------------------------------------------------------
    def compose(self, claimed: Claimed, username: str) -> tuple[list[str], InlineKeyboardMarkup]:
        """The reminder's text and its buttons: open the guide (a deep link) and stop reminding."""
        r = claimed.reminder
        catalog = self.holder.current.catalog
        text = self.renderer.render(due_view(catalog, r, self.clock()))
        labels = self.renderer.labels
        link = f"https://t.me/{username}?start={make_payload(dict(r.slots))}"
        stop = encode(Callback(0, "reminders", f"x{r.key}"))
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(labels["remind_open_guide"], url=link)],
                [InlineKeyboardButton(labels["remind_stop"], callback_data=stop)],
            ]
        )
        return split_message(text), markup

    async def deliver(self, bot: Bot, claimed: Claimed) -> None:
        """Send one claimed reminder (or drop it when it comes too late), then finish it in the store."""
        r, now = claimed.reminder, self.clock()
        if not still_useful(r, now):
            log.info(
                "reminder %s:%s due %.0f dropped: %.0f s late, past its deadline",
                r.chat_id,
                r.key,
                r.due,
                now - r.due,
            )
            self.dropped += 1
            await self.reminders.finish(claimed, after_delivery(r, now))
            return
        parts, markup = self.compose(claimed, bot.username)
        await self._pace.acquire()
        behind_answers = background(bot)
        try:
            for i, part in enumerate(parts):
                await bot.send_message(
                    r.chat_id, part, reply_markup=markup if i == len(parts) - 1 else None, **behind_answers
                )
        except TelegramError as exc:
            if chat_is_gone(exc):
                self.gone += 1
                dropped = await self.reminders.forget(r.chat_id)
                log.info("chat %s: reminders dropped (%d): %s", r.chat_id, dropped, exc)
                await mark_inactive(self.store, r.chat_id, exc)
                return
            self.failed += 1  # the claim's lease runs out and the reminder is tried again if still useful
            log.warning("reminder %s:%s not sent, will retry: %s", r.chat_id, r.key, exc)
            return
        self.sent += 1
        await self.reminders.finish(claimed, after_delivery(r, self.clock()))
