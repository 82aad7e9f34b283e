"""A claim's type comes from its sentence; the vocabulary's type is the default."""

from __future__ import annotations

import pytest
from claim_helpers import concepts

from ldn_graph.extract.claim_types import better, given_as_reason
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.read.documents import read_text_document


def typed(text: str, vocab, learned: bool = True) -> dict[str, str]:
    doc = read_text_document(text.encode(), "synthetic.txt")
    return {c.concept.name: c.type for c in extract_claims(doc, vocab, *find_references(doc), learned)}


@pytest.mark.parametrize(
    ("sentence", "concept", "claim_type"),
    [
        # side effects, whatever the concept's default type
        ("Side effects of LDN include fatigue and headache.", "Fatigue", "safety"),
        ("LDN can cause vivid dreams and, rarely, low mood.", "Depression", "safety"),
        ("Adverse events reported with LDN were mostly insomnia.", "SleepDisturbance", "safety"),
        # a change for the better in a side effect or problem is a benefit
        ("LDN brought an improvement in insomnia for most patients.", "SleepDisturbance", "benefit"),
        ("With LDN I had less anxiety than before.", "Anxiety", "benefit"),
        # a contraindication cue makes any concept a contraindication
        ("LDN must not be combined with opioid painkillers.", "OpioidUse", "contraindication"),
        ("LDN is not suitable if you are pregnant.", "PregnancyLactation", "contraindication"),
        # defaults stay
        ("LDN improves sleep.", "Sleep", "benefit"),
        ("LDN may ease fibromyalgia.", "Fibromyalgia", "indication"),
        ("LDN can be taken at 4.5 mg.", "LowDoseRange", "dosing"),
        # restless nights are broken sleep, not restlessness; wake-ups only as written
        ("The first weeks on LDN can bring vivid dreams and restless nights.", "SleepDisturbance", "safety"),
        ("On LDN the 4am wake-ups never really went away.", "SleepDisturbance", "safety"),
        ("LDN can cause restlessness at night.", "Restlessness", "safety"),
        # going back a step of the titration (but not the body stepping up its endorphins)
        ("If a step up of LDN feels rough, go back to the previous dose for a week.", "DoseTitration", "dosing"),
    ],
)
def test_the_sentence_gives_the_type(vocab, sentence: str, concept: str, claim_type: str) -> None:
    assert typed(sentence, vocab)[concept] == claim_type


@pytest.mark.parametrize(
    "sentence",
    [
        "When you start LDN, expect a short-lived increase in your usual pain.",
        "A brief flare of joint pain can happen at first on LDN.",
    ],
)
def test_more_pain_is_a_flare_not_pain_relief(vocab, sentence: str) -> None:
    types = typed(sentence, vocab)
    assert types.get("AutoimmuneFlare") == "safety"
    assert "PainRelief" not in types


@pytest.mark.parametrize(
    "sentence",
    [
        "On LDN, many patients were able to reduce their opioid use.",
        "Patients on LDN needed fewer opioids after three months.",
        "With LDN, opioid use fell by a third.",
        "Since starting LDN she hasn't needed a single tramadol.",
    ],
)
def test_less_opioid_use_is_an_opioid_sparing_benefit(vocab, sentence: str) -> None:
    types = typed(sentence, vocab)
    assert types.get("OpioidSparing") == "benefit"
    assert "OpioidUse" not in types


@pytest.mark.parametrize(
    "sentence",
    [
        "Since starting LDN I have cut back on NSAIDs and other painkillers.",
        "On LDN I barely touch the strong painkillers I used to live on.",
        "Members on LDN report less reliance on painkillers.",
        "On LDN, weekly use of as-needed analgesics fell by two doses.",
        "LDN might help patients taper other analgesics.",
        "Since LDN I've cut right back on paracetamol.",
        "On LDN, 23 patients cut down or stopped at least one regular painkiller.",
        "People who started LDN collected fewer prescriptions for analgesics.",
        "On LDN she now gets through most days without any painkillers at all.",
        "Since LDN I've gone from daily naproxen to maybe twice a week.",
        "Before LDN I used to need paracetamol four times a day, and now it's once.",
        "On LDN I reach for ibuprofen maybe twice a week now instead of every single day.",
        "Since starting LDN I hardly reach for pain pills at all.",  # pain pills: vocabulary data
    ],
)
def test_less_of_the_painkillers_a_label_names_only_so_is_opioid_sparing(vocab, sentence: str) -> None:
    assert typed(sentence, vocab).get("OpioidSparing") == "benefit"


