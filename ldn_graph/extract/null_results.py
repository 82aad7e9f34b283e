"""Null results: a sentence reporting that the product made no difference.

Its benefits, indications and mechanisms are a null result, not claims: "noticed no
difference", "hasn't changed the course of her MS", "effects on sleep were less clear",
"the research on LDN in MS is small and mixed", "for ME/CFS there are mostly case reports";
so is research still to come ("a trial in CRPS has been registered", "still needed: large
trials in MS", "LDN deserves proper trials in ME/CFS"), and a study's limitation stated with
no finding ("there was no comparison group, and long COVID often gets better on its own").
Evidence said to be thin but to show something ("limited to case reports, in which some
patients responded", "small but encouraging") is a weak claim, no null result, and so is a
relative clause on how well a condition's use is studied ("… lupus, where the evidence is
thinner"); a trial still missing after a finding ("small open studies suggesting less fatigue,
and no large trial has been done yet") only says how far the finding goes.
"""

from __future__ import annotations

import re

# What reports a null result.
NULL_RESULT_RE = re.compile(
    r"\b(?:noticed|saw|felt|found|made|makes|make)\s+(?:no|little|zero)\s+(?:real\s+|big\s+|meaningful\s+|clear\s+)?(?:difference|change)\b"
    r"|\b(?:found|saw|see|find)\s+no\s+evidence\s+(?:that|of)\b"
    # "I can't say my fatigue is any different", "I couldn't see any change in my energy"
    r"|\b(?:can't|cannot|couldn't|could not)\s+(?:really\s+|honestly\s+)?(?:see|notice|say|tell)\b[^.;]{0,40}?"
    r"\b(?:any|much|a)\s+(?:real\s+)?(?:difference|change|different|better)\b"
    r"|\b(?:haven't|have not|hasn't|has not|didn't|did not|don't|do not)\s+(?:noticed|notice|seen|see|felt|feel|made|make)\s+"
    r"(?:much|any|a)\s+(?:real\s+|big\s+)?(?:difference|change)\b"
    r"|\b(?:has not|hasn't|have not|haven't|did not|didn't|does not|doesn't)\s+(?:changed?|altered?|slow(?:ed)?)\s+the\s+(?:course|progression)\b"
    r"|\bevidence\s+(?:does|did)\s+not\s+(?:yet\s+)?show\b"
    r"|\b(?:has|have)\s+not\s+(?:yet\s+)?been\s+(?:formally\s+|properly\s+)?(?:tested|compared|studied|established|evaluated)\b"
    r"|\b(?:evidence|data|research|studies|trials)\b[^.;]{0,50}?\b(?:is|are|remains?|comes?\s+from|rests?\s+on)\s+"
    r"(?:still\s+|largely\s+|mostly\s+|very\s+|even\s+)?(?:thin\w*|weak|limited|sparse|scarce|anecdot\w*|a\s+handful|"
    r"small|mixed|inconclusive|conflicting|lacking|preliminary)\b"
    # only weak kinds of evidence: "for ME/CFS there are mostly case reports and surveys"
    r"|\b(?:only|mostly|largely|just)\s+(?:case\s+reports?|anecdot\w*|surveys?|case\s+series|patient\s+reports?|retrospective)\b"
    # nobody has shown it: "nobody has shown this in people with long COVID", "I'm not aware of any
    # large trial", "there has never been a trial big enough", "none of this comes from a trial"
    r"|\b(?:nobody|no\s+one)\s+(?:has|have)\s+(?:yet\s+)?(?:shown|proven|proved|tested|studied)\b"
    r"|\bnot\s+aware\s+of\s+any\b|\bnever\s+been\s+(?:a|any)\s+(?:[\w-]+\s+){0,3}(?:trial|study)\b"
    r"|\bnone\s+of\s+(?:this|these|it)\s+comes?\s+from\b"
    r"|\b(?:did not|didn't|does not|doesn't|failed to)\s+separate\s+from\s+placebo\b"
    r"|\b(?:did not|didn't|does not|doesn't)\s+do\s+(?:anything|much|squat|a\s+thing|a\s+lot)\s+for\b"
    r"|\b(?:was|were|is|are|remains?)\s+(?:less\s+clear|unclear|not\s+(?:statistically\s+)?significant)\b"
    # "differences in fatigue did not reach significance", "no significant difference from placebo"
    r"|\b(?:did\s+not|didn't|does\s+not|failed\s+to)\s+reach\s+(?:statistical\s+)?significance\b"
    r"|\b(?:no|non-?)\s*(?:statistically\s+)?significant\s+(?:difference|change|effect|improvement|benefit)\b"
    r"|\bno\s+better\s+than\s+(?:a\s+|the\s+)?(?:placebo|dummy)\b|\b(?:did not|didn't|does not|doesn't)\s+work\b"
    # as on placebo: "no different from placebo", "about the same as on placebo", "did not beat placebo"
    r"|\b(?:no|not)\s+(?:different|lower|higher)\s+(?:from|than)\s+(?:on\s+)?(?:a\s+|the\s+)?placebo\b"
    r"|\b(?:about|roughly|much|largely)\s+the\s+same\s+as\s+(?:on\s+|with\s+)?(?:a\s+|the\s+)?placebo\b"
    r"|\b(?:did not|didn't|does not|doesn't|failed to)\s+beat\s+(?:a\s+|the\s+)?placebo\b"
    r"|\bno\s+(?:clear|obvious|real|measurable|meaningful)\s+(?:effect|benefit|advantage)\b|\b(?:changed|did)\s+little\b"
    # untouched or unchanged: "it didn't touch my MS fatigue", "my antibodies haven't budged",
    # "bowel symptoms were unchanged", "CRP did not change", "not significantly lower"
    r"|\b(?:did not|didn't|does not|doesn't|did)\s+(?:not\s+|even\s+)?touch\b(?=[^.;]{0,60}$|\s+(?:the|my|their|his|her|your)\b)"
    r"|\b(?:haven't|hasn't|have not|has not)\s+(?:budged|moved)\b(?!\s+(?:with|on|despite|after|for)\b)"  # (not "… with the usual medicines")
    r"|\b(?:was|were|remained|stayed|is|are)\s+(?:largely\s+|essentially\s+|basically\s+)?unchanged\b"
    r"|\b(?:did not|didn't)\s+change\b|\bnot\s+significantly\s+(?:lower|higher|better|different|reduced|improved)\b"
    r"|\bnot\s+a\s+proven\s+(?:treatment|therapy|option|remedy)\b"
    # nothing to go on: "we found no trials in lupus", "almost nothing on ulcerative colitis"
    r"|\bfound\s+(?:no|(?:almost|virtually|next\s+to)\s+no)\s+(?:[\w-]+\s+){0,2}(?:trials?|stud(?:y|ies)|evidence)\b"
    r"|\b(?:found|know\s+of)\s+(?:almost|virtually|next\s+to)\s+(?:nothing|no\s+\w+)\s+(?:on|in|about|for)\b"
    r"|\bno\s+controlled\s+(?:clinical\s+)?(?:evidence|trials?|studies)\b"
    # research still to come has no result: "a randomised trial is now being planned", "Still
    # needed: large trials in MS", "a trial in CRPS has been registered", "I'd like to see
    # larger controlled studies", "what we need now are proper trials"
    r"|\b(?:is|are)\s+(?:now\s+|still\s+)?(?:being\s+planned|planned|still\s+running|registered)\b"
    r"|\b(?:has|have)\s+been\s+registered\b|\bstill\s+(?:needed|missing)\b|\bwhat\s+we\s+need\s+(?:now\s+)?(?:is|are)\b"
    r"|\bhopes?\s+to\s+run\b|\bwould\s+(?:like|love)\s+to\s+see\s+(?:\w+\s+){0,2}(?:trials|studies|research)\b"
    r"|\b(?:larger|bigger|proper|longer)\s+(?:[\w-]+\s+){0,2}(?:trials|studies)\s+(?:are|is)\s+(?:still\s+)?needed\b"
    # "LDN deserves proper trials in ME/CFS", "the next step is an adequately powered trial in
    # fibromyalgia", "when the ongoing long COVID trials report", "we know of no completed trial in
    # ME/CFS" (trials "under way" are labelled as the use they test)
    r"|\bdeserves?\s+(?:[\w-]+\s+){0,2}(?:trials?|stud(?:y|ies)|research)\b"
    r"|\bnext\s+step\s+(?:is|would\s+be)\s+(?:an?\s+)?(?:[\w-]+\s+){0,4}(?:trial|study)\b"
    r"|\b(?:ongoing|upcoming)\s+(?:[\w/-]+\s+){0,3}(?:trials?|stud(?:y|ies))\b"
    r"|\bknow\s+of\s+no\b"
    r"|\bnothing\s+(?:has\s+|had\s+|really\s+)?(?:changed|improved|shifted|happened)\b"
    r"|\b(?:did|does|do|has\s+done|had\s+done)\s+nothing\s+(?:at\s+all\s+)?for\b"
    r"|\b(?:there\s+is|there's|we\s+have|has|have)\s+(?:still\s+)?no\s+(?:good\s+|firm\s+|strong\s+|real\s+|reliable\s+)?evidence\s+(?:that|it|LDN)\b"
    r"|\b(?:there\s+is|there's|there\s+are|there\s+have\s+been)\s+(?:still\s+)?no\s+(?:[\w/-]+\s+){0,3}(?:trials?|studies)\b"
    r"|\bno\s+(?:large|big|good|proper|controlled|randomi[sz]ed)\s+(?:[\w/-]+\s+)?(?:trials?|studies)\b"
    r"(?:\s+(?:of|in|on)\s+[\w/-]+(?:\s+[\w/-]+)?)?\s+(?:has|have)\s+(?:yet\s+)?been\b"
    r"|\bnot\s+aware\s+of\s+(?:any\s+)?(?:good\s+|firm\s+|strong\s+|real\s+)?evidence\b"
    r"|\b(?:will|does|do|can|would|did)(?:\s+not|n't)\s+cure\b|\b(?:is|it's)\s+not\s+a\s+cure\b|\bisn't\s+a\s+cure\b"
    # what has not been shown: "Neither mechanism has been proven in long COVID"
    r"|\b(?:has|have)\s+(?:not|never)\s+been\s+(?:proven|shown|demonstrated)\b"
    r"|\bneither\b[^.;]{0,40}\b(?:has|have)\s+been\s+(?:proven|shown|demonstrated)\b"
    # what a study could not find: "could not demonstrate a meaningful difference in pain",
    # "failed to show any benefit", "judged the evidence insufficient to support or refute"
    r"|\b(?:did not|didn't|could not|couldn't|was unable to|were unable to|failed to)\s+(?:find|show|demonstrate|detect|confirm)\s+"
    r"(?:(?:a|any)\s+)?(?:(?:clear|meaningful|significant|convincing|real|consistent)\s+)?(?:difference|benefit|effect|improvement|advantage)\b"
    r"|\bevidence\s+(?:(?:is|was|remains|as)\s+)?insufficient\b"
    # what no study has shown: "No trial has shown that LDN reduces relapses", "no study so far has found"
    r"|\bno\s+(?:[\w-]+,?\s+){0,3}(?:trials?|stud(?:y|ies)|research|evidence|data)\s+(?:(?:so\s+far|yet|to\s+date)\s+)?"
    r"(?:has|have)\s+(?:yet\s+|ever\s+)?(?:shown|proven|proved|demonstrated|found|established|confirmed)\b"
    r"|\b(?:did not|didn't|does not|doesn't)\s+(?:change|improve|differ)\s+significantly\b"
    r"|\b(?:has not|hasn't|have not|haven't|did not|didn't)\s+(?:\w+\s+)?(?:changed|touched|shifted|budged)\s+(?:my|the|her|his|their|your)\b",
    re.I,
)
_THIN_RE = re.compile(
    r"\b(?:thin\w*|weak|limited|sparse|scarce|anecdot\w*|a\s+handful|small|mixed|preliminary|case\s+reports?|surveys?|retrospective)\b", re.I)
