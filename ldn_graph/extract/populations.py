"""A condition that only names who gets a harm is no indication.

"Some people with Hashimoto's find they need less thyroid hormone once they are on LDN", "a
few people with MS feel their usual symptoms flare", "if you have Crohn's and take codeine
for diarrhoea, …": the condition names the population of a side effect, a warning or a
check, and the sentence claims the harm or the warning, not that the product is used for
the condition (docs/labelling-guide.md, "A condition that names who gets a harm"). Where
the sentence also says the product helps (a benefit or a mechanism), is for them ("a
low-risk thing to try for people with long COVID"), or that they take it ("plenty of people
with Hashimoto's do"), or names the condition as what it is taken for rather than as a
population ("I take it for my fibro"), the condition stays an indication.
"""

from __future__ import annotations

import re

from ldn_graph.extract.claim_types import claim_type
from ldn_graph.model import Concept
from ldn_graph.terms import ClaimType

# A population before the condition: "people with", "patients who have", "those living with",
# "if you have", "anyone with".
_POPULATION_BEFORE_RE = re.compile(
    r"\b(?:(?:people|patients|those|anyone|someone|women|men|members|users|adults|children|customers|clients)"
    r"\s+(?:\w+\s+)?(?:with|who\s+(?:have|has|live\s+with)|living\s+with)|if\s+you\s+(?:have|live\s+with))"
    r"\s+(?:(?:a|an|the|coexisting|existing|autoimmune|underlying)\s+)*(?:[\w'’-]+\s+){0,2}$",
    re.I,
)
# … unless the product is for them ("a low-risk thing to try for people with long COVID") or
# they take it ("plenty of people with Hashimoto's do", "… who take it").
_FOR_THEM_RE = re.compile(r"\bfor\s+(?:(?:a\s+lot\s+of|many|most|some|lots\s+of|plenty\s+of)\s+)?$", re.I)
_THEY_TAKE_IT_RE = re.compile(r"\W*(?:[\w'’]+\s+){0,2}?(?:do|does|take\s+it|use\s+it|are\s+on\s+it|try\s+it)\b", re.I)
_HARM_TYPES = frozenset({ClaimType.SAFETY, ClaimType.CONTRAINDICATION})
_HELPS_TYPES = frozenset({ClaimType.BENEFIT, ClaimType.MECHANISM})


def without_harm_populations(found: list[tuple[Concept, int, int]], text: str, context: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the indications that only name who gets the harm or warning the
    sentence claims."""
    types = [claim_type(c, text, s, e, context) for c, s, e in found]
    # a harm concept said to lessen is still the harm's ("need less thyroid hormone")
    harms = [t in _HARM_TYPES or c.claim_type in _HARM_TYPES for (c, _, _), t in zip(found, types, strict=True)]
    if not any(harms) or any(t in _HELPS_TYPES and not h for t, h in zip(types, harms, strict=True)):
        return found  # a benefit or a mechanism beside the harm: the product does something for them
    out = []
    for (c, s, e), t in zip(found, types, strict=True):
        population = _POPULATION_BEFORE_RE.search(text, max(0, s - 60), s) if t == ClaimType.INDICATION else None
        if population is None or _FOR_THEM_RE.search(text, max(0, population.start() - 40), population.start()) \
                or _THEY_TAKE_IT_RE.match(text, e):
            out.append((c, s, e))
    return out