@pytest.mark.parametrize(
    "sentence",
    ["LDN can be taken with NSAIDs and paracetamol.", "LDN is less addictive than painkillers.",
     "Without painkillers my pain was bad before LDN."],
)
def test_painkillers_named_without_less_of_them_are_no_claim(vocab, sentence: str) -> None:
    # the rules' decision; the sentence model's known misreading of "less addictive than
    # painkillers" is recorded in tests/extract/test_sentence_model.py
    assert "OpioidSparing" not in typed(sentence, vocab, learned=False)


@pytest.mark.parametrize(
    "sentence",
    ["Good to know about LDN, I do take the odd co-codamol when my back goes.",
     "I'd been living on ibuprofen and codeine before LDN.",
     "My pain clinic gives me tramadol, so LDN is off the table for now."],
)
def test_what_the_writer_takes_is_no_warning(vocab, sentence: str) -> None:
    assert "OpioidUse" not in typed(sentence, vocab)


def test_a_warning_to_someone_who_takes_an_opioid_stays(vocab) -> None:
    assert typed("If you take tramadol, you must not take LDN.", vocab).get("OpioidUse") == "contraindication"


def test_opioid_use_without_a_reduction_stays_a_contraindication(vocab) -> None:
    assert typed("LDN should not be taken with opioids.", vocab) == {"OpioidUse": "contraindication"}
    # … and less of them beside it is still opioid-sparing
    types = typed("Members who came off weak opioids before LDN now need fewer painkillers.", vocab)
    assert types.get("OpioidSparing") == "benefit"


@pytest.mark.parametrize(
    ("sentence", "regained"),
    [
        ("Since starting LDN I can walk the dog again.", True),
        ("Three months on LDN and I'm gardening again.", True),
        ("After two months on LDN she went back to choir.", True),
        ("On LDN the dreams started again after a week.", False),  # a harm come back
        ("If a step up on LDN feels rough, go back to the previous dose and try again.", False),
        ("Since LDN my brain fog lifted and I can read again.", False),  # a mental task again: cognition
        ("Since LDN I can follow a TV plot again.", False),
        ("My pain eased on LDN and I can walk the dog again.", True),  # beside another benefit
        ("On LDN I managed a full week at work for the first time in a year.", True),
        ("LDN has given me my Saturdays back.", True),
        ("She says LDN gave her mornings back.", True),
        ("LDN has made an afternoon's gardening possible again.", True),
        ("She says LDN gave her back pain at first.", False),  # "back" is the body's here
        ("On LDN I still couldn't get through a whole day at work.", False),
        ("By Friday on LDN my head was foggy again.", False),
        ("I'm not fixed by LDN, but I can get through a full workday again.", True),  # the denial is another clause's
        ("On LDN I could not walk the dog again for months.", False),
        # the denial in a quoted clause before "but"; ten words before "again"
        ("On LDN: \"I'm not fixed,\" she said, \"but I can get through a full week at work again.\"", True),
        ("On LDN they could manage a short walk or a morning at their desk again.", True),
        # two everyday things in one day, or more done in one
        ("On LDN I can do a morning in the garden and still cook tea.", True),
        ("On LDN I can sleep nine hours and still wake exhausted.", False),
        ("People on LDN often say they can simply do more on an ordinary day.", True),
        ("On LDN I can do more harm than good by rushing.", False),
        # vocabulary data: "like myself again" for any person
        ("Feel like yourself again on LDN.", True),
        ("A regular on LDN told me she's walking to the shops on her own again.", True),
        ("On LDN I'm back running my stall at the market.", True),
        ("On LDN I went from bed at 7pm to actually having a life in the evenings again.", True),
        ("On LDN she's having the dreams again.", False),
    ],
)
def test_doing_everyday_things_again_is_a_return_to_daily_life(vocab, sentence: str, regained: bool) -> None:
    assert ("QualityOfLife" in typed(sentence, vocab)) is regained


