"""A noun the sentence goes on to name: "blocking a receptor called TLR4".

A label's last word may be a general noun brought in with "a" or "an" for an appositive
to name: "blocking a receptor on these cells called toll-like receptor 4" is that receptor,
not the one "receptor blockade" names. Where such a mention is followed by "called",
"known as", "named" or "termed" (with a place between: "on those cells", "on their
surface") and another concept's mention starts right after it, the named concept is what
the sentence speaks of. A noun without the article keeps its own concept: "immune cells
in the brain, known as microglia" names both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ldn_graph.model import Concept

# "a receptor": a noun brought in to be named
_INDEFINITE_RE = re.compile(r"\b(?:a|an)\s", re.I)
# "… on these cells called", ", known as", "on their surface termed the"
_NAMING_RE = re.compile(
    r"(?:\s+(?:on|in|of|at)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?,?\s+(?:called|known\s+as|named|termed)\s+(?:the\s+)?",
    re.I,
)


def without_renamed(found: Sequence[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the mentions whose noun an appositive names as another concept."""
    starts = {s: c.iri for c, s, _ in found}
    kept = []
    for concept, s, e in found:
        m = _NAMING_RE.match(text, e)
        if m and _INDEFINITE_RE.search(text, s, e) and starts.get(m.end(), concept.iri) != concept.iri:
            continue
        kept.append((concept, s, e))
    return kept
