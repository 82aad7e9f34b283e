"""Rows of a dose schedule laid out as a table.

Under a header row whose first cell names a schedule's steps ("| Week | Dose |",
"Weeks<TAB>Nightly dose", "STEP   DOSE"), a row whose first cell is a step ("| 1–2 |
1.5 mg |", "3 and 4   1.5 mg", "5 onwards<TAB>4.5 mg") says what "Weeks 1–2: 1.5 mg"
says, and so does one whose first cell names its step otherwise ("| July | 1.5 mg |" under
"| Month | Dose |", "| Step up | 3 mg |" under "| Stage | Daily dose |"); a row whose first
cell names its step itself ("| Month 2 | 3 mg |") needs no header.
The concepts such a row names are the ones the vocabulary's own labels find in "week
<step> <dose>" and not in the dose alone (the LDN vocabulary's "{week} {dose}" label of
dose titration), so another product's vocabulary reads its schedules from its own labels.
"""

from __future__ import annotations

import re

from ldn_graph.matching import DOSE_EXPRESSION_RE, WEEK_EXPRESSION_RE, TermMatcher
from ldn_graph.model import Concept
from ldn_graph.text import fold

# What parts a table's cells: a tab, a pipe, or a run of spaces (a fixed-width layout).
_CELL = r"(?:\t|[ \t]*\|[ \t]*|[ \t]{2,})"
_STEP_WORD = r"(?:weeks?|months?|steps?|days?|stages?|phases?)"
_STEP = r"\d{1,2}(?:[ \t]*(?:[-–]|to|and)[ \t]*\d{1,2}|\+|[ \t]+onwards?)?"
_HEADER_RE = re.compile(rf"[ \t|]*{_STEP_WORD}[ \t]*{_CELL}\S", re.I)
_RULE_RE = re.compile(r"[\s|:+=-]*")  # a Markdown table's delimiter row, a ruled line
_ROW_RE = re.compile(rf"[ \t|]*(?P<named>{_STEP_WORD}[ \t]+)?(?P<step>{_STEP})[ \t]*{_CELL}(?=\S)", re.I)
# Under a schedule's header the first column is the step whatever its cell says: a month of
# the calendar ("| July |", "| 1 (Mar) |"), a stage by what it is ("| Start |", "| Step up |").
# A short cell, in a table's own layout (bars or tabs, not a run of spaces, which prose has too).
_NAMED_ROW_RE = re.compile(r"[ \t]*(?:\|[ \t]*[^|\t\n]{1,24}?[ \t]*\||[^|\t\n]{1,24}\t)(?=[ \t]*\S)")


# A line that opens with a step and goes straight to its dose: "Month 1 (July): 1.5 mg and a
# lot of dreaming", "Weeks 3–4: up to 3 mg", "Weeks 1-2 ........ 1.5 mg".
_STEP_OPENING_RE = re.compile(rf"[\W_]*(?:{WEEK_EXPRESSION_RE.pattern})[\W_]*(?:(?:up|down|back)\s+to\s+|then\s+)?", re.I)


def opens_with_step(text: str) -> bool:
    """Whether ``text`` opens with a schedule's step and its dose: set as a heading (a diary's
    months, a leaflet's dot-leader lines read as short headings), it is a step all the same."""
    folded = fold(text)
    opening = _STEP_OPENING_RE.match(folded)
    return opening is not None and DOSE_EXPRESSION_RE.match(folded, opening.end()) is not None


def is_schedule_header(text: str) -> bool:
    """Whether ``text`` is the header row of a schedule table ("| Week | Dose at night |"):
    it names the columns and claims nothing."""
    return _HEADER_RE.match(text) is not None


class ScheduleReader:
    """Reads a document's segments in order, keeping track of the schedule table they are in."""

    def __init__(self, matcher: TermMatcher) -> None:
        self._matcher = matcher
        self._in_schedule = False

    def read(self, text: str) -> list[tuple[Concept, int, int]]:
        """The concepts a schedule row names, at its dose; nothing for any other segment."""
        if _RULE_RE.fullmatch(text):
            return []
        if is_schedule_header(text):
            self._in_schedule = True
            return []
        row = _ROW_RE.match(text)
        if row is not None:
            step, end = row.group("step"), row.end()
            if not (self._in_schedule or row.group("named")):
                return []
        else:
            named = _NAMED_ROW_RE.match(text) if self._in_schedule else None
            if named is None or DOSE_EXPRESSION_RE.search(fold(named.group())):
                self._in_schedule = False  # not a row, or a row of another table ("| 4.5 mg | capsule |")
                return []
            step, end = "1", named.end()  # the step's name is no number: the probe below needs one
        dose = DOSE_EXPRESSION_RE.search(fold(text), end)  # offsets kept; "0.5–1.5 mg" read as a range
        if dose is None:
            return []
        plain = {c.iri for c, _, _ in self._matcher.find(dose.group())}
        probe = f"week {step} {dose.group()}"
        return [(c, dose.start(), dose.end()) for c, _, _ in self._matcher.find(probe) if c.iri not in plain]
