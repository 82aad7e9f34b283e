"""A number said to fall: a score, a count or a test result that went down.

"My pain has gone from about an eight to a five", "TPO went from 900-something to 310",
"down from a six to a three", "from 20 hours a day to 14": the second number is the
smaller, so what the sentence measures got less. A rise ("from 1.5 mg to 4.5 mg") is no
fall. Numbers are digits or the number words the dose reader knows (``NUMBER_WORDS``).
"""

from __future__ import annotations

import re

from ldn_graph.matching import NUMBER_WORDS

# The numbers copy writes as one word ("an eight", "a five"): the dose reader's words.
_VALUE = {w: v for w, v in NUMBER_WORDS.items() if " " not in w}
_NUMBER = r"(?:\d+(?:[.,]\d+)?|" + "|".join(sorted(_VALUE, key=len, reverse=True)) + r")"
_HEDGE = r"(?:(?:about|around|roughly|over|nearly|almost|maybe|under|just|below|perhaps|more\s+like|closer\s+to)\s+)?(?:(?:a|an)\s+)?"
# "from about an eight to a five", "from 900-something to 85", "from a six out of ten down to a three"
_FROM_TO_RE = re.compile(
    rf"\bfrom\s+{_HEDGE}(?P<a>{_NUMBER})(?:-something|-odd|\+)?(?:\s*(?:/\s*10|out\s+of\s+(?:ten|10)))?"
    rf"(?:\s+[a-z]+){{0,3}}?\s+(?:(?:right|all\s+the\s+way)\s+)?(?:down\s+)?to\s+{_HEDGE}(?P<b>{_NUMBER})\b",
    re.I,
)
# … at most this far after what it measures ("my everyday pain has gone from …")
_REACH = 40


def _value(number: str) -> float:
    word = number.lower()
    if word in _VALUE:
        return _VALUE[word]
    # "1,000" groups thousands; "4,5" is a decimal comma
    return float(word.replace(",", "") if re.fullmatch(r"\d{1,3},\d{3}", word) else word.replace(",", "."))


def _fell(m: re.Match[str]) -> bool:
    return _value(m.group("b")) < _value(m.group("a"))


def falls(text: str) -> bool:
    """Whether ``text`` says a number went down."""
    return any(_fell(m) for m in _FROM_TO_RE.finditer(text))


def falls_after(text: str, end: int) -> bool:
    """Whether a number said to go down follows ``text[:end]`` closely, in its clause."""
    for m in _FROM_TO_RE.finditer(text, end):
        if m.start() - end > _REACH or any(ch in text[end : m.start()] for ch in ".;:"):
            return False
        if _fell(m):
            return True
    return False
