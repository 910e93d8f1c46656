"""Reminders in the session store's Redis (keys under the store's prefix).

* ``rem:<chat>`` — a hash: reminder key (``res``, ``flex``) -> reminder JSON;
* ``remdue`` — a sorted set of ``<chat>:<key>`` scored by the next time to look at the reminder;
* ``remclaim`` — a hash: ``<chat>:<key>`` -> the token of the sender holding it.

The claim is one Lua script (Redis runs scripts one at a time): it takes the due members, moves each
one's score ``lease`` seconds ahead and records the token, so two instances never get the same one.
"""

from __future__ import annotations

from typing import Any

from bot.store.redis import RedisSessionStore
from bot.store.reminders import LEASE, Claimed, Reminder, ReminderStore, member

_CLAIM = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, m in ipairs(due) do
  local chat, key = string.match(m, '^(-?%d+):(%a+)$')
  local data = chat and redis.call('HGET', ARGV[5] .. chat, key)
  if data then
    redis.call('ZADD', KEYS[1], ARGV[3], m)
    redis.call('HSET', KEYS[2], m, ARGV[4])
    table.insert(out, m)
    table.insert(out, data)
  else
    redis.call('ZREM', KEYS[1], m)
    redis.call('HDEL', KEYS[2], m)
  end
end
return out
"""
_FINISH = """
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[3], ARGV[5])
else
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
  redis.call('HSET', KEYS[3], ARGV[5], ARGV[3])
end
return 1
"""


class RedisReminderStore(ReminderStore):
    """Reminders in the same Redis as ``sessions`` (open it first)."""

    def __init__(self, sessions: RedisSessionStore) -> None:
        self.sessions = sessions
        self._claim: Any = None
        self._finish: Any = None

    def _key(self, name: str) -> str:
        return self.sessions.prefix + name

    async def open(self) -> None:
        """Register the scripts."""
        client = self.sessions.client
        self._claim = client.register_script(_CLAIM)
        self._finish = client.register_script(_FINISH)

    async def put(self, reminder: Reminder) -> None:
        """Add or replace (the claim, if any, is dropped in the same transaction)."""
        m = member(reminder.chat_id, reminder.key)
        async with self.sessions.client.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(f"rem:{reminder.chat_id}"), reminder.key, reminder.to_json())
            pipe.zadd(self._key("remdue"), {m: reminder.due})
            pipe.hdel(self._key("remclaim"), m)
            await pipe.execute()

    async def of_chat(self, chat_id: int) -> list[Reminder]:
        """The chat's reminders, soonest first."""
        rows = await self.sessions.client.hgetall(self._key(f"rem:{chat_id}"))
        found = [Reminder.from_json(chat_id, str(key), data) for key, data in rows.items()]
        return sorted((r for r in found if r is not None), key=lambda r: r.due)

    async def cancel(self, chat_id: int, key: str) -> bool:
        """Delete one reminder."""
        m = member(chat_id, key)
        async with self.sessions.client.pipeline(transaction=True) as pipe:
            pipe.hdel(self._key(f"rem:{chat_id}"), key)
            pipe.zrem(self._key("remdue"), m)
            pipe.hdel(self._key("remclaim"), m)
            deleted, _, _ = await pipe.execute()
        return bool(deleted)

    async def forget(self, chat_id: int) -> int:
        """Delete the chat's reminders."""
        client = self.sessions.client
        keys = await client.hkeys(self._key(f"rem:{chat_id}"))
        members = [member(chat_id, str(k)) for k in keys]
        async with client.pipeline(transaction=True) as pipe:
            pipe.delete(self._key(f"rem:{chat_id}"))
            if members:
                pipe.zrem(self._key("remdue"), *members)
                pipe.hdel(self._key("remclaim"), *members)
            await pipe.execute()
        return len(keys)

    async def claim_due(self, now: float, limit: int, token: str, lease: float = LEASE) -> list[Claimed]:
        """One Lua script takes the due members for ``token``."""
        keys = [self._key("remdue"), self._key("remclaim")]
        args = [f"{now:.3f}", limit, f"{now + lease:.3f}", token, self._key("rem:")]
        flat = await self._claim(keys=keys, args=args)
        out = []
        for m, data in zip(flat[::2], flat[1::2], strict=True):
            chat, _, key = m.rpartition(":")
            reminder = Reminder.from_json(int(chat), key, data)
            if reminder is not None:
                out.append(Claimed(reminder, token))
        return sorted(out, key=lambda c: c.reminder.due)

    async def finish(self, claimed: Claimed, next_due: Reminder | None) -> bool:
        """Delete or reschedule while the claim's token is still recorded (one Lua script)."""
        r = claimed.reminder
        m = member(r.chat_id, r.key)
        keys = [self._key("remdue"), self._key("remclaim"), self._key(f"rem:{r.chat_id}")]
        data, due = ("", "0") if next_due is None else (next_due.to_json(), f"{next_due.due:.3f}")
        return bool(await self._finish(keys=keys, args=[m, claimed.token, data, due, r.key]))

    async def count(self) -> int:
        """How many reminders are kept."""
        return int(await self.sessions.client.zcard(self._key("remdue")))
