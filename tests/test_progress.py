"""Progress bars: drawn on a terminal, silent otherwise, and counting what the audit reports."""

from __future__ import annotations

import io

from ldn_graph.cli.progress import progress_bars


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal() -> None:
    out = io.StringIO()
    with progress_bars(file=out) as progress:
        progress("fetch", 2, 5)
        progress("fetch", 3, 5)
    assert out.getvalue() == ""
    assert not progress.drawing
    assert (progress.completed("fetch"), progress.total("fetch")) == (5, 5)


def test_drawn_on_a_terminal() -> None:
    out = FakeTTY()
    with progress_bars(file=out) as progress:
        assert progress.drawing
        progress("fetch", 200, 400)
        progress("fetch", 200, 400)
    assert progress.completed("fetch") == 400
    assert "\x1b[" in out.getvalue()  # cursor control of the live display


def test_disabled_explicitly_even_on_a_terminal() -> None:
    out = FakeTTY()
    with progress_bars(file=out, enabled=False) as progress:
        progress("fetch", 1, 1)
    assert out.getvalue() == "" and not progress.drawing
