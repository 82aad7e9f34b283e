"""Judging the claim, not the topic: which way a study's result goes, the sentence that
decides it, the design it names for itself, overstated claims and numbers. The records
built here are SYNTHETIC (PMIDs 900000201–900000209, named so in their titles); the
verdict test set in ``tests/verdicts/`` measures the same rules on real abstracts."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from judgement_helpers import audited_with, cache_with, judged, synthetic_study

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.judge.abstract import (
    deciding_sentence,
    design_text,
    direction_of,
    reported_sample_size,
)
from ldn_graph.judge.claim_fit import number_mismatch, overstatement
from ldn_graph.judge.levels import evidence_level
from ldn_graph.model import AbstractSection, MeshHeading, PublicationType, Study
from ldn_graph.ontology.levels import load_level_rules
from ldn_graph.report.html import render_html
from ldn_graph.report.json import render_json
from ldn_graph.report.markdown import render_markdown
from ldn_graph.report.table import render_table
from ldn_graph.terms import Direction, EvidenceLevel


def _decided(matcher: Any, concept: Any, record: Study) -> Any:
    """The sentence of ``record`` that decides a claim of ``concept``, by ``matcher``'s names."""
    return deciding_sentence(record, matcher.names_in(concept, record), matcher.product_in(record))


def _matcher_and(name: str) -> tuple[Any, Any]:
    """The LDN vocabulary's matcher and its concept called ``name``."""
    from ldn_graph.judge.topic import Matcher
    from ldn_graph.ontology.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    [concept] = [c for c in vocab.concepts if c.name == name]
    return Matcher(vocab), concept



@pytest.mark.parametrize(("text", "direction"), [
    ("Pain scores did not differ between naltrexone and placebo (p=0.41).", Direction.NULL),
    ("Fatigue was comparable in all groups.", Direction.NULL),
    ("Headache was more frequent with naltrexone than with placebo.", Direction.NEGATIVE),
    ("Symptoms worsened in the treated group.", Direction.NEGATIVE),
    ("Duration of analgesia was significantly longer in the bupivacaine group.", Direction.NEGATIVE),
    ("Bupivacaine gave a significantly better block than naltrexone.", Direction.NEGATIVE),
    # a magnitude ("longer than naltrexone") says no direction by itself: the claim's own word does
    ("Bupivacaine gave a significantly longer block than naltrexone.", Direction.POSITIVE),
    ("Naltrexone reduced pain compared with placebo.", Direction.POSITIVE),
    ("Duration of analgesia was significantly longer in the naltrexone group.", Direction.POSITIVE),
    ("Pain scored 4.1 with naltrexone versus 4.6 with placebo (P = .37).", Direction.NULL),
    ("Naltrexone had no impact on fatigue scores.", Direction.NULL),
    ("Adding naltrexone did not result in lower pain scores.", Direction.NULL),
    ("Fatigue remained unchanged in both arms.", Direction.NULL),
    ("Naltrexone failed to reach its primary end point.", Direction.NULL),
    ("Naltrexone was no better than placebo for fatigue.", Direction.NULL),
    ("Nausea was no more frequent with naltrexone than with placebo (13% vs 12%).", Direction.NULL),
    ("The improvements in pain with naltrexone and with placebo were of similar size.", Direction.NULL),
    ("Pain fell over 12 weeks with both naltrexone and placebo.", Direction.NULL),
    ("Sleep was worse during the naltrexone phase than during the placebo phase.", Direction.NEGATIVE),
    ("Sleep was worse during the placebo phase than during the naltrexone phase.", Direction.POSITIVE),
    ("Sleep was poorer with naltrexone than with placebo.", Direction.NEGATIVE),
    # a condition "that does not respond to" care, or the reason some stopped, is no null result
    ("Naltrexone may be worth trying in pain that does not respond to standard care.", Direction.POSITIVE),
    ("Pain fell in 54%; 31% stopped the drug, most often for lack of benefit.", Direction.POSITIVE),
    ("The patient did not respond to naltrexone.", Direction.NULL),
    ("There was a lack of benefit of naltrexone.", Direction.NULL),
    # a difference the study does not call one
    ("Naltrexone was safe in CRPS, and the point estimate favoured active treatment.", Direction.NULL),
    ("Pain relief was numerically greater with naltrexone.", Direction.NULL),
    ("There was a trend towards less pain with naltrexone.", Direction.NULL),
    ("There was a significant trend towards less pain with naltrexone (p=0.01).", Direction.POSITIVE),
    # more ways to say nothing changed
    ("WOMAC pain scores improved in both groups with no between-group difference.", Direction.NULL),
    ("There was no evidence that naltrexone reduced fatigue.", Direction.NULL),
    ("Fatigue outcomes favoured neither arm.", Direction.NULL),
    ("Fatigue scores were indistinguishable between groups.", Direction.NULL),
    ("Fatigue was no lower with naltrexone than with placebo.", Direction.NULL),
    ("The primary outcome, fatigue, was not met.", Direction.NULL),
    ("Naltrexone did not outperform placebo on fatigue.", Direction.NULL),
    ("Insomnia occurred equally often with naltrexone and placebo.", Direction.NULL),
    # a confidence interval that takes in no difference (0; 1 for a ratio), with no P value
    ("The between-group difference in fatigue was 0.3 points (95% CI -0.5 to 1.1).", Direction.NULL),
    ("Pain fell (difference −0.8, 95% CI −1.3 to 0.3).", Direction.NULL),
    ("MFIS fell (mean difference -5.8; 95% CI -10.1 to -1.5).", Direction.POSITIVE),
    ("The risk of flares was lower (OR 0.6, 95% CI 0.3-1.2).", Direction.NULL),
    ("The risk of flares was lower (OR 0.6, 95% CI 0.3-0.9).", Direction.POSITIVE),
    # a worsening by arms outranks a judgement on it; a negated worsening does not
    ("Speed was worse after LDN than after placebo, a result that argues against a benefit.", Direction.NEGATIVE),
    ("Speed was not worse after LDN than after placebo, which argues against harm.", Direction.NULL),
    ("Speed was worse after placebo than after LDN; this argues against harm.", Direction.NULL),
    ("Sleep was not significantly associated with the dose.", Direction.NULL),
    ("Naltrexone was inferior to placebo for pain.", Direction.NEGATIVE),
    ("Naltrexone did not elicit hemolysis in red cells.", Direction.NULL),
    ("There was little change and no differential effect of the two doses.", Direction.NULL),
    ("Placebo was more accurate than naltrexone in predicting relapse.", Direction.NEGATIVE),
    # a comparison with the literature is no null arm
    ("Outcomes with naltrexone were comparable to previous studies of opioid blockers.", Direction.POSITIVE),
    ("Naltrexone was a safe alternative to duloxetine in terms of pain and sleep.", Direction.NULL),
    ("Sperm methylation was not influenced by naltrexone.", Direction.NULL),
    ("Poor correlations were observed between naltrexone dose and fatigue (r = 0.12).", Direction.NULL),
    ("A lack of efficacy of naltrexone was reported by most users.", Direction.NULL),
    ("However, reduced efficacy of naltrexone was observed in both groups.", Direction.NEGATIVE),
    ("The naltrexone arm had poorer outcomes at 12 weeks.", Direction.NEGATIVE),
    ("Fatigue scores did not vary significantly across doses of naltrexone.", Direction.NULL),
    ("The analysis yielded consistently null associations with naltrexone use.", Direction.NULL),
    ("The patient did not respond to naltrexone.", Direction.NULL),
    ("The P values for the study sample were found to be greater than 0.05 for all dimensions.", Direction.NULL),
    ("There were no significant and concrete differences between the arms.", Direction.NULL),
    ("For men, both naltrexone and placebo provided similar estimates of fatigue.", Direction.NULL),
    ("Normal liver enzymes were observed in the naltrexone group.", Direction.NULL),
    ("Liver enzymes remained within normal limits with naltrexone.", Direction.NULL),
    ("Naltrexone does not seem to yield any substantial benefit.", Direction.NULL),
    ("Naltrexone exacerbates neuronal death in these conditions.", Direction.NEGATIVE),
    ("Naltrexone use had a significant negative impact on survival.", Direction.NEGATIVE),
    ("There was no discernible effect of naltrexone on postoperative mortality.", Direction.NULL),
    ("Adding naltrexone gave no added benefit for fatigue.", Direction.NULL),
    ("Pain scores with naltrexone and placebo were equivalent.", Direction.NULL),
    ("Both arms had similar rates of nausea.", Direction.NULL),
    ("Naltrexone increased the incidence of nausea.", Direction.NEGATIVE),
    ("Baseline fatigue did not significantly predict the response to naltrexone.", Direction.NULL),
    ("Fatigue was not a significant predictor of response.", Direction.NULL),
    ("Distance vision was stable in all eyes given naltrexone.", Direction.NULL),
    ("The fragment has no detectable antimicrobial activity.", Direction.NULL),
    ("However, no Microsporum species was isolated in any case.", Direction.NULL),
    ("Root resorption cannot be reliably evaluated from panoramic images.", Direction.NEGATIVE),
    ("The older test was unreliable in these patients.", Direction.NEGATIVE),
    ("Providing neuroprotection with naltrexone has been elusive.", Direction.NULL),
    ("Naltrexone-treated cells are not subject to conventional desensitization.", Direction.NULL),
    ("The protein is not significantly disturbed by the binding of naltrexone.", Direction.NULL),
    ("The variant opsins showed no gross structural misfolding.", Direction.NULL),
    ("The old tenet that naltrexone cures fatigue may be revealed as fallacious.", Direction.NULL),
    ("There is little evidence to support naltrexone in chronic fatigue.", Direction.NULL),
    ("We found little evidence to improve practice with naltrexone.", Direction.NULL),
    ("Good evidence supports naltrexone for sleep.", Direction.POSITIVE),
])
def test_which_way_a_result_goes(text: str, direction: Direction) -> None:
    assert direction_of(text, lambda t: "naltrexone" in t.lower()) == direction


