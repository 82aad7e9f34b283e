"""Which way a text says something moved: up ("increases", "prolongs", "higher") or down
("reduces", "shortens", "lower"), by its words of change."""

from __future__ import annotations

import re

__all__ = ["polarity"]

_UP_RE = re.compile(r"\b(better|increas\w*|rais\w*|elevat\w*|prolong\w*|lengthen\w*|higher|more|longer|greater|faster|"
                    r"bigger|larger|sooner|quicker|speeds? up|sped up|steps? up|stepped up|ramps? up|ramped up|accelerat\w*|hasten\w*|"
                    r"boost\w*|enhanc\w*|enlarg\w*|widen\w*|expand\w*|steeper|deeper|wider|thicker|stronger|heavier)\b", re.I)
_DOWN_RE = re.compile(r"\b(decreas\w*|reduc\w*|lower\w*|shorten\w*|shorter|smaller|slower|slows?|slowed|cut|cuts|"
                      r"less|fewer|delay\w*|diminish\w*|blunt\w*|attenuat\w*|eas(?:e|es|ed|ing)|alleviat\w*|lessen\w*|"
                      r"narrow\w*|shrink\w*|shrank|flatter|flatten\w*|shallower|thinner|weaker|lighter)\b", re.I)

# "more", "less", "greater" saying how much a change went, not which way: "reduced pain more
# than placebo", "improved more with LDN", "attenuated to a greater degree".
_DEGREE_RE = re.compile(r"(?:more|less|greater|lesser)(?=\s*(?:$|[^\w\s]|(?:than|with|in|on|during|after|at|among|for|"
                        r"from|over|compared|versus|vs|degree|extent)\b))", re.I)
_CHANGE_RE = re.compile(r"\b(?:improv\w*|worsen\w*|eas(?:e|es|ed|ing)|reliev\w*)\b", re.I)


def polarity(text: str) -> int:
    """+1 when ``text`` says something went up (increases, prolongs, higher), -1 when down
    (reduces, shortens, lower), by the word of either kind nearest its end (the one that
    governs a concept named there: "shortens FIs and increases DFs" is up for DFs); 0 when
    none. After a verb of change, "more", "less" or "greater" says how much it changed
    ("reduced pain more than placebo"), not which way."""
    words = [(m.start(), m.end(), 1) for m in _UP_RE.finditer(text)] + [(m.start(), m.end(), -1) for m in _DOWN_RE.finditer(text)]
    changes = sorted([w[0] for w in words] + [m.start() for m in _CHANGE_RE.finditer(text)])
    kept = [(end, sign) for start, end, sign in words
            if not (_DEGREE_RE.match(text, start) and any(c < start for c in changes))]
    return max(kept, default=(0, 0))[1]
