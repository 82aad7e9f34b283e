"""What a claim says against what its study is (``judge.claim_fit``): a claim about people
with one condition resting on a study of others (``condition_not_studied``: the condition
the claim names, found after its concept's words or opening the sentence, against the
words of the record), a claim said as settled on weak or preclinical work, and a study
whose only randomised trials are the ones it calls for. The records here are synthetic
(PMIDs 9000003xx, "Synthetic J")."""

from __future__ import annotations

from pathlib import Path

import pytest
from judgement_helpers import audited_with, judged, synthetic_study

from ldn_graph.judge.claim_fit import condition_not_studied, overstatement
from ldn_graph.judge.study_check import is_uncontrolled
from ldn_graph.model import Claim
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.terms import ClaimType, EvidenceLevel, FindingKind

VOCAB = load_vocabulary()
FATIGUE = next(c for c in VOCAB.concepts if c.name == "Fatigue")
FIBRO_RECORD = ("Low-dose naltrexone for fatigue in fibromyalgia: a randomized crossover trial. "
                "Women with fibromyalgia took low-dose naltrexone or placebo; fatigue fell with naltrexone. "
                "Fibromyalgia Naltrexone Humans")


def _claim(text: str, words: str = "fatigue", claim_type: ClaimType | None = None) -> Claim:
    at = text.index(words)
    return Claim("c1", "page.txt", text, 0, len(text), FATIGUE, at, at + len(words), claim_type=claim_type)


@pytest.mark.parametrize(("text", "unstudied"), [
    ("LDN relieves fatigue in multiple sclerosis [1].", "multiple sclerosis"),
    ("LDN relieves fatigue among people with long COVID [1].", "long COVID"),
    ("LDN relieves fatigue for women in labour [1].", "labour"),
    ("In multiple sclerosis, LDN relieves fatigue [1].", "multiple sclerosis"),
    ("If you live with MS, LDN will take the edge off your fatigue [1].", "MS"),
    ("For people with lupus, LDN relieves fatigue [1].", "lupus"),
    # the concept's own vocabulary is no condition, wherever it stands ("fatigue" in "chronic fatigue")
    ("In chronic tiredness, LDN relieves fatigue [1].", None),
    ("LDN relieves fatigue in eight of ten patients [1].", None),  # a count is no condition
    ("LDN relieves fatigue in everyday life [1].", None),
    # right after the concept's words
    ("LDN relieves the fatigue of rheumatoid arthritis [1].", "rheumatoid arthritis"),
    ("LDN eases the fatigue that comes with lupus [1].", "lupus"),
    ("LDN eases fatigue caused by endometriosis, doctors say [1].", "endometriosis"),
    ("LDN eases the fatigue of the gut [1].", None),  # a place, not a condition
    # … or after the rest of the concept's noun phrase, but not across "and", "with" …
    ("LDN relieves the fatigue and pain of diabetic neuropathy [1].", None),
    ("LDN relieves the crushing fatigue spells of diabetic neuropathy [1].", "diabetic neuropathy"),
    ("LDN relieves fatigue along with the pain of neuropathy [1].", None),
    ("LDN eases the fatigue of fibromyalgia [1].", None),
    # the record names the condition, or some word of it
    ("LDN relieves fatigue in fibromyalgia [1].", None),
    ("LDN relieves fatigue in women with fibromyalgia syndrome [1].", None),
    ("LDN relieves fatigue in Fibromyalgia [1].", None),
    ("LDN relieves fatigue in juvenile fibromyalgia [1].", None),
    # words that name no condition, and phrases that are no population
    ("LDN relieves fatigue in patients [1].", None),
    ("LDN relieves fatigue in chronic sufferers [1].", None),
    ("LDN relieves fatigue in the morning [1].", None),
    ("LDN relieves fatigue in 12 weeks [1].", None),
    ("LDN relieves fatigue in most trials [1].", None),
    ("LDN relieves fatigue in mice [1].", None),
    ("LDN relieves fatigue in the mouse brain [1].", None),
    ("LDN relieves fatigue in cell cultures [1].", None),
    ("LDN relieves fatigue in reducing flares [1].", None),
    ("LDN relieves fatigue in nearly half [1].", None),
    ("LDN cut fatigue roughly in half [1].", None),  # how much, not in whom
    ("LDN relieves fatigue in ten cases [1].", None),
    ("LDN relieves fatigue in conditions such as lupus [1].", None),  # examples, not the claim's people
    # the condition must end its clause: a longer run of words is no condition
    ("LDN relieves fatigue in lupus than anything else [1].", "lupus"),
    ("LDN relieves fatigue in narcolepsy type one sufferers everywhere today [1].", None),
    ("LDN keeps fatigue in check [1].", None),
    # "for" names a condition only after the people it is for
    ("LDN is a good choice for fatigue for busy parents [1].", None),
    # the concept's own words are not the condition
    ("LDN relieves fatigue in fatigue syndromes [1].", None),
])
def test_the_condition_a_claim_names_and_whether_the_record_names_it(text: str, unstudied: str | None) -> None:
    assert condition_not_studied(_claim(text), FIBRO_RECORD) == unstudied


def test_the_concepts_own_words_are_not_its_condition_even_where_the_record_words_them_otherwise() -> None:
    record = "Naltrexone in fibromyalgia: exhaustion scores fell."
    assert condition_not_studied(_claim("LDN relieves fatigue in fatigue syndromes [1]."), record) is None