PILOT = synthetic_study(
    "900000201", "low-dose naltrexone in a pilot",
    ("BACKGROUND", "Randomized controlled trials of naltrexone in fibromyalgia are scarce."),
    ("METHODS", "In this open-label, single-arm pilot, 12 women took low-dose naltrexone for 8 weeks."),
    ("RESULTS", "Fibromyalgia pain fell by 30% over 8 weeks."),
    ("CONCLUSIONS", "Low-dose naltrexone may ease fibromyalgia pain. Larger randomized controlled trials are needed."),
)


def test_the_design_is_what_the_study_says_of_itself_not_what_it_calls_for() -> None:
    assert "randomized" not in design_text(PILOT).lower().replace("single-arm", "")
    level, reason = evidence_level(PILOT, load_level_rules())
    assert level != EvidenceLevel.RCT, reason
    assert reported_sample_size(PILOT) == 12
    found = deciding_sentence(PILOT, lambda t: "fibromyalgia" in t.lower())
    assert found is not None and found.text == "Low-dose naltrexone may ease fibromyalgia pain."


def test_overstatement_and_its_error_form() -> None:
    weak = overstatement("LDN relieves fibromyalgia pain.", False, EvidenceLevel.CASE_REPORT, False)
    assert weak is not None and not weak.strong and "case_report" in weak.why
    assert overstatement("LDN may relieve fibromyalgia pain.", True, EvidenceLevel.CASE_REPORT, False) is None
    strong = overstatement("LDN cures Crohn's disease.", False, EvidenceLevel.PRECLINICAL, False)
    assert strong is not None and strong.strong and "animal or laboratory" in strong.why
    pilot = overstatement("LDN eliminates fatigue.", False, EvidenceLevel.CLINICAL_TRIAL, True)
    assert pilot is not None and "uncontrolled pilot" in pilot.why
    assert overstatement("LDN relieves pain.", False, EvidenceLevel.RCT, False) is None
    other = overstatement("LDN helps lupus.", False, EvidenceLevel.RCT, False, other_condition="Crohn's disease")
    assert other is not None and "Crohn's disease" in other.why


def test_numbers_that_disagree() -> None:
    abstract = "Attacks fell by 31% (95% CI 20-42) in 120 patients over 12 weeks."
    assert number_mismatch("LDN cut attacks by 70%.", abstract) == (
        "the claim says 70% (share) but the abstract reports 31%")
    assert number_mismatch("LDN cut attacks by 30% in 120 patients.", abstract) is None
    assert "people" in (number_mismatch("In 500 patients LDN cut attacks.", abstract) or "")
    assert "days" in (number_mismatch("Within 2 weeks LDN cut attacks.", abstract) or "")
    assert number_mismatch("LDN cut attacks by 95%.", abstract) is not None  # the CI level is no result
    dosed = "Patients took naltrexone 4.5 mg nightly."
    assert number_mismatch("At 4.5 mg a night LDN eased pain.", dosed) is None
    assert number_mismatch("At 50 mg a night LDN eased pain.", dosed) == (
        "the claim says 50 mg (dose) but the abstract reports 4.5 mg")
    assert number_mismatch("At 4500 mcg a night LDN eased pain.", dosed) is None
    # the numbers of the sentences about the concept first: another measure's figure is no match
    two = "Remission was reached by 62% of patients. At 5 years, 94% of patients were alive."
    remission = "Remission was reached by 62% of patients."
    assert number_mismatch("LDN brought remission to 95% of patients.", two) is None
    assert number_mismatch("LDN brought remission to 95% of patients.", two, remission) == (
        "the claim says 95% (share) but the abstract reports 62%")
    assert number_mismatch("LDN brought remission in 120 patients.", two, remission) is None  # no count there


def _verdict(tmp_path: Path, claim: str, record: Study, concept: str) -> str:
    """The verdict the offline audit gives ``claim``'s claim of ``concept``, citing ``record`` alone."""
    doc = audited_with(tmp_path, claim, record.pmid, record)
    [found] = [c for c in doc.claims if c.concept.name == concept]
    return str(doc.assessment(found.id).verdict)



NULL_TRIAL = synthetic_study(
    "900000202", "low-dose naltrexone for fatigue, a randomized trial",
    ("METHODS", "We randomized 80 adults to low-dose naltrexone or placebo for 12 weeks."),
    ("RESULTS", "Fatigue did not differ between low-dose naltrexone and placebo (p=0.52)."),
    ("CONCLUSIONS", "Low-dose naltrexone was not superior to placebo for fatigue."),
    mesh=(MeshHeading("D009271", "Naltrexone"),),
    publication_types=(PublicationType("D016449", "Randomized Controlled Trial"),),
)
POSITIVE_TRIAL = synthetic_study(
    "900000203", "low-dose naltrexone for fatigue, a second randomized trial",
    ("METHODS", "We randomized 60 adults to low-dose naltrexone or placebo for 8 weeks."),
    ("RESULTS", "Fatigue fell by 28% with low-dose naltrexone against 9% with placebo."),
    ("CONCLUSIONS", "Low-dose naltrexone reduced fatigue."),
    mesh=(MeshHeading("D009271", "Naltrexone"),),
    publication_types=(PublicationType("D016449", "Randomized Controlled Trial"),),
)


def test_a_claim_its_study_contradicts_in_every_report(tmp_path: Path) -> None:
    cache = cache_with(tmp_path, NULL_TRIAL, POSITIVE_TRIAL)
    page = tmp_path / "copy.txt"
    page.write_text(
        "Low dose naltrexone reduces fatigue [1]. LDN reduced fatigue by 70% in trials [2, 1].\n\n"
        "References\n1. PMID: 900000202\n2. PMID: 900000203\n", encoding="utf-8")
    result = audit([page], AuditOptions(offline=True, cache_dir=cache))
    [doc] = result.documents
    first, second = (c for c in doc.claims if c.concept.name == "Fatigue")
    contradicted = doc.assessment(first.id)
    assert contradicted.verdict == "contradicted"
    [ev] = contradicted.evidence
    assert (ev.direction, ev.rationale_field) == ("null", "abstract")
    sentence = "Low-dose naltrexone was not superior to placebo for fatigue."
    assert ev.rationale == sentence and NULL_TRIAL.abstract_text[ev.rationale_start:ev.rationale_end] == sentence
    both = doc.assessment(second.id)
    assert both.verdict == "supported" and {e.direction for e in both.evidence} == {"positive", "null"}
    kinds = {(f.kind, f.severity, f.claim) for f in doc.findings}
    assert ("contradicted_claim", "error", first.id) in kinds
    assert ("conflicting_evidence", "warning", second.id) in kinds
    assert ("number_mismatch", "warning", second.id) in kinds
    assert not [f for f in doc.findings if f.kind == "null_or_negative_result"]
    for render in (render_table, render_markdown, render_html, render_json):
        out = render(result, color=False)
        text = html.unescape(out) if render is render_html else out
        if render is render_json:
            text = json.dumps(json.loads(out), ensure_ascii=False)
        assert "contradicted" in text and sentence in text.replace("\n", " ").replace("  ", " "), render.__name__
        assert "number_mismatch" in text and "70%" in text, render.__name__


