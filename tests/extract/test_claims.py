from __future__ import annotations

import pytest
from claim_helpers import concepts
from paths import ROOT

from ldn_graph.extract.claim_ids import claim_id
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.matching import TermMatcher
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_document, read_text_document

ROOT = ROOT
EXAMPLES = ROOT / "examples"



def claims_of(text: str, vocab, learned: bool = True):
    doc = read_text_document(text.encode(), "synthetic.txt")
    refs, markers = find_references(doc)
    return doc, extract_claims(doc, vocab, refs, markers, learned)


def concepts_in(text: str, vocab) -> set[str]:
    """The concepts claimed in one synthetic sentence or paragraph."""
    return {c.concept.name for c in claims_of(text + "\n", vocab)[1]}


def pairs(claims):
    return {(c.text, c.concept.name) for c in claims}


def test_every_claim_keeps_its_exact_span(vocab):
    for page in EXAMPLES.glob("*.txt"):
        doc = read_document(page)
        for c in extract_claims(doc, vocab, *find_references(doc)):
            assert doc.text[c.start : c.end] == c.text
            assert c.start <= c.match_start < c.match_end <= c.end
            assert c.id.split("-")[0] == claim_id(c.text, c.concept)


def test_bullets_continue_the_sentence_above_and_inherit_its_hedge(vocab):
    _, claims = claims_of("LDN can help with:\n- Crohn's\n- lupus\n", vocab)
    assert {(c.text, c.concept.name) for c in claims} == {("Crohn's", "CrohnDisease"), ("lupus", "Lupus")}
    assert all(c.hedged for c in claims)
    assert all(c.type == "indication" for c in claims)


def test_parenthetical_examples_and_several_claims_in_one_sentence(vocab):
    _, claims = claims_of("By inhibiting TLR4, LDN reduces pro-inflammatory cytokines (e.g., TNF-α, IL-6).\n", vocab)
    assert [c.concept.name for c in claims] == ["Tlr4Antagonism", "CytokineReduction"]
    assert claims[0].hedged is False


@pytest.mark.parametrize(
    "sentence",
    [
        "LDN may improve sleep.",
        "LDN is thought to restore T-regulatory cell function.",
        "LDN has been shown to reduce fatigue.",
        "LDN improves sleep, although further studies are needed.",
    ],
)
def test_hedges_are_recorded(vocab, sentence):
    _, claims = claims_of(sentence + "\n", vocab)
    assert claims and all(c.hedged for c in claims)


def test_spelling_variants_and_abbreviations(vocab):
    text = (
        "LDN lowers TNF-alpha and tumor necrosis factor. It blocks mu-opioid and μ-opioid receptors.\n"
        "It restores T-regs, regulatory T-cells and Tregs. It helps Hashimoto thyroiditis and Hashimoto’s.\n"
        "It helps CFS/ME and ME/CFS. It helps MS.\n"
    )
    _, claims = claims_of(text, vocab)
    names = [c.concept.name for c in claims]
    for expected in ("CytokineReduction", "OpioidReceptorBlockade", "TregRestoration", "HashimotoThyroiditis", "ChronicFatigueSyndrome", "MultipleSclerosis"):
        assert expected in names


def test_case_sensitive_abbreviations_do_not_match_ordinary_words(vocab):
    _, claims = claims_of("Tell me more. Call ms Smith. The ra value rose.\n", vocab)
    assert claims == []


def test_warnings_are_contraindications_and_side_effect_lists_are_safety(vocab):
    text = (
        "Note: LDN should not be taken with opioid pain medications, as it may block their effect.\n"
        "Side effects\n- Fatigue\n- Vivid dreams\n"
        "Benefits\n- Lowers fatigue\n"
    )
    _, claims = claims_of(text, vocab)
    by_text = {c.text: c for c in claims}
    assert by_text["Note: LDN should not be taken with opioid pain medications, as it may block their effect."].type == "contraindication"
    assert by_text["Fatigue"].type == "safety"
    assert by_text["Vivid dreams"].type == "safety"
    assert by_text["Lowers fatigue"].type == "benefit"


def test_storage_shipping_and_legal_text_carry_no_claims(vocab):
    text = (
        "Store at 20°C to 25°C; keep away from moisture to protect fibromyalgia capsules.\n"
        "We ship nationwide to people with Crohn's disease.\n"
        "This product is not intended to diagnose, treat, cure, or prevent lupus.\n"
    )
    _, claims = claims_of(text, vocab)
    assert claims == []


def test_faq_heading_is_not_a_claim_but_its_answers_are(vocab):
    text = "Frequently Asked Questions\nWhat can LDN help with for fibromyalgia?\n-\nChronic pain & fibromyalgia\n"
    _, claims = claims_of(text, vocab)
    assert pairs(claims) == {("Chronic pain & fibromyalgia", "ChronicPain"), ("Chronic pain & fibromyalgia", "Fibromyalgia")}


def test_instructions_in_parentheses_are_not_claims(vocab):
    text = "Use caution with LDN in:\n- Patients with major depressive disorder (monitor mood)\n"
    _, claims = claims_of(text, vocab)
    assert pairs(claims) == {("Patients with major depressive disorder (monitor mood)", "Depression")}


def test_matcher_prefers_the_longest_term(vocab):
    matcher = TermMatcher(vocab.concepts)
    found = matcher.find("complex regional pain syndrome and chronic pain and opioid pain medications")
    assert [c.name for c, _, _ in found] == ["ComplexRegionalPainSyndrome", "ChronicPain", "OpioidUse"]


