"""Sessions and webhook coordination in Redis, shared by every bot instance (``SESSION_STORE=redis://…``).

Layout (all keys under ``yibao:``):

* ``chat:<id>`` — a hash: ``s`` session JSON, ``m`` wizard message id (empty: none), ``r`` revision,
  ``t`` time of the last write, ``a`` active flag (``0`` after the user blocked the bot).
  :meth:`RedisSessionStore.save` is a compare-and-set on ``r`` done by one Lua script, so it is atomic
  in Redis whichever instance calls it.
* ``touched`` — a sorted set of chat ids scored by ``t``, so the retention purge finds old chats.
* ``lock:<id>`` — the chat's turn (redis-py's :class:`~redis.asyncio.lock.Lock`: ``SET NX PX`` with a
  random token, released by a Lua compare-and-delete), held while one update of the chat is processed.
* ``seen:<id>`` — a sorted set of the chat's last processed update ids (at most ``SEEN_PER_CHAT``),
  expiring a day after the chat's last update.
* ``report:…``, ``reports``, ``counts:…`` — reports and usage counts (``redis_feedback.py``).

Two safety nets, on purpose: the lock keeps a chat's updates from interleaving (load, step, send,
save) across instances, and the revision check keeps a write from being lost should a lock expire
under a stalled instance (the update is then re-decided on the fresh session, like on one instance).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import replace
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
from redis.asyncio.lock import Lock
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError, RedisError

from bot.background import cancel_and_wait
from bot.session import Session
from bot.store.base import ChatRecord, SessionStore
from bot.store.gate import SEEN_TTL, UpdateGate, Waiting
from bot.store.redis_feedback import RedisFeedback

log = logging.getLogger(__name__)

PREFIX = "yibao:"
# A chat's turn expires this many seconds after it was taken or last renewed; the holder renews it every
# third of that while its update runs (waits for Telegram included), so only a dead instance's turn
# expires, and the chat is free again within seconds.
LOCK_TIMEOUT = 6.0
TURN_WAIT = 30.0  # seconds to wait for a turn a live instance holds before giving up (500: retried)
SEEN_PER_CHAT = 64  # processed update ids remembered per chat (redeliveries are of the latest few)

_SAVE = """
local rev = tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
if rev ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[2], 'm', ARGV[3], 'r', rev + 1, 't', ARGV[4], 'a', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[6])
return 1
"""
_SET_ACTIVE = """
local rev = redis.call('HGET', KEYS[1], 'r')
if rev then
  if redis.call('HGET', KEYS[1], 'a') ~= ARGV[1] then
    redis.call('HSET', KEYS[1], 'a', ARGV[1], 'r', tonumber(rev) + 1)
  end
elseif ARGV[1] == '0' then
  redis.call('HSET', KEYS[1], 's', ARGV[2], 'm', '', 'r', 1, 't', ARGV[3], 'a', '0')
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
end
return 1
"""
_PURGE_ONE = """
local t = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
if t < tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[2])
  return 1
end
redis.call('ZADD', KEYS[3], t, ARGV[2])
return 0
"""
_MARK = """
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -1 - tonumber(ARGV[2]))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


