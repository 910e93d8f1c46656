"""Issue 15, item 2: one update the library cannot build must not stop long polling for everyone.

A message carrying a poll without the fields this python-telegram-bot requires (as an older or
self-hosted Bot API server sends) made every getUpdates fail, the updater spin hundreds of times a
second, nobody be answered, and stopping raise. Now it is logged once (id and error, no content),
skipped, counted, and everyone else is answered.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest

from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi
from tests.e2e.conftest import running_bot

pytestmark = pytest.mark.unmeasured

# A poll as an older Bot API sends it: no total_voter_count, is_closed, is_anonymous, type, ...
OLD_POLL = {"id": "77", "question": "要交多少钱", "options": [{"text": "13812345678", "voter_count": 0}]}


@pytest.mark.parametrize("where", ["alone", "between others"])
async def test_an_unreadable_update_is_skipped_logged_once_and_everyone_else_answered(
    api: FakeBotApi, settings, wizard, renderer, caplog, where: str
) -> None:
    caplog.set_level(logging.INFO)
    async with running_bot(settings, api, wizard, renderer) as bot:
        before = ChatClient(api, bot.tracker, chat_id=501)
        if where == "between others":
            api.push_text(before.chat_id, "/start")
        poison = api.push_message(502, poll=OLD_POLL)
        polls_at_poison = len(api.calls_of("getUpdates"))
        started = time.monotonic()
        users = [ChatClient(api, bot.tracker, chat_id=600 + i) for i in range(5)]
        await asyncio.wait_for(asyncio.gather(*(u.send("/start") for u in users)), 10)
        waited = time.monotonic() - started
        for u in users:
            assert u.last is not None and u.last.buttons
        await asyncio.sleep(1.0)  # a spinning updater would call getUpdates hundreds of times here
        polls = len(api.calls_of("getUpdates")) - polls_at_poison
        assert polls < 20, f"getUpdates called {polls} times in {waited + 1:.1f}s: polling spins"
        assert bot.app.bot.skipped == 1
        assert poison in bot.tracker.done  # the updater moved past it (an empty update, no handler)
        assert not api.chat_messages(502)
    skipped = [r for r in caplog.records if f"update {poison} skipped" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.ERROR
    assert "TypeError in message" in skipped[0].getMessage()
    assert "13812345678" not in caplog.text and "要交多少钱" not in caplog.text  # no content logged
    assert bot.store._db is None  # the store was closed: serve() returned 0 (running_bot checks)


async def test_stop_closes_the_store_even_when_stopping_the_poller_fails(
    api: FakeBotApi, settings, wizard, renderer, caplog
) -> None:
    async with running_bot(settings, api, wizard, renderer) as bot:
        await ChatClient(api, bot.tracker, chat_id=701).send("/start")
        # From now on getUpdates answers something that is not a list of updates, also the final call
        # that confirms fetched updates while stopping: stopping must go on and close the store.
        api.get_updates_answer = {"unexpected": "shape"}
        await asyncio.sleep(0.5)
    assert bot.store._db is None
    assert not [r for r in caplog.records if "Error while parsing updates" in r.getMessage()]
