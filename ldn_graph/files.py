"""Files written so that a crash never leaves a torn one: atomic output (temp file beside
the target, fsync, ``os.replace``) and the sweep of temp files a killed writer left.

Used by reports, exports and seed records alike. The temp file of ``name`` is always
``.<name>.<random>.tmp`` in the target's folder, so one sweep rule covers every writer.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ldn_graph.errors import ExportError

#: A temp file untouched this long belongs to a killed writer.
STALE_TEMP_SECONDS = 15 * 60


def temp_name_pattern(name: str | None = None) -> re.Pattern[str]:
    """The names of the temp files :func:`atomic_output` makes for ``name`` (any name when
    ``None``)."""
    stem = re.escape(name) if name is not None else r"[^/\\]+"
    return re.compile(rf"\.{stem}\.[^/\\]*\.tmp")


def remove_stale_temp_files(
    folder: str | os.PathLike[str],
    pattern: re.Pattern[str] | None = None,
    older_than: float | None = None,
) -> list[Path]:
    """Delete temp files a killed writer left in ``folder``; returns those removed.

    Only names matching ``pattern`` (default: any ``.<name>.*.tmp``) and not modified for
    ``older_than`` seconds (default :data:`STALE_TEMP_SECONDS`) go, so the temp file of a
    writer still running is left alone. Never raises.
    """
    pattern = pattern or temp_name_pattern()
    cutoff = time.time() - (STALE_TEMP_SECONDS if older_than is None else older_than)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def remove_stale_temp_files_beside(target: Path, older_than: float | None = None) -> list[Path]:
    """The stale temp files of ``target`` itself (``.<target name>.*.tmp``)."""
    folder = target.parent if str(target.parent) else Path(".")
    return remove_stale_temp_files(folder, temp_name_pattern(target.name), older_than)


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temp file beside ``path`` and move it into place only on success.

    ``path == "-"`` writes to standard output instead. Any exception inside the block
    removes the temp file and leaves an existing ``path`` untouched; an ``OSError``
    becomes an :class:`~ldn_graph.errors.ExportError` naming the path.
    """
    if str(path) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    remove_stale_temp_files_beside(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({exc.strerror or exc}); choose another -o path") from None
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ExportError(f"{path}: could not be written ({exc.strerror or exc}); check the path and free space") from None
        raise
