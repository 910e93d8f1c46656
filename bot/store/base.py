"""What a session store keeps per chat, and the interface every store implements.

Concurrency: each record carries ``rev``, the store's revision of that chat's row. :meth:`SessionStore.save`
writes only if the stored revision still equals ``record.rev`` (compare-and-set) and returns ``None``
otherwise. One process orders updates per chat, so it never sees a conflict; several instances sharing a
store (issue 8: Redis behind a webhook) do, and then reload, re-run the pure wizard step and save again.
``rev`` is separate from the session's own ``version`` because the wizard message id can change while
the session does not (a typed message gets a new wizard message showing the same step).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from bot.session import Session


@dataclass(frozen=True)
class ChatRecord:
    """One chat's row: its wizard session, the id of the wizard message, and the store revision."""

    session: Session = field(default_factory=Session)
    message_id: int | None = None
    rev: int = 0  # 0: never saved


class SessionStore(ABC):
    """Keeps one :class:`ChatRecord` per chat id. Methods are coroutines; blocking work runs off the loop."""

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect or create files; called once before the first load."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections; the store is unusable afterwards."""

    @abstractmethod
    async def load(self, chat_id: int) -> ChatRecord:
        """The chat's record, or a fresh one (``rev == 0``) when the chat is unknown."""

    @abstractmethod
    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        """Write ``record`` if the stored revision is ``record.rev``; the saved record, or None on conflict."""

    async def __aenter__(self) -> SessionStore:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
