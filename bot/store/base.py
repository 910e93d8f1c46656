"""What a session store keeps per chat, and the interface every store implements.

Concurrency: each record carries ``rev``, the store's revision of that chat's row. :meth:`SessionStore.save`
writes only if the stored revision still equals ``record.rev`` (compare-and-set) and returns ``None``
otherwise. One process orders updates per chat, so it never sees a conflict; several instances sharing a
store (issue 8: Redis behind a webhook) do, and then reload, re-run the pure wizard step and save again.
``rev`` is separate from the session's own ``version`` because the wizard message id can change while
the session does not (a typed message gets a new wizard message showing the same step).

Privacy and reliability (issue 7): a record holds only the wizard's choices, the wizard message id and
whether the chat can be written to (``active``: False after Telegram answered 403 "bot was blocked" or
"chat not found"; any later save sets it again). :meth:`SessionStore.forget` deletes a chat's record
(``/forget``) and :meth:`SessionStore.purge` deletes records nobody touched since a cutoff (retention).
A store whose backend fails (database locked, disk full, server gone) raises
:class:`~bot.errors.StoreUnavailableError`, so the front end can tell the user to try again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from bot.session import Session
from bot.store.feedback import FeedbackStore


@dataclass(frozen=True)
class ChatRecord:
    """One chat's row: its wizard session, the id of the wizard message, the store revision, and whether
    Telegram still accepts messages for the chat."""

    session: Session = field(default_factory=Session)
    message_id: int | None = None
    rev: int = 0  # 0: never saved
    active: bool = True


class SessionStore(FeedbackStore, ABC):
    """Keeps one :class:`ChatRecord` per chat id (and, from :class:`FeedbackStore`, reports and usage
    counts). Methods are coroutines; blocking work runs off the loop."""

    async def open(self) -> None:
        """Connect or create files; called once before the first load."""

    async def close(self) -> None:
        """Release connections; the store is unusable afterwards."""

    @abstractmethod
    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one (``rev == 0``) when the chat is unknown."""

    @abstractmethod
    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Write ``record`` if the stored revision is ``record.rev``; the saved record, or None on conflict."""

    @abstractmethod
    async def set_active(self, chat_id: int, active: bool) -> None:
        """Mark the chat as (in)active without touching its session. Marking an unknown chat inactive
        creates its record (a fresh session), so the fact is kept; marking it active changes nothing."""

    @abstractmethod
    async def forget(self, chat_id: int) -> bool:
        """Delete everything kept about the chat; True if there was something to delete."""

    @abstractmethod
    async def purge(self, cutoff: float) -> int:
        """Delete the records last saved before ``cutoff`` (Unix time); how many were deleted."""

    async def __aenter__(self) -> SessionStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
