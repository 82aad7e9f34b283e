"""Progress bars for long work, drawn on stderr with rich; silent when stderr is not a terminal.

    with progress_bars() as progress:
        result = audit(paths, options, progress=progress)

The yielded reporter is a :data:`ldn_graph.progress.Progress` callback
``(stage, advance, total)``: ``advance`` more items of ``stage`` are done out of ``total``
(``0``: not known). Each stage gets its own bar, labelled from :data:`STAGE_LABELS` unless
the caller names it. Library functions that count one stage with ``progress(n)`` get
``ldn_graph.progress.counter(progress, stage, total)``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

from ldn_graph.terms import Stage

STAGE_LABELS: dict[str, str] = {
    Stage.READ: "reading documents",
    Stage.FETCH: "fetching PubMed records",
    Stage.ASSESS: "assessing claims",
    Stage.IMPORT: "importing",
    Stage.BUILD: "building graph",
    Stage.EXPAND: "fetching linked records",
}

#: What a stage counts, shown beside the count when the total is not known.
STAGE_UNITS: dict[str, str] = {
    Stage.READ: "documents",
    Stage.ASSESS: "claims",
}


class ProgressReporter:
    """Draws progress per stage on a rich ``Progress``; without one it ignores every call."""

    def __init__(self, progress: Any = None, labels: Mapping[str, str] | None = None) -> None:
        self._progress = progress
        self._labels = {**STAGE_LABELS, **(labels or {})}
        self._tasks: dict[str, Any] = {}
        self._done: dict[str, int] = {}

    def __call__(self, stage: str, advance: int, total: int) -> None:
        if self._progress is None:
            return
        done = self._done[stage] = self._done.get(stage, 0) + advance
        count = f"{done}/{total}" if total else f"{done} {STAGE_UNITS.get(stage, 'records')}"
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(
                self._labels.get(stage, str(stage)), total=total or None, count=count
            )
        self._progress.update(self._tasks[stage], advance=advance, total=total or None, count=count)


@contextmanager
def progress_bars(
    *,
    enabled: bool | None = None,
    file: IO[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Iterator[ProgressReporter]:
    """A :class:`ProgressReporter` drawing on ``file`` (default stderr).

    ``enabled=None`` draws only when ``file`` is a terminal, so pipes, CI logs and
    ``2>file`` stay free of control characters. ``labels`` names the bars of some stages.
    The bars disappear when the work ends.
    """
    stream = file if file is not None else sys.stderr
    if enabled is None:
        isatty = getattr(stream, "isatty", None)
        enabled = bool(isatty and isatty())
    if not enabled:
        yield ProgressReporter(labels=labels)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(file=stream, force_terminal=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        yield ProgressReporter(progress, labels)
