"""Progress bars: drawn on a terminal, silent otherwise, one bar per stage the library reports."""

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
        progress(Stage.FETCH, 2, 5)
        progress(Stage.FETCH, 3, 5)
    assert out.getvalue() == ""


def test_drawn_on_a_terminal() -> None:
    out = FakeTTY()
    with progress_bars(file=out) as progress:
        progress(Stage.FETCH, 200, 400)
        progress(Stage.FETCH, 200, 400)
    screen = out.getvalue()
    assert "\x1b[" in screen  # cursor control of the live display
    assert "fetching PubMed records" in screen and "400/400" in screen


def test_disabled_explicitly_even_on_a_terminal() -> None:
    out = FakeTTY()
    with progress_bars(file=out, enabled=False) as progress:
        progress(Stage.FETCH, 1, 1)
    assert out.getvalue() == ""


def test_each_stage_gets_a_labelled_bar_and_an_open_count_without_a_total() -> None:
    out = FakeTTY()
    with progress_bars(file=out, labels={Stage.FETCH: "fetching hits"}) as progress:
        progress(Stage.FETCH, 3, 7)
        progress(Stage.IMPORT, 604, 0)  # 0: the total is not known
    screen = out.getvalue()
    assert "fetching hits" in screen and "3/7" in screen
    assert "importing" in screen and "604 records" in screen


def test_a_counter_of_one_stage_feeds_its_bar() -> None:
    out = FakeTTY()
    with progress_bars(file=out) as progress:
        advance = counter(progress, Stage.BUILD, 10)
        assert advance is not None
        advance(4)
        advance(6)
    assert "building graph" in out.getvalue() and "10/10" in out.getvalue()
    assert counter(None, Stage.BUILD, 10) is None