def test_claims_cite_the_markers_in_their_sentence(vocab):
    text = "LDN helps fibromyalgia [1]. It helps Crohn's disease.\n\nReferences\n1. Younger J, Noor N. Low-dose naltrexone. Arthritis Rheum. 2013;65(2):529-38.\n"
    _, claims = claims_of(text, vocab)
    cited = {c.concept.name: c.cited for c in claims}
    assert cited == {"Fibromyalgia": ("1",), "CrohnDisease": ()}


@pytest.mark.parametrize(
    "text",
    [
        "# LDN\n\nI never had a single headache on LDN.\n",  # an outcome that did not happen
        "# LDN\n\nLDN hasn't changed my energy levels yet.\n",
        "# LDN\n\nI'm not aware of good evidence that LDN slows MS down.\n",
        "# LDN\n\nFor ME/CFS, no large trial of LDN has been published.\n",
        "# LDN\n\n## Common symptoms\n\n- fatigue that rest does not fix\n- poor sleep\n",  # a condition's symptoms
        "# LDN\n\nCall the advice line if you have:\n\n- severe pain in your tummy\n- a high temperature\n",
        "# LDN\n\nLDN will not cure long COVID.\n",
        "# LDN\n\nA later trial of LDN found no significant difference from placebo in pain intensity.\n",
        "# LDN\n\nOn LDN, differences in fatigue and sleep quality did not reach significance.\n",
        "# LDN\n\nTrue or false: LDN has been shown to reduce fatigue in multiple sclerosis.\n",  # a quiz's prompt
        # evidence said to be small, mixed, missing or of a weak kind
        "# LDN\n\nThe research on LDN in MS is small, and the results point in different directions.\n",
        "# LDN\n\nFor ME/CFS there are mostly case reports and surveys of LDN.\n",
        "# LDN\n\nThere are no large randomized controlled trials of LDN in autoimmune thyroid disease.\n",
        "# LDN\n\nI'm not aware of any large trial showing LDN works in long COVID.\n",
        "# LDN\n\nFor long COVID, the evidence on LDN is thinner still.\n",
        "# LDN\n\nSince a COVID infection in 2024 you have had crushing tiredness and brain fog.\n",
        # as on placebo, or nothing found to go on
        "# LDN\n\nThe largest trial found that pain on LDN was about the same as on placebo.\n",
        "# LDN\n\nIn depression, a small add-on trial of LDN did not beat placebo.\n",
        "# LDN\n\nWe found no trials of LDN in ulcerative colitis.\n",
        "# LDN\n\nWe know of almost no research on LDN in lupus.\n",
        "# LDN\n\nMood scores on LDN changed little in any study.\n",
        # research still to come
        "# LDN\n\nA randomised trial of LDN in fibromyalgia is now being planned.\n",
        "# LDN\n\nStill needed: large, long-term trials of LDN in MS and Crohn's disease.\n",
        "# LDN\n\nA trial of LDN in CRPS has been registered.\n",
        "# LDN\n\nWe think LDN deserves proper trials in ME/CFS.\n",
        "# LDN\n\nThe next step is an adequately powered randomised trial of LDN in fibromyalgia.\n",
        "# LDN\n\nWe will look at LDN again when the ongoing long COVID trials report.\n",
        "# LDN\n\nWe know of no completed trial of LDN in ME/CFS.\n",
        # untouched, unchanged
        "# LDN\n\nHonestly, LDN didn't touch my MS fatigue.\n",
        "# LDN\n\nThree months on LDN for my Hashimoto's and my antibodies haven't budged.\n",
        "# LDN\n\nAmong members on LDN with Crohn's disease, most said their bowel symptoms were unchanged.\n",
        "# LDN\n\nLDN is not a proven treatment for chronic pain in adults.\n",
        "# LDN\n\nA trial in MS fatigue found no clear advantage for LDN over placebo.\n",
        # a study's limitation, no finding
        "# LDN\n\nThere was no comparison group, and many people with long COVID get better gradually anyway.\n",
        "# LDN\n\nOur nine patients with CRPS are too few to add much to what is known about LDN.\n",
    ],
)
def test_questions_null_results_symptoms_and_conditions_are_not_claims(vocab, text):
    _, claims = claims_of(text, vocab)
    assert [(c.text, c.concept.name) for c in claims] == []


def test_a_condition_that_has_not_budged_with_other_medicines_is_who_it_is_for(vocab):
    text = "# LDN\n\nLDN may help fibromyalgia and widespread pain that hasn't budged with the usual medicines.\n"
    _, claims = claims_of(text, vocab)
    assert "Fibromyalgia" in {c.concept.name for c in claims}


def test_a_limitation_beside_a_finding_only_qualifies_it(vocab):
    text = "# LDN\n\nAn open pilot of LDN reported that most people with Crohn's improved, but it had no placebo group.\n"
    _, claims = claims_of(text, vocab)
    assert "CrohnDisease" in {c.concept.name for c in claims}