def redact_url(url: str) -> str:
    """``url`` without its password, fit for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class RedisSessionStore(RedisFeedback, SessionStore):
    """Records in Redis at ``url`` (``redis://[:password@]host:port/db``, ``rediss://``, ``unix://``)."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.url = url
        self.prefix = prefix
        self._client: aioredis.Redis | None = None

    @property
    def client(self) -> aioredis.Redis:
        """The open client; raises when the store is closed."""
        if self._client is None:
            raise RuntimeError(f"session store {redact_url(self.url)} is not open")
        return self._client

    async def open(self) -> None:
        """Connect and check the server answers; an unreachable server raises ConnectionError."""
        # One retry on a fresh connection when a pooled one turns out dead (Redis restarted, a proxy
        # dropped it): without it the first command after a restart fails. Timeouts are not retried
        # (the command may have run).
        retry = Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,))
        client = aioredis.from_url(self.url, decode_responses=True, health_check_interval=30, retry=retry)
        try:
            await client.ping()
        except RedisError as exc:
            await client.aclose()
            raise ConnectionError(f"cannot reach Redis at {redact_url(self.url)}: {exc}") from None
        self._client = client
        self._save = client.register_script(_SAVE)
        self._set_active = client.register_script(_SET_ACTIVE)
        self._purge_one = client.register_script(_PURGE_ONE)

    async def close(self) -> None:
        """Close the connections (idempotent)."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()

    def key(self, kind: str, chat_id: int) -> str:
        """The key of one chat's ``chat``, ``lock`` or ``seen`` entry."""
        return f"{self.prefix}{kind}:{chat_id}"

    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one; a corrupt session field yields a fresh session."""
        data, message, rev, active = await self.client.hmget(self.key("chat", chat_id), ["s", "m", "r", "a"])
        if rev is None:
            return ChatRecord()
        message_id = int(message) if message else None
        return ChatRecord(Session.from_json(data or ""), message_id, int(rev), active != "0")

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Write where the stored revision is ``record.rev`` (one Lua script); None on conflict."""
        message = "" if record.message_id is None else str(record.message_id)
        active = "1" if record.active else "0"
        args: list[str | int] = [
            record.rev,
            record.session.to_json(),
            message,
            f"{time.time():.3f}",
            active,
            chat_id,
        ]
        changed = await self._save(keys=[self.key("chat", chat_id), self.prefix + "touched"], args=args)
        return replace(record, rev=record.rev + 1) if changed == 1 else None

    async def set_active(self, chat_id: int, active: bool) -> None:
        """Flip the flag (the revision moves on, the last-write time does not); marking an unknown chat
        inactive creates a fresh record so the fact is kept."""
        fresh = ChatRecord().session.to_json()
        args = ["1" if active else "0", fresh, f"{time.time():.3f}", chat_id]
        await self._set_active(keys=[self.key("chat", chat_id), self.prefix + "touched"], args=args)

    async def forget(self, chat_id: int) -> bool:
        """Delete the chat's record and what the gate remembers of it."""
        keys = [self.key(kind, chat_id) for kind in ("chat", "seen", "lock")]
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.exists(keys[0])
            pipe.delete(*keys)
            pipe.zrem(self.prefix + "touched", chat_id)
            existed, _, _ = await pipe.execute()
        return bool(existed)

    async def purge(self, cutoff: float) -> int:
        """Delete chats last saved before ``cutoff``, each checked again atomically before it goes."""
        touched = self.prefix + "touched"
        deleted = 0
        members = cast(
            list[str], await self.client.zrangebyscore(touched, "-inf", f"({cutoff}")
        )  # decode_responses=True: members are str
        for chat in members:
            keys = [self.key("chat", int(chat)), self.key("seen", int(chat)), touched]
            deleted += int(await self._purge_one(keys=keys, args=[cutoff, chat]))
        return deleted


class RedisUpdateGate(UpdateGate):
    """Chat turns and processed update ids in the same Redis as ``store``."""

    def __init__(
        self, store: RedisSessionStore, lock_timeout: float = LOCK_TIMEOUT, turn_wait: float = TURN_WAIT
    ) -> None:
        self.store = store
        self.lock_timeout = lock_timeout
        self.turn_wait = turn_wait
        self._mark: AsyncScript | None = None

    @contextlib.asynccontextmanager
    async def _turn(self, chat_id: int, waiting: Waiting | None) -> AsyncIterator[None]:
        lock = Lock(
            self.store.client,
            self.store.key("lock", chat_id),
            timeout=self.lock_timeout,
            sleep=0.01,
            blocking_timeout=self.turn_wait,
            thread_local=False,
        )
        # Try once without waiting; only when another instance holds the turn is ``waiting`` entered.
        if not await lock.acquire(blocking=False):
            async with waiting() if waiting is not None else contextlib.nullcontext():
                if not await lock.acquire():
                    raise LockError(f"chat {chat_id}: turn not free within {self.turn_wait}s")
        renewer = asyncio.create_task(self._renew(lock, chat_id))
        try:
            yield
        finally:
            await cancel_and_wait(renewer)
            try:
                await lock.release()
            except LockError as exc:  # it expired under a stalled update; the revision check still holds
                log.warning("chat %s: turn expired before release: %s", chat_id, exc)

    async def _renew(self, lock: Lock, chat_id: int) -> None:
        """Push the turn's expiry back every third of ``lock_timeout`` while the update runs."""
        while True:
            await asyncio.sleep(self.lock_timeout / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError) as exc:
                log.warning("chat %s: could not renew the turn: %s", chat_id, exc)

    def turn(self, chat_id: int, waiting: Waiting | None = None) -> AbstractAsyncContextManager[None]:
        """The chat's lock in Redis (renewed while held), waited for up to ``turn_wait`` seconds inside
        ``waiting``."""
        return self._turn(chat_id, waiting)

    async def seen(self, chat_id: int, update_id: int) -> bool:
        """True when ``update_id`` is among the chat's processed updates."""
        return await self.store.client.zscore(self.store.key("seen", chat_id), str(update_id)) is not None

    async def done(self, chat_id: int, update_id: int) -> None:
        """Add ``update_id`` to the chat's processed updates (keeping the latest ``SEEN_PER_CHAT``)."""
        if self._mark is None:
            self._mark = self.store.client.register_script(_MARK)
        await self._mark(keys=[self.store.key("seen", chat_id)], args=[update_id, SEEN_PER_CHAT, SEEN_TTL])

    async def healthy(self) -> bool:
        """True when Redis answers PING."""
        try:
            return bool(await self.store.client.ping())
        except (RedisError, RuntimeError):
            return False
