"""Progress bars: drawn on a terminal, silent otherwise, and counting what the library reports."""

from __future__ import annotations

import io

from ldn_graph.cli.progress import progress_bars
from ldn_graph.progress import counter
from ldn_graph.terms import Stage


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


def test_each_stage_gets_a_labelled_bar_and_an_open_count_without_a_total() -> None:
    out = FakeTTY()
    with progress_bars(file=out, labels={Stage.FETCH: "fetching hits"}) as progress:
        progress(Stage.FETCH, 3, 7)
        progress(Stage.IMPORT, 604, 0)  # 0: the total is not known
    screen = out.getvalue()
    assert "fetching hits" in screen and "3/7" in screen
    assert "importing" in screen and "604 records" in screen
    assert progress.total(Stage.IMPORT) == 0


def test_a_counter_of_one_stage_feeds_the_bars() -> None:
    with progress_bars(file=io.StringIO()) as progress:
        advance = counter(progress, Stage.BUILD, 10)
        assert advance is not None
        advance(4)
        advance(6)
    assert (progress.completed(Stage.BUILD), progress.total(Stage.BUILD)) == (10, 10)
    assert counter(None, Stage.BUILD, 10) is None