@pytest.mark.parametrize(
    ("sentence", "benefit"),
    [
        # a benefit's symptom that got worse, or listed beside a harm, is no benefit
        ("On LDN a brief flare of joint pain can happen at first.", None),
        ("A few days of aching or feeling flu-ish can follow a step up in LDN.", None),
        ("I had shivers and aching for two days after my first LDN dose.", None),
        # … but not one the sentence says got better, or one in another clause
        ("LDN eased my pain, but gave me vivid dreams.", "PainRelief"),
        ("LDN looks promising for fibromyalgia pain, but it can cause vivid dreams.", "PainRelief"),
        ("LDN helped with my fatigue, and the nausea passed.", "Fatigue"),
        ("LDN increases daily energy.", "Fatigue"),  # a rise as a verb is no worsening
        # a symptom listed beside a condition, where nothing gets better: a condition named
        ("Conditions we see on LDN: fibromyalgia and whole-body pain that never lets up.", None),
        ("LDN for MS and long COVID fatigue", None),
        # … but not where something does
        ("LDN may turn down aches and fibromyalgia flares.", "PainRelief"),
        ("LDN eases fibromyalgia and fatigue.", "Fatigue"),
        # a benefit a warning against combining names is the other medicine's
        ("Don't take LDN with codeine or tramadol, because it blocks their pain relief.", None),
        ("If you take co-codamol for pain, you can't be on LDN at the same time.", None),
    ],
)
def test_a_symptom_named_as_a_harm_is_no_benefit(vocab, sentence: str, benefit: str | None) -> None:
    types = typed(sentence, vocab)
    assert {c for c in ("PainRelief", "Fatigue") if c in types} == ({benefit} if benefit else set())


@pytest.mark.parametrize(
    "text",
    [
        # tiredness named as a harm is a fatigue claim of type safety (the vocabulary says so:
        # ldng:worseIs names the concept itself), where an ache is no pain relief
        "LDN can bring a short spell of worse tiredness or joint aches.",
        "Some people feel more tired or achy for the first week on LDN.",
        "For the first week on LDN some people feel more tired than usual.",
        "Possible side effects of LDN\n\n- aching muscles, chills and tiredness for a few days\n- vivid dreams\n",
        "Side effects of LDN: chills and tiredness.",
    ],
)
def test_tiredness_named_as_a_harm_is_a_safety_claim_of_fatigue(vocab, text: str) -> None:
    types = typed(text, vocab, learned=False)
    assert types.get("Fatigue") == "safety" and "PainRelief" not in types


def test_more_energy_and_less_tiredness_stay_benefits(vocab) -> None:
    assert typed("LDN gave me more energy and left me less tired.", vocab, learned=False).get("Fatigue") == "benefit"


def test_the_body_stepping_up_its_endorphins_is_no_titration(vocab) -> None:
    assert "DoseTitration" not in typed("On LDN the body steps up its own endorphin output.", vocab)


def test_less_of_an_aching_side_effect_is_pain_relief(vocab) -> None:
    # the vocabulary's ldng:lessIs: fewer aches named as a side effect's words are relief
    assert "PainRelief" in typed("On LDN her muscle aches have eased.", vocab)
    assert "FluLikeSymptoms" not in typed("On LDN her muscle aches have eased.", vocab)
    assert typed("LDN can cause muscle aches.", vocab).get("FluLikeSymptoms") == "safety"


def test_shorter_crashes_are_milder_flares_but_the_afternoon_crash_is_fatigue(vocab) -> None:
    assert "FlareSeverity" in typed("On LDN my crashes after a busy day are shorter.", vocab)
    assert "FlareSeverity" in typed("On LDN the flares are less fierce.", vocab)  # less of how hard they hit
    # a longer benefit label that holds the less-label stands
    types = typed("On LDN the afternoon crashes are less brutal.", vocab)
    assert "Fatigue" in types
    assert "FlareSeverity" not in types


@pytest.mark.parametrize(
    "sentence",
    [
        "On LDN I had one flare, but it lasted four days instead of the usual fortnight.",
        "Crashes on LDN: they still happen, but they're shorter.",
    ],
)
def test_a_flare_said_to_be_shorter_than_before_is_less_severe(vocab, sentence: str) -> None:
    assert typed(sentence, vocab).get("FlareSeverity") == "benefit"


@pytest.mark.parametrize(
    ("text", "got_better"),
    [
        ("pain eased", True),
        ("nausea settled within a week", True),
        ("pain that has not settled with other treatments", False),  # a denial between: no better
        ("insomnia has not improved", False),
    ],
)
def test_a_change_for_the_better_after_the_concept_is_not_read_across_a_denial(text: str, got_better: bool) -> None:
    assert better(text, 0, text.index(" ")) is got_better


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # vocabulary data (ChronicPain ldng:lessIs PainRelief): less of a chronic pain is pain relief
        ("For me LDN has taken the edge off the widespread pain.", {"PainRelief"}),
        ("76% of LDN users reported less widespread pain.", {"PainRelief"}),
        ("LDN is prescribed for widespread pain.", {"ChronicPain"}),
        # idioms of less
        ("LDN turns the volume down on persistent pain.", {"PainRelief"}),
        ("LDN may dial down chronic pain.", {"PainRelief"}),
        ("LDN may quieten persistent pain.", {"PainRelief"}),
        ("For some, LDN takes the sting out of long-term pain.", {"PainRelief"}),
    ],
)
def test_less_of_a_chronic_pain_is_pain_relief(vocab, sentence: str, expected: set[str]) -> None:
    for learned in (True, False):
        assert set(typed(sentence, vocab, learned)) == expected