def test_a_lead_in_whose_condition_is_its_own_clause_does_not_make_its_items_conditions(vocab):
    # "When LDN suits someone, this is what they tell us:" sets when the items hold; it
    # does not make them conditions, as "Call the advice line if you have:" does
    text = "# LDN\n\nWhen LDN suits someone, this is what they tell us:\n\n- They have more energy by late afternoon.\n"
    _, claims = claims_of(text, vocab)
    assert [c.concept.name for c in claims] == ["Fatigue"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Using LDN for pain or fatigue is off-label in the United States.", set()),
        # a condition whose use is off-label, where that is what the sentence says
        ("Using it for CRPS is off-label, meaning the medicine isn't licensed for that purpose.", set()),
        ("Prescribing LDN for Crohn's or colitis is unlicensed in the UK.", set()),
        ("Many GPs prefer not to, because LDN is used off-label for pain in the UK.", set()),
        # a condition it is prescribed for off-label is still its use; a benefit said to come is a claim
        ("Some doctors prescribe LDN off-label for fibromyalgia.", {"Fibromyalgia"}),
        ("LDN is used off-label, and for many it eases pain.", {"PainRelief"}),
    ],
)
def test_a_benefit_named_as_an_off_label_use_is_no_claim(vocab, sentence, expected):
    _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab)
    assert {c.concept.name for c in claims} == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("For fibromyalgia, the evidence on LDN is small but encouraging.", {"Fibromyalgia"}),
        ("A few patients take LDN for lupus, where the evidence is thinner.", {"Lupus"}),
        ("The evidence base for LDN is small; the strongest signal is in fibromyalgia.", {"Fibromyalgia"}),
        ("Evidence for LDN in MS comes from small studies, in which some people reported less fatigue.",
         {"MultipleSclerosis", "Fatigue"}),
    ],
)
def test_thin_evidence_that_still_shows_something_keeps_its_claims(vocab, sentence, expected):
    _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab)
    assert {c.concept.name for c in claims} == expected


def test_a_question_that_takes_a_benefit_for_granted_is_still_a_hedged_claim(vocab):
    _, claims = claims_of("# LDN\n\nCould LDN be the answer for your fatigue?\n", vocab)
    assert [(c.concept.name, c.hedged) for c in claims] == [("Fatigue", True)]


def test_no_serious_adverse_events_is_a_safety_claim_not_a_denied_outcome(vocab):
    _, claims = claims_of("# LDN\n\nThe trials of LDN so far have reported no serious adverse events.\n", vocab)
    assert [(c.concept.name, c.type) for c in claims] == [("GeneralSafety", "safety")]


def test_a_question_inside_a_paragraph_asks_and_claims_nothing(vocab):
    text = "# LDN\n\nLDN may ease pain. Does LDN interact with the tramadol I take? Has anyone here tried LDN for fibro?\n"
    _, claims = claims_of(text, vocab)
    assert pairs(claims) == {("LDN may ease pain.", "PainRelief")}


def test_shop_talk_is_no_claim_but_a_vocabulary_term_that_holds_its_word_is():
    ldn = load_vocabulary()
    assert claims_of("Free delivery on every LDN order for chronic pain patients.", ldn)[1] == []
    # a change the product makes is a claim, shop talk around it or not
    _doc, eased = claims_of("We offer free delivery of LDN, which eases pain for many.", ldn)
    assert [c.concept.name for c in eased] == ["PainRelief"]
    dash = load_vocabulary(ROOT / "tests" / "verdicts" / "dash-plus-f.ttl")
    _doc, lowered = claims_of("The DASH-Plus program of coaching and delivered groceries lowers blood pressure.", dash)
    assert [c.concept.name for c in lowered] == ["BloodPressure"]
    epidural = load_vocabulary(ROOT / "tests" / "verdicts" / "labor-epidural-f.ttl")
    _doc, found = claims_of("Having a labour epidural lowers the rate of assisted delivery.", epidural)
    assert [c.concept.name for c in found] == ["AssistedDelivery"]


def test_a_benefits_word_naming_a_signal_is_no_claim_of_it_but_a_mechanisms_is(vocab):
    _doc, found = claims_of("LDN may quieten the microglia that keep pain signals firing.", vocab)
    assert "PainRelief" not in {c.concept.name for c in found}
    _doc, found = claims_of("LDN damps TLR4 signalling on microglia.", vocab)
    assert "Tlr4Antagonism" in {c.concept.name for c in found}
    _doc, found = claims_of("Flu-like aches can follow a dose increase of LDN.", vocab)
    assert {c.concept.name for c in found} >= {"FluLikeSymptoms"} and "PainRelief" not in {c.concept.name for c in found}



@pytest.mark.parametrize("sentence", [
    "On LDN I could cut the amitriptyline I take for nerve pain right down.",
    "You can keep using ibuprofen for pain alongside LDN when you need it.",
])
def test_a_benefit_named_as_another_medicines_purpose_is_no_claim_of_it(vocab, sentence):
    _doc, found = claims_of(sentence, vocab)
    assert "PainRelief" not in {c.concept.name for c in found}
    _doc, found = claims_of("Many take LDN for pain.", vocab)
    assert "PainRelief" in {c.concept.name for c in found}


