"""Progress bars for long work, drawn on stderr with rich; silent when stderr is not a terminal.

    with progress_bars() as progress:
        result = audit(paths, options, progress=progress)

The yielded reporter is a callable ``(stage, advance, total)`` — the shape of
``audit(..., progress=...)``: ``advance`` is how many more items of ``stage`` are done.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

STAGE_LABELS = {
    "fetch": "Fetching PubMed records",
    "read": "Reading documents",
    "assess": "Assessing claims",
}


class ProgressReporter:
    """Counts progress per stage and, when a rich ``Progress`` is attached, draws it."""

    def __init__(self, progress: Any = None) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}
        self._done: dict[str, int] = {}
        self._total: dict[str, int] = {}

    def __call__(self, stage: str, advance: int, total: int) -> None:
        self._done[stage] = self._done.get(stage, 0) + advance
        self._total[stage] = total
        if self._progress is None:
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(STAGE_LABELS.get(stage, stage), total=total)
        self._progress.update(self._tasks[stage], advance=advance, total=total)

    def completed(self, stage: str) -> int:
        return self._done.get(stage, 0)

    def total(self, stage: str) -> int | None:
        return self._total.get(stage)

    @property
    def drawing(self) -> bool:
        return self._progress is not None


@contextmanager
def progress_bars(*, enabled: bool | None = None, file: IO[str] | None = None) -> Iterator[ProgressReporter]:
    """A :class:`ProgressReporter` drawing on ``file`` (default stderr).

    ``enabled=None`` draws only when ``file`` is a terminal, so pipes, CI logs and
    ``2>file`` stay free of control characters. The bars disappear when the work ends.
    """
    stream = file if file is not None else sys.stderr
    if enabled is None:
        isatty = getattr(stream, "isatty", None)
        enabled = bool(isatty and isatty())
    if not enabled:
        yield ProgressReporter()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream, force_terminal=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield ProgressReporter(progress)
