"""Stops a long-running consumer cleanly on SIGTERM or Ctrl-C, and always within seconds.

The first signal asks the loop to stop at the next safe point: a batch in progress is abandoned
without committing its offsets, so it is redelivered; nothing half-done is acknowledged. Waits and
retries watch the same flag (flows/failures.py), so a consumer stuck in a broker outage stops too.
Orchestrators (systemd, Kubernetes, Prefect cancelling a run) expect an exit within seconds; if
the process is still busy STOP_GRACE_S after the signal (a store call deep in its own retries),
it exits there and then (a last resort: every wait and retry of ours ends within 0.1 s of the
signal, so a run normally stops well before that): nothing is committed before it is stored,
so what was in flight is read again by the next run. A second signal falls back to the
default behaviour (immediate exit).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType

#: Seconds between the first SIGTERM and a forced exit.
STOP_GRACE_S = 15.0


def _force_exit(signum: int) -> None:
    sys.stderr.write(
        f"newsflow: still busy {STOP_GRACE_S:.0f} s after {signal.Signals(signum).name}: exiting "
        "without committing what is in flight (it will be read again)\n"
    )
    sys.stderr.flush()
    os._exit(128 + signum)


class StopFlag:
    def __init__(self) -> None:
        self._event = threading.Event()

    def __call__(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`, waking at once when a stop is requested; True if it was."""
        return self._event.wait(seconds)

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def handle(signum: int, frame: FrameType | None) -> None:
            first = not self._event.is_set()
            self._event.set()
            signal.signal(signum, signal.SIG_DFL)
            if first:
                timer = threading.Timer(STOP_GRACE_S, _force_exit, args=(signum,))
                timer.daemon = True  # a process that ends in time is not held up by it
                timer.start()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


STOP = StopFlag()