@pytest.mark.parametrize("sentence", [
    "Since LDN the bleeding has settled.",
    "On LDN I'm down to two trips to the loo a day instead of eight.",
    "Small studies of LDN describe fewer bloody stools.",
])
def test_less_of_a_bowels_trouble_is_remission_vocabulary_data(vocab, sentence: str) -> None:
    assert typed(sentence, vocab).get("Remission") == "benefit"


def test_a_mechanism_given_as_a_warnings_reason_is_a_mechanism_claim(vocab) -> None:
    text = ("## Warnings\n\nBecause naltrexone occupies opioid receptors, LDN blunts the effect of codeine "
            "and can bring on withdrawal in regular opioid users.\n")
    doc = read_text_document(text.encode(), "synthetic.md")
    types = {c.concept.name: c.type.value for c in extract_claims(doc, vocab, *find_references(doc))}
    assert types.get("OpioidReceptorBlockade") == "mechanism"
    assert types.get("OpioidUse") == "contraindication"


def test_such_as_gives_an_example_no_reason(vocab) -> None:
    blockade = next(c for c in vocab.concepts if c.name == "OpioidReceptorBlockade")
    text = "Because it blocks opioid receptors, avoid codeine."
    assert given_as_reason(blockade, text, text.index("opioid"))
    text = "Mechanisms such as opioid receptor blockade make codeine useless."
    assert not given_as_reason(blockade, text, text.index("opioid"))



@pytest.mark.parametrize(("item", "claimed"), [
    # what a condition is like, said right after it, claims none of its symptoms
    ("LDN may help fibromyalgia, where widespread pain, poor sleep and exhaustion travel together.", {"Fibromyalgia"}),
    ("We prescribe LDN for autoimmune conditions with a strong pain or fatigue component.", {"AutoimmuneDisease"}),
    # … but a finding there, or something getting better, stays
    ("LDN has been tried in Crohn's disease, where a small pilot reported remission in most.", {"CrohnDisease", "Remission"}),
    ("LDN may help fibromyalgia, where pain and sleep often improve within weeks.",
     {"Fibromyalgia", "PainRelief", "Sleep"}),
])
def test_what_a_condition_is_like_names_no_symptom(vocab, item: str, claimed: set[str]) -> None:
    doc = read_text_document(f"# LDN\n\n{item}\n".encode(), "synthetic.md")
    assert {c.concept.name for c in extract_claims(doc, vocab, *find_references(doc))} == claimed


@pytest.mark.parametrize(
    "sentence",
    [
        # vocabulary data: a passing flare in everyday words
        "On LDN a few people feel a temporary flare of old symptoms in the first weeks.",
        "My doctor thinks it was a mini flare when I started LDN, and it passed by week 3.",
        "Side effects of LDN: a short-lived worsening of existing MS symptoms.",
    ],
)
def test_a_passing_flare_of_old_symptoms_is_an_autoimmune_flare(vocab, sentence) -> None:
    types = typed(sentence, vocab)
    assert types.get("AutoimmuneFlare") == "safety"
    assert "FlareSeverity" not in types


def test_a_gut_test_result_that_fell_is_remission_but_a_test_named_is_not(vocab) -> None:
    # vocabulary data: "calpro" (faecal calprotectin) names remission only where it fell
    assert typed("On LDN my calpro went from 900-something to 85.", vocab).get("Remission") == "benefit"
    assert "Remission" not in typed("On LDN my calpro stayed over 1000 the whole time.", vocab)
    assert typed("On LDN, activity scores fell in most children.", vocab).get("Remission") == "benefit"


def test_feeling_tired_is_fatigue_a_harm_in_a_side_effects_list_and_a_benefit_when_less(vocab) -> None:
    # vocabulary data: tiredness in everyday words
    assert typed("Side effects of LDN include feeling tired in the first few days.", vocab).get("Fatigue") == "safety"
    assert typed("On LDN I am less tired in the afternoons.", vocab).get("Fatigue") == "benefit"
    assert typed("LDN gave me a bit more gas in the tank.", vocab).get("Fatigue") == "benefit"


def test_sore_names_pain_relief_only_where_there_is_less_of_it(vocab) -> None:
    # vocabulary data: ldng:lessLabel "sore", "soreness"
    assert typed("On LDN I wake up less sore.", vocab).get("PainRelief") == "benefit"
    assert "PainRelief" not in typed("LDN: my knee is sore after the stairs.", vocab)


