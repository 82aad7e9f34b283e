"""Numbers a claim gives against those of its study's abstract (``judge.claim_fit``):
counts written out, proportions as fractions, bounds, durations and ages."""

from __future__ import annotations

import pytest

from ldn_graph.judge.claim_fit import number_mismatch, numbers_in


@pytest.mark.parametrize(("text", "shares", "people", "days"), [
    ("Sixty women took part.", (), (60,), ()),
    ("sixty-two men and 1,200 adults", (), (62, 1200), ()),
    ("nine out of ten people with MS", (90.0,), (), ()),  # the whole of a fraction counts no people
    ("3 in 4 patients", (75.0,), (), ()),
    ("ten of ten patients", (100.0,), (), ()),
    ("15 in 5 groups", (), (), ()),  # more than the whole: no proportion
    ("21 of 36 participants (58%)", (58.0, 58.3), (), ()),
    ("improved in 56 patients", (), (56,), ()),  # "in" before a count is no fraction
    ("one of the patients", (), (), ()),
    ("within two weeks", (), (), (14,)),
    ("a 34-year-old woman, followed for 12 months", (), (), (12 * 30.4,)),  # an age is no duration
])
def test_counts_fractions_and_durations(text: str, shares: tuple[float, ...], people: tuple[int, ...],
                                         days: tuple[float, ...]) -> None:
    found = numbers_in(text)
    assert (found.shares, found.people, found.days) == (shares, people, days)


def test_a_bound_is_borne_out_by_any_figure_beyond_it() -> None:
    abstract = "In our study, 24 out of 39 participants responded."
    assert number_mismatch("More than half of those treated responded [1].", abstract) is None
    assert number_mismatch("More than two thirds responded [1].", abstract) is not None
    assert number_mismatch("Fewer than two thirds responded [1].", abstract) is None
    assert number_mismatch("Fewer than a third responded [1].", abstract) is not None


def test_a_proportion_and_a_count_written_out() -> None:
    abstract = ("Sixty women were randomised. 21 of 36 participants (58%) on naltrexone improved, "
                "against 9 of 36 (25%) on placebo.")
    assert number_mismatch("Nine out of ten people felt less tired on LDN [1].", abstract) is not None
    assert number_mismatch("In a trial of 60 women, 58% improved [1].", abstract) is None
    assert number_mismatch("In a trial of 80 women, 58% improved [1].", abstract) is not None
    # a count written out anywhere bears the claim's out
    assert number_mismatch("A trial of 60 patients [1].", "Sixty were randomised and 41 patients completed.") is None
    assert number_mismatch("A trial of 70 patients [1].", "Sixty were randomised and 41 patients completed.")


def test_a_duration_is_compared_as_a_duration_not_as_a_bare_number() -> None:
    abstract = "Pain had lasted 14 months. Within 8 weeks of naltrexone her pain score fell."
    assert "duration" in (number_mismatch("Pain fell within two weeks of starting LDN [1].", abstract) or "")
    assert number_mismatch("Pain fell within eight weeks of starting LDN [1].", abstract) is None
