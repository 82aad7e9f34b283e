"""The one shape of progress reporting across the library.

Long work takes ``progress: Progress | None`` and calls ``progress(stage, advance, total)``
as items get done: ``advance`` more items of ``stage`` (a :class:`~ldn_graph.terms.Stage`)
are done out of ``total`` (``0`` when the total is not known). The library never draws
anything; the CLI turns these calls into bars on stderr (``ldn_graph.cli.progress``).
"""

from __future__ import annotations

from collections.abc import Callable

from ldn_graph.terms import Stage

Progress = Callable[[Stage, int, int], None]


def counter(progress: Progress | None, stage: Stage, total: int) -> Callable[[int], None] | None:
    """A ``(advance)`` callback for code that counts one stage, or ``None`` without
    ``progress``."""
    if progress is None:
        return None

    def advance(n: int) -> None:
        progress(stage, n, total)

    return advance
