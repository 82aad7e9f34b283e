"""The words abstracts report a result with: no effect ("did not differ", "comparable to
placebo", "the point estimate favoured"), a finding then qualified as not significant, and
a result that went the wrong way ("worsened", "more frequent with the drug than with
placebo"). Data for :func:`judge.abstract.direction_of`; no logic of their own."""

from __future__ import annotations

import re

__all__ = ["CI_RE", "NEGATIVE_RE", "NOT_THE_LITERATURE", "NULL_RE", "QUALIFIED_NULL_RE"]

#: After "comparable to", "similar to": not the literature ("comparable to previous
#: studies" compares with other work; no arm of the study is on a par).
NOT_THE_LITERATURE = (
    r"(?!\s+(?:those\s+(?:of|in|reported\s+(?:in|by))\s+)?(?:the\s+)?(?:previous(?:ly)?|prior|earlier|other|published|historical)\b)"
)

NULL_RE = re.compile(
    r"\b(no (?:statistically )?significant (?:difference|effect|improvement|benefit|change|reduction|association)s?|"
    r"(?:did|does|do) not (?:significantly )?(?:improve|reduce|differ|change|alter|decrease|increase|relieve|lower|vary|"
    r"affect|prolong|shorten|extend|enhance|lessen|ease|prevent|protect|delay|slow|predict)|"
    r"(?:was|were|is|are) not (?:an? )?(?:significant |independent )?predictors?\b|no (?:detectable|measurable|appreciable|discernible)\b|"
    r"(?:was|were|remained) (?:\w+ )?stable\b|(?:has|have) been elusive|remains? elusive|(?:is|are|was|were) not subject to\b|"
    r"\bwithout (?:a |any )?(?:statistically )?significant (?:loss|difference|change|increase|decrease|reduction|gain|improvement)s?\b|"
    r"\bno\s+(?:[\w-]+\s+){1,3}(?:was|were)\s+(?:isolated|found|detected|observed|seen|identified)\b|"
    r"(?:is|are|was|were) (?:comparable|similar) (?:in|between|among|across|for)|no (?:significant )?difference|"
    r"(?:similar|comparable) (?:\w+ ){0,3}(?:in|between|among|across) (?:both|the two|all)\b|"
    r"(?:is|are|was|were) not (?:strongly )?support(?:ive|ed)|does not support|"
    r"confidence intervals? (?:included|includes|crossed|crosses|spanned) (?:the null|one|1)|"
    r"(?:was|were|is|are) not (?:significantly )?(?:effective|efficacious|superior|better|associated|different|improved|reduced)|"
    r"no (?:such |clinical |therapeutic |additional |added |further |incremental |extra |differential |measurable |discernible |"
    r"detectable |appreciable |apparent )?(?:benefit|effect)|(?:was|were|are|is) (?:statistically |clinically )?equivalent\b|"
    r"\bsimilar (?:rates?|incidences?|proportions?|frequenc(?:y|ies)|numbers?)\s+of\b|failed to (?:show|demonstrate|improve|reduce)|"
    r"not (?:more )?effective|ineffective|no evidence (?:of|for) (?:efficacy|benefit|an effect)|"
    r"(?:little|limited|insufficient|scant|inadequate) evidence\b|no evidence (?:to support|supporting)|"
    r"(?:similar|comparable) (?:to|with) placebo|did not reach (?:statistical )?significance|"
    r"(?:was|were) of (?:a )?(?:similar|comparable) (?:size|magnitude)|no more (?:frequent|common|often|likely)\w*\b[^.;]{0,40}?\bthan|"
    r"(?:improved|fell|declined|decreased|increased|rose)\b[^.;]{0,60}?\bwith both \w+(?:\s\w+)? and (?:placebo|sham)|"
    r"(?:is|are|was|were) (?:comparable|similar|equivalent) (?:to|with)\b"
    # … but not "comparable to previous studies": a comparison with the literature, no null arm
    + NOT_THE_LITERATURE + r"|"
    r"non-?significantly different|"
    r"(?:was|were) not (?:statistically )?significant|"
    # the other ways abstracts say nothing changed: "had no impact on", "did not result in a
    # lower …", "offered no advantage", "remained unchanged", "not significantly associated"
    r"no (?:significant |measurable |clinically (?:important|relevant|meaningful) )?(?:impact|advantage)|"
    r"(?:did|does|do) not (?:(?:seem|appear) to )?(?:lead to|result in|yield|confer|offer|provide|show|demonstrate|produce|elicit|cause|induce|"
    r"trigger|evoke|raise|modify|influence)|"
    r"no (?:significant |clear |apparent )?(?:relationship|association|correlation|link)s? (?:between|with|to)|"
    # (not the reason some stopped: "stopped the drug, most often for lack of benefit")
    r"(?:poor|weak) correlations?|(?<!for )(?<!of )lack of (?:efficacy|effect|benefit|improvement)|"
    r"not (?:significantly |substantially |markedly )?(?:influenced|affected|altered|changed|modified|disturbed|perturbed|"
    r"impaired|reduced|increased|decreased|enhanced|inhibited|prevented|blocked) by|"
    r"\bno (?:gross|obvious|major|overt)\b|\b(?:fallacious|unfounded|refuted|disproven|disproved)\b|"
    r"(?:is|was|are|were) (?:a )?(?:safe |feasible |viable |reasonable |acceptable )?alternatives? to|"
    r"failed to (?:reach|achieve|affect|alter|change|prevent|lower|increase|decrease|prolong|shorten)|"
    r"(?:was|were|remained) (?:unchanged|unaffected)|argue[sd]? against|"
    r"both\b[^.;]{1,60}?\b(?:provided|gave|showed|had|yielded|produced|achieved|performed)\s+(?:\w+\s+)?(?:similar|comparable|equivalent)|"
    r"(?:remained|were|was) (?:within (?:the )?)?normal\b|^\W*normal\b[^.;]{0,80}\b(?:was|were) (?:observed|found|seen|noted|maintained)|null (?:associations?|effects?|findings?|results?)|"
    # (not a condition "that does not respond to standard care")
    r"(?<!that )(?<!which )(?:did|does|do) not respond to|failed to respond to|no response to|unresponsive to|refractory to|"
    r"[Pp][- ]values? (?:\w+ ){0,10}?(?:greater|higher|larger) than 0?\.05|no significant (?:\w+ ){1,2}differences?|(?:provide|offer)s? no support for|"
    r"not significantly (?:different|associated|improved|reduced|increased|decreased|changed|altered|affected)|"
    r"no (?:better|more effective|superior|different|lower|higher|greater|less|smaller|shorter|longer)\b[^.;]{0,40}?\bthan|"
    # "no between-group difference", "no evidence that", "favoured neither arm", "indistinguishable",
    # "the primary outcome was not met", "did not outperform placebo", "occurred equally often"
    r"no (?:significant |statistically significant )?(?:between[- ](?:group|arm)|treatment) differences?|"
    r"no evidence (?:that|of)|favou?red neither|indistinguishable|(?:was|were) not met|(?:did|does|do) not meet|"
    r"(?:did|does|do) not (?:outperform|exceed|surpass|beat)|equally (?:often|frequent\w*|common)|"
    # a difference the study does not call one: "the point estimate favoured active treatment",
    # "numerically greater", "a trend towards" (not "a significant trend")
    r"point estimates? (?:\w+ )?favou?red|numerically (?:better|greater|higher|lower|larger|smaller|favou?red)|"
    r"(?<!significant )trend(?:ed|s)? towards?)\b",
    re.I,
)
#: A finding the same sentence then qualifies as not significant: "…increased risk (OR 2.0),
#: although these confidence intervals included the null".
QUALIFIED_NULL_RE = re.compile(
    r"\b(?:although|though|but|however)\b[^.;]{0,60}?(?:confidence intervals? (?:included|includes|crossed|crosses|"
    r"spanned) (?:the null|one|1)|did not reach (?:statistical )?significance|(?:was|were) not (?:statistically )?"
    r"significant|(?:became|was|were) (?:only )?(?:marginally|borderline) significant)", re.I)
