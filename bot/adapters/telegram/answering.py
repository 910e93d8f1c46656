"""Recording that an update is being answered, just before its first request to Telegram leaves.

Webhook instances sharing Redis mark an update processed (the gate's ``done``) after processing it; an
instance dying between sending its answer and that mark left the update to be delivered again and
answered twice. So the webhook server sets :data:`BEFORE_ANSWER` for the update's task, and the HTTP
client (``request.py``) awaits it once before the first Bot API request made while processing: the mark
is written with the answer. Only a death in the few milliseconds between the mark and the request
reaching Telegram loses that answer (the user taps again); none answers twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar

BEFORE_ANSWER: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar("before_answer", default=None)


async def before_request() -> None:
    """Run and disarm the current update's hook, if any (called by the HTTP client)."""
    hook = BEFORE_ANSWER.get()
    if hook is not None:
        BEFORE_ANSWER.set(None)
        await hook()
