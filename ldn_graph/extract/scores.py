"""A number said to fall: a score, a count or a test result that went down.

"My pain has gone from about an eight to a five", "TPO went from 900-something to 310",
"down from a six to a three", "from 20 hours a day to 14": the second number is the
smaller, so what the sentence measures got less. A rise ("from 1.5 mg to 4.5 mg") is no
fall. Numbers are digits or the number words the dose reader knows (``NUMBER_WORDS``).
How often something happens falls the same way: "from every week to once a month", "from
most nights to twice a week", "from four bad days a week to maybe one", "from daily to
hardly ever" (each side read as times a year, the second taking the first's period when
it names none).
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


# How often: a period ("a week", "every month", "daily") and how many times in it.
_PER_YEAR = {"day": 365.0, "night": 365.0, "week": 52.0, "fortnight": 26.0, "month": 12.0, "year": 1.0}
_PERIOD = r"(?P<{0}>day|night|week|fortnight|month|year)s?"
_ADVERB_PERIOD = {"daily": "day", "nightly": "night", "weekly": "week", "fortnightly": "fortnight",
                  "monthly": "month", "yearly": "year", "annually": "year"}
_TIMES = {"once": 1.0, "twice": 2.0, "a couple of times": 2.0, "a few times": 3.0}


def _side(n: str) -> str:
    """One side of "from … to …" saying how often, its groups named after ``n``."""
    return (
        rf"{_HEDGE}(?:(?P<{n}never>never|hardly\s+ever|almost\s+never|rarely|none)"
        rf"|(?P<{n}adv>{'|'.join(_ADVERB_PERIOD)})"
        rf"|(?P<{n}most>most|every|each)(?:\s+single|\s+(?P<{n}other>other))?\s+{_PERIOD.format(n + 'p1')}"
        rf"|(?P<{n}count>{_NUMBER}|once|twice|a\s+couple\s+of\s+times|a\s+few\s+times)"
        rf"(?:(?:\s+[a-z-]+){{0,3}}?\s+(?:a|an|per|every|each)\s+{_PERIOD.format(n + 'p2')})?)"
    )


_FREQUENCY_FROM_TO_RE = re.compile(rf"\bfrom\s+{_side('a')}\s+(?:[a-z]+\s+){{0,2}}?to\s+{_side('b')}\b", re.I)


def _per_year(m: re.Match[str], side: str, period: str | None) -> tuple[float | None, str | None]:
    """How many times a year one side of "from … to …" says, and the period it names."""
    if m.group(f"{side}never"):
        return 0.0, period
    if adverb := m.group(f"{side}adv"):
        name = _ADVERB_PERIOD[adverb.lower()]
        return _PER_YEAR[name], name
    if word := m.group(f"{side}most"):
        name = m.group(f"{side}p1").lower()
        share = (0.7 if word.lower() == "most" else 1.0) * (0.5 if m.group(f"{side}other") else 1.0)
        return share * _PER_YEAR[name], name
    unit: str | None = (m.group(f"{side}p2") or "").lower() or period
    if unit is None:
        return None, None
    count = m.group(f"{side}count").lower()
    times = _TIMES.get(re.sub(r"\s+", " ", count)) or _value(count)
    return times * _PER_YEAR[unit], unit


def _fell_in_frequency(m: re.Match[str]) -> bool:
    before, period = _per_year(m, "a", None)
    after, _ = _per_year(m, "b", period)
    return before is not None and after is not None and after < before


def falls(text: str) -> bool:
    """Whether ``text`` says a number went down."""
    return any(_fell(m) for m in _FROM_TO_RE.finditer(text)) or any(
        _fell_in_frequency(m) for m in _FREQUENCY_FROM_TO_RE.finditer(text))


def falls_after(text: str, end: int) -> bool:
    """Whether a number said to go down follows ``text[:end]`` closely, in its clause."""
    found = [(m, _fell) for m in _FROM_TO_RE.finditer(text, end)]
    found += [(m, _fell_in_frequency) for m in _FREQUENCY_FROM_TO_RE.finditer(text, end)]
    for m, fell in sorted(found, key=lambda f: f[0].start()):
        if m.start() - end > _REACH or any(ch in text[end : m.start()] for ch in ".;:"):
            return False
        if fell(m):
            return True
    return False
