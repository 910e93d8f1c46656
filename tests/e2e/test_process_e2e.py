"""``python -m bot`` as a real process: kill -9 mid-conversation, a second poller, no token in logs."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.testing.bot_client import ChatClient
from bot.testing.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


async def start_bot(
    api: FakeBotApi, data_dir: Path, log: Path, **extra_env: str
) -> asyncio.subprocess.Process:
    """Start ``python -m bot`` against the fake API and wait until it polls (or exits)."""
    env = {
        **os.environ,
        **extra_env,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "BOT_DATA_DIR": str(data_dir),
        "LOG_LEVEL": "DEBUG",
        "TELEGRAM_POLL_TIMEOUT": "1",
    }
    polls = len(api.calls_of("getUpdates"))
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    await api.wait_for(lambda: len(api.calls_of("getUpdates")) > polls or proc.returncode is not None, 60)
    return proc


async def test_kill_9_mid_conversation_then_next_button_works(api: FakeBotApi, tmp_path: Path) -> None:
    log = tmp_path / "bot.log"
    proc = await start_bot(api, tmp_path / "data", log)
    chat = ChatClient(api)  # no tracker: waits for the bot's answers at the fake server
    try:
        await chat.send("/start")
        await chat.click("城乡居民")
    finally:
        proc.kill()  # SIGKILL: no shutdown code runs
        await proc.wait()
    proc = await start_bot(api, tmp_path / "data", log)
    try:
        city = await chat.click("湖南")
        assert chat.toast is None and "你在湖南省哪个城市参保" in city.plain
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    text = log.read_text(encoding="utf-8")
    assert "sendMessage" in text  # DEBUG logging was on
    assert api.token not in text and api.token.split(":")[1] not in text


async def test_second_poller_is_reported_at_start_up_and_the_first_keeps_serving(
    api: FakeBotApi, chat: ChatClient, tmp_path: Path
) -> None:
    log = tmp_path / "second.log"
    proc = await start_bot(api, tmp_path / "other-data", log)
    code = await asyncio.wait_for(proc.wait(), 30)
    text = log.read_text(encoding="utf-8")
    assert code == 3, text
    assert "Another bot instance is already receiving updates" in text and "Traceback" not in text
    answer = await chat.send("/start")  # the instance that was there first still answers
    assert "第 1/" in answer.plain
