"""When a stated dose claims the dose range: not where it belongs to a step of a schedule,
to one person or to one study.

"Start at 1.5 mg and go up by 1.5 mg every fortnight", "Weeks 1–2: 1.5 mg", "I started on
1.5 mg and crept up to 4.5 mg": where a sentence names the vocabulary's schedule-steps
concept (``ldng:doseSteps``), its doses are the steps', and a concept named by its dose
range (``ldng:doseFromMg``) is claimed only where the sentence also states the product's
dose in general: a bound ("no more than 4.5 mg", "up to a maximum of"), a usual or target
dose, the strengths it is made in, or a range that is no step's ("it is taken at 1.5–4.5
mg; start low"). Outside a schedule, one person's dose ("I've been on 3 mg for five months",
"she takes 4.5 mg each night") or one study's ("on 4.5 mg a day, participants reported …")
is the setting of what the sentence claims, not a claim about the product's dose; so is a
dose given as a price's or a liquid's measure ("a 90-day supply at 4.5 mg is $72", "every mL
contains 1 mg"). The convention is the corpus's: docs/labelling-guide.md, "Doses".
"""

from __future__ import annotations

import re

from ldn_graph.extract.claim_types import clause_before
from ldn_graph.matching import DOSE_EXPRESSION_RE, stated_doses
from ldn_graph.model import Concept
from ldn_graph.text import fold

# Words that make a sentence state the product's dose in general, beside its steps or a
# person's or study's own dose.
_GENERAL_DOSE_RE = re.compile(
    r"\b(?:maximum|max|ceiling|at\s+most|no\s+(?:more|higher)\s+than|not\s+(?:more|higher)\s+than|"
    r"(?:not|never)\s+(?:exceed|go\s+(?:above|beyond|past))|beyond|upper\s+limit|"
    # a usual dose, not a usual start or plan: "the usual maintenance dose", "usually between 1.5 and 4.5 mg"
    r"(?:usual|typical|standard|common)\s+(?!(?:start|first|initial|plan|approach|stepped)\w*)(?:[\w-]+\s+)?"
    r"(?:dose|doses|dosage|range|amount|strength|ceiling|maximum)|"
    r"(?:usually|typically|normally|generally)\s+(?:to\s+)?(?:between|around|about|at|up\s+to|\d)|"
    # (a target or a dose settled on with its number: "a target of 4.5 mg", not "until they reach
    # their target dose", "unable to settle at night")
    r"maintenance|target\W+(?:dose\W+)?(?:of\s+|is\s+|was\s+)?(?:about\s+|around\s+)?(?:\d|one|two|three|four|five)|"
    r"(?:mg|milligrams?|ml)\b\)?[\s|:,–-]{1,6}target\b|"  # "4.5 mg | Target dose"
    r"aim(?:s|ing)?\s+(?:for|at)|end(?:s|ed)?\s+up\s+(?:on|at|somewhere|between)|strengths?|"
    # where most people stay: "4.5 mg, which is where most people end up", "the dose most of our
    # patients settle on", "Many people stay here", "the dose used in most earlier studies"
    r"(?:most|many)\s+(?:of\s+(?:our|the|my|these)\s+)?(?:people|patients|users|customers|adults|members)\s+"
    r"(?:(?:will|would|seem\s+to|tend\s+to)\s+)?(?:end\s+up|settle|stay|land)|"
    r"\bused\s+in\s+most\s+(?:[\w-]+\s+)?(?:studies|trials))",
    re.I,
)
# … or the dose people settle on, said of people in general ("most people settle on 4.5 mg",
# "usually settling at 3 mg"), not of one person or a study's count ("until I settled at 3 mg",
# "Settled on 3 mg in the mornings", "Fourteen settled at 3 mg"): a general word in its clause.
_SETTLED_RE = re.compile(
    r"settl(?:e|es|ed|ing)\s+(?:on|at)\s+(?:(?:a|the|about|around)\s+)?(?:\d|one|two|three|four|five|half|dose|lower|higher)|"
    r"settl(?:e|es|ed|ing)\s+happily", re.I)
_GENERAL_SUBJECT_RE = re.compile(
    r"\b(?:most|many|plenty|some|a\s+lot|lots|few|several|everyone|everybody|people|patients|adults|users|customers|"
    r"members|you|usually|typically|often|generally|commonly|normally)\b", re.I)


def _settled_in_general(text: str) -> bool:
    return any(_GENERAL_SUBJECT_RE.search(clause_before(text, m.start())) for m in _SETTLED_RE.finditer(text))


