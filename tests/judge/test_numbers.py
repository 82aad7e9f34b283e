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
    ("The 300-patient study found", (), (300,), ()),
    ("more than 1,000 compounding-pharmacy patients", (), (1000,), ()),
    ("LDN halved fibromyalgia pain", (50.0,), (), ()),
    ("three-quarters of patients and two thirds of doctors", (75.0, 66.7), (), ()),  # a change by half, as a share of what it was
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
    # "over eight weeks" is how long, not at least how long
    assert number_mismatch("Pain fell over eight weeks [1].", "Pain fell within 12 weeks.") is not None


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


def test_a_confidence_interval_with_a_negative_bound_is_no_result() -> None:
    abstract = "LDN 4.5 mg at night was tested. MFIS fell (mean difference -5.8; 95% CI -10.1 to -1.5; p=0.009)."
    assert "dose" in (number_mismatch("Just 1.5 mg of LDN helped [1].", abstract) or "")
    assert number_mismatch("LDN 4.5 mg helped [1].", abstract) is None


@pytest.mark.parametrize(("clause", "sentence", "more"), [
    ("Vivid dreams were reported by 23% of participants taking naltrexone and 6% of those taking placebo.", None, 1),
    ("Headache occurred in 12% on naltrexone and 14% on placebo.", None, 0),
    ("Nausea affected 4% of patients given naltrexone and 15% of those given placebo.", None, -1),
    ("Dreams were reported by 9% in the naltrexone group and 6% in the placebo group.", None, 0),  # under 5 points
    ("Dreams: 30% naltrexone, 6% placebo.", None, None),  # figures the reader cannot tie to an arm
    ("Insomnia by 19% and 6%, respectively.",
     "Headache was reported by 12% of participants in the naltrexone group and 14% in the placebo group; "
     "insomnia by 19% and 6%, respectively.", 1),
    ("Insomnia by 19% and 6%, respectively.",
     "Headache was reported by 12% in the placebo group and 14% in the naltrexone group; "
     "insomnia by 19% and 6%, respectively.", -1),  # the arms in the other order
    ("Insomnia was reported by 19% of participants.", None, None),  # one arm only
    # a crossover's phases, and a count with its share in brackets
    ("Vivid dreams were reported by 9/58 (16%) participants during naltrexone and 2/58 (3%) during placebo.", None, 1),
    # the arms named before the figures: "naltrexone vs placebo: … 14% vs 4%"
    ("nausea 14% vs 4% (p=0.02)", "Adverse events, naltrexone vs placebo: nausea 14% vs 4% (p=0.02); headache 7% vs 6%.", 1),
    ("nausea 14% vs 4% (p=0.02)", "Adverse events, placebo vs naltrexone: nausea 14% vs 4% (p=0.02); headache 7% vs 6%.", -1),
    ("headache 7% vs 6%.", "Adverse events, naltrexone vs placebo: nausea 14% vs 4% (p=0.02); headache 7% vs 6%.", 0),
    ("nausea 14% vs 4%.", None, None),  # no arms named
])
def test_how_often_a_harm_came_with_the_product_by_each_arms_figure(clause: str, sentence: str | None,
                                                                     more: int | None) -> None:
    from ldn_graph.judge.arms import harm_by_arms

    assert harm_by_arms(clause, sentence or clause, lambda t: "naltrexone" in t.lower()) == more


def test_a_share_said_in_words_is_not_borne_out_by_the_same_number_written_as_a_count() -> None:
    abstract = "We randomised 80 patients. Response: 23 of 40 (58%) on naltrexone and 10 of 40 (25%) on placebo."
    assert number_mismatch("Eight in ten patients got better [1].", abstract) is not None
    assert number_mismatch("80% of patients got better [1].", abstract) is None  # written, so "80" anywhere counts


def test_a_share_in_words_is_a_rounded_one() -> None:
    abstract = "Endoscopic improvement was seen in 11 of 16 patients (69%) given naltrexone and 3 of 15 (20%) given placebo."
    assert number_mismatch("About two in three improved on LDN, against one in five on placebo [1].", abstract) is None
    assert number_mismatch("Three in four improved on LDN [1].", abstract) is not None
    assert number_mismatch("In the trial, 66% improved on LDN [1].", abstract) is not None  # a figure is exact
