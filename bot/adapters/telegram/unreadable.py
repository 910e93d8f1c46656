"""Long polling that one unreadable update cannot stop.

python-telegram-bot builds every update of a ``getUpdates`` answer at once; if one cannot be built (a
field a newer library version requires is missing, as an older or self-hosted Bot API server may send,
or any malformed update), the whole call fails, the offset never moves past it, and the updater asks
for the same batch again at once, for ever: nobody is answered, the log fills with the raw batch
(personal data included), and a restart does not help.

:class:`PollingBot` builds the updates one by one instead. An update that cannot be built is logged
once (its id and the error, never its content), counted in :attr:`PollingBot.skipped`, and replaced by
an empty :class:`~telegram.Update` carrying only its id, which no handler takes; the updater then
confirms it like any other, so polling goes on with the next. An answer that is not a list of updates
at all becomes a :class:`~telegram.error.NetworkError`, which the updater retries with back-off (1 s,
growing to 30 s) instead of spinning.

A ``getUpdates`` that fails with a 5xx or a dropped connection (a stalled request the server gives up on
included) is tried again at once, then after 0.25 s and 0.5 s (:data:`QUICK_RETRIES`) before the
updater's back-off takes over: the updater would otherwise wait a whole second after every such hiccup,
and nobody's update arrives meanwhile (in the fault run, one injected 502 on ``getUpdates`` held up every
user's next answer by a second). Repeated failures still back off as before (at most four requests, then
1 s, 1.5 s, ... up to 30 s between rounds), so polling never spins. A timeout (:class:`TimedOut`) keeps the
updater's handling, which is to ask again at once.

Flood control (429) on ``getUpdates`` is waited out here: exactly ``retry_after``, then the call is made
again. The updater would add 0.5 s of its own to every such wait, and in the fault run every first
answer later than 3 s came after two or three 429s in a row on ``getUpdates`` (1.5 s each instead of
1 s). Unlike sends (:data:`~bot.adapters.telegram.retry.RETRY_AFTER_SLACK`), no slack is added: the Bot
API server's ``retry_after`` on ``getUpdates`` is whole seconds rounded up from when it must wait until
(or a fixed 5 s or 60 s when it is restarting or overloaded), and the wait here starts only when its
answer has arrived, so asking again after exactly ``retry_after`` is never early. One call waits
at most :data:`FLOOD_WAIT` seconds in all this way; a longer ``retry_after`` goes to the updater, which
waits it out too. The bound matters at shutdown, where PTB's last ``getUpdates`` (confirming the fetched
updates) comes through here and a 429 must not hold the process up for long.

While answers already wait at least :data:`BUSY` seconds for the flood limit, long polling waits
:data:`GATHER` seconds before asking again. Under the limit users' updates arrive at the pace their answers
go out, so each ``getUpdates`` brought one or two and cost as much CPU as the updates themselves (the
bot benchmark: 1.2 updates per call with the limit on, 3 without); an update fetched a moment later only
joins the queue of sends a moment later, a few percent of the wait it has ahead of it anyway.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.adapters.telegram.retry import DeliveryPolicy, retry_after_seconds

log = logging.getLogger(__name__)

# Seconds before each quick retry of a failed getUpdates; after these, the updater's back-off (1 s, 1.5 s, ...).
QUICK_RETRIES = (0.0, 0.25, 0.5)
FLOOD_WAIT = 5.0  # seconds of 429 waits (retry_after) one getUpdates call takes on itself
BUSY = 1.0  # seconds of sends waiting for the overall flood limit from which long polling gathers updates
GATHER = 0.2  # seconds long polling then waits before asking for more


class _UnreadableAnswer(NetworkError):
    """A getUpdates answer that is not a list of updates (backed off by the updater, not retried here)."""


class _DropRawBatch(logging.Filter):
    """PTB logs the whole raw batch (user texts included) when it cannot build it; we log our own line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates")


_DROP_RAW_BATCH = _DropRawBatch()
for _name in ("telegram.Bot", "telegram.ext.ExtBot"):
    logging.getLogger(_name).addFilter(_DROP_RAW_BATCH)


# What the bot reads of a message of its own (the one a pressed button belongs to, or the one a send or
# an edit returns): which message it is, in which chat, and whether it is still accessible (date 0: too
# old). Its text, entities and keyboard, which Telegram sends back with every press and every send or
# edit, are never read: the bot knows what it sent, and an edit replaces them.
OWN_MESSAGE_KEYS = frozenset({"message_id", "date", "chat", "message_thread_id"})
# Bot API methods whose result is the message sent or edited.
_RETURNS_OWN_MESSAGE = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})


