"""Stops a long-running consumer cleanly on SIGTERM or Ctrl-C.

The first signal asks the loop to stop at the next safe point: a batch in progress is abandoned
without committing its offsets, so it is redelivered; nothing half-done is acknowledged.
A second signal falls back to the default behaviour (immediate exit).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType


class StopFlag:
    def __init__(self) -> None:
        self._event = threading.Event()

    def __call__(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def handle(signum: int, frame: FrameType | None) -> None:
            self._event.set()
            signal.signal(signum, signal.SIG_DFL)

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


STOP = StopFlag()
