"""Who speaks in a plain-text transcript or Q&A: the tag a turn opens with.

A turn may open with a time stamp and a speaker ("[00:01:10] MAYA: "), a question or
answer mark ("Q: ", "A2: ", "Answer: "), a thread's post counter ("1/8 "), or a speaker
label in capitals that the document uses for more than one turn ("HOST: ", "GUEST (Dr
Mensah): "): the words of the turn start after it, and a time stamp or a speaker label is
a metadata field of its own.
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["recurring_speakers", "speaker_tag", "turn_opening"]

_TURN_RE = re.compile(
    r"[\[(]\d{1,2}:\d{2}(?::\d{2})?[\])][ \t]*(?:[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}:[ \t]+)?"
    r"|(?:Q|A|Question|Answer)[ \t]?\d{0,2}:[ \t]+"
    # a thread's post counter: "1/8 Three years ago …", "7/8 ⚠️"
    r"|(?P<post>\d{1,2})/(?P<of>\d{1,2})[ \t]+(?=[A-Z\"“‘'(@#]|[^\w\s])"
)
# A speaker label in capitals, with a name in brackets or not: "HOST: ", "GUEST (Claire): ".
_LABEL_RE = re.compile(r"(?P<label>[A-Z]{2,}(?:[ \t][A-Z]{2,}){0,2})(?:[ \t]*\([^()\n]{1,30}\))?:[ \t]+(?=\S)")
_LINE_LABEL_RE = re.compile(r"^[ \t]*(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?[\])][ \t]*)?" + _LABEL_RE.pattern, re.M)
_TIME_STAMP_RE = re.compile(r"[\[(]\d{1,2}:\d{2}")


def recurring_speakers(text: str) -> frozenset[str]:
    """The capitalised speaker labels that open two lines or more of ``text``."""
    counts = Counter(m.group("label") for m in _LINE_LABEL_RE.finditer(text))
    return frozenset(label for label, n in counts.items() if n >= 2)


def turn_opening(text: str, body: int, end: int, speakers: frozenset[str]) -> int:
    """Where the words of a line whose text starts at ``body`` begin, past its turn's tag."""
    turn = _TURN_RE.match(text, body, end)
    if turn and turn.end() < end and not (turn["post"] and int(turn["post"]) > int(turn["of"])):
        body = turn.end()
    label = _LABEL_RE.match(text, body, end) if speakers else None
    if label and label.group("label") in speakers:
        body = label.end()
    return body


def speaker_tag(text: str, start: int, body: int, speakers: frozenset[str]) -> tuple[int, int] | None:
    """The time stamp or speaker label a line opens with (``start`` its first character,
    ``body`` its words), as a span without its trailing space; None for any other line (a
    "Q: " turn is the sentence's own markup)."""
    if body <= start:
        return None
    label = _LABEL_RE.match(text, start)
    if not _TIME_STAMP_RE.match(text, start, body) and not (label and label.end() <= body and label.group("label") in speakers):
        return None
    end = body
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end