def test_only_claims_of_benefit_indication_or_mechanism_name_a_condition() -> None:
    text = "LDN can bring on fatigue in multiple sclerosis [1]."
    assert condition_not_studied(_claim(text, claim_type=ClaimType.SAFETY), FIBRO_RECORD) is None
    assert condition_not_studied(_claim(text), "") is None  # no record text: nothing to compare
    assert condition_not_studied(_claim(text), FIBRO_RECORD) == "multiple sclerosis"


def test_a_claim_about_another_condition_is_supported_overstated_and_says_why(tmp_path: Path) -> None:
    record = synthetic_study(
        "900000301", "low-dose naltrexone for fatigue in fibromyalgia, a randomized trial",
        ("METHODS", "We randomized 60 women with fibromyalgia to low-dose naltrexone or placebo for 12 weeks."),
        ("RESULTS", "Fatigue fell more with low-dose naltrexone than with placebo (p=0.01)."),
    )
    doc, _claim_found, assessment = judged(tmp_path, "LDN reduces fatigue in multiple sclerosis [1].", "Fatigue", record)
    assert str(assessment.verdict) == "supported"
    assert "multiple sclerosis, which the study never names" in assessment.reason
    [over] = [f for f in doc.findings if f.kind == FindingKind.OVERSTATED_CLAIM]
    assert "multiple sclerosis" in over.message
    same = audited_with(tmp_path / "same", "LDN reduces fatigue in fibromyalgia [1].", record.pmid, record)
    assert not [f for f in same.findings if f.kind == FindingKind.OVERSTATED_CLAIM]


@pytest.mark.parametrize(("claim", "level", "uncontrolled", "overstated"), [
    # a verb of effect in the present tense, unhedged, is said as settled
    ("LDN lowers thyroid antibodies in Hashimoto's thyroiditis [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("Starting low prevents the side effects that make people stop [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("LDN puts Crohn's disease in children into remission [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("LDN is an effective treatment for long COVID fatigue [1].", EvidenceLevel.REVIEW, False, True),
    ("LDN reduces inflammation in autoimmune conditions [1].", EvidenceLevel.REVIEW, False, True),
    # … said in the passive, as giving something back, or as a benefit (not the noun)
    ("CRPS pain is reliably reduced by low-dose naltrexone [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("Our LDN gives long COVID patients their get-up-and-go back [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("Low-dose naltrexone benefits people with multiple sclerosis [1].", EvidenceLevel.CLINICAL_TRIAL, True, True),
    ("The benefits of low-dose naltrexone for people with MS were studied [1].", EvidenceLevel.CLINICAL_TRIAL, True,
     False),
    ("LDN benefits for people with MS were studied in a pilot [1].", EvidenceLevel.CLINICAL_TRIAL, True, False),
    ("Veterans with chronic pain need fewer other painkillers once LDN is started [1].", EvidenceLevel.OBSERVATIONAL,
     True, True),
    # a study's finding reported in the past, a hedge, or a controlled trial
    ("In one pilot, pain scores fell on LDN [1].", EvidenceLevel.CLINICAL_TRIAL, True, False),
    ("LDN may lower thyroid antibodies [1].", EvidenceLevel.CLINICAL_TRIAL, True, False),
    ("LDN lowers thyroid antibodies [1].", EvidenceLevel.RCT, False, False),
    # animal work behind a claim about animals says no more than it; behind one about people it does
    ("In mice, the vaccine lowers the parasite burden [1].", EvidenceLevel.PRECLINICAL, False, False),
    ("Fenofibrate is proven to lower endothelin-1 in patients with sickle cell disease [1].",
     EvidenceLevel.PRECLINICAL, False, True),
    ("Fenofibrate lowers endothelin-1 in sickle cell disease [1].", EvidenceLevel.PRECLINICAL, False, True),
    ("LDN calms overactive immune cells in people with MS [1].", EvidenceLevel.PRECLINICAL, False, True),
    ("When you take LDN, it blocks TLR4 on the immune cells of your brain [1].", EvidenceLevel.PRECLINICAL, False, True),
])
def test_what_is_said_as_settled_against_the_best_evidence(claim: str, level: EvidenceLevel, uncontrolled: bool,
                                                           overstated: bool) -> None:
    hedged = "may" in claim.split()
    assert (overstatement(claim, hedged, level, uncontrolled) is not None) is overstated


def test_a_call_for_trials_is_no_design_of_the_study_itself() -> None:
    pilot = synthetic_study(
        "900000302", "low-dose naltrexone after COVID-19, an open-label pilot study",
        (None, "In this open-label pilot, 38 adults took low-dose naltrexone; there was no control group. "  # type: ignore[arg-type]
               "Fatigue fell from 24 to 16. These findings justify randomised placebo-controlled trials."),
    )
    assert is_uncontrolled(pilot)
    for call in ("call for", "pave the way for", "merit", "deserve"):
        text = f"In this open-label pilot, fatigue fell. These findings {call} randomised controlled trials."
        assert is_uncontrolled(synthetic_study("900000303", "a pilot", (None, text))), call  # type: ignore[arg-type]
    for text in ("Knowledge scores rose in 81 patients; there was no control group.",
                 "A quasi-experimental study: knowledge scores rose from 44 to 70."):
        assert is_uncontrolled(synthetic_study("900000306", "leaflets", (None, text)))  # type: ignore[arg-type]
    now = "In this open-label pilot, fatigue fell; randomised, placebo-controlled trials are now required."
    assert is_uncontrolled(synthetic_study("900000305", "a pilot", (None, now)))  # type: ignore[arg-type]
    planned = "In this open-label pilot, fatigue fell. Randomised controlled trials are planned."
    assert is_uncontrolled(synthetic_study("900000304", "a pilot", (None, planned)))  # type: ignore[arg-type]