_POSITIVE_FINDING_RE = re.compile(
    r"\b(?:in\s+which|where|describing|showing|reporting|suggesting|that\s+(?:showed|reported|described|suggested)|found|showed|reported)\b[^.;]{0,60}?"
    r"\b(?:responded|improv\w*|reduc\w*|better|less|fewer|benefit\w*|eased|relief)\b"
    r"|\bthe\s+(?:strongest|clearest|best|most\s+consistent)\s+(?:signal|evidence|data|results?)\b", re.I)
# … or it is thin but encouraging: "small but encouraging", "small but genuine".
_BUT_POSITIVE_RE = re.compile(r"\W*(?:but|yet)\s+(?:\w+\s+)?(?:encouraging|promising|genuine|positive|real|consistent)\b", re.I)
# A relative clause on a condition's evidence ("… for lupus, where the evidence is thinner",
# "… ME/CFS, for which only retrospective data exist") says how well its use is studied, not
# that it is no use.
_RELATIVE_EVIDENCE_RE = re.compile(r"\b(?:where|for\s+which|in\s+which)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}$", re.I)


# A missing trial, not a finding that failed ("no large trial has been done yet", "larger
# trials are still needed"): after a finding it only says how far the finding goes.
_TRIALS_MISSING_RE = re.compile(r"\b(?:trials?|stud(?:y|ies))\b", re.I)
_NOT_SHOWN_RE = re.compile(r"\b(?:shown|proven|proved|demonstrated|found|established|confirmed|differ\w*|benefit)\b", re.I)