# … or the forms it is made in ("made up in 0.5 mg to 4.5 mg capsules"), unless the dose is
# someone's or a liquid's measure ("she takes 4.5 mg each night, made up as a capsule", "made
# up at 1 mg in every mL").
_MADE_IN_RE = re.compile(r"\b(?:made|compounded|prepared|available|supplied|come|comes)\s+(?:\w+\s+){0,3}?(?:in|from|as)\b", re.I)


# Someone's own dose: a sentence in the first or third person singular, or a time spent on
# a dose ("Eight months on 4.5 mg.", "has been on 3 mg", "still on 3 mg").
_PERSON_RE = re.compile(
    r"\b(?:i|i['’](?:m|ve|d)|my|me|he|she|his|her|him)\b"
    r"|\b(?:days?|weeks?|months?|years?)\s+(?:in\s+)?on\b|\bbeen\s+on\b|\b(?:still|now)(?:\s*:)?\s+(?:on\s+)?\d", re.I)
# One study's dose: a sentence reporting a study (not "most studies used 4.5 mg").
_STUDY_RE = re.compile(
    r"\b(?:trial|pilot|participants|cohort|median|randomi[sz]ed|placebo|enrolled|subjects|volunteers)\b"
    r"|\b\d+\s+(?:women|men|adults|children|people|patients)\b"
    r"|(?<!\bmost )(?<!\bmost of the )\bstud(?:y|ies)\b", re.I)
# A dose given as a price's or a liquid's measure: "a 90-day supply at 4.5 mg is $72", "every
# mL contains 1 mg" — no statement of the dose range either.
_PRICE_OR_MEASURE_RE = re.compile(r"[$£€]\s?\d|\bcosts?\b|\b(?:ml|millilit(?:re|er)s?)\b", re.I)


# Between a step's mention and a dose right after it ("Starting dose: often 0.5 mg to 1.5 mg"):
# punctuation and a hedge, nothing else. The step's words are the vocabulary's labels.
_AFTER_STEP_RE = re.compile(r"\W{0,3}(?:\s*(?:often|usually|typically|about|around|roughly|perhaps|just))?\s*", re.I)
# … or a dose a start is said at, in a sentence that names steps: the first step's ("start you
# on a very small amount, often 0.5 mg or 1 mg, and raise it slowly", "start lower, at 0.5 mg
# to 1.5 mg, and build up").
_STARTED_AT_RE = re.compile(r"\b(?:start|starts|starting|started|begin|begins|beginning|began)\b[^.;:!?]{0,50}$", re.I)


def without_particular_doses(found: list[tuple[Concept, int, int]], text: str) -> list[tuple[Concept, int, int]]:
    """``found`` without the dose-range mentions whose dose is a step's, one person's or one study's."""
    if not any(c.dose_range for c, _, _ in found) or _GENERAL_DOSE_RE.search(text) or _settled_in_general(text) or (
            _MADE_IN_RE.search(text) and not _PERSON_RE.search(text) and not _PRICE_OR_MEASURE_RE.search(text)):
        return found
    folded = fold(text)  # offsets kept; "0.5–1.5 mg" read as "0.5-1.5 mg"
    steps = [(s, e) for c, s, e in found if c.dose_steps]
    if steps:
        return [(c, s, e) for c, s, e in found if not (c.dose_range and _steps_dose(folded, s, e, steps))]
    if not (_PERSON_RE.search(text) or _STUDY_RE.search(text) or _PRICE_OR_MEASURE_RE.search(text)
            or _SETTLED_RE.search(text)):  # a settling not said of people in general is someone's
        return found
    return [(c, s, e) for c, s, e in found if not (c.dose_range and _single_dose(folded, s, e))]


def _single_dose(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]`` is one dose: no range ("between 1.5 and 4.5
    mg" states the range), no label ("a tenth of the usual dose")."""
    return bool(DOSE_EXPRESSION_RE.fullmatch(text, start, end)) and len(stated_doses(text[start:end])) < 2


def _steps_dose(text: str, start: int, end: int, steps: list[tuple[int, int]]) -> bool:
    """Whether the mention ``text[start:end]`` is a dose that belongs to a step: inside a
    step's mention or right after it (even a range: "start at 0.5–1.5 mg"), a dose a start is
    said at, or a single dose (no range) in a sentence that names steps."""
    if not DOSE_EXPRESSION_RE.fullmatch(text, start, end):
        return False  # a label ("a tenth of the usual dose") states the range itself
    return (any(s <= start and end <= e or (e <= start and _AFTER_STEP_RE.fullmatch(text, e, start)) for s, e in steps)
            or _single_dose(text, start, end) or bool(_STARTED_AT_RE.search(text, max(0, start - 60), start)))