@pytest.mark.parametrize("sentence", [
    # vocabulary data: a better life in everyday words
    "For the right person LDN can make ordinary days feel more manageable.",
    "Patients say LDN changed their lives.",
    "For some people LDN has been life-changing.",
])
def test_a_better_everyday_life_is_quality_of_life(vocab, sentence) -> None:
    assert typed(sentence, vocab).get("QualityOfLife") == "benefit"


def test_a_change_in_timing_is_dose_timing(vocab) -> None:
    # vocabulary data: "a change of timing" names when the dose is taken
    assert typed("Most LDN side effects can be sorted out with a change of timing.", vocab).get("DoseTiming") == "dosing"


@pytest.mark.parametrize("sentence", [
    # vocabulary data: the receptor block in other words
    "For a few hours after each dose, LDN sits on the receptors that your own feel-good chemicals use.",
    "With LDN, receptors stay blocked for a few hours only.",
])
def test_the_receptor_block_in_other_words(vocab, sentence) -> None:
    assert typed(sentence, vocab).get("OpioidReceptorBlockade") == "mechanism"


@pytest.mark.parametrize("sentence", [
    # vocabulary data: well tolerated in everyday words
    "Both clinics said most people put up with LDN easily.",
    "Most people cope with LDN very well.",
    "LDN: easy on your body",
    "The popularity of LDN rests on a low rate of troublesome side effects at these doses.",
])
def test_well_tolerated_in_everyday_words(vocab, sentence) -> None:
    assert "Tolerability" in typed(sentence, vocab)


@pytest.mark.parametrize("text", [
    "Some people with Hashimoto's find they need less levothyroxine after starting LDN.",
    "A few people need a lower thyroid dose once they are on LDN.",
    "My GP had to cut my levothyroxine two months after I started LDN.",
])
def test_less_of_a_concept_that_less_of_is_itself_keeps_its_type(vocab, text: str) -> None:
    # vocabulary data: ldnv:ThyroidDoseChange ldng:lessIs ldnv:ThyroidDoseChange
    for learned in (True, False):
        assert typed(text, vocab, learned).get("ThyroidDoseChange") == "safety"


@pytest.mark.parametrize("text", [
    "# LDN\n\nIf you have vivid dreams or cannot sleep on LDN, you may take it in the morning instead.",
    "# LDN\n\nA few people on LDN can't sleep for the first week.",
])
def test_not_being_able_to_sleep_is_a_sleep_problem_not_a_denied_benefit(vocab, text: str) -> None:
    # vocabulary data: "cannot sleep", "can't sleep", "unable to sleep" are ldnv:SleepDisturbance labels
    for learned in (True, False):
        types = typed(text, vocab, learned)
        assert types.get("SleepDisturbance") == "safety" and "Sleep" not in types


@pytest.mark.parametrize("text", [
    "# LDN\n\nOn LDN I slept worse for the first fortnight.",
    "# LDN\n\nHigher doses of LDN broke up their sleep.",
    "# LDN\n\nIf LDN interferes with your sleep, take it in the morning.",
    "# LDN\n\nLDN can bring patchy sleep in the first weeks.",
])
def test_sleep_that_got_worse_is_a_sleep_problem(vocab, text: str) -> None:
    # vocabulary data: ldnv:Sleep ldng:worseIs ldnv:SleepDisturbance
    for learned in (True, False):
        types = typed(text, vocab, learned)
        assert types.get("SleepDisturbance") == "safety" and "Sleep" not in types, text


@pytest.mark.parametrize("text", [
    "# LDN\n\nOn LDN I sleep better than I have in years.",
    "# LDN\n\nLDN gave me deeper sleep.",
    "# LDN\n\nOn LDN my sleep was no worse than before.",  # a worse it denies: no sleep problem
])
def test_sleep_that_did_not_get_worse_is_no_sleep_problem(vocab, text: str) -> None:
    assert "SleepDisturbance" not in typed(text, vocab, learned=False), text


@pytest.mark.parametrize(("sentence", "expected"), [
    # a benefit beside a condition is no list of conditions where the sentence says it gets better
    ("LDN restores mental clarity and clears post-COVID brain fog.", {"Cognition", "LongCovid"}),
    ("LDN sharpens thinking and processing speed in people with MS.", {"Cognition", "MultipleSclerosis"}),
    ("Mental clarity and post-COVID fatigue.", {"LongCovid"}),  # a list of conditions: no benefit
])
def test_a_benefit_restored_or_cleared_beside_a_condition_stays_a_benefit(vocab, sentence, expected):
    assert concepts(sentence, vocab) == expected
