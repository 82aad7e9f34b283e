"""Someone doing an everyday thing again: a return to daily life.

A sentence about the product that says someone can do an everyday thing again ("I can walk
the dog again", "she went back to choir"), gets through a whole day or week ("I managed a
full week at work") or has a part of life back ("it gave me my afternoons back") names the
vocabulary's ``ldng:regainedActivity`` concept (the LDN vocabulary's quality of life),
beside whatever else the sentence names ("my pain eased and I can walk the dog again"). A
harm or a worse day coming back ("the dreams started again") is no return, and a mental
task done again ("I can follow a novel again") is the thinking that came back (the
vocabulary names it as cognition), not daily life.
"""

from __future__ import annotations

import re

from ldn_graph.text import same_clause

# "I can walk the dog again", "I'm gardening again", "she went back to choir", "back in the garden".
_AGAIN = (
    r"(?:\b(?:can|could|able to|managed to|am|is|are|was|were|have been|started|having)|['’](?:m|s|re|ve been))\s+(?:[\w'-]+\s+){0,10}?again\b"
    # "made an afternoon's gardening possible again"
    r"|\bmade\s+(?:[\w'’-]+\s+){1,6}?possible\s+again\b"
    r"|(?:\b(?:I|we|she|he|they)\b[^.;,:]{0,40}?|\band\s+)(?:went|got|am|'m|was|is|are|get|getting|go|going|been)\s+back\s+"
    r"(?:(?:in|at|to|on)\s+(?:the\s+|my\s+|her\s+|his\s+)?[\w-]+|(?:running|working|teaching|driving|swimming|cycling|dancing|gardening)\b)"
)
# A whole day or week got through: "I managed a full week at work", "got through a whole
# semester", "I can do a full day at the office", "teach a full morning".
_WHOLE_SPAN = (
    r"\b(?:get|gets|got|getting|manage|manages|managed|managing|do|does|did|doing|done|teach|work|worked|make it)\s+"
    r"(?:through\s+)?(?:a|the|an)\s+(?:full|whole|entire)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:day|days|week|weeks|morning|afternoon|evening|shift|shifts|semester|term|weekend|Saturday|Sunday)\b"
)
# A part of life given back: "it gave me my afternoons back", "got my Saturdays back",
# "has given them their lives back", "gave her mornings back".
_BACK = (
    r"\b(?:got|get|gets|getting|gave|give|gives|given|giving)\s+(?:(?:me|her|him|them|us|you)\s+|"
    r"(?:(?:me|her|him|them|us|you)\s+)?(?:my|her|his|their|our|your)\s+)(?:[\w'-]+\s+){1,4}?back\b"
)
# Two everyday things in one day, or more done in one: "I can do a morning in the garden and
# still cook tea", "they can simply do more on an ordinary day".
_AND_STILL = r"\b(?:can|could|able\s+to|managed\s+to)\s+(?:[\w'’(),-]+\s+){1,14}?and\s+still\s+[\w'’-]+(?:\s+[\w'’-]+){0,2}"  # (what follows "still" may be a harm)
_DO_MORE = (
    r"\b(?:can|could|able\s+to)\s+(?:simply\s+|just\s+|now\s+)?do\s+"
    r"(?:(?:a\s+(?:lot|bit|little|great\s+deal)|much|so\s+much|far)\s+)?more\b(?!\s+(?:harm|damage|than)\b)"
)
REGAINED_RE = re.compile("|".join((_AGAIN, _WHOLE_SPAN, _BACK, _AND_STILL, _DO_MORE)), re.I)

# … but not when denied ("I still couldn't get through a whole day"), nor a harm or a worse
# day coming back: the harm is the subject or inside the phrase ("the dreams started again",
# "I could feel the pain again", "my head was foggy again"), not a benefit named before it
# ("my pain eased and I can walk the dog again").
_DENIAL_RE = re.compile(r"\b(?:not|never|no)\b|n't\b", re.I)
_HARM_RE = re.compile(
    r"\b(?:pain|ache|aching|flare\w*|dreams?|symptoms?|side effects?|worse|relapse\w*|sick|tired|"
    r"foggy|exhausted|flat|stuck|bed|sofa|doctor|GP|clinic|hospital|dose|previous|earlier|lower|square one)\b", re.I)

# A mental task done again is the thinking that came back: "follow a TV plot again", "read
# a chapter again", "concentrate at work again".
_MENTAL_TASK_RE = re.compile(
    r"\b(?:follow|read|reading|concentrate|concentrating|focus|focusing|think|thinking|remember|keep track)\b", re.I)


def regained_span(text: str) -> tuple[int, int] | None:
    """Where ``text`` says someone does an everyday thing again, or ``None``.

    A denial or harm counts in its own clause only ("I'm not fixed, but I can … again").
    """
    for m in REGAINED_RE.finditer(text):
        if _MENTAL_TASK_RE.search(m.group()):
            continue
        denials = (*_DENIAL_RE.finditer(text, max(0, m.start() - 30), m.end()),
                   *_HARM_RE.finditer(text, max(0, m.start() - 12), m.end()))
        if not any(same_clause(text, d.start(), m.start()) for d in denials):
            return m.start(), m.end()
    return None
