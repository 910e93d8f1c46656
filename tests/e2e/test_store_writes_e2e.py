"""Every step is committed before it is shown (kill -9 at any moment loses nothing a user saw), with as few
writes as that allows: one for a step shown by editing the saved wizard message, two for a step shown in a
new message (the step, then the new message's id, known only once it is sent). Counted on the real SQLite
store, by calls and by the row's revision (each write bumps it); the order is checked where the fake Bot API
receives each request that shows buttons.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.events import Event
from bot.store.base import ChatRecord
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import running_bot


class CountingStore(SqliteSessionStore):
    """The real SQLite store, counting the writes of each chat's record and remembering the highest session
    version committed for it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.saves: dict[int, int] = {}
        self.committed: dict[int, int] = {}

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        self.saves[chat_id] = self.saves.get(chat_id, 0) + 1
        saved = await super().save(chat_id, record)
        if saved is not None:
            self.committed[chat_id] = max(self.committed.get(chat_id, 0), saved.session.version)
        return saved


def watch_order(api: FakeBotApi, store: CountingStore) -> list[tuple[str, int, int]]:
    """Record, for every message the bot sends or edits with buttons, the session version its buttons carry
    and the version committed to the store when the Bot API received the request."""
    seen: list[tuple[str, int, int]] = []
    for method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
        handler = api._methods[method]

        def watched(p: dict[str, Any], handler: Any = handler, method: str = method) -> Any:
            rows = (p.get("reply_markup") or {}).get("inline_keyboard") or []
            versions = [
                int(b["callback_data"].split(":")[0]) for row in rows for b in row if "callback_data" in b
            ]
            if versions:
                seen.append((method, max(versions), store.committed.get(int(p["chat_id"]), 0)))
            return handler(p)

        api._methods[method] = watched
    return seen


@pytest.fixture
async def counted(settings, api: FakeBotApi, wizard, renderer):
    store = CountingStore(settings.database)
    async with running_bot(settings, api, wizard, renderer, store) as bot:
        yield bot, store


async def test_each_step_is_saved_before_it_is_shown_with_as_few_writes_as_that_allows(
    counted, api: FakeBotApi
) -> None:
    bot, store = counted
    seen = watch_order(api, store)
    chat = ChatClient(api, bot.tracker)

    async def step(do):  # one update: how many writes, how far the revision moved, and the message
        saves, rev = store.saves.get(chat.chat_id, 0), (await store.load(chat.chat_id)).rev
        shown = await do()
        record = await store.load(chat.chat_id)
        return store.saves.get(chat.chat_id, 0) - saves, record.rev - rev, record, shown

    # A new chat: the first step is the empty session (nothing to commit), so only the id of the new
    # message showing it is written (inserting the row).
    n, moved, record, first = await step(lambda: chat.send("/start"))
    assert (n, moved) == (1, 1) and record.message_id == first.message_id
    # Typed text answered in a new message (a step that changes the session): the step, then the id.
    n, moved, record, shown = await step(lambda: chat.send("城乡居民"))
    assert (n, moved) == (2, 2)
    assert record.session.slots.get("identity") == "resident" and record.message_id == shown.message_id
    # A button press edits the saved wizard message: one write.
    n, moved, record, edited = await step(lambda: chat.click("北京"))
    assert (n, moved) == (1, 1) and record.message_id == edited.message_id == shown.message_id
    # The current step shown again in a new message (a sticker): the session is unchanged, only the new
    # message's id is written (after showing it: nothing new to lose).
    n, moved, record, again = await step(lambda: chat.send_media("sticker"))
    assert (n, moved) == (1, 1) and record.message_id == again.message_id != shown.message_id
    # A stale button on the first message: nothing applied; that message, edited to the current step, is
    # the wizard message now (one write, before the edit).
    n, moved, record, stale = await step(lambda: chat.click("城乡居民", first))
    assert (n, moved) == (1, 1) and chat.toast and record.message_id == stale.message_id == first.message_id
    # /restart in a new message.
    n, moved, record, restarted = await step(lambda: chat.send("/restart"))
    assert (n, moved) == (2, 2) and record.message_id == restarted.message_id
    assert record.session.slots == {}
    # A button press on a message Telegram no longer lets us edit (too old): the step is saved, shown in
    # a new message, and that message's id saved.
    api.too_old.add((chat.chat_id, restarted.message_id))
    n, moved, record, anew = await step(lambda: chat.click("城乡居民", restarted))
    assert (n, moved) == (2, 2) and record.session.slots.get("identity") == "resident"
    assert record.message_id == anew.message_id != restarted.message_id and anew.buttons
    assert api.problems() == []  # the press was answered
    # /cancel: the first step with no wizard message, in one write; the old message loses its buttons.
    n, moved, record, _ = await step(lambda: chat.send("/cancel"))
    assert (n, moved) == (1, 1) and record.session.slots == {} and record.message_id is None
    assert not api.messages[(chat.chat_id, anew.message_id)].buttons
    # Every message shown with buttons carried a version already committed when Telegram received it.
    assert len(seen) >= 7
    assert [s for s in seen if s[1] > s[2]] == []


class RacingStore(CountingStore):
    """Another instance applies ``race`` to the chat just before this one's next save (a conflict, once)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.race: tuple[Wizard, Event] | None = None

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        if self.race is not None:
            (wizard, event), self.race = self.race, None
            current = await self.load(chat_id)
            session, _ = wizard.step(current.session, event)
            await super().save(chat_id, replace(current, session=session))
        return await super().save(chat_id, record)


async def test_a_conflict_is_decided_again_before_anything_is_shown(
    settings, api: FakeBotApi, wizard: Wizard, renderer
) -> None:
    store = RacingStore(settings.database)
    async with running_bot(settings, api, wizard, renderer, store) as bot:
        seen = watch_order(api, store)
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start")
        sends, edits = len(api.calls_of("sendMessage")), len(api.calls_of("editMessageText"))
        store.race = (wizard, Event("text", "灵活就业"))  # meanwhile, another instance got 灵活就业
        shown = await chat.send("湖南")
        record = await store.load(chat.chat_id)
        # Decided again over the other instance's write, then shown once: one new message, no edit.
        assert len(api.calls_of("sendMessage")) == sends + 1
        assert len(api.calls_of("editMessageText")) == edits
        assert record.session.slots.get("identity") == "flexible" and record.session.slots.get("province")
        assert record.message_id == shown.message_id
        assert "灵活就业" in shown.plain
        assert [s for s in seen if s[1] > s[2]] == []
