"""One store write per step, also when the step is shown in a new message (whose id is known only once it
is sent): counted on the real SQLite store, by calls and by the row's revision (each write bumps it)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.events import Event
from bot.store.base import ChatRecord
from bot.store.sqlite import SqliteSessionStore
from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from bot.wizard import Wizard
from tests.e2e.conftest import running_bot


class CountingStore(SqliteSessionStore):
    """The real SQLite store, counting the writes of each chat's record."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.saves: dict[int, int] = {}

    async def save(self, chat_id: int, record: ChatRecord) -> ChatRecord | None:
        self.saves[chat_id] = self.saves.get(chat_id, 0) + 1
        return await super().save(chat_id, record)


@pytest.fixture
async def counted(settings, api: FakeBotApi, wizard, renderer):
    store = CountingStore(settings.database)
    async with running_bot(settings, api, wizard, renderer, store) as bot:
        yield bot, store


async def test_each_step_is_saved_once_with_the_message_showing_it(counted, api: FakeBotApi) -> None:
    bot, store = counted
    chat = ChatClient(api, bot.tracker)

    async def step(do):  # one update: how many writes, how far the revision moved, and the message
        saves, rev = store.saves.get(chat.chat_id, 0), (await store.load(chat.chat_id)).rev
        shown = await do()
        record = await store.load(chat.chat_id)
        return store.saves.get(chat.chat_id, 0) - saves, record.rev - rev, record, shown

    # A new chat: the first write inserts the row, with the new message's id in it.
    n, moved, record, shown = await step(lambda: chat.send("/start"))
    assert (n, moved) == (1, 1) and record.message_id == shown.message_id
    # Typed text answered in a new message (a step that changes the session): one write.
    n, moved, record, shown = await step(lambda: chat.send("城乡居民"))
    assert (n, moved) == (1, 1)
    assert record.session.slots.get("identity") == "resident" and record.message_id == shown.message_id
    # A button press edits the same message: one write.
    n, moved, record, edited = await step(lambda: chat.click("北京"))
    assert (n, moved) == (1, 1) and record.message_id == edited.message_id == shown.message_id
    # The current step shown again in a new message (a sticker): the session is unchanged, the new
    # message's id is written once.
    n, moved, record, again = await step(lambda: chat.send_media("sticker"))
    assert (n, moved) == (1, 1) and record.message_id == again.message_id != shown.message_id
    # /restart in a new message.
    n, moved, record, restarted = await step(lambda: chat.send("/restart"))
    assert (n, moved) == (1, 1) and record.message_id == restarted.message_id
    assert record.session.slots == {}
    # A button press on a message Telegram no longer lets us edit (too old): the step is shown in a new
    # message, and saved once with that message's id.
    api.too_old.add((chat.chat_id, restarted.message_id))
    n, moved, record, anew = await step(lambda: chat.click("城乡居民", restarted))
    assert (n, moved) == (1, 1) and record.session.slots.get("identity") == "resident"
    assert record.message_id == anew.message_id != restarted.message_id and anew.buttons
    assert api.problems() == []  # the press was answered
    # /cancel: the first step with no wizard message, in one write; the old message loses its buttons.
    n, moved, record, _ = await step(lambda: chat.send("/cancel"))
    assert (n, moved) == (1, 1) and record.session.slots == {} and record.message_id is None
    assert not api.messages[(chat.chat_id, anew.message_id)].buttons


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


async def test_a_conflict_after_sending_edits_the_new_message_and_saves_its_id(
    settings, api: FakeBotApi, wizard: Wizard, renderer
) -> None:
    store = RacingStore(settings.database)
    async with running_bot(settings, api, wizard, renderer, store) as bot:
        chat = ChatClient(api, bot.tracker)
        await chat.send("/start")
        sends, edits = len(api.calls_of("sendMessage")), len(api.calls_of("editMessageText"))
        store.race = (wizard, Event("text", "灵活就业"))  # meanwhile, another instance got 灵活就业
        shown = await chat.send("湖南")
        record = await store.load(chat.chat_id)
        # Decided again over the other instance's write: the one new message is edited to the final step.
        assert len(api.calls_of("sendMessage")) == sends + 1
        assert len(api.calls_of("editMessageText")) == edits + 1
        assert record.session.slots.get("identity") == "flexible" and record.session.slots.get("province")
        assert record.message_id == shown.message_id
        assert "灵活就业" in shown.plain
