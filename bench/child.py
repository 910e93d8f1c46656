"""The bot under test in its own process, so its CPU time and memory are its own (read with psutil)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import psutil

from bot.testing.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Child:
    """A running bot process and its resource counters."""

    proc: asyncio.subprocess.Process
    ps: psutil.Process
    log: Path

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process used so far."""
        t = self.ps.cpu_times()
        return t.user + t.system

    def cpu_split(self) -> tuple[float, float]:
        """User and system CPU time the process used so far (system: the kernel's work for it, such as
        sockets, epoll and timer wake-ups, which no Python profiler sees)."""
        t = self.ps.cpu_times()
        return t.user, t.system

    def rss_mb(self) -> float:
        """Resident memory now, in MiB."""
        return self.ps.memory_info().rss / 2**20

    def peak_rss_mb(self) -> float:
        """Highest resident memory since start (Linux VmHWM), in MiB; the current RSS elsewhere."""
        try:
            for line in Path(f"/proc/{self.ps.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return self.rss_mb()

    async def stop(self) -> int:
        """SIGTERM, then wait for the exit code."""
        if self.proc.returncode is None:
            self.ps.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.proc.wait(), 60)


async def start_child(
    module: str,
    api: FakeBotApi,
    env: dict[str, str],
    log: Path,
    profile: Path | None = None,
    root: Path = ROOT,
) -> Child:
    """Run ``python -m module`` against ``api`` and wait until it polls. With ``profile``, under py-spy
        (sampling, ``*.txt``: collapsed stacks) or cProfile timed by CPU time (``*.prof``, bench/cpu_profile.py), or tracemalloc (``*.trace``,
        bench/trace_memory.py: where the memory held at exit was allocated). ``root``: the project copy to run
    (bench/ab_bench.py)."""
    cmd = [sys.executable, "-m", module]
    if profile is not None and profile.suffix == ".txt":
        spy = str(Path(sys.executable).parent / "py-spy")
        cmd = [spy, "record", "--format", "raw", "--rate", "250", "-o", str(profile), "--", *cmd]
    elif profile is not None and profile.suffix == ".trace":
        cmd = [sys.executable, "-m", "bench.trace_memory", str(profile), module]
    elif profile is not None:
        cmd = [sys.executable, "-m", "bench.cpu_profile", str(profile), module]
    full_env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_POLL_TIMEOUT": "10",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            *cmd, cwd=root, env=full_env, stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out
        )
    await api.wait_for(lambda: bool(api.calls_of("getUpdates")) or proc.returncode is not None, 120)
    if proc.returncode is not None:
        raise RuntimeError(f"{module} exited with {proc.returncode} at start-up; see {log}")
    ps = psutil.Process(proc.pid)
    if cmd[0] != sys.executable:  # a profiler started the bot: measure and signal the bot itself
        ps = ps.children()[0]
    return Child(proc, ps, log)