@pytest.mark.parametrize("sentence", [
    "Several pain patients on LDN now need fewer painkillers.",  # the people who have it
    "As LDN wears off, the body makes more of its own pain-relieving chemicals, called endorphins.",
    "LDN seems to raise endorphins, the natural chemicals that dampen pain.",  # what the substance does
    "As LDN wears off, the body turns up its own pain-dampening chemicals such as endorphins.",
    "LDN seems to raise endorphins and enkephalins, natural chemicals involved in pain control.",
    # a symptom kept going is how the illness works
    "LDN may calm microglia, immune cells which can keep pain and tiredness going when overactive.",
])
def test_a_benefits_word_naming_people_or_the_bodys_own_substances_is_no_claim_of_it(vocab, sentence):
    _doc, found = claims_of(sentence, vocab)
    assert found and "PainRelief" not in {c.concept.name for c in found}
    _doc, found = claims_of("LDN eased the pain of several patients.", vocab)
    assert "PainRelief" in {c.concept.name for c in found}


def test_a_benefits_verb_before_the_people_it_acts_on_stays(vocab):
    # "screen patients": a verb and its object (no determiner before it), not people named by it
    dental = load_vocabulary(ROOT / "tests" / "verdicts" / "dental-hygienist-cdss-h.ttl")
    _doc, found = claims_of("A decision-support tool lets dental hygienists screen patients for diabetes [1].", dental)
    assert "ChairsidePrimaryCareScreening" in {c.concept.name for c in found}


@pytest.mark.parametrize("text", [
    "On LDN my flares come less often and are easier to ride out.",
    "A few customers tell us their relapses seem milder on LDN.",
    "Since starting LDN, 48% said their flare-ups had become less frequent or less severe.",
    "On LDN my colitis flares are nowhere near as bad as they used to be.",
    "Six months on LDN, I have fewer bad weeks.",
    # still there, but less; or less than they used to be
    "On LDN the bad weeks still come, but they're shorter.",
    "On LDN I still have flare days, but they come less often.",
    "On LDN I'm flaring maybe twice a year now instead of five or six times.",
])
def test_flares_said_to_be_rarer_or_milder_are_a_benefit(text, vocab):
    _, claims = claims_of(text + "\n", vocab)
    assert [(c.concept.name, c.type) for c in claims if c.concept.name == "FlareSeverity"] == [("FlareSeverity", "benefit")]


def test_breakfast_eaten_is_no_time_of_dose(vocab):
    _, claims = claims_of("On LDN the queasiness stopped once I ate breakfast.\n", vocab)
    assert "DoseTiming" not in {c.concept.name for c in claims}


def test_a_next_step_is_no_dose_step(vocab):
    _, claims = claims_of("Together you decide whether LDN is a sensible next step.\n", vocab)
    assert "DoseTitration" not in {c.concept.name for c in claims}


def test_words_of_dropping_off_to_sleep_are_no_drop(vocab):
    _, claims = claims_of("On LDN my pain dropped from an eight to a four.\n", vocab)
    assert "SleepDisturbance" not in {c.concept.name for c in claims}


def test_flares_themselves_are_not_a_milder_flare(vocab):
    _, claims = claims_of("LDN can bring on flares in the first weeks.\n\nBad days happen on LDN.\n\n"
                          "On LDN a flare came, but I rode it out.\n", vocab)
    assert "FlareSeverity" not in {c.concept.name for c in claims}


@pytest.mark.parametrize("text", [
    "No trial has shown that LDN reduces pain or slows disability.",
    "No randomised study so far has found that LDN eases pain.",
    "No large, well-run trial has shown that LDN reduces pain specifically.",
])
def test_what_no_study_has_shown_is_no_claim(text, vocab):
    assert "PainRelief" not in concepts_in(text, vocab)


def test_burning_that_eases_is_pain_relief(vocab):
    _, claims = claims_of("On LDN the burning in my feet has calmed down.\n", vocab)
    assert ("PainRelief", "benefit") in {(c.concept.name, c.type) for c in claims}


