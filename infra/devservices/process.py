"""Background servers tracked by pid files, and waiting for them to answer."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ServiceError


def run(cmd: list[str], cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise ServiceError(f"{' '.join(cmd)} failed ({result.returncode}):\n{tail}")


@dataclass(frozen=True, slots=True)
class Managed:
    """A background server known by its pid file. `marker` must appear in the process's command
    line, so a stale pid file never leads to signalling an unrelated process."""

    name: str
    pidfile: Path
    marker: str
    logfile: Path

    def pid(self) -> int | None:
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError):
            return None
        return pid if self.marker.encode() in cmdline else None

    def alive(self) -> bool:
        """Whether the pid-file process still runs (used while it starts: right after the spawn
        the command line may not show the marker yet)."""
        try:
            pid = int(self.pidfile.read_text().strip())
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (OSError, ValueError):
            return False
        reap(pid)
        return stat.rsplit(")", 1)[-1].split()[0] != "Z"

    def start(self, cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> int:
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        with self.logfile.open("ab") as log:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the caller (make, pytest) and its Ctrl-C
                env={**os.environ, **(env or {})},
            )
        self.pidfile.write_text(f"{proc.pid}\n")
        return proc.pid

    def stop(self, timeout_s: float = 30.0) -> bool:
        """SIGTERM (clean shutdown), then SIGKILL after `timeout_s`. Returns whether it ran."""
        pid = self.pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.pid() is not None:
            reap(pid)
            time.sleep(0.2)
        if self.pid() is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            while self.pid() is not None:
                reap(pid)
                time.sleep(0.1)
        self.pidfile.unlink(missing_ok=True)
        return True

    def log_tail(self, chars: int = 2500) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no log)"


def reap(pid: int) -> None:
    """Collect a child we started ourselves so it does not linger as a zombie (which would still
    look alive in /proc)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def wait_until(what: str, check: Any, proc: Managed | None, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and not proc.alive():
            raise ServiceError(
                f"{what} exited during start; log {proc.logfile}:\n{proc.log_tail()}"
            )
        time.sleep(0.5)
    tail = proc.log_tail() if proc else ""
    raise ServiceError(f"{what} did not answer within {timeout_s:.0f}s\n{tail}")
