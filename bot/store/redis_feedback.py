"""Reports and usage counts in Redis (the Redis store's part of :class:`FeedbackStore`).

Keys (under the store's prefix): ``report:next`` the last report id given; ``report:<id>`` a hash of
one report; ``reports`` a sorted set of report ids scored by creation time; ``counts:<day>`` a hash of
``<region>|<name>`` to a number; ``counts:days`` the set of days that have counts. No key or value
holds a user or chat id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import redis.asyncio as aioredis

from bot.feedback import CountKey, Report, day_of
from bot.store.feedback import FeedbackStore, in_region


def _s(value: Any) -> str:
    """A reply as text (the client decodes responses; the types say bytes or str)."""
    return value.decode() if isinstance(value, bytes) else str(value)


_FIELDS = ("region", "identity", "channel", "page", "year", "text", "created", "closed")


class RedisFeedback(FeedbackStore):
    """Mixed into :class:`~bot.store.redis.RedisSessionStore`, which provides ``client`` and ``prefix``."""

    prefix: str

    @property
    def client(self) -> aioredis.Redis:  # the store's own property is the one used (it comes first)
        raise NotImplementedError

    def _fk(self, *parts: object) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

    async def add_report(self, report: Report) -> int:
        """Give the report the next id and keep it."""
        r = report
        new_id = int(await self.client.incr(self._fk("report", "next")))
        mapping = {
            "region": r.region, "identity": r.identity, "channel": r.channel, "page": r.page,
            "year": r.year, "text": r.text, "created": repr(r.created), "closed": "",
        }  # fmt: skip
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self._fk("report", new_id), mapping=cast(Any, mapping))
            pipe.zadd(self._fk("reports"), {str(new_id): r.created})
            await pipe.execute()
        return new_id

    async def _load_reports(self) -> list[Report]:
        ids = [_s(i) for i in await self.client.zrevrange(self._fk("reports"), 0, -1)]
        if not ids:
            return []
        async with self.client.pipeline(transaction=False) as pipe:
            for i in ids:
                pipe.hmget(self._fk("report", i), list(_FIELDS))
            rows = await pipe.execute()
        out = []
        for i, row in zip(ids, rows, strict=True):
            region, identity, channel, page, year, text, created, closed = row
            if created is None:
                continue  # deleted between the two reads
            out.append(
                Report(
                    region,
                    identity,
                    channel,
                    page,
                    year,
                    text,
                    float(created),
                    int(i),
                    float(closed) if closed else None,
                )
            )
        return out

    async def reports(self, open_only: bool = False, region: str | None = None) -> list[Report]:
        """Newest first."""
        rows = await self._load_reports()
        return [r for r in rows if (r.open or not open_only) and in_region(r.region, region)]

    async def close_report(self, report_id: int, at: float) -> bool:
        """Set ``closed`` when the report exists and is open (one atomic script)."""
        script = (
            "if redis.call('HEXISTS', KEYS[1], 'created') == 1 and redis.call('HGET', KEYS[1], 'closed') == '' "
            "then redis.call('HSET', KEYS[1], 'closed', ARGV[1]) return 1 end return 0"
        )
        done = await self.client.eval(script, 1, self._fk("report", report_id), repr(at))
        return bool(done)

    async def add_counts(self, counts: Mapping[CountKey, int]) -> None:
        """HINCRBY each count in one pipeline."""
        if not counts:
            return
        async with self.client.pipeline(transaction=False) as pipe:
            for (day, region, name), n in counts.items():
                pipe.hincrby(self._fk("counts", day), f"{region}|{name}", n)
            pipe.sadd(self._fk("counts", "days"), *{day for day, _, _ in counts})
            await pipe.execute()

    async def counts(self, since: str = "") -> dict[CountKey, int]:
        """Counts from day ``since`` on."""
        days = sorted(
            d for d in map(_s, await self.client.smembers(self._fk("counts", "days"))) if d >= since
        )
        out: dict[CountKey, int] = {}
        for day in days:
            for field, n in (await self.client.hgetall(self._fk("counts", day))).items():
                region, _, name = _s(field).partition("|")
                out[(day, region, name)] = int(n)
        return out

    async def purge_feedback(self, cutoff: float) -> int:
        """Delete closed reports and count days before ``cutoff``."""
        deleted = 0
        for r in await self._load_reports():
            if r.closed is not None and r.closed < cutoff:
                await self.client.delete(self._fk("report", r.id))
                await self.client.zrem(self._fk("reports"), str(r.id))
                deleted += 1
        day = day_of(cutoff)
        for old in [d for d in map(_s, await self.client.smembers(self._fk("counts", "days"))) if d < day]:
            deleted += int(await self.client.hlen(self._fk("counts", old)))
            await self.client.delete(self._fk("counts", old))
            await self.client.srem(self._fk("counts", "days"), old)
        return deleted
