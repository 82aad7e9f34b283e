"""What a diary, a log or a note records is no claim.

"Keep a simple pain and sleep diary", "a diary of energy, sleep and mood", "your weekly diary
scores for energy and pain", "jot down your pain, sleep and energy scores", "write down what
you hope it might change, such as fatigue": the concept words name what the reader is asked
to record, not what the product does.
"""

from __future__ import annotations

import re

from ldn_graph.model import Concept

_RECORD_NOUNS = r"diar(?:y|ies)|journals?|logs?|logbooks?|trackers?"
# A form that asks about the items after it ("a questionnaire about your pain, sleep and mood"),
# though a quality-of-life questionnaire is what a trial scored.
_ASKED_ABOUT_NOUNS = rf"{_RECORD_NOUNS}|questionnaires?|check-?ins?"
# After a concept: a record it names, with the items listed after it ("pain and sleep diary").
_RECORD_AFTER_RE = re.compile(
    rf"(?:\s*(?:,|\band\b|\bor\b|&|/)\s*[\w'’-]+){{0,4}}[\s-]+(?:{_RECORD_NOUNS})\b", re.I)
# Before a concept: a record kept of it, with the items listed before it ("a simple diary of
# energy, sleep and fog scores", "diary scores for energy, pain and activity").
_KEPT_OF_RE = re.compile(
    rf"\b(?:(?:{_ASKED_ABOUT_NOUNS})(?:\s+(?:scores?|entries|notes))?|keep(?:ing)?\s+track)\s+(?:of|for|about)\s+"
    r"(?:(?:your|my|their|the)\s+)?(?:[\w'’-]+(?:\s*,\s*|\s+(?:and|or)\s+|\s+)){0,8}$", re.I)
# Before a concept, in the same clause: what someone is to write down ("jot down one line a
# day about energy, sleep and pain").
_WRITTEN_DOWN_RE = re.compile(r"\b(?:jot|write|note)(?:s|ting|ing)?\s+down\b[^.;:!?]{0,60}$", re.I)


def recorded(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]`` names what a diary, a log or a note records."""
    return bool(_RECORD_AFTER_RE.match(text, end) or _KEPT_OF_RE.search(text, max(0, start - 80), start)
                or _WRITTEN_DOWN_RE.search(text, max(0, start - 80), start))


def without_recorded(found: list[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the mentions that name what a record keeps."""
    return [(c, s, e) for c, s, e in found if not recorded(text, s, e)]