@pytest.mark.parametrize(("text", "concept"), [
    ("On LDN the afternoon slump has mostly gone.", "Fatigue"),
    ("Since LDN there is a bit more left in the tank by mid-afternoon.", "Fatigue"),
    ("He now gets two usable hours in the afternoon on LDN.", "Fatigue"),
    ("Since LDN my head feels less like cotton wool.", "Cognition"),
    ("Some say their thinking feels sharper on LDN.", "Cognition"),
    ("We prescribe LDN for lingering exhaustion months after a COVID infection.", "LongCovid"),
    ("LDN was studied in people with persistent fatigue after COVID-19.", "LongCovid"),
    ("Side effects of LDN: trouble dropping off, or waking in the small hours.", "SleepDisturbance"),
    ("I take LDN with breakfast now because the night-time dose kept me awake.", "SleepDisturbance"),
    ("If LDN spoils your sleep, moving it to breakfast time often sorts that out.", "DoseTiming"),
    ("If you have an operation coming up, tell the surgical team you are on LDN.", "OpioidUse"),
    ("Tell the hospital you take LDN before any planned surgery.", "OpioidUse"),
    ("LDN does not produce a high, and you can stop it without tapering.", "NonAddictive"),
    ("LDN carries no risk of harm: it gives no buzz.", "NonAddictive"),
    ("You will not get withdrawal symptoms from stopping LDN.", "NonAddictive"),
    ("Missing a night of LDN does not cause any withdrawal.", "NonAddictive"),
    # colitis on its own, and thyroid symptoms the other way
    ("Since LDN my colitis flares have been fewer and milder.", "UlcerativeColitis"),
    ("We prescribe LDN for Crohn's disease and other inflammatory bowel conditions.", "UlcerativeColitis"),
    ("For the first weeks on LDN I felt more hypo: cold and sluggish.", "HypothyroidSymptoms"),
    # a mood made worse, in everyday words
    ("At 4.5 mg LDN made me jittery and snappy.", "MoodChanges"),
    ("LDN can occasionally shift mood in the early weeks.", "MoodChanges"),
    # the gut upset in everyday words
    ("LDN gave me a touchy stomach for a week.", "GastrointestinalUpset"),
    ("Some people on LDN notice a change in bowel habits.", "GastrointestinalUpset"),
    # waking in the small hours
    ("On LDN I woke at 4 a.m. most nights.", "SleepDisturbance"),
    ("The first fortnight on LDN I was waking at four every morning.", "SleepDisturbance"),
    # a better mood in everyday words
    ("Since LDN I'm far less snappy with the kids.", "Mood"),
    ("On LDN the women reported feeling in better spirits.", "Mood"),
    ("My husband says I'm less cranky on LDN.", "Mood"),
    # the nervous system's immune cells calmed, the body's own feel-good chemicals
    ("LDN may calm the immune cells in the nervous system that keep pain going.", "Neuroinflammation"),
    ("LDN settles the nervous system's own immune cells.", "Neuroinflammation"),
    ("LDN seems to cut glial release of IL-6.", "Neuroinflammation"),
    ("After the block wears off, the body makes more of its own feel-good chemicals on LDN.", "EndorphinRebound"),
    ("LDN is followed by a rise in the body's own opioid peptides.", "EndorphinRebound"),
    # the receptor block in other words
    ("LDN sits on the same receptors that codeine needs.", "OpioidReceptorBlockade"),
    ("The theory is that a brief opioid blockade each night prompts more endorphins on LDN.", "OpioidReceptorBlockade"),
    ("A small dose of LDN plugs the opioid receptors for a few hours.", "OpioidReceptorBlockade"),
    ("LDN blocks the body's own painkiller receptors overnight.", "OpioidReceptorBlockade"),
    # the opioid named in other words
    ("LDN cannot be combined with anything in the opioid family.", "OpioidUse"),
    ("Ask for a gap of a week after the last opioid dose before the first LDN capsule.", "OpioidUse"),
    ("In someone who takes an opioid every day, LDN can bring on sudden sickness.", "OpioidUse"),
    # the withdrawal LDN brings on where the opioid goes unnamed
    ("LDN sits on the same receptors, so the painkiller stops working and you can be pushed into withdrawal.", "OpioidUse"),
    ("Taken with those medicines, LDN may trigger withdrawal within hours.", "OpioidUse"),
    ("In someone who takes them every day, LDN can set off withdrawal.", "OpioidUse"),
    ("On LDN a few MS patients have felt their usual symptoms flare for a few days.", "AutoimmuneFlare"),
    ("On LDN, your usual symptoms may stir up for a few days after you start.", "AutoimmuneFlare"),
    ("The small LDN studies so far had found no serious side effects.", "GeneralSafety"),
    ("With LDN, serious side effects appear to be rare.", "GeneralSafety"),
    ("Since LDN I am down to the odd paracetamol.", "OpioidSparing"),
    ("On LDN I have managed to halve my painkillers.", "OpioidSparing"),
    ("On LDN some patients reduce their use of simple analgesics.", "OpioidSparing"),
    ("If you notice palpitations on LDN, let us know so we can recheck your labs.", "ThyroidDoseChange"),
    ("Before LDN, ask to have your TSH and free T4 checked.", "ThyroidDoseChange"),
    ("My doctor had to lower my thyroid medicine when my heart started racing on LDN.", "ThyroidDoseChange"),
    ("The endorphins LDN prompts may help steady the immune system.", "Immunomodulation"),
    ("LDN may nudge the immune system back towards a better balance.", "Immunomodulation"),
    ("On LDN his bowels calmed down within six weeks.", "Remission"),
    ("LDN seems to quiet the gut down enough for the lining to heal.", "Remission"),
    ("A bedtime dose of LDN gave her vivid dreams and broken nights.", "SleepDisturbance"),
    ("Stay on this LDN dose a little longer if your sleep is unsettled.", "SleepDisturbance"),
    ("LDN is the same medicine at roughly a tenth of that strength, or less.", "LowDoseRange"),
    ("That is a tenth or less of the 50 mg tablet, which is why LDN has to be made to order.", "LowDoseRange"),
    ("Give each step of LDN a couple of weeks before deciding.", "DoseTitration"),
    ("If an LDN increase is not tolerated, return to the previous step for two weeks.", "DoseTitration"),
    ("With LDN most clients build up over about a month.", "DoseTitration"),
])
def test_everyday_wordings_name_their_concept(text, concept, vocab):
    assert concept in concepts_in(text, vocab)


@pytest.mark.parametrize("text", [
    "A larger trial of LDN did not find a clear difference in pain between LDN and placebo.",
    "The largest trial of LDN could not demonstrate a meaningful difference in pain intensity.",
    "The trial of LDN failed to show any benefit on pain.",
    "A review judged the evidence insufficient to support or refute LDN for pain.",
])
def test_what_a_study_could_not_find_is_no_claim(text, vocab):
    assert "PainRelief" not in concepts_in(text, vocab)


