"""NCBI's request rate, shared by every ldn-graph process of the machine.

At most 3 requests/s (10 with an API key) reach NCBI from all processes together: each
request reserves its send time in a small file under the state folder, read and written
under an exclusive OS file lock (the ``filelock`` package: ``flock`` on Unix,
``msvcrt.locking`` on Windows). A 429's ``Retry-After`` goes into the same file, so every
process keeps quiet. If the file cannot be used, the limit falls back to this process
only, with a warning.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from filelock import FileLock

from ldn_graph.text import one_line

__all__ = ["RATE_FILE_NAME", "SharedRateLimiter"]

logger = logging.getLogger(__name__)

#: The file (under the state folder) that holds the next free send time.
RATE_FILE_NAME = "eutils-rate"
# A lock is held for a read and a write of a few bytes; one not granted within this many
# seconds means the file system does not lock (the limiter then counts this process only).
_LOCK_TIMEOUT = 10.0
_LOCK_POLL = 0.002


class SharedRateLimiter:
    """Spaces requests ``interval`` seconds apart across all processes sharing ``path``.

    The file holds the next free send time (``time.time()`` seconds); each request reserves
    a slot under the exclusive lock of ``path`` + ``.lock``.
    """

    def __init__(self, interval: float, path: Path | None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.path = path
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0
        self._file_lock: FileLock | None = None

    def acquire(self) -> None:
        """Block until this process may send its next request."""
        wait = self._reserve(None) - time.time()
        if wait > 0:
            self._sleep(wait)

    def defer(self, seconds: float) -> None:
        """Keep every process quiet for ``seconds`` (after a 429 with ``Retry-After``)."""
        self._reserve(seconds)

    def _plan(self, now: float, stored: float, defer: float | None) -> tuple[float, float]:
        """(send time of this request, next free send time)."""
        if defer is not None:
            return now, max(stored, now + defer)
        slot = max(now, stored)
        return slot, slot + self.interval

    def _reserve(self, defer: float | None) -> float:
        with self._lock:
            if self.path is not None:
                try:
                    return self._reserve_in_file(self.path, defer)
                except OSError as exc:  # filelock's Timeout is an OSError too
                    logger.warning(
                        "cannot share the NCBI request rate with other processes (%s); "
                        "limiting this process only",
                        one_line(f"{type(exc).__name__}: {exc.strerror or exc}", 160),
                    )
                    self.path = None
            slot, self._next = self._plan(time.time(), self._next, defer)
            return slot

    def _reserve_in_file(self, path: Path, defer: float | None) -> float:
        path.parent.mkdir(parents=True, exist_ok=True)
        if self._file_lock is None:
            self._file_lock = FileLock(str(path) + ".lock", timeout=_LOCK_TIMEOUT)
        with self._file_lock.acquire(poll_interval=_LOCK_POLL):
            now = time.time()
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                raw = os.read(fd, 64).decode("ascii", "replace").strip()
                try:
                    stored = float(raw) if raw else 0.0
                except ValueError:
                    stored = 0.0
                if not math.isfinite(stored) or stored > now + 3600:
                    stored = 0.0  # corrupted file or a clock jump
                slot, following = self._plan(now, stored, defer)
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, f"{following:.6f}\n".encode("ascii"))
            finally:
                os.close(fd)
        return slot
