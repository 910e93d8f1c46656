"""A real ``redis-server`` on 127.0.0.1 at a free port, for tests (no persistence, torn down after)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

MISSING = (
    "redis-server is not installed and could not be installed (make test runs scripts/system-deps.sh, "
    "which apt-installs it); the Redis store tests need it"
)


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """``redis-server --port N --save ''`` in ``workdir``; :attr:`url` once started."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, attempts: int = 3) -> RedisServer:
        """Start the server and wait until it answers PING (another free port if that one was taken)."""
        for _ in range(attempts):
            self.port = free_port()
            if self._spawn():
                return self
        raise RuntimeError(f"redis-server did not start; see {self.workdir / 'redis.log'}")

    def start_on_port(self) -> RedisServer:
        """Start again on the same port (after :meth:`stop`), empty: a Redis that came back."""
        if not self._spawn():
            raise RuntimeError(f"redis-server did not start again on {self.port}")
        return self

    def _spawn(self) -> bool:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError(MISSING)
        with (self.workdir / "redis.log").open("ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(self.workdir)],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        if self._wait_ready():
            return True
        self.stop()
        return False

    def _wait_ready(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        try:
            for _ in range(200):
                if self.proc is None or self.proc.poll() is not None:
                    return False
                try:
                    if client.ping():
                        return True
                except redis.exceptions.ConnectionError:
                    time.sleep(0.05)
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Terminate the server and wait for it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def in_ci() -> bool:
    """True under CI (``CI=true``), where a missing Redis is a failure, never a skip."""
    return os.environ.get("CI", "").lower() == "true"