def test_a_run_in_label_not_recommended_is_no_indication(vocab):
    _, claims = claims_of("LDN decisions:\n\n- Long COVID: not recommended outside a clinical trial.\n"
                          "- CRPS: **not recommended** for routine use.\n- Fibromyalgia: recommended for a trial.\n", vocab)
    assert {c.concept.name for c in claims} == {"Fibromyalgia"}


def test_an_opening_for_clause_not_recommended_is_no_indication(vocab):
    _, claims = claims_of("LDN decisions:\n\nFor fibromyalgia and long COVID, routine prescribing of LDN is not recommended.\n\n"
                          "For Crohn's disease, LDN is recommended as an option.\n", vocab)
    assert {c.concept.name for c in claims} == {"CrohnDisease"}


def test_a_price_lists_rows_assert_nothing_but_a_row_with_a_note_may(vocab):
    text = ("Our low dose naltrexone (LDN) prices:\n\n| Form | Strength | 30 days | 90 days |\n|---|---|---|---|\n"
            "| Capsules | 0.5 mg | $34.00 | $89.00 |\n| Capsules | 4.5 mg | $39.00 | $102.00 |\n"
            "| Capsules | 1.5 mg | $36.00 | the usual starting dose |\n")
    doc = read_text_document(text.encode(), "synthetic.md")
    claims = extract_claims(doc, vocab, *find_references(doc))
    assert [c.text for c in claims] == ["| Capsules | 1.5 mg | $36.00 | the usual starting dose |"] * len(claims) and claims


def test_what_there_is_less_of_is_that_concept_only(vocab):
    _, claims = claims_of("Patients on LDN report fewer flares in autoimmune disease.\n", vocab)
    assert {c.concept.name for c in claims} >= {"FlareSeverity"}
    assert "AutoimmuneFlare" not in {c.concept.name for c in claims}


def test_what_drives_a_symptom_is_no_relief_of_it(vocab):
    _, claims = claims_of("LDN may quieten the nerve inflammation thought to amplify pain in fibromyalgia.\n\n"
                          "LDN may calm microglia, which some scientists believe drive much of the pain.\n", vocab)
    assert "PainRelief" not in {c.concept.name for c in claims}
    _, claims = claims_of("LDN eased the pain that drove me to bed.\n", vocab)
    assert "PainRelief" in {c.concept.name for c in claims}


def test_an_everyday_thing_done_again_may_take_a_few_more_words(vocab):
    _, claims = claims_of("Since LDN he can do the school run twice a week again.\n", vocab)
    assert "QualityOfLife" in {c.concept.name for c in claims}


@pytest.mark.parametrize("text", [
    "The research on LDN in Crohn's is still thin, mainly one small pilot study.",
    "Studies of LDN in Crohn's are limited to case reports and small case series.",
])
def test_research_said_to_be_thin_is_no_claim(text, vocab):
    assert "CrohnDisease" not in concepts_in(text, vocab)


def test_thin_research_that_shows_something_is_a_weak_claim(vocab):
    text = "Evidence for LDN in Crohn's is limited to case reports, in which some patients responded."
    assert "CrohnDisease" in concepts_in(text, vocab)


@pytest.mark.parametrize("text", [
    "LDN is not a replacement for thyroid hormone, disease-modifying drugs or biologics.",
    "LDN does not replace levothyroxine, and it is not licensed for any thyroid condition.",
])
def test_what_the_product_does_not_replace_is_no_claim(text, vocab):
    assert "ThyroidDoseChange" not in concepts_in(text, vocab)


@pytest.mark.parametrize("text", [
    "Eight months on LDN and I honestly can't say my fatigue is any different.",
    "In the end I couldn't see any change in my energy on LDN, so I stopped.",
    "Switching LDN to the morning made zero difference to my fatigue.",
])
def test_a_change_the_writer_cannot_see_is_no_claim(text, vocab):
    assert "Fatigue" not in concepts_in(text, vocab)


@pytest.mark.parametrize("text", [
    "On LDN some members describe a temporary worsening of their usual MS symptoms when they first start.",
    "If you have MS, your usual symptoms may get a little worse for the first few days on LDN.",
])
def test_a_condition_whose_symptoms_get_worse_is_no_indication(text, vocab):
    assert "MultipleSclerosis" not in concepts_in(text, vocab)


def test_a_condition_whose_flares_got_milder_is_still_one(vocab):
    _, claims = claims_of("My sister has ulcerative colitis and LDN made her flare-ups way milder too.\n", vocab)
    assert "UlcerativeColitis" in {c.concept.name for c in claims}


@pytest.mark.parametrize(("text", "concept"), [
    ("Patients who are weaning from opioids should complete the taper before LDN is started.", "OpioidUse"),
    ("Prescribers of LDN ask patients to come off opioids completely first.", "OpioidUse"),
    ("On LDN I came off tramadol first, and I haven't needed anything stronger than Tylenol since.", "OpioidSparing"),
])
def test_coming_off_opioids_before_starting_is_a_precondition_unless_less_is_needed_after(text, concept, vocab):
    assert concept in concepts_in(text, vocab)