NEGATIVE_RE = re.compile(
    r"\b(worsen(?:ed|ing|s)?|deteriorat(?:ed|ion)|exacerbat(?:ed|es|ing)|negative (?:impact|effect|influence)s? on|"
    r"more (?:frequent|common|often)\w* (?:with|in|on|among) (?:the )?\w+(?: group)? than (?:with |in |on )?(?:the )?placebo|"
    r"increas(?:ed|es|ing) (?:the )?(?:risk|incidence|rate|frequency|occurrence)|higher (?:risk|incidence|mortality)|harmful|"
    r"high (?:rates?|incidence|frequency) of (?:\w+ ){0,2}(?:adverse|side)|"
    r"significantly (?:worse|inferior)|less effective than|(?:was|were|is|are) inferior to|"
    r"(?:cannot|could not|can not) be (?:reliably|accurately|validly)|(?:is|was|are|were) (?:not reliable|unreliable|inaccurate)|"
    r"poorer (?:outcomes?|results?|survival|responses?)|"
    r"(?:reduced|diminished|decreased|poor|limited) (?:efficacy|effectiveness)|"
    r"(?:resulting|resulted|results) in (?:an? )?(?:\w+ ){0,2}(?:injury|damage|toxicity|failure))\b",
    re.I,
)
#: A confidence interval as abstracts write it, with its level: "95% CI -0.5 to 1.1",
#: "(95% confidence interval, 0.9-2.8)", "95% CI −1.3 to −0.3" (no result of its own).
CI_RE = re.compile(r"(?:\d{2}(?:\.\d)?\s?%\s*)?(?:CI|confidence intervals?)\b[:\s]*[\d.,%\s–−-]*(?:to\s*[–−-]?[\d.,%]+)?", re.I)
