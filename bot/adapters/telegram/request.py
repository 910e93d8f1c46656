"""Bot API requests with a JSON body instead of a URL-encoded form.

python-telegram-bot's :class:`~telegram.request.HTTPXRequest` posts parameters as a form, and httpx
percent-encodes forms byte by byte in Python. Our pages are long Chinese HTML (each character three
bytes, each byte ``%XX``), so the bot benchmark's profile showed that encoding among the bot's top costs.
The Bot API accepts the same parameters as ``application/json``; they are encoded from
:attr:`RequestData.parameters` (as PTB's docs suggest for custom encoders) as UTF-8, not ``\\uXXXX``
escapes, so a Chinese page travels in a third of the bytes of the form. Requests with files keep PTB's
multipart form.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.adapters.telegram.answering import BEFORE_ANSWER, before_request

_JSON = {"Content-Type": "application/json", "User-Agent": HTTPXRequest.USER_AGENT}
_DEFAULT = BaseRequest.DEFAULT_NONE
DefaultValue = type(_DEFAULT)  # PTB's marker type for "timeout not given"


def _encode(request_data: RequestData) -> bytes:
    """The parameters as compact UTF-8 JSON (nested objects such as reply_markup as objects)."""
    return json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":")).encode()


class JsonBodyRequest(HTTPXRequest):
    """:class:`HTTPXRequest` (same pool, timeouts and errors) that sends parameters as one JSON body."""

    __slots__ = ()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = _DEFAULT,  # seconds, None (no limit) or PTB's marker: not given
        write_timeout: Any = _DEFAULT,  # seconds, None (no limit) or PTB's marker: not given
        connect_timeout: Any = _DEFAULT,  # seconds, None (no limit) or PTB's marker: not given
        pool_timeout: Any = _DEFAULT,  # seconds, None (no limit) or PTB's marker: not given
    ) -> tuple[int, bytes]:
        """POST ``request_data`` as JSON (files: PTB's multipart form); status code and body."""
        if BEFORE_ANSWER.get() is not None:  # the first request while processing a webhook update
            await before_request()
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        base = self._client.timeout

        def pick(given: Any, default: float | None) -> float | None:
            return default if isinstance(given, DefaultValue) else given

        timeout = httpx.Timeout(
            connect=pick(connect_timeout, base.connect),
            read=pick(read_timeout, base.read),
            write=pick(write_timeout, base.write),
            pool=pick(pool_timeout, base.pool),
        )
        try:
            res = await self._client.request(
                method=method, url=url, headers=_JSON, timeout=timeout, content=_encode(request_data)
            )
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut("Pool timeout: all connections in the pool are busy; not sent") from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return res.status_code, res.content