def test_a_dose_change_that_says_when_a_harm_comes_is_no_dosing_claim(vocab):
    _, claims = claims_of("Flu-like aches are occasionally reported after a dose increase of LDN.\n\n"
                          "A few days of aching or feeling flu-ish when starting or raising the LDN dose.\n", vocab)
    assert "DoseTitration" not in {c.concept.name for c in claims}
    _, claims = claims_of("On LDN your usual symptoms may flare for a short time when you start or raise the dose.\n\n"
                          "LDN side effects often ease within two weeks of starting or of a dose increase.\n", vocab)
    assert "DoseTitration" not in {c.concept.name for c in claims}
    _, claims = claims_of("Raise the LDN dose every two weeks.\n\n"
                          "I had two days of aching when I jumped to 4.5 mg of LDN, so slower is better.\n", vocab)
    assert [c.concept.name for c in claims].count("DoseTitration") == 2


@pytest.mark.parametrize("text", [
    "The Hallowmere Long COVID Support Group meets monthly to talk about LDN.",
    "The Northfield Long COVID Circle is a volunteer-run group whose members take LDN.",
])
def test_a_groups_name_names_no_condition(text, vocab):
    assert "LongCovid" not in concepts_in(text, vocab)


@pytest.mark.parametrize("text", [
    "By contrast, with LDN we found no meaningful change in disease activity in rheumatoid arthritis.",
    "We found no evidence that LDN altered disease activity in rheumatoid arthritis.",
])
def test_what_a_study_found_no_change_in_is_no_claim(text, vocab):
    assert "RheumatoidArthritis" not in concepts_in(text, vocab)


def test_a_condition_set_apart_by_outside_is_no_indication(vocab) -> None:
    found = concepts("Outside fibromyalgia, LDN is prescribed for complex regional pain syndrome.", vocab)
    assert "Fibromyalgia" not in found
    assert "ComplexRegionalPainSyndrome" in found
    # an exception keeps its harm: "nothing apart from some wild dreams"
    assert "VividDreams" in concepts("I noticed nothing on LDN apart from some wild dreams.", vocab)


@pytest.mark.parametrize(
    "sentence, tolerability",
    [
        ("LDN is generally well tolerated.", True),
        ("Most people tolerate LDN without trouble.", True),
        ("On LDN, the capsule was rated as tolerable as the dummy pill.", True),
        # the bare verb is another drug's tolerance or a titration's pace (vocabulary data:
        # "tolerability" is an exact label, matched without its word family)
        ("LDN may help when first-line agents are not tolerated.", False),
        ("Raise the LDN dose every week or two as tolerated.", False),
        ("LDN has no recognised potential for dependence, tolerance or misuse.", False),
    ],
)
def test_a_quality_of_the_product_needs_its_qualifier(vocab, sentence, tolerability):
    # the rules; the sentence model's reading of "as tolerated" is a known misreading
    # (tests/extract/test_sentence_model.py)
    for learned in (False, True) if "as tolerated" not in sentence else (False,):
        _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab, learned)
        assert ("Tolerability" in {c.concept.name for c in claims}) is tolerability


@pytest.mark.parametrize(
    "sentence",
    [
        "If LDN keeps you up at night, a morning dose might be worth asking about.",
        "Take LDN at bedtime unless sleep suffers, in which case a morning dose often helps.",
        "On LDN some people have a lighter night's sleep in the first weeks.",
    ],
)
def test_sleep_disturbance_in_the_words_of_a_dose_timing_tip(vocab, sentence):
    # vocabulary data; the timing tip keeps its own claim beside it
    _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab)
    assert "SleepDisturbance" in {c.concept.name for c in claims}


def test_a_label_read_only_as_written_does_not_swallow_its_neighbour(vocab):
    _, claims = claims_of("# LDN\n\nSwitching LDN to mornings sorted the early waking within a week.\n", vocab)
    assert {"DoseTiming", "SleepDisturbance"} <= {c.concept.name for c in claims}


@pytest.mark.parametrize(
    "sentence",
    [
        "Some cough mixtures and anti-diarrhoea remedies contain opioids, which LDN blocks.",
        "Taking an opioid while on LDN can bring on withdrawal: sweating, vomiting, diarrhoea and anxiety.",
        "Taking opioids with LDN can bring on withdrawal symptoms such as sweating, shivering and feeling agitated.",
    ],
)
def test_the_words_of_an_opioid_warning_are_its_own(vocab, sentence):
    # vocabulary data: OpioidUse ldng:hasSign GastrointestinalUpset, Anxiety, FluLikeSymptoms, Restlessness
    _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab)
    assert {c.concept.name for c in claims} <= {"OpioidUse", "OpioidReceptorBlockade"}
    assert "OpioidUse" in {c.concept.name for c in claims}


def test_cravings_where_the_product_is_said_not_to_be_habit_forming_are_addictions_sign(vocab):
    # vocabulary data: NonAddictive ldng:hasSign WeightAndCravings
    _, claims = claims_of("# LDN\n\nLDN isn't habit-forming: it doesn't cause a high or cravings.\n", vocab)
    assert {c.concept.name for c in claims} == {"NonAddictive"}


@pytest.mark.parametrize(
    "sentence, harm",
    [
        ("Stop LDN and call us if you notice yellowing of your skin or pain under your right ribs.", "LiverSafety"),
        ("In the first week on LDN I felt like I was getting flu, aching all over and shivery.", "FluLikeSymptoms"),
    ],
)
def test_pain_named_as_a_harms_sign_is_no_pain_relief(vocab, sentence, harm):
    # vocabulary data: ldng:hasSign PainRelief on the harm
    _, claims = claims_of(f"# LDN\n\n{sentence}\n", vocab)
    names = {c.concept.name for c in claims}
    assert harm in names and "PainRelief" not in names