def _lean_message(message: object) -> None:
    if isinstance(message, dict):
        for key in [k for k in message if k not in OWN_MESSAGE_KEYS]:
            del message[key]


def lean_update(item: object) -> None:
    """Drop, in place, what the bot never reads from a raw update before python-telegram-bot builds it:
    the text, formatting and keyboard of the message a pressed button belongs to. Building them costs
    CPU (dozens of objects per page), and every update waiting for its turn (flood limit, busy chat)
    would hold them (tens of kB each)."""
    query = item.get("callback_query") if isinstance(item, dict) else None
    if isinstance(query, dict):
        _lean_message(query.get("message"))


class _PollState:
    """What the (frozen) bot object keeps between calls."""

    def __init__(self) -> None:
        self.raw: object = None  # the last getUpdates answer, as JSON
        self.skipped = 0


class PollingBot(ExtBot[None]):
    """:class:`~telegram.ext.ExtBot` whose ``get_updates`` skips updates it cannot build."""

    __slots__ = ("_lean", "_polls")

    def __init__(self, *args: Any, lean: bool = False, **kwargs: Any) -> None:
        """``lean``: build updates, and the messages sends and edits return, without what the bot never
        reads (:func:`lean_update`, :data:`OWN_MESSAGE_KEYS`)."""
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # PTB freezes its objects after __init__
            self._polls = _PollState()
            self._lean = lean

    @property
    def skipped(self) -> int:
        """Updates skipped because they could not be built."""
        return self._polls.skipped

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if self._lean and endpoint in _RETURNS_OWN_MESSAGE:
            _lean_message(result)  # the bot reads only the id of what it sent (see OWN_MESSAGE_KEYS)
        elif endpoint == "getUpdates":
            if self._lean and isinstance(result, list):
                for item in result:
                    lean_update(item)
            self._polls.raw = result  # kept for the one-by-one path below
        return result

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """The updates of one ``getUpdates`` call; the unbuildable ones as empty updates; a 5xx or dropped
        connection tried again soon, a 429 waited out (see above)."""
        limiter = self.rate_limiter
        if isinstance(limiter, DeliveryPolicy) and limiter.backlog >= BUSY:
            await asyncio.sleep(GATHER)  # answers wait for the flood limit anyway: fetch several at once
        quick, flood_waits = iter(QUICK_RETRIES), 0.0
        while True:
            try:
                return await self._get_updates(*args, **kwargs)
            except RetryAfter as exc:
                pause = retry_after_seconds(exc)
                flood_waits += pause
                if flood_waits > FLOOD_WAIT:
                    raise  # a long wait: the updater's own handling
                log.info("getUpdates: flood control (%s); trying again in %.2f s", exc, pause)
            except NetworkError as exc:
                if isinstance(exc, BadRequest | TimedOut | _UnreadableAnswer):
                    raise
                next_pause = next(quick, None)
                if next_pause is None:
                    raise  # failing again: the updater's back-off
                pause = next_pause
                log.info("getUpdates failed (%s); trying again in %.2f s", exc, pause)
            await asyncio.sleep(pause)

    async def _get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        self._polls.raw = None
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise
        except Exception as exc:
            raw, self._polls.raw = self._polls.raw, None
            if not isinstance(raw, list):
                raise _UnreadableAnswer(f"unreadable getUpdates answer ({type(exc).__name__})") from None
            return tuple(self._one_by_one(raw))

    def _one_by_one(self, raw: list[Any]) -> list[Update]:
        updates: list[Update] = []
        for item in raw:
            update_id = item.get("update_id") if isinstance(item, dict) else None
            try:
                update = Update.de_json(item, self)
                self.insert_callback_data(update)
            except Exception as exc:
                if not isinstance(update_id, int):
                    log.error("getUpdates returned an entry without an update id; skipped")
                    continue
                self._polls.skipped += 1
                kinds = sorted(k for k in item if k != "update_id")
                log.error(
                    "update %s skipped: this python-telegram-bot cannot read it (%s in %s%s); "
                    "%d skipped so far",
                    update_id, type(exc).__name__, "/".join(kinds) or "empty update",
                    _what(exc), self.skipped,
                )  # fmt: skip
                update = Update(update_id)
            updates.append(update)
        return updates


def _what(exc: Exception) -> str:
    """The error's message when it names only parameters and types (a missing or unexpected argument),
    never values a user typed."""
    text = str(exc)
    return f": {text[:200]}" if re.search(r"(missing|unexpected|required).*argument", text) else ""