def null_result_starts(text: str) -> list[int]:
    """Where the null results of the sentence ``text`` start (a claim in the same clause is
    none)."""
    return [m.start() for m in NULL_RESULT_RE.finditer(text)
            if not (_THIN_RE.search(m.group()) and (_POSITIVE_FINDING_RE.search(text, m.end())
                                                    or _BUT_POSITIVE_RE.match(text, m.end())
                                                    or _RELATIVE_EVIDENCE_RE.search(text, max(0, m.start() - 40), m.start())))
            and not (_TRIALS_MISSING_RE.search(m.group()) and not _NOT_SHOWN_RE.search(m.group())
                     and _POSITIVE_FINDING_RE.search(text, 0, m.start()))]


# A study's limitation: no comparison group, too few patients, short follow-up, a natural
# course that could explain a change ("There was no comparison group, and long COVID often
# gets better on its own").
_LIMITATION_RE = re.compile(
    r"\b(?:no\s+(?:comparison|control|placebo)\s+(?:group|arm)|without\s+(?:a|any)\s+(?:comparison|control|placebo)\s+(?:group|arm)"
    r"|(?:cannot|can't|could\s+not|couldn't)\s+(?:separate|say\s+how\s+much|distinguish|rule\s+out)|too\s+(?:few|small)\s+to\b"
    r"|follow-up\s+was\s+(?:short|brief)|enrolled\s+only|gets?\s+better\s+(?:gradually\s+)?(?:on\s+its\s+own|anyway)"
    r"|improves?\s+(?:\w+\s+)?on\s+its\s+own|natural\s+(?:course|history|ebb))", re.I)
# … beside a finding, it only qualifies the finding ("an open pilot reported that most improved,
# but it had no placebo group")
_FINDING_RE = re.compile(
    r"\b(?:improv\w*|reported|describ\w*|less|fewer|better|more|remission|respond\w*|falls?|fell|drop\w*|encourag\w*|"
    r"reduc\w*|eased|help\w*|benefit\w*|effects?)\b", re.I)


def only_a_limitation(text: str) -> bool:
    """Whether the sentence ``text`` states a study's limitation and no finding: its
    benefits, indications and mechanisms are no claims."""
    return bool(_LIMITATION_RE.search(text)) and not _FINDING_RE.search(_LIMITATION_RE.sub(" ", text))
