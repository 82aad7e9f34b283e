"""Rows of a dose schedule table read as the steps they are (synthetic copy)."""

from __future__ import annotations

import pytest

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.extract.schedules import ScheduleReader
from ldn_graph.matching import TermMatcher
from ldn_graph.read.documents import read_text_document


def read_as_two_steps(text: str, vocab) -> bool:
    """Whether two titration steps and no dose range are read in ``text``."""
    doc = read_text_document(text.encode(), "synthetic.md")
    names = [c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))]
    return names.count("DoseTitration") == 2 and "LowDoseRange" not in names


def titration_rows(text: str, vocab) -> list[str]:
    doc = read_text_document(text.encode(), "synthetic.md")
    claims = extract_claims(doc, vocab, *find_references(doc))
    return [c.text for c in claims if c.concept.name == "DoseTitration"]


@pytest.mark.parametrize("table", [
    "| Week | Dose at night |\n|---|---|\n| 1–2 | 1 mg |\n| 3 and 4 | 2 mg |\n| 5 onwards | 4.5 mg |\n",
    "Weeks\tNightly dose\n1–2\t1 mg\n3 and 4\t2 mg\n5 onwards\t4.5 mg\n",
    "STEP        DOSE EACH NIGHT\n1 - 2       1 mg\n3 and 4     2 mg\n5 onwards   4.5 mg\n",
])
def test_rows_under_a_schedule_header_are_titration_steps(table, vocab):
    text = "Your low dose naltrexone (LDN) plan:\n\n" + table
    assert titration_rows(text, vocab) == table.splitlines()[-3:]


def test_a_row_that_names_its_own_step_needs_no_header(vocab):
    text = "LDN plan:\n\n| Month 1 | 1 mg, rising to 2 mg |\n| Month 2 | 3 mg |\n"
    assert len(titration_rows(text, vocab)) == 2


def test_rows_of_another_table_are_not_steps(vocab):
    text = ("Low dose naltrexone (LDN) strengths we make:\n\n"
            "| Strength | Form |\n|---|---|\n| 1.5 mg | capsule |\n| 4.5 mg | capsule |\n\n"
            "Prices:\n\n| Pack | Strength |\n|---|---|\n| 30 | 4.5 mg |\n")
    assert titration_rows(text, vocab) == []


def test_a_schedule_ends_with_its_table(vocab):
    text = ("## Starting low dose naltrexone (LDN)\n\nThe usual plan:\n\n| Week | Dose |\n|---|---|\n| 1–2 | 1 mg |\n\n"
            "LDN is made up by our pharmacy.\n\n| 30 | 4.5 mg |\n")
    assert len(titration_rows(text, vocab)) == 1


def test_a_row_read_as_a_heading_is_still_a_row(vocab):
    # a pdftotext leaflet: short lines without a full stop read as headings
    text = "Starting low dose naltrexone (LDN)\n\nWeeks 1 and 2       1 mg each night\n\nWeeks 3 and 4       2 mg each night\n"
    assert len(titration_rows(text, vocab)) == 2


def test_a_rows_range_is_its_steps_even_where_its_note_names_a_step(vocab):
    # the row's dose is the step's (a range written with an en dash included), not a
    # statement of the product's dose range; the note's "Start low" does not change that
    text = ("LDN plan:\n\n| Weeks | Dose | Notes |\n|---|---|---|\n"
            "| Weeks 1–2 | 0.5–1.5 mg | Start low to see how you tolerate it |\n"
            "| Weeks 3–4 | 1.5–3 mg | Step up only once any side effects have settled |\n")
    assert read_as_two_steps(text, vocab)


@pytest.mark.parametrize("rows", [
    # a diary's months named by the calendar, with their number in the plan or without
    "| Month | Dose | Notes |\n|---|---|---|\n| 0 (Jan) | none | before |\n| 1 (Feb) | 1.5 mg | dreams |\n| 2 (Mar) | 3 mg | fine |\n",
    "| Month | Dose | Notes |\n|---|---|---|\n| May (before) | none | flares |\n| June | 1.5 mg at night | dreams |\n| July | 3 mg at night | calmer |\n",
    # a plan's stages named by what they are
    "| Stage | Daily dose | Duration |\n|---|---|---|\n| Start | 1.5 mg | 2 weeks |\n| Step up | 3 mg | 2 weeks |\n",
    "| Phase | Dose |\n|---|---|\n| Starting | 1 mg |\n| Building up | 2 mg |\n",
])
def test_under_a_schedule_header_a_rows_first_cell_is_its_step_however_named(rows, vocab):
    text = "My low dose naltrexone (LDN) year:\n\n" + rows
    assert read_as_two_steps(text, vocab)


def test_a_step_cell_holding_a_dose_is_not_a_step_named_loosely(vocab):
    # under a schedule header, a row whose first cell is itself a dose is another table's (a
    # table of dose changes straight after the plan); the rule alone: the sentence model reads rows too
    reader = ScheduleReader(TermMatcher(vocab.concepts, vocab.subject_terms))
    rows = ["| Week | Dose |", "|---|---|", "| 1–2 | 1 mg |", "| If you take | Lower it to |", "|---|---|",
            "| 4.5 mg | 3 mg |"]
    assert [bool(reader.read(row)) for row in rows] == [False, False, True, False, False, False]


@pytest.mark.parametrize(("text", "name", "count"), [
    ("## Month 1 (June): 1.5 mg and strange dreams\n\nThe first weeks were rough.\n", "synthetic.md", 1),
    ("### Weeks 3–4: up to 3 mg\n\nCalmer nights.\n", "synthetic.md", 1),
    # a plain-text leaflet's dot-leader lines, read as short headings
    ("HOW TO TAKE IT\n\nWeeks 1-2 ............ 1.5 mg\nWeeks 3-4 ............ 3 mg\n\nTake it at night.\n", "synthetic.txt", 2),
])
def test_a_heading_that_opens_with_a_step_and_its_dose_is_a_step(text, name, count, vocab):
    # a diary's month or a leaflet's dot-leader line set as a heading is a step of the schedule
    doc = read_text_document(("Starting low dose naltrexone (LDN)\n\n" + text).encode(), name)
    steps = [c for c in extract_claims(doc, vocab, *find_references(doc), False) if c.concept.name == "DoseTitration"]
    assert len(steps) == count and steps[0].role == "heading"


def test_a_dot_leader_joins_a_step_to_its_dose(vocab):
    names = {c.name for c, _, _ in TermMatcher(vocab.concepts, vocab.subject_terms).find("Weeks 1-2 ........ 1.5 mg")}
    assert "DoseTitration" in names


@pytest.mark.parametrize("heading", ["## Month 1: finding my feet", "## Week 5: 3 questions to ask"])
def test_other_headings_stay_titles(heading, vocab):
    doc = read_text_document(f"# Low dose naltrexone (LDN)\n\n{heading}\n\nSome text.\n".encode(), "synthetic.md")
    assert extract_claims(doc, vocab, *find_references(doc), False) == []
