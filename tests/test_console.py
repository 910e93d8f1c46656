"""The terminal console drives the same wizard through stdin."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.adapters.console import run_console

ROOT = Path(__file__).resolve().parents[1]


def test_console_in_process_reaches_instructions(wizard, renderer) -> None:
    out = io.StringIO()
    assert run_console(wizard, renderer, io.StringIO("2\n湘\n长沙\n1\nq\n"), out) == 0
    text = out.getvalue()
    assert "操作步骤" in text and "1. 打开微信" in text and "湘税社保" in text
    assert "<b>" not in text


def test_console_subprocess_via_python_m_bot() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["TELEGRAM_BOT_TOKEN"] = ""
    proc = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="1\n重庆\n2\nq\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "灵活就业人员" in proc.stdout and "重庆市" in proc.stdout and "操作步骤" in proc.stdout


def test_refuses_to_start_on_invalid_flows(tmp_path) -> None:
    (tmp_path / "national.yaml").write_text("code: [\n", encoding="utf-8")
    env = {**os.environ, "FLOWS_DIR": str(tmp_path), "TELEGRAM_BOT_TOKEN": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "bot"], input="", capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert proc.returncode == 2
    assert "national.yaml:2" in proc.stderr and "YAML syntax error" in proc.stderr
