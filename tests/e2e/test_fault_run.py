"""The fault run (``python -m bot.testing.fault_run``) at a small scale: every kind of fault is injected,
every user who does not block the bot completes the wizard, and no update is lost, while one chat floods
the bot and one update cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.testing.fault_run import run

pytestmark = pytest.mark.unmeasured


async def test_fault_run_completes_every_user_and_loses_no_update(tmp_path: Path, capsys) -> None:
    report = await run(
        users=24,
        rate_429=0.05,
        rate_5xx=0.06,
        rate_reset=0.03,
        rate_timeout=0.02,
        blocked=0.1,
        seed=3,
        data_dir=tmp_path,
        spike=2.0,  # everyone at once: short, and the queues full (nothing here is timed)
    )
    with capsys.disabled():
        print("\n" + "\n".join(report.lines()))
    assert report.updates_lost == 0
    assert report.poison_skipped == 1 and report.flood_dropped > 0  # a flood and an unreadable update too
    assert report.users_completed == report.users_expected == 24 - report.blocked_users
    assert report.blocked_marked_inactive == report.blocked_users > 0
    assert all(report.injected.get(kind, 0) > 0 for kind in ("429", "5xx", "reset", "timeout", "403"))
    assert len(report.slow) == report.users_expected - report.first_answer_within_3s  # each one explained