@pytest.mark.parametrize(
    "sentence, kept, dropped",
    [
        ("A temporary worsening of symptoms at the start of LDN has been reported in some autoimmune conditions.",
         "AutoimmuneFlare", "AutoimmuneDisease"),
        ("There isn't enough information to say LDN is safe in pregnancy.", "PregnancyLactation", "GeneralSafety"),
        ("Taking LDN at bedtime gives a short block of the receptors while you sleep.", "DoseTiming", "Sleep"),
        ("A minority of people on LDN notice low mood or irritability in the first weeks.", "MoodChanges", "Depression"),
    ],
)
def test_a_harms_own_words_claim_nothing_of_their_own(vocab, sentence, kept, dropped):
    # vocabulary data: ldng:hasSign (under a heading that says the product helps)
    _, claims = claims_of(f"# LDN\n\n## How LDN may help\n\n{sentence}\n", vocab)
    names = {c.concept.name for c in claims}
    assert kept in names and dropped not in names


def test_a_symptom_said_to_have_stopped_is_no_denial(vocab):
    # "not … any more" says it stopped: less of it, a benefit
    _, claims = claims_of("# LDN\n\nSince LDN I'm not napping every afternoon any more.\n", vocab)
    assert "Fatigue" in {c.concept.name for c in claims}
    _, claims = claims_of("# LDN\n\nOn LDN I'm not napping less, sadly.\n", vocab)
    assert "Fatigue" not in {c.concept.name for c in claims}


def test_items_of_what_a_trial_will_measure_or_who_may_join_are_no_claims(vocab):
    text = ("# LDN trial\n\nThe team will also look at:\n\n- tiredness and energy levels\n- sleep quality\n\n"
            "People may be able to join if they:\n\n- have had rheumatoid arthritis for at least a year\n\n"
            "People cannot take part if they:\n\n- take any opioid painkiller, because LDN blocks it\n")
    doc = read_text_document(text.encode(), "synthetic.md")
    found = {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))}
    assert "OpioidUse" in found  # who may not join: the contraindication stands
    assert not found & {"Fatigue", "Sleep", "RheumatoidArthritis"}


def test_a_missing_trial_after_a_finding_leaves_the_finding(vocab):
    text = ("# LDN\n\nFor long COVID there are mostly clinic reports and small open studies of LDN suggesting "
            "less fatigue and brain fog, and no large trial has been done yet.\n")
    doc = read_text_document(text.encode(), "synthetic.md")
    assert {"Fatigue", "LongCovid"} <= {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))}


@pytest.mark.parametrize(("sentence", "negated"), [
    ("Insomnia isn't a side effect of LDN.", True),
    ("Don't worry about insomnia, it isn't a side effect of LDN.", True),
    ("Headaches are not a known risk with LDN.", True),
    ("Headache is a side effect of LDN.", False),
    ("Headache is a side effect of LDN, not a sign it is failing.", False),
])
def test_a_harm_denied_after_its_name_is_a_negated_claim(vocab, sentence, negated):
    [claim] = [c for c in claims_of(sentence, vocab)[1] if c.type == "safety"]
    assert claim.negated is negated


@pytest.mark.parametrize(("sentence", "found", "negated"), [
    # the product said not to bring on a harm named by its verb: a claim that denies it
    ("Low-dose naltrexone does not disturb sleep.", True, True),
    ("LDN doesn't disturb sleep, unlike many medicines.", True, True),
    ("LDN doesn't cause insomnia.", True, True),  # "doesn't" negates as "does not" does
    # no product named before the denial: an outcome that did not happen, no claim
    ("Since starting LDN my nights are fine; I do not sleep badly.", False, None),
])
def test_a_harm_the_product_is_said_not_to_bring_on_is_a_negated_claim(vocab, sentence, found, negated):
    claims = [c for c in claims_of(sentence, vocab)[1] if c.concept.name == "SleepDisturbance"]
    assert bool(claims) is found
    if found:
        assert claims[0].negated is negated


def test_a_hyphenated_word_with_dont_in_it_negates_nothing(vocab):
    [claim] = [c for c in claims_of("LDN relieves the burning, don't-touch-me pain of CRPS.", vocab)[1]
               if c.concept.name == "ComplexRegionalPainSyndrome"]
    assert not claim.negated


@pytest.mark.parametrize(("sentence", "sleep"), [
    # a benefit that is a sign of the dose's timing ("at bedtime … sleep") is claimed where it
    # is said to get deeper or more restful
    ("Take your LDN at bedtime and you'll sleep more soundly than you have in years.", True),
    ("A low dose of LDN at bedtime can give fibromyalgia sufferers deeper, more refreshing sleep.", True),
    ("Take your LDN at bedtime, while you sleep.", False),
    ("Bedtime is the usual time for LDN, but a morning dose may suit you better given your sleep.", False),
])
def test_sleep_in_a_sentence_about_the_time_of_the_dose(vocab, sentence, sleep):
    assert ("Sleep" in {c.concept.name for c in claims_of(sentence, vocab)[1]}) is sleep


@pytest.mark.parametrize("sentence", [
    "Fair warning: LDN can leave you a bit nauseous for the first week or so.",
    "About one in seven people on LDN felt nauseated.",
])
def test_nausea_said_as_an_adjective(vocab, sentence):
    assert "Nausea" in {c.concept.name for c in claims_of(sentence, vocab)[1]}
