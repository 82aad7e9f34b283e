"""Files written so that a crash never leaves a torn one: atomic output (temp file beside
the target, fsync, ``os.replace``) and the sweep of temp files a killed writer left.

Used by reports, exports and seed records alike. The temp file of ``name`` is always
``.<name>.<random>.tmp`` in the target's folder, so one sweep rule covers every writer.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
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


_DESCRIPTOR_FOLDERS = ("/proc/", "/dev/fd/")
_STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_RE = re.compile(r"/(?:dev/fd|proc/(self|\d+)/fd)/(\d+)")


def _descriptor_path(path: str) -> str | None:
    """The first path naming an open descriptor — ``/dev/stdout``, ``/dev/fd/1``,
    ``/proc/self/fd/1`` — on the way from ``path`` through its symlinks, else None."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on symlink hops
        if current in _STANDARD_STREAMS or current.startswith(_DESCRIPTOR_FOLDERS):
            return current
        try:
            link = os.readlink(current)
        except OSError:
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return None


def output_target(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Where :func:`atomic_output` writes ``path``, and whether it writes in place.

    A regular file (existing or new) is replaced atomically at the end of its symlinks, so
    the temp file is made beside the real file and the links stay links. Anything else
    that exists — a device such as ``/dev/null``, a named pipe, a terminal, an open
    descriptor (``/dev/stdout``) — is written in place, never replaced.
    """
    name = os.fspath(path)
    descriptor = _descriptor_path(name)
    if descriptor is not None:
        return Path(descriptor), True
    try:
        info = os.stat(name)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise ExportError(f"{name}: cannot write here ({exc.strerror or exc}); choose another -o path") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{name}: is a folder; give a file name to -o")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return Path(name), True
    return Path(os.path.realpath(name)), False


def _open_in_place(path: Path) -> int:
    """A descriptor writing into ``path``: a copy of this process's own descriptor when
    ``path`` names one (so a shell's ``>>`` or an offset is respected), else the device
    or pipe opened for writing — never created, never truncated."""
    name = os.fspath(path)
    number = _STANDARD_STREAMS.get(name)
    match = _DESCRIPTOR_RE.fullmatch(name)
    if match and match.group(1) in (None, "self", str(os.getpid())):
        number = int(match.group(2))
    if number is not None:
        if number in (1, 2):
            (sys.stdout if number == 1 else sys.stderr).flush()
        return os.dup(number)
    flags = os.O_WRONLY
    if stat.S_ISREG(os.stat(name).st_mode):  # another process's descriptor on a file
        flags |= getattr(os, "O_APPEND", 0)
    return os.open(name, flags)


@contextlib.contextmanager
def _in_place(path: Path, mode: str, shown: str | Path) -> Iterator[IO[Any]]:
    """Write straight into ``path`` (a device, pipe or descriptor: nothing to replace);
    errors name ``shown``, the path as the user gave it."""
    try:
        fh = os.fdopen(_open_in_place(path), mode, encoding=None if "b" in mode else "utf-8")
    except OSError as exc:
        raise ExportError(f"{shown}: cannot write here ({exc.strerror or exc}); choose another -o path") from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise ExportError(f"{shown}: could not be written ({exc.strerror or exc}); check the path") from None


def _file_mode(target: Path) -> int:
    """The permission bits the file written at ``target`` gets: those of the file it
    replaces, else what a new file gets under the process's umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(os.stat(target).st_mode)
    mask = None
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        mask = next((int(line.split()[1], 8) for line in status if line.startswith("Umask:")), None)
    if mask is None:  # no /proc: read it by setting it (and back at once)
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temp file beside ``path`` and move it into place only on success.

    ``path == "-"`` writes to standard output instead. Symlinks are followed first, so the
    temp file is made beside the real file and replaces it (the links stay). A target that
    exists but is not a regular file (``/dev/null``, a named pipe, ``/dev/stdout``) is
    written in place: it is never replaced. Any exception inside the block (Ctrl-C
    included) removes the temp file and leaves an existing ``path`` untouched; an
    ``OSError`` becomes an :class:`~ldn_graph.errors.ExportError` naming the path.
    """
    if str(path) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target, in_place = output_target(path)
    if in_place:
        with _in_place(target, mode, path) as fh:
            yield fh
        return
    directory = target.parent
    remove_stale_temp_files_beside(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({exc.strerror or exc}); choose another -o path") from None
    try:
        with contextlib.suppress(OSError):  # a file system without modes: keep what it gives
            os.chmod(tmp, _file_mode(target))  # mkstemp's 0600 would replace the file's mode
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