def test_the_gate_the_graph_and_the_query_know_contradicted(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from pyshacl import validate
    from rdflib import Graph

    from ldn_graph.cli.group import main
    from ldn_graph.ontology.turtle import shapes_graph
    from ldn_graph.rdf.export import rdf_bytes

    cache = cache_with(tmp_path, NULL_TRIAL)
    page = tmp_path / "copy.txt"
    page.write_text("Low dose naltrexone reduces fatigue [1].\n\nReferences\n1. PMID: 900000202\n", encoding="utf-8")
    runner = CliRunner()
    base = ["audit", "--offline", "--cache-dir", str(cache), "--format", "json", str(page)]
    assert runner.invoke(main, [*base, "--fail-on", "contradicted"]).exit_code == 1
    assert runner.invoke(main, [*base, "--fail-on", "unsupported"]).exit_code == 0
    result = audit([page], AuditOptions(offline=True, cache_dir=cache))
    graph = Graph().parse(data=rdf_bytes(result, "turtle").decode(), format="turtle")
    conforms, _g, text = validate(graph, shacl_graph=shapes_graph(), inference="none")
    assert conforms, text
    query = runner.invoke(main, ["query", "contradicted-claims", str(page), "--offline", "--cache-dir", str(cache),
                                 "--format", "json"])
    assert query.exit_code == 0, query.output
    [row] = json.loads(query.output)["results"]["bindings"]
    assert row["pmid"]["value"] == "900000202" and row["direction"]["value"] == "null"
    assert row["sentence"]["value"] == "Low-dose naltrexone was not superior to placebo for fatigue."


def test_the_clause_and_the_word_that_speak_of_the_concept() -> None:
    from ldn_graph.judge.abstract import concept_clause
    from ldn_graph.judge.polarity import polarity

    sentence = ("While acquisition costs of X may be lower than for Y, mean total costs per day were not "
                "significantly different between X and Y.")
    clause = concept_clause(sentence, lambda t: "acquisition cost" in t.lower())
    assert clause.strip().startswith("While acquisition costs") and "not significantly" not in clause
    assert direction_of(clause) == Direction.POSITIVE and direction_of(sentence) == Direction.NULL
    assert polarity("ATP shortens atrial FIs and increases DFs") == 1
    assert polarity("ATP lowers the dominant frequency") == -1
    assert polarity("ATP and the dominant frequency") == 0
    # how much a change went is not which way it went
    assert polarity("pain was attenuated to a greater degree by LDN than by placebo") == -1
    assert polarity("LDN reduced pain more than placebo") == -1
    assert polarity("fatigue improved more with LDN than with placebo") == 0
    assert polarity("fatigue was greater with LDN than with placebo") == 1
    assert polarity("LDN gave more pain relief") == 1


# SYNTHETIC records for the deciding-sentence rules: a result reported for women and men
# apart, and a numbers-only results sentence beside conclusions that report no effect.
BY_SEX = synthetic_study(
    "900000210", "low-dose naltrexone for fatigue in women and men",
    ("METHODS", "We randomized 90 adults to low-dose naltrexone or placebo for 12 weeks."),
    ("RESULTS", "In women who took low-dose naltrexone, fatigue fell faster than with placebo (p=0.01). "
                "No such effect was seen in men."),
    ("CONCLUSIONS", "Low-dose naltrexone helped women only."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)
NUMBERS_ONLY = synthetic_study(
    "900000211", "low-dose naltrexone for fatigue, rates only",
    ("METHODS", "We randomized 70 adults to low-dose naltrexone or placebo for 10 weeks."),
    ("RESULTS", "Fatigue remission rates were 31% and 26%."),
    ("CONCLUSIONS", "Outcomes were similar between the two arms."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)

LEFT_OUT = synthetic_study(
    "900000216", "low-dose naltrexone for fatigue, a group left out",
    ("METHODS", "We randomized 90 adults to low-dose naltrexone or placebo for 12 weeks."),
    ("RESULTS", "In women, but not men, fatigue fell faster with low-dose naltrexone than with placebo (p=0.01)."),
    ("CONCLUSIONS", "Low-dose naltrexone may help women."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


@pytest.mark.parametrize(("claim", "pmid", "verdict", "sentence"), [
    ("In women, low dose naltrexone reduces fatigue [1].", "900000210", "supported",
     "In women who took low-dose naltrexone, fatigue fell faster than with placebo (p=0.01)."),
    ("In men, low dose naltrexone reduces fatigue [1].", "900000210", "contradicted", "No such effect was seen in men."),
    ("Low dose naltrexone reduces fatigue [1].", "900000211", "contradicted",
     "Outcomes were similar between the two arms."),
    ("In men, low dose naltrexone reduces fatigue [1].", "900000216", "contradicted",
     "In women, but not men, fatigue fell faster with low-dose naltrexone than with placebo (p=0.01)."),
])
def test_the_sentence_that_decides_is_about_the_claims_group_and_says_which_way(
        tmp_path: Path, claim: str, pmid: str, verdict: str, sentence: str) -> None:
    doc = audited_with(tmp_path, claim, pmid, BY_SEX, NUMBERS_ONLY, LEFT_OUT)
    [fatigue] = (c for c in doc.claims if c.concept.name == "Fatigue")
    assessment = doc.assessment(fatigue.id)
    assert assessment.verdict == verdict
    assert assessment.evidence[0].rationale == sentence


def test_a_sentence_of_numbers_or_of_advice_decides_nothing() -> None:
    from ldn_graph.judge.abstract import says_which_way

    assert not says_which_way("The live birth rates were 26.3% and 31.7% per randomized patient.")
    assert says_which_way("Live birth was not significantly different between groups.")
    advice = deciding_sentence(synthetic_study("900000212", "advice", ("RESULTS", "Fatigue fell with naltrexone."),
                                     ("CONCLUSIONS", "Fatigue should, however, be monitored.")),
                               lambda t: "fatigue" in t.lower())
    assert advice is not None and advice.text == "Fatigue fell with naltrexone."


# SYNTHETIC: a trial in which the liver came to harm with the product
LIVER_HARM = synthetic_study(
    "900000215", "low-dose naltrexone and the liver",
    ("METHODS", "We randomized 80 adults to low-dose naltrexone or placebo for 12 weeks."),
    ("RESULTS", "Liver enzymes rose with low-dose naltrexone, resulting in liver injury in four patients."),
    ("CONCLUSIONS", "Liver tests should be checked during treatment."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


@pytest.mark.parametrize(("claim", "verdict"), [
    ("Low dose naltrexone can cause liver injury [1].", "supported"),  # a side effect the trial bears out
    ("Low dose naltrexone protects the liver from injury [1].", "contradicted"),  # a benefit the trial refutes
])
def test_a_harm_found_with_the_drug_bears_out_a_side_effect_and_refutes_a_protection(
        tmp_path: Path, claim: str, verdict: str) -> None:
    doc = audited_with(tmp_path, claim, "900000215", LIVER_HARM)
    [liver] = [c for c in doc.claims if c.concept.name == "LiverSafety"]
    assert liver.type == "safety"
    assert doc.assessment(liver.id).verdict == verdict


def test_a_finding_qualified_as_not_significant_and_increasing_risk() -> None:
    from ldn_graph.judge.result_words import NEGATIVE_RE, QUALIFIED_NULL_RE

    sentence = ("Our data suggested increased risk with maternal use of the drug (OR 2.0, 95% CI 0.8-4.9), "
                "although these confidence intervals included the null.")
    assert QUALIFIED_NULL_RE.search(sentence)
    assert not QUALIFIED_NULL_RE.search("The risk fell (OR 0.5, 95% CI 0.3-0.8).")
    assert QUALIFIED_NULL_RE.search("The risk was significantly increased but became marginally significant "
                                    "after adjustment (OR 1.6, 95% CI 0.9-2.8).")
    assert NEGATIVE_RE.search("Starting without a loading dose increases the risk of a low INR.")


# SYNTHETIC: an abstract that names the product by an abbreviation it defines, and a harm
# the product's arm had less of
ABBREVIATED = synthetic_study(
    "900000213", "a low-dose naltrexone tablet and headache",
    ("METHODS", "Adults were randomized to low-dose naltrexone (LDNT) tablets or placebo for 8 weeks."),
    ("RESULTS", "Headache was reported less often with LDNT than with placebo (p=0.02)."),
    ("CONCLUSIONS", "Headache was uncommon in both arms."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


def test_an_abbreviation_the_abstract_defines_names_the_product_and_less_of_a_harm_contradicts_more(
        tmp_path: Path) -> None:
    from ldn_graph.judge.topic import Matcher
    from ldn_graph.ontology.vocabulary import load_vocabulary

    matcher = Matcher(load_vocabulary())
    product = matcher.product_in(ABBREVIATED)
    assert product("Headache was reported less often with LDNT.") and not matcher.names_product("with LDNT")
    doc = audited_with(tmp_path, "Low dose naltrexone causes more headaches [1].", "900000213", ABBREVIATED)
    claims = [c for c in doc.claims if c.type == "safety"]
    assert claims, [(c.concept.name, c.type) for c in doc.claims]
    ev = doc.assessment(claims[0].id).evidence[0]
    assert ev.rationale.startswith("Headache was reported less often with LDNT")
    assert ev.direction == "negative"


def test_as_opposed_to_compares_arms_as_than_does() -> None:
    matcher, sleep = _matcher_and("Sleep")
    assert matcher.polarity("Sleep quality was higher with placebo as opposed to naltrexone.", sleep) == -1
    assert matcher.polarity("Sleep quality was higher with naltrexone as opposed to placebo.", sleep) == 1


def test_in_a_comparison_of_arms_the_movement_is_the_arm_named_before_than() -> None:
    matcher, headache = _matcher_and("Headache")
    assert matcher.polarity("Headache was more frequent with naltrexone than with placebo.", headache) == 1
    assert matcher.polarity("Headache was more frequent with placebo than with naltrexone.", headache) == -1
    assert matcher.polarity("Headache was more frequent in group A than in group B.", headache) == 0


def test_figures_by_arm_and_p_values() -> None:
    from ldn_graph.judge.abstract import not_significant, says_which_way, significant_p
    from ldn_graph.judge.arms import arms_by_numbers

    def product(text: str) -> bool:
        return "naltrexone" in text.lower()

    both = "Headache occurred in 12.5% of patients in the study group and 4.0% of patients in the control group (P < .01)."
    assert significant_p(both) and says_which_way("Tears occurred in 1.8% and 0.2% (P < .0001).")
    assert arms_by_numbers(both, product) == 1
    assert arms_by_numbers(both.replace("12.5%", "1.5%"), product) == -1
    assert arms_by_numbers("Headache occurred in 12% of patients (P < .01).", product) == 0
    assert not_significant("Visual acuity was 0.72 versus 0.51 logMAR (P = .37).")
    assert not not_significant("Visual acuity was 0.72 versus 0.51 logMAR (P = .37; P < .001 at 6 months).")
    assert not not_significant("Acuity was significantly better (P = .37).")


def test_an_arm_label_after_the_products_name_names_the_product() -> None:
    from ldn_graph.judge.topic import Matcher
    from ldn_graph.ontology.vocabulary import load_vocabulary

    record = synthetic_study("900000214", "arm labels", ("METHODS", "Adults took low-dose naltrexone (study group) or placebo "
                                                          "(control group)."))
    product = Matcher(load_vocabulary()).product_in(record)
    assert product("Fatigue fell in the study group.") and not product("Fatigue fell in the control group.")


def test_a_result_given_for_another_arm_is_that_arms() -> None:
    matcher, headache = _matcher_and("Headache")
    # the other arm had less: with the product there was relatively more
    assert matcher.polarity("Headache was less frequent in the placebo group (P = .01).", headache) == 1
    assert matcher.polarity("Both arms improved, with the placebo group reporting less headache.", headache) == 1
    # the product's own arm, or the treated arm, keeps the movement
    assert matcher.polarity("Headache was less frequent in the naltrexone group (P = .01).", headache) == -1
    assert matcher.polarity("Headache was less frequent in the treatment group.", headache) == -1
    # SYNTHETIC: the concept's result in a sentence that names the product for another measure
    record = synthetic_study(
        "900000216", "two arms, two results",
        ("METHODS", "Adults took low-dose naltrexone or placebo."),
        ("CONCLUSIONS", "Sleep improved in the naltrexone group and headache eased in the placebo group. "
                        "Headache was more frequent with naltrexone than with placebo."),
    )
    decided = _decided(matcher, headache, record)
    assert decided is not None and decided.text == "Headache was more frequent with naltrexone than with placebo."


def test_what_a_finding_leaves_out_and_what_a_study_set_out_to_do() -> None:
    from ldn_graph.judge.abstract import BACKGROUND, METHODS, RESULTS, abstract_sentences, left_out

    def product(text: str) -> bool:
        return "naltrexone" in text.lower()

    def fatigue(text: str) -> bool:
        return "fatigue" in text.lower()

    assert left_out("Fatigue fell after exercise, but not after naltrexone.", fatigue, product)
    assert left_out("All scores improved except fatigue (P = .4).", fatigue, product)
    assert not left_out("Fatigue fell with naltrexone but not with placebo.", fatigue, product)
    assert left_out("The injury is tubular, and not by fatigue of the cells.", fatigue, product)
    assert left_out("Patients chose rest rather than naltrexone for fatigue.", fatigue, product)
    # "and not" that opens a listed item leaves nothing out: "…, and not washing hands"
    assert not left_out("Gender, and not taking naltrexone were associated with fatigue.", lambda t: False, product)
    # SYNTHETIC: an unstructured abstract whose aim sits among its results
    record = synthetic_study("900000217", "an unstructured abstract",
                   ("", "Naltrexone is studied in fatigue. The mechanisms are largely unknown. Here, we compared fatigue "
                        "between naltrexone and placebo. We found that naltrexone failed to change fatigue. "
                        "Sleep improved. Naltrexone may help sleep. More trials are needed."))
    parts = {s.text: s.part for s in abstract_sentences(record)}
    assert parts["Here, we compared fatigue between naltrexone and placebo."] == METHODS
    assert parts["The mechanisms are largely unknown."] == BACKGROUND
    assert parts["We found that naltrexone failed to change fatigue."] == RESULTS
    decided = deciding_sentence(record, fatigue, product)
    assert decided is not None and decided.text == "We found that naltrexone failed to change fatigue."


def test_how_a_concept_moved_when_it_is_an_error_a_verb_or_half_of_not_only() -> None:
    matcher, sleep = _matcher_and("Sleep")
    # errors in a measure of the concept: a lower error is a better concept
    assert matcher.polarity("Errors in sleep quality estimates were lower with naltrexone.", sleep) == 1
    assert matcher.polarity("Sleep quality was lower with naltrexone.", sleep) == -1
    # the concept is the verb: the comparison right after it says which way
    assert matcher.polarity("With naltrexone people slept longer than before.", sleep) == 1
    # "not only … but also": one finding, no contrast, so the sentence is the sleep clause
    from ldn_graph.judge.abstract import concept_clause

    both = "Placebo was more accurate than naltrexone not only in pain but also in sleep."
    assert concept_clause(both, lambda t: "sleep" in t.lower()) == both
    assert concept_clause("Pain fell, but sleep was unchanged.", lambda t: "sleep" in t.lower()) == ", but sleep was unchanged."


def test_a_harm_that_got_better_went_down_and_refutes_a_claim_that_the_drug_brings_it_on(tmp_path: Path) -> None:
    matcher, insomnia = _matcher_and("SleepDisturbance")
    assert matcher.polarity("Insomnia ratings improved more with naltrexone than with placebo.", insomnia) == -1
    assert matcher.polarity("Insomnia was resolved in most patients given naltrexone.", insomnia) == -1
    assert matcher.polarity("Insomnia was not improved with naltrexone.", insomnia) != -1
    _, sleep = _matcher_and("Sleep")  # a benefit that improved went up, as before
    assert matcher.polarity("Sleep quality improved more with naltrexone than with placebo.", sleep) != -1
    assert matcher.polarity("Sleep quality increased more with naltrexone than with placebo.", sleep) == 1
    trial = synthetic_study(
        "900000305", "low-dose naltrexone in depression, a randomized trial",
        ("METHODS", "We randomized 70 adults with depression to low-dose naltrexone or placebo for 8 weeks."),
        ("RESULTS", "Insomnia ratings improved more with naltrexone than with placebo (p=0.03)."),
    )
    claim = "Insomnia is one of the more frequent side effects of LDN [1]."
    assert _verdict(tmp_path, claim, trial, "SleepDisturbance") == "contradicted"


def test_a_sentence_that_opens_with_its_comparator_moves_as_the_product_did() -> None:
    matcher, cytokines = _matcher_and("CytokineReduction")
    opened = "Compared with saline, low-dose naltrexone reduced colonic TNF-alpha and IL-6 by 48% and 39%."
    assert matcher.polarity(opened, cytokines) == -1
    against = "Compared with low-dose naltrexone, saline reduced colonic TNF-alpha and IL-6."
    assert matcher.polarity(against, cytokines) == 1  # the product is the comparator: the other arm moved
    # a contrast clause after the opener is another arm's: the arms rule reads it
    other = ("Compared with saline, naltrexone changed little in the colon, whereas saline "
             "reduced TNF-alpha and IL-6 more.")
    assert matcher.polarity(other, cytokines) != -1


def test_a_claim_that_denies_a_harm_the_study_found_is_refuted_by_the_opposite(tmp_path: Path) -> None:
    doc = audited_with(tmp_path, "Low dose naltrexone does not cause liver injury [1].", "900000215", LIVER_HARM)
    [liver] = [c for c in doc.claims if c.concept.name == "LiverSafety"]
    assessment = doc.assessment(liver.id)
    assert liver.negated and assessment.verdict == "contradicted"
    assert assessment.evidence[0].direction == "negative"
    assert "reports the opposite" in assessment.reason


def test_the_p_value_a_sentence_gives_the_concept_is_the_concepts() -> None:
    from ldn_graph.judge.abstract import concept_not_significant

    def pressure(text: str) -> bool:
        return "pressure" in text.lower()

    both = ("Cholesterol was significantly higher (P=0.0088), and left atrial pressure was higher "
            "(34.5 vs. 24.5 mmHg, P=0.0833) in the diet group.")
    assert concept_not_significant(both, pressure)
    assert not concept_not_significant(both, lambda t: "cholesterol" in t.lower())
    assert not concept_not_significant("Left atrial pressure was higher (P < 0.01).", pressure)


def test_figures_given_respectively_and_a_level_said_in_words() -> None:
    from ldn_graph.judge.topic import _respective_figures

    def product(text: str) -> bool:
        return "naltrexone" in text.lower()

    listed = "Response rates with naltrexone, duloxetine and placebo were 21%, 37% and 12%, respectively."
    assert _respective_figures(listed, product) == 0  # neither the highest nor the lowest
    assert _respective_figures(listed.replace("21%", "41%"), product) == 1
    assert _respective_figures(listed.replace("21%", "11%"), product) == -1
    matcher, sleep = _matcher_and("Sleep")
    assert matcher.polarity("Sleep quality, as rated by the patients, was uniformly poor on naltrexone.", sleep) == -1
    assert matcher.polarity("Sleep quality, as rated by the patients, was consistently good on naltrexone.", sleep) == 1


# SYNTHETIC: results that found nothing under upbeat conclusions (spin)
SPUN = synthetic_study(
    "900000218", "low-dose naltrexone for fatigue, spun",
    ("METHODS", "We randomized 70 adults to low-dose naltrexone or placebo for 12 weeks."),
    ("RESULTS", "Fatigue scores did not differ between the groups at 12 weeks (p=0.41)."),
    ("CONCLUSIONS", "Low-dose naltrexone improved fatigue in many patients and was well tolerated."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


def test_conclusions_more_upbeat_than_results_that_found_nothing_do_not_decide(tmp_path: Path) -> None:
    doc = audited_with(tmp_path, "Low dose naltrexone improves fatigue [1].", "900000218", SPUN)
    [fatigue] = [c for c in doc.claims if c.concept.name == "Fatigue"]
    assessment = doc.assessment(fatigue.id)
    assert assessment.verdict == "contradicted"
    assert assessment.evidence[0].rationale.startswith("Fatigue scores did not differ")


def test_figures_in_brackets_do_not_part_a_concept_from_its_movement() -> None:
    matcher, sleep = _matcher_and("Sleep")
    coordinated = ("Naltrexone was associated with decreases in pain scores (-4.2 ± 2.1 (SD); P = 0.04) "
                   "and sleep quality (-1.3 ± 0.9; P < 0.01).")
    assert matcher.polarity(coordinated, sleep) == -1
    assert matcher.polarity("Naltrexone enlarges sleep quality windows.", sleep) == 1


# SYNTHETIC: a result that differs by time point
BY_TIME = synthetic_study(
    "900000219", "low-dose naltrexone for fatigue over six months",
    ("METHODS", "We randomized 90 adults to low-dose naltrexone or placebo."),
    ("RESULTS", "Fatigue did not differ between the groups at 1 week (P = .62). "
                "At 6 months fatigue was significantly lower with low-dose naltrexone (P = .003)."),
    ("CONCLUSIONS", "Low-dose naltrexone reduced fatigue."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


@pytest.mark.parametrize(("claim", "verdict"), [
    ("Low dose naltrexone reduces fatigue within the first week [1].", "contradicted"),
    ("Low dose naltrexone reduces fatigue at six months [1].", "supported"),
    ("Low dose naltrexone reduces fatigue [1].", "supported"),
])
def test_a_claim_that_names_a_time_point_is_decided_at_it(tmp_path: Path, claim: str, verdict: str) -> None:
    from ldn_graph.judge.claim_fit import time_points

    assert time_points("1 week postoperatively; at 6 months") == {7, 6 * 30.4}
    assert time_points("one week after surgery") == {7} and time_points("within the first postoperative month") == {30.4}
    assert time_points("Pain fell by twelve weeks.") == {84} and time_points("Pain fell.") == set()
    assert time_points("no difference at week 4") == {28}
    doc = audited_with(tmp_path, claim, "900000219", BY_TIME)
    [fatigue] = [c for c in doc.claims if c.concept.name == "Fatigue"]
    assert doc.assessment(fatigue.id).verdict == verdict


def test_a_result_named_by_referring_back_decides_and_moves_by_what_is_said_of_it() -> None:
    matcher, headache = _matcher_and("Headache")
    # SYNTHETIC: the concept in one sentence, the comparison of arms in the next
    record = synthetic_study(
        "900000220", "referring back",
        ("METHODS", "Adults took low-dose naltrexone or placebo."),
        ("RESULTS", "Headache rose in both arms after the first dose. "
                    "This increase was greater with naltrexone than with placebo (P < 0.01)."),
        ("CONCLUSIONS", "Both treatments were tolerated."),
    )
    decided = _decided(matcher, headache, record)
    assert decided is not None and decided.text.startswith("This increase was greater")
    assert matcher.polarity(decided.text, headache) == 1
    assert matcher.polarity("This increase was smaller with naltrexone than with placebo.", headache) == -1


# SYNTHETIC: a significant finding beside the concept's own, which is not significant
MIXED_P = synthetic_study(
    "900000221", "low-dose naltrexone, cholesterol and fatigue",
    ("METHODS", "We randomized 60 adults to low-dose naltrexone or placebo."),
    ("RESULTS", "Cholesterol was significantly lower with low-dose naltrexone (P = 0.004), and fatigue was "
                "lower with low-dose naltrexone (4.1 vs 4.6; P = 0.31)."),
    ("CONCLUSIONS", "Low-dose naltrexone lowered cholesterol."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


def test_the_concepts_own_p_value_decides_its_direction(tmp_path: Path) -> None:
    doc = audited_with(tmp_path, "Low dose naltrexone reduces fatigue [1].", "900000221", MIXED_P)
    [fatigue] = [c for c in doc.claims if c.concept.name == "Fatigue"]
    assert doc.assessment(fatigue.id).verdict == "contradicted"


# SYNTHETIC: figures in one sentence, their verdict in the next; an outcome measure filed
# by NLM under METHODS; the product named as what made no difference in another clause
FIGURES_THEN_VERDICT = synthetic_study(
    "900000222", "naltrexone and fatigue, figures then verdict",
    ("MAIN OUTCOME MEASURE(S)", "Fatigue scores at 12 weeks."),
    ("RESULTS", "Fatigue scores were 41.2 and 43.0 with naltrexone and placebo. "
                "There was no significant difference between the groups."),
)


def test_figures_are_decided_by_the_sentence_after_them_that_refers_back(tmp_path: Path) -> None:
    from dataclasses import replace

    from ldn_graph.judge.abstract import METHODS, abstract_sentences

    measure = replace(FIGURES_THEN_VERDICT, abstract=(
        AbstractSection("Fatigue scores at 12 weeks.", "MAIN OUTCOME MEASURE(S)", "METHODS"),
        *FIGURES_THEN_VERDICT.abstract[1:]))
    assert abstract_sentences(measure)[0].part == METHODS  # NLM's category before the label's words
    record = replace(measure, mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    doc = audited_with(tmp_path, "Low dose naltrexone reduces fatigue [1].", "900000222", record)
    [fatigue] = [c for c in doc.claims if c.concept.name == "Fatigue"]
    assessment = doc.assessment(fatigue.id)
    assert assessment.verdict == "contradicted"
    assert assessment.evidence[0].rationale.endswith("no significant difference between the groups.")


def test_a_sentence_after_figures_that_names_other_outcomes_does_not_decide_them(tmp_path: Path) -> None:
    from dataclasses import replace


    record = replace(FIGURES_THEN_VERDICT, mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
                     abstract=(AbstractSection("Fatigue scores were 21.2 with naltrexone and 33.0 with placebo. "
                                               "There were no significant differences in sleep or mood.", "RESULTS"),))
    assert _verdict(tmp_path, "Low dose naltrexone reduces fatigue [1].", record, "Fatigue") == "supported"


def test_a_product_that_made_no_difference_in_another_clause_and_words_of_shape(tmp_path: Path) -> None:
    from ldn_graph.judge.abstract import direction_of
    from ldn_graph.judge.polarity import polarity

    record = synthetic_study("900000223", "naltrexone and sleep, a clause apart",
                   ("RESULTS", "Sleep quality varied widely across the cohort, but it tracked age and was not "
                               "influenced by low-dose naltrexone."),
                   mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, "Low dose naltrexone improves sleep quality [1].", record, "Sleep") == "contradicted"
    # the null clause about another outcome leaves the concept's own clause alone
    other = synthetic_study("900000224", "naltrexone, null for one outcome and harm for another",
                  ("RESULTS", "Low-dose naltrexone was not associated with fatigue, but was related significantly "
                              "to insomnia (HR = 1.95)."),
                  mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path / "2", "Low dose naltrexone can cause insomnia [1].", other, "SleepDisturbance") == "supported"
    # the concept's own clause that names the product says what the product did
    both = synthetic_study("900000226", "naltrexone, sleep in one clause and fatigue in another",
                 ("RESULTS", "Low-dose naltrexone improved sleep quality, while fatigue was not influenced by "
                             "low-dose naltrexone."),
                 mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path / "3", "Low dose naltrexone improves sleep quality [1].", both, "Sleep") == "supported"
    assert direction_of("These results argue against a role for naltrexone in sleep.") == Direction.NULL
    assert polarity("curves were steeper after treatment") == 1
    assert polarity("curves were flatter after treatment") == -1
    assert polarity("naltrexone steps up endorphin output") == 1 and polarity("it ramped up the response") == 1
    matcher, sleep = _matcher_and("Sleep")
    assert matcher.polarity("Sleep quality followed a linear trend, with increased odds in 2012.", sleep) == 1
    assert matcher.polarity("Sleep quality followed a linear trend, with lower rates in 2012.", sleep) == -1


def _parts(abstract: str) -> dict[str, str]:
    """The part each sentence of an unstructured (synthetic) abstract is read as."""
    from ldn_graph.judge.abstract import abstract_sentences

    return {s.text: s.part for s in abstract_sentences(synthetic_study("900000225", "an unstructured abstract", ("", abstract)))}


def test_who_was_included_and_what_a_study_aimed_at_are_method_wherever_they_stand() -> None:
    from ldn_graph.judge.abstract import METHODS, RESULTS

    parts = _parts("Naltrexone is used in fatigue. Adults with fatigue and a naltrexone prescription were included. "
                   "Exclusion criteria included age under 18. Fatigue fell with naltrexone. Naltrexone may help. "
                   "More trials are needed.")
    assert parts["Adults with fatigue and a naltrexone prescription were included."] == METHODS
    assert parts["Exclusion criteria included age under 18."] == METHODS
    assert parts["Fatigue fell with naltrexone."] == RESULTS
    parts = _parts("Naltrexone is used in fatigue. The aim of this study was to determine if naltrexone lowers fatigue. "
                   "Fatigue fell with naltrexone. Naltrexone may help. More trials are needed.")
    assert parts["The aim of this study was to determine if naltrexone lowers fatigue."] == METHODS
    parts = _parts("Naltrexone is used in fatigue. The participants were 80 adults with fatigue. Fatigue fell with "
                   "naltrexone. Naltrexone may help. More trials are needed.")
    assert parts["The participants were 80 adults with fatigue."] == METHODS
    parts = _parts("Naltrexone is used in fatigue. Fatigue and sleep were compared in naltrexone and placebo groups. "
                   "Fatigue fell with naltrexone. Naltrexone may help. More trials are needed.")
    assert parts["Fatigue and sleep were compared in naltrexone and placebo groups."] == METHODS


def test_a_product_taken_away_did_the_opposite_of_what_the_product_does(tmp_path: Path) -> None:
    from ldn_graph.judge.study_check import without_product

    def product(text: str) -> bool:
        return text.lower() in ("akt", "sesn2", "tak-733", "mda5")

    assert without_product("Akt(+/-) mice were protected from fibrosis.", product)
    assert without_product("In mice Sesn2 knockdown suppresses tumor growth.", product)
    assert without_product("Cell death was prevented by inhibition of MDA5.", product)
    assert not without_product("The MEK inhibitor TAK-733 showed robust antitumor activity.", product)
    assert not without_product("Akt activation raised survival, which Akt knockdown lowered.", product)
    # SYNTHETIC: a trial of taking the product away
    record = synthetic_study("900000227", "naltrexone withdrawn",
                   ("RESULTS", "Fatigue was markedly reduced by blockade of naltrexone in these patients."),
                   mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, "Low dose naltrexone reduces fatigue [1].", record, "Fatigue") == "contradicted"
    # a claim about the product's loss is read against the study's loss, like with like
    lost = synthetic_study("900000232", "naltrexone blocked",
                 ("RESULTS", "Blockade of naltrexone resulted in decreased fatigue scores."),
                 mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path / "up", "Blocking naltrexone raises fatigue [1].", lost, "Fatigue") == "contradicted"
    assert _verdict(tmp_path / "down", "Blocking naltrexone lowers fatigue [1].", lost, "Fatigue") == "supported"


def test_the_clause_that_names_the_product_or_refers_to_it_speaks_for_it() -> None:
    from ldn_graph.judge.abstract import concept_clause, direction_of

    def nsvt(text: str) -> bool:
        return "NSVT" in text

    def product(text: str) -> bool:
        return "RV pacing" in text

    # "…, without significant loss of accuracy" is a clause of its own
    def accuracy(text: str) -> bool:
        return "accuracy" in text

    faster = "RV pacing outperformed in speed, without significant loss of mapping accuracy."
    clause = concept_clause(faster, accuracy, product)
    assert clause == ", without significant loss of mapping accuracy."
    assert direction_of(clause) == Direction.NULL
    sentence = "NSVTs recurred only after RV pacing; LV pacing did not induce any NSVTs."
    assert concept_clause(sentence, nsvt, product) == "NSVTs recurred only after RV pacing"
    assert concept_clause(sentence, nsvt) == sentence
    # "its deletion" refers to the product: both clauses speak of it
    referred = "Although RV pacing raised NSVTs in vitro, its withdrawal had no effect on NSVTs in mice."
    assert concept_clause(referred, nsvt, product) == referred


def test_the_products_clause_decides_a_sentence_whose_clauses_both_name_the_concept(tmp_path: Path) -> None:
    record = synthetic_study("900000228", "naltrexone against placebo, one clause each",
                   ("RESULTS", "Fatigue fell sharply with low-dose naltrexone; placebo did not reduce fatigue."),
                   mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, "Low dose naltrexone reduces fatigue [1].", record, "Fatigue") == "supported"


@pytest.mark.parametrize(("claim", "verdict"), [
    ("Low dose naltrexone is free of liver injury [1].", "contradicted"),
    ("Low dose naltrexone leaves liver function entirely unaffected [1].", "contradicted"),
    ("Low dose naltrexone can cause liver injury [1].", "supported"),
    ("Liver injury was no more common with low dose naltrexone than with placebo [1].", "contradicted"),
])
def test_a_claim_that_a_harm_is_absent_or_a_measure_unchanged_is_refuted_by_the_harm(
        tmp_path: Path, claim: str, verdict: str) -> None:
    doc = audited_with(tmp_path, claim, "900000215", LIVER_HARM)
    [liver] = [c for c in doc.claims if c.concept.name == "LiverSafety"]
    assert doc.assessment(liver.id).verdict == verdict


def test_an_abbreviation_inside_the_products_name_leaves_its_name_whole() -> None:
    from paths import TESTS

    from ldn_graph.judge.topic import Matcher
    from ldn_graph.ontology.vocabulary import load_vocabulary

    matcher = Matcher(load_vocabulary(TESTS / "verdicts" / "rv-pacing-n.ttl"))
    assert matcher.names_product("NSVTs recurred only after right ventricular (RV) pacing.")
    assert not matcher.names_product("NSVTs recurred only after right ventricular (RV) ablation.")


def test_a_claim_that_patients_are_spared_a_harm_is_refuted_where_the_harm_occurred(tmp_path: Path) -> None:
    # SYNTHETIC: a harm reported in plain words, with no word of worsening
    record = synthetic_study("900000230", "naltrexone and the liver, a case series",
                   ("RESULTS", "Liver injury occurred in four of the patients taking low-dose naltrexone."),
                   mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    claim = "Patients on low dose naltrexone are spared liver injury [1]."
    assert _verdict(tmp_path, claim, record, "LiverSafety") == "contradicted"


def test_a_harm_the_study_found_absent_bears_out_a_claim_that_there_was_none(tmp_path: Path) -> None:
    # SYNTHETIC: a case report whose conclusions say the harm did not occur
    record = synthetic_study("900000231", "low-dose naltrexone, a case report",
                   ("RESULTS", "A woman with fatigue was given low-dose naltrexone for 12 weeks."),
                   ("CONCLUSIONS", "There was no liver injury."),
                   mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, "Low dose naltrexone was given without liver injury [1].", record, "LiverSafety") == "supported"
    assert _verdict(tmp_path / "2", "Low dose naltrexone can cause liver injury [1].", record, "LiverSafety") == "contradicted"


# SYNTHETIC: a study that found the product on a par with its comparator
ON_A_PAR = synthetic_study(
    "900000231", "low-dose naltrexone against duloxetine for fatigue",
    ("METHODS", "We randomized 70 adults to low-dose naltrexone or duloxetine for 12 weeks."),
    ("RESULTS", "Low-dose naltrexone reduced fatigue, with results comparable to duloxetine."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


# SYNTHETIC: a study that found the product apart from its comparator, and one that found no difference
APART = synthetic_study(
    "900000233", "low-dose naltrexone against duloxetine for fatigue, again",
    ("RESULTS", "Fatigue fell less with low-dose naltrexone than with duloxetine."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)
NO_DIFFERENCE = synthetic_study(
    "900000234", "low-dose naltrexone against duloxetine for fatigue, a third time",
    ("RESULTS", "Fatigue did not differ between low-dose naltrexone and duloxetine."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types,
)


@pytest.mark.parametrize(("claim", "record", "verdict"), [
    ("Low dose naltrexone eases fatigue as well as duloxetine does [1].", APART, "contradicted"),
    ("Low dose naltrexone eases fatigue just like duloxetine [1].", NO_DIFFERENCE, "supported"),
    ("Low dose naltrexone eases fatigue [1].", NO_DIFFERENCE, "contradicted"),
])
def test_a_claim_of_doing_as_well_is_refuted_by_a_difference_and_borne_out_by_none(
        tmp_path: Path, claim: str, record: Study, verdict: str) -> None:
    assert _verdict(tmp_path, claim, record, "Fatigue") == verdict


@pytest.mark.parametrize(("claim", "verdict"), [
    ("Low dose naltrexone reduces fatigue better than duloxetine [1].", "contradicted"),  # superiority, parity found
    ("Low dose naltrexone reduces fatigue [1].", "supported"),
    ("Low dose naltrexone reduces fatigue in more than 50% of people [1].", "supported"),  # a share, no comparator
])
def test_a_claim_of_doing_better_against_a_finding_on_a_par_is_a_null_result(
        tmp_path: Path, claim: str, verdict: str) -> None:
    from ldn_graph.judge.claim_fit import on_a_par

    assert not on_a_par("LDN works better than X.", "comparable to previous studies")  # the literature, no arm
    assert not on_a_par("LDN rather than opioids.", "similar to placebo")
    assert _verdict(tmp_path, claim, ON_A_PAR, "Fatigue") == verdict


def test_no_effect_and_then_worse_is_worse_for_the_concept_the_worsening_names() -> None:
    from ldn_graph.judge.abstract import no_effect_then_worse

    def mood(t: str) -> bool:
        return "mood" in t.lower()

    both = "Naltrexone did not improve mood and was associated with a worsening of mood."
    assert no_effect_then_worse(both, mood)
    other = "Naltrexone did not improve mood and worsened sleep."
    assert not no_effect_then_worse(other, mood)
    assert no_effect_then_worse(other, lambda t: "sleep" in t.lower())
    disturbed = "Naltrexone did not relieve knee pain and disturbed sleep in some participants."
    assert no_effect_then_worse(disturbed, lambda t: "sleep" in t.lower())
    assert not no_effect_then_worse(disturbed, lambda t: "pain" in t.lower())
    assert not no_effect_then_worse("Naltrexone did not improve mood; mood worsened.", mood)  # no "and"/"but"
    assert not no_effect_then_worse("Mood worsened, and naltrexone did not improve it.", mood)  # worse comes first
    assert not no_effect_then_worse("Naltrexone did not improve mood.", mood)


def test_a_study_that_found_no_benefit_and_then_harm_is_read_as_harm(tmp_path: Path) -> None:
    trial = synthetic_study(
        "900000306", "low-dose naltrexone and mood in fibromyalgia, a randomized trial",
        ("METHODS", "We randomized 80 women with fibromyalgia to low-dose naltrexone or placebo for 12 weeks."),
        ("CONCLUSIONS", "Low-dose naltrexone did not improve mood and was associated with a worsening of mood."),
    )
    _doc, _claim, assessment = judged(tmp_path, "Low-dose naltrexone lifts mood in fibromyalgia [1].", "Mood", trial)
    assert str(assessment.verdict) == "contradicted"
    assert [str(e.direction) for e in assessment.evidence] == ["negative"]


@pytest.mark.parametrize(("claim", "concept", "verdict"), [
    ("Vivid dreams are a side effect of LDN [1].", "VividDreams", "supported"),
    ("LDN does not cause headache [1].", "Headache", "supported"),
    ("Headache is a common side effect of LDN [1].", "Headache", "contradicted"),
])
def test_a_harm_given_as_a_figure_per_arm_is_read_by_the_figures(tmp_path: Path, claim: str, concept: str,
                                                                  verdict: str) -> None:
    trial = synthetic_study(
        "900000307", "low-dose naltrexone in fibromyalgia, a randomized trial",
        ("METHODS", "We randomized 90 adults to low-dose naltrexone or placebo for 12 weeks."),
        ("RESULTS", "Vivid dreams were reported by 23% of participants taking naltrexone and 6% of those taking "
                    "placebo. Headache occurred in 12% on naltrexone and 14% on placebo."),
        ("CONCLUSIONS", "Low-dose naltrexone did not reduce pain compared with placebo."),
    )
    assert _verdict(tmp_path, claim, trial, concept) == verdict


@pytest.mark.parametrize(("methods", "verdict"), [
    ("Seventy women were randomly assigned to naltrexone 50 mg or placebo daily for 8 weeks.", "off_topic"),
    ("Seventy women were randomly assigned to naltrexone 4.5 mg or placebo daily for 8 weeks.", "supported"),
])
def test_the_dose_studied_is_not_the_one_the_background_recalls(tmp_path, methods, verdict):
    """A background that recalls low-dose naltrexone does not make a 50 mg trial LDN
    evidence; the dose the methods give decides."""
    trial = synthetic_study(
        "99000301", "naltrexone for fibromyalgia pain: a randomised trial",
        ("BACKGROUND", "Low-dose naltrexone is used off-label for fibromyalgia."),
        ("METHODS", methods),
        ("CONCLUSIONS", "Naltrexone reduced fibromyalgia pain compared with placebo."),
        mesh=(MeshHeading("D009271", "Naltrexone"), MeshHeading("D005356", "Fibromyalgia")))
    _doc, _claim, assessment = judged(tmp_path, "LDN reduces fibromyalgia pain [1].", "Fibromyalgia", trial)
    assert assessment.verdict == verdict


HEADACHE_NO_DIFFERENCE = synthetic_study(
    "900000331", "low-dose naltrexone and headache, a randomized trial",
    ("RESULTS", "Headache did not differ between naltrexone and placebo (9% vs 8%; p=0.71)."),
    mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)


@pytest.mark.parametrize("claim", [
    "In a placebo-controlled trial, headache was no more common with low dose naltrexone than with placebo [1].",
    "Headache was not reported more often with low dose naltrexone than with placebo [1].",
    "If you worry about headaches: in a trial low dose naltrexone caused no more of them than a sugar pill did [1].",
])
def test_the_ways_a_claim_says_a_harm_is_no_more_common(tmp_path: Path, claim: str) -> None:
    # no difference bears out the claim that denies the harm, and refutes the one that asserts it
    assert _verdict(tmp_path, claim, HEADACHE_NO_DIFFERENCE, "Headache") == "supported"
    assert _verdict(tmp_path / "b", "Low dose naltrexone can cause headache [1].", HEADACHE_NO_DIFFERENCE,
                    "Headache") == "contradicted"


def _pain_trial(pmid: str, condition: str, mesh: tuple[MeshHeading, ...]) -> Study:
    return synthetic_study(
        pmid, f"low-dose naltrexone for pain in {condition}: a randomised trial",
        ("CONCLUSIONS", f"Low-dose naltrexone reduced pain more than placebo in adults with {condition}."),
        mesh=(MeshHeading("D009271", "Naltrexone"), *mesh), publication_types=NULL_TRIAL.publication_types)


@pytest.mark.parametrize(("claim", "condition", "mesh", "overstated"), [
    # a condition of the vocabulary named for the claim's people, which the study never addresses
    ("LDN eases the aching joints of rheumatoid arthritis [1].", "fibromyalgia",
     (MeshHeading("D005356", "Fibromyalgia"),), True),
    ("• Ulcerative colitis: LDN lowers pain [1]", "fibromyalgia", (MeshHeading("D005356", "Fibromyalgia"),), True),
    # the study's own condition
    ("LDN eases the aching joints of rheumatoid arthritis [1].", "rheumatoid arthritis",
     (MeshHeading("D001172", "Arthritis, Rheumatoid"),), False),
    # one of several conditions named is the study's
    ("LDN eases pain in lupus and rheumatoid arthritis [1].", "rheumatoid arthritis",
     (MeshHeading("D001172", "Arthritis, Rheumatoid"),), False),
    # a broader condition takes in the study's (skos:broader: Crohn's disease is an inflammatory disorder)
    ("LDN eases pain in inflammatory conditions [1].", "Crohn's disease", (MeshHeading("D003424", "Crohn Disease"),), False),
])
def test_a_benefit_claimed_for_a_condition_the_study_never_addresses_is_overstated(
        tmp_path: Path, claim: str, condition: str, mesh: tuple[MeshHeading, ...], overstated: bool) -> None:
    doc, found, assessment = judged(tmp_path, claim, "PainRelief", _pain_trial("99000401", condition, mesh))
    assert assessment.verdict == "supported"
    flagged = [f for f in doc.findings if f.kind == "overstated_claim" and f.claim == found.id]
    assert bool(flagged) == overstated, assessment.reason


@pytest.mark.parametrize(("last_two", "decides"), [
    # a finding, then a call for research after a semicolon: the finding decides
    ("LDN was associated with remission in two in five patients; prospective controlled studies are warranted.",
     "LDN was associated with remission"),
    # the part that names the concept is the call itself: advice, no finding
    ("Pain fell; trials of LDN for remission are warranted.", "Nineteen"),
])
def test_a_finding_joined_to_a_call_for_research_by_a_semicolon_still_decides(last_two: str, decides: str) -> None:
    from ldn_graph.judge.abstract import deciding_sentence

    def names(text: str) -> bool:
        return "remission" in text.lower()

    def product(text: str) -> bool:
        return "LDN" in text

    review = synthetic_study(
        "99000501", "LDN in Crohn's disease: a chart review",
        (None, "We reviewed 47 adults with Crohn's disease given LDN. Nineteen (40%) were in clinical remission at "  # type: ignore[arg-type]
               f"12 weeks with LDN. Eleven stopped LDN for lack of effect. {last_two}"))
    decided = deciding_sentence(review, names, product)
    assert decided is not None and decided.text.startswith(decides)


def test_a_study_of_one_group_alone_reports_on_no_group_apart(tmp_path: Path) -> None:
    """"Among older adults" names the study's people when the abstract reports on no other
    group (no children): the conclusions decide, not a sentence that happens to name adults."""
    cohort = synthetic_study(
        "99000601", "low-dose naltrexone and fatigue in older adults: a cohort study",
        ("METHODS", "We followed 300 older adults with long COVID taking low-dose naltrexone for 12 months."),
        ("RESULTS", "In older adults with long COVID, fatigue was lower with naltrexone at the first visit."),
        ("CONCLUSIONS", "Fatigue did not improve over 12 months with naltrexone."),
        mesh=NULL_TRIAL.mesh)
    assert _verdict(tmp_path, "Among older adults, LDN reduces fatigue [1].", cohort, "Fatigue") == "contradicted"


@pytest.mark.parametrize(("claim", "verdict"), [
    ("LDN improves brain fog [1].", "supported"),  # no time point: the later one is the study's result
    ("LDN starts to lift brain fog within the first month [1].", "contradicted"),  # read at week 4
    ("LDN lifts brain fog by 12 weeks [1].", "supported"),
])
def test_a_null_time_point_then_a_later_positive_one(tmp_path: Path, claim: str, verdict: str) -> None:
    trial = synthetic_study(
        "99000701", "low-dose naltrexone for cognition after COVID-19: a randomised trial",
        ("RESULTS", "Cognitive function scores did not differ between groups at week 4 (p=0.38), but at week 12 were "
                    "higher with naltrexone than with placebo (difference 3.1 points, 95% CI 0.9 to 5.3; p=0.006)."),
        mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, claim, trial, "Cognition") == verdict


def test_an_unstructured_abstracts_last_but_one_sentence_with_figures_is_a_result() -> None:
    from ldn_graph.judge.abstract import abstract_sentences

    def parts(*sentences: str) -> list[str]:
        study = synthetic_study("99000801", "naltrexone", (None, " ".join(sentences)))  # type: ignore[arg-type]
        return [s.part for s in abstract_sentences(study)]

    first = ("We randomly assigned 96 adults to naltrexone or placebo.", "Pain did not differ (p=0.61).")
    assert parts(*first, "Mood scores rose with naltrexone and fell with placebo (+1.9 vs -0.8; p=0.004).",
                 "Naltrexone worsened mood.")[-2:] == ["results", "conclusions"]
    assert parts(*first, "These findings do not support naltrexone for pain.",
                 "Naltrexone worsened mood.")[-2:] == ["conclusions", "conclusions"]


def test_a_later_clause_that_names_no_time_point_does_not_overturn_no_difference(tmp_path: Path) -> None:
    trial = synthetic_study(
        "99000702", "low-dose naltrexone for cognition after COVID-19: a randomised trial",
        ("RESULTS", "Cognitive function scores did not differ between groups (p=0.38), but at the same time "
                    "nausea was lower with naltrexone than with placebo."),
        mesh=NULL_TRIAL.mesh, publication_types=NULL_TRIAL.publication_types)
    assert _verdict(tmp_path, "LDN improves brain fog [1].", trial, "Cognition") == "contradicted"
