"""Labels that name a concept only where their sentence says what happens to them
(``ldng:cuedLabel``).

A medicine's or a test's name is no claim on its own: "it is fine alongside levothyroxine",
"I take thyroid tablets" and "Thyroid medicines." assert nothing about a thyroid dose
changing. The same name is the claim where the sentence says the medicine changes, is
needed, checked or watched, or names a symptom or a warning about it: "your levothyroxine
may need lowering", "check TSH in anyone on levothyroxine", "make sure whoever prescribes
your thyroid tablets knows". Which labels need such a cue is vocabulary data; the cue is
one general pattern, anywhere in the sentence outside the label itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ldn_graph.matching import TermMatcher
from ldn_graph.model import Concept

# What can happen to a medicine or a test result: a change, a need, a dose, a check, a
# symptom, a warning to someone who must know.
CUE_RE = re.compile(
    r"\b(?:lower\w*|reduc\w*|cut|cutting|adjust\w*|chang\w*|alter\w*|less|fewer|increas\w*|decreas\w*|rais(?:e|ed|es|ing)|"
    r"trim\w*|tweak\w*|halv\w*|drop\w*|fall\w*|fell|(?:come|comes|came|coming|go|goes|went|gone|going)\s+(?:down|up)|"
    r"need\w*|requir\w*|dos(?:e|es|age|ing)|over\w*|too|symptoms?|check\w*|re-?check\w*|monitor\w*|re-?test\w*|tests?|"
    r"testing|blood\w*|measur\w*|baseline|levels?|function|TSH|T4|racing|palpitations?|jittery|shaky|wired|"
    r"tell|told|inform\w*|know|knows|aware|warn\w*)\b",
    re.I,
)

# A dose that names another product by its size ("low-dose naltrexone", "a high dose
# steroid"): an adjective, no dose said of the medicine ("a lower dose of levothyroxine",
# "the levothyroxine dose may need lowering" are).
_ATTRIBUTIVE_DOSE_RE = re.compile(
    r"\b(?:low|lower|high|higher|full|small|single|standard|double|ultra-low)[\s-]+dos(?:e|es|ed)\b"
    r"(?=\s+(?!(?:of|to|for|is|are|was|were|may|might|can|could|will|should|needs?|and|or)\b)[A-Za-z])", re.I)


def cued_hits(matcher: TermMatcher | None, text: str, named: set[str],
              by_iri: Mapping[str, Concept]) -> tuple[list[tuple[Concept, int, int]], set[str]]:
    """The cued labels ``matcher`` finds in the sentence ``text`` for concepts not already
    ``named`` (IRIs): those whose sentence has a cue outside the label, as the vocabulary's
    own concepts (``by_iri``), and the names of all the concepts found, cued or not."""
    if matcher is None:
        return [], set()
    hits: list[tuple[Concept, int, int]] = []
    seen: set[str] = set()
    cues = _ATTRIBUTIVE_DOSE_RE.sub(lambda m: " " * len(m.group()), text)
    for concept, s, e in matcher.find(text):
        seen.add(concept.name)
        if concept.iri in named or any(c.iri == concept.iri for c, _, _ in hits):
            continue
        if CUE_RE.search(cues[:s]) or CUE_RE.search(cues, e):
            hits.append((by_iri[concept.iri], s, e))
    return hits, seen
