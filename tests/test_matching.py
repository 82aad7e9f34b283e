"""Concept recognition that survives paraphrase (ldn_graph.matching)."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import DATA

from ldn_graph.matching import TermMatcher, label_keys, word_key
from ldn_graph.model import Concept
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.terms import ClaimType


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(load_vocabulary().concepts)


def found(matcher: TermMatcher, text: str) -> list[tuple[str, str]]:
    return [(concept.name, text[s:e]) for concept, s, e in matcher.find(text, matcher.defined_abbreviations(text))]


@pytest.mark.parametrize(
    "family",
    [
        ("modulate", "modulates", "modulation", "modulator", "modulatory"),
        ("block", "blocks", "blocking", "blockade", "blocker"),
        ("analgesic", "analgesia", "analgesics"),
        ("inflammation", "inflammatory"),
        ("tumour", "tumor", "tumours"),
        ("normalise", "normalize", "normalised", "normalized"),
        ("oedema", "edema"),
        ("titrate", "titration", "titrated"),
        ("antagonist", "antagonism"),
        ("rebalance", "rebalancing", "rebalanced", "rebalancer"),  # the stemmer leaves "-anc" on some
        ("experience", "experiencing", "experienced"),
        ("slowly", "gradually", "steadily", "slow", "slower"),  # adverbs of manner saying one thing
        ("go", "went", "move", "moved", "climb", "climbing"),  # a dose goes, moves or climbs up
        ("calm", "calms", "cool", "cooling"),  # inflammation calmed or cooled
        ("damp", "dampen", "dampens", "dampening"),
        ("daily", "everyday"),  # "everyday life" is "daily life"
        ("temporary", "brief"),  # words of one sense
        ("worsening", "exacerbation", "intensification"),
    ],
)
def test_a_word_family_shares_one_key(family: tuple[str, ...]) -> None:
    assert len({word_key(w) for w in family}) == 1


def test_unrelated_words_keep_their_own_keys() -> None:
    assert len({word_key(w) for w in ("liver", "live", "fever", "cancer", "sleep", "asleep")}) == 6


def test_a_label_is_its_content_words_in_any_order() -> None:
    assert label_keys("quality of life") == label_keys("life quality")
    assert label_keys("opioid receptor blockade") == label_keys("blocks the opioid receptors")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LDN works by blockade of opioid receptors.", ("OpioidReceptorBlockade", "blockade of opioid receptors")),
        ("It briefly blocks the body's opioid receptors.", ("OpioidReceptorBlockade", "blocks the body's opioid receptors")),
        ("It is an immune modulator.", ("Immunomodulation", "immune modulator")),
        ("It improves the quality of your sleep.", ("Sleep", "quality of your sleep")),
        ("Most felt relief from pain.", ("PainRelief", "relief from pain")),
        ("Its effects are antinociceptive.", ("PainRelief", "antinociceptive")),
        ("It may slow tumour growth.", ("CancerSupportiveCare", "tumour growth")),
        ("It may slow tumor growth.", ("CancerSupportiveCare", "tumor growth")),
        ("Users of opioids should wait.", ("OpioidUse", "opioids")),
        ("use of opioids", ("OpioidUse", "use of opioids")),
        ("Many people with long-COVID tried it.", ("LongCovid", "long-COVID")),
        # a comparative after a word says how much of it: no noun it modifies
        ("I can concentrate better now.", ("Cognition", "concentrate")),
        ("My joints ache less than they did.", ("PainRelief", "ache")),
        # a verb of aspect after a word is no noun it modifies
        ("On LDN the ache started easing.", ("PainRelief", "ache")),
        # a modal verb between a label's words: "symptoms flare"
        ("Your symptoms may briefly flare at first.", ("AutoimmuneFlare", "symptoms may briefly flare")),
        # vocabulary data: the liver's warning, enzymes and strain, as copy words them
        ("Ordinary naltrexone carries a liver warning.", ("LiverSafety", "liver warning")),
        ("It does not appear to strain the liver.", ("LiverSafety", "strain the liver")),
        ("Liver enzymes stayed normal.", ("LiverSafety", "Liver enzymes")),
        ("Reports describe less pain and better function.", ("QualityOfLife", "better function")),
        ("It gives them a bit more of their day back.", ("QualityOfLife", "day back")),
        ("Your own thyroid picks up some of the slack.", ("ThyroidDoseChange", "thyroid picks up some of the slack")),
        # quotation marks between a label's words
        ('Some call it an immune "rebalancer".', ("Immunomodulation", 'immune "rebalancer')),
    ],
)
def test_paraphrases_name_the_concept(matcher: TermMatcher, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(matcher, text)


def test_punctuation_parts_the_words_of_a_label(matcher: TermMatcher) -> None:
    assert ("PainRelief", "relief from pain") not in found(matcher, "relief, from pain")
    assert [name for name, _ in found(matcher, "sleep, quality")] == ["Sleep"]


def test_a_word_naming_a_kind_of_something_else_is_not_the_concept(matcher: TermMatcher) -> None:
    # "opioid receptors" is about receptors, not about taking opioids
    assert found(matcher, "the opioid receptors") == []
    assert found(matcher, "an opioid antagonist") == []
    # "gently" is a word of the label "gentle" (well tolerated), but here it says how
    # something else is done
    assert "Tolerability" not in [name for name, _ in found(matcher, "LDN gently rebalances immune signalling")]
    # … but a verb of change after the word is its predicate: "the ache turns down a notch"
    assert ("PainRelief", "ache") in found(matcher, "the ache turns down a notch")
    assert ("PainRelief", "ache") in found(matcher, "the background ache dropped to a mutter")


def test_coordinated_numbers_take_the_first_ones_prefix(matcher: TermMatcher) -> None:
    assert found(matcher, "IL-1 and -6 fell") == [("CytokineReduction", "IL-1"), ("CytokineReduction", "-6")]
    assert ("CytokineReduction", "TNF") in found(matcher, "IL-6 and TNF levels fell")


@pytest.mark.parametrize(
    "dose", ["4.5mg", "4.5 mg", "1.5 - 4.5 mg", "0.5mg to 3mg", "between 1.5 and 4.5 milligrams", "3 milligrams"]
)
def test_a_dose_in_the_low_dose_range_is_a_dosing_concept(matcher: TermMatcher, dose: str) -> None:
    assert found(matcher, f"Most take {dose} a day.") == [("LowDoseRange", dose)]


@pytest.mark.parametrize("text", ["Tablets of 50 mg are for alcohol use.", "1.5 - 50 mg", "Review at 4 and 12 weeks."])
def test_doses_above_the_range_or_without_a_unit_are_not(matcher: TermMatcher, text: str) -> None:
    assert found(matcher, text) == []


def test_nothing_is_matched_inside_a_web_address(matcher: TermMatcher) -> None:
    assert found(matcher, "See https://example.com/pain/sleep-quality or www.fatigue.org today.") == []


def test_an_abbreviation_the_text_defines_names_the_labels_concept() -> None:
    concept = Concept(iri="https://example.org/v#Tlr", name="Tlr", label="toll-like receptor four",
                      claim_type=ClaimType.MECHANISM)
    matcher = TermMatcher([concept])
    text = "It binds toll-like receptor four (TLRF) on glia. Blocking TLRF and (QQ) matters."
    assert matcher.defined_abbreviations(text) == {"TLRF": concept}
    assert [text[s:e] for _, s, e in matcher.find(text, matcher.defined_abbreviations(text))] == [
        "toll-like receptor four", "TLRF", "TLRF"]
    # an abbreviation whose first letter is not the label's is not taken for it
    assert TermMatcher([concept]).defined_abbreviations("toll-like receptor four (XR)") == {}


def test_case_sensitive_abbreviations_still_match_only_as_written(matcher: TermMatcher) -> None:
    assert found(matcher, "LDN for MS") == [("MultipleSclerosis", "MS")]
    assert found(matcher, "LDN for ms") == []


def test_another_products_vocabulary_gets_paraphrase_matching_without_code() -> None:
    metformin = TermMatcher(load_vocabulary(DATA / "vocabulary-synthetic-metformin.ttl").concepts)
    text = "Metformin activates AMPK, improves control of blood glucose and glycaemia, but not in failure of the kidneys."
    names = [name for name, _ in found(metformin, text)]
    assert names == ["AmpkActivation", "GlycemicControl", "RenalImpairment"]


def test_a_shared_label_is_found_beside_what_its_words_name(tmp_path: Path) -> None:
    # synthetic vocabulary: "calm microglia" names neuroinflammation beside the cells' own concept
    path = tmp_path / "shared.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix ldng: <https://w3id.org/ldn-graph/ontology#> .\n"
        "@prefix ex: <https://example.org/v#> .\n"
        'ex: a skos:ConceptScheme ; ldng:productLabel "Examplumab" .\n'
        'ex:Glia a skos:Concept ; skos:inScheme ex: ; skos:prefLabel "Microglia" ; ldng:claimType ldng:Mechanism .\n'
        'ex:Calm a skos:Concept ; skos:inScheme ex: ; skos:prefLabel "Neuroinflammation" ; ldng:claimType ldng:Mechanism ;\n'
        '    ldng:sharedLabel "calm microglia" .\n', encoding="utf-8")
    shared = TermMatcher(load_vocabulary(path).concepts)
    assert sorted(found(shared, "It may calm microglia.")) == [("Calm", "calm microglia"), ("Glia", "microglia")]
    assert found(shared, "found on microglia in the CNS") == [("Glia", "microglia")]


def test_labels_kept_as_written_do_not_match_reordered_words(matcher: TermMatcher) -> None:
    # "starting dose" and "start lower" are matched as written: reordered, the words name
    # another medicine's dose ("their usual dose starts to feel too strong")
    assert ("DoseTitration", "starting dose") in found(matcher, "The starting dose is 1.5 mg.")
    assert ("DoseTitration", "start lower") in found(matcher, "Some people start lower still.")
    for text in ("A few find their usual dose starts to feel too strong.",
                 "The levothyroxine dose may need lowering once LDN starts working."):
        assert "DoseTitration" not in {name for name, _ in found(matcher, text)}


def test_a_word_broken_across_a_wrapped_line_is_one_word(matcher: TermMatcher) -> None:
    text = "It may damp down inflam-\nmation in the gut."
    assert ("AntiInflammatory", "damp down inflam-\nmation") in found(matcher, text)


def test_the_products_own_name_is_passed_over_never_used() -> None:
    vocabulary = load_vocabulary()
    matcher = TermMatcher(vocabulary.concepts, vocabulary.subject_terms)
    text = "Each took 4.5 mg of low dose naltrexone nightly. Getting started with low dose naltrexone is easy."
    names = [concept.name for concept, _, _ in matcher.find(text)]
    assert "DoseTiming" in names  # "4.5 mg … nightly", the name passed over
    assert "DoseTitration" not in names  # "started … low" is the product's name, not "start low"


def test_two_things_joined_by_and_are_not_one_label(matcher: TermMatcher) -> None:
    assert found(matcher, "Reduces inflammation and chronic pain") == [
        ("AntiInflammatory", "Reduces inflammation"), ("ChronicPain", "chronic pain")]


def test_one_other_word_may_stand_inside_a_long_label(matcher: TermMatcher) -> None:
    assert ("ChronicPain", "long-standing back pain") in found(matcher, "People with long-standing back pain")
    # but not inside a two-word label
    assert ("PainRelief", "pain quick relief") not in found(matcher, "pain quick relief")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I feel like I got my life back.", ("QualityOfLife", "got my life back")),  # an irregular verb
        ("Side effects are usually mild.", ("Tolerability", "Side effects are usually mild")),  # an adverb between
        ("It isn't habit-forming.", ("NonAddictive", "isn't habit-forming")),  # a negation in another form
        ("Increase by about 0.5 mg every week.", ("DoseTitration", "Increase by about 0.5 mg")),  # a hedged dose
        ("It went up by roughly 1 mg.", ("DoseTitration", "went up by roughly 1 mg")),
    ],
)
def test_everyday_grammar_does_not_hide_a_label(matcher: TermMatcher, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(matcher, text)


def test_a_word_of_one_sense_and_an_existing_condition_keep_a_label(matcher: TermMatcher) -> None:
    assert ("AutoimmuneFlare", "brief worsening") in found(matcher, "a brief worsening in the first weeks")
    # "existing" and "underlying" are little words: "worsening of existing symptoms" is "worsening of symptoms"
    assert ("AutoimmuneFlare", "worsening of existing symptoms") in found(matcher, "a worsening of existing symptoms at first")


def test_irregular_forms_share_their_verbs_key() -> None:
    assert word_key("got") == word_key("get") and word_key("slept") == word_key("sleep")
    assert word_key("no") == word_key("not") == word_key("isn't") == word_key("non")


@pytest.mark.parametrize(("words", "value"), [("half a milligram", 0.5), ("three milligrams", 3.0), ("seven milligrams", 7.0),
                                             ("fifty milligrams", 50.0)])
def test_doses_written_in_words_are_read(words: str, value: float) -> None:
    from ldn_graph.matching import stated_doses

    assert stated_doses(f"I take {words} a day.") == [value]


def test_a_liquids_volume_before_its_dose_is_read_as_the_dose(matcher: TermMatcher) -> None:
    from ldn_graph.matching import stated_doses

    # a liquid's schedule gives the volume first: "0.5 mL (0.5 mg)" is a step of 0.5 mg
    assert ("DoseTitration", "Week 1: 0.5 mL (0.5 mg") in found(matcher, "Week 1: 0.5 mL (0.5 mg)")
    assert stated_doses("Take 4.5 mL (4.5 mg) at night.") == [4.5]
    assert stated_doses("1 mg/mL oral liquid, 4.5 mL") == []  # a strength, and a volume alone, are no dose


def test_a_schedules_week_and_its_dose_are_a_titration_step(matcher: TermMatcher) -> None:
    assert ("DoseTitration", "Weeks 1–2 1.5 mg") in found(matcher, "Weeks 1–2 1.5 mg at night")
    assert ("DoseTitration", "Week 5 onwards 4.5 mg") in found(matcher, "Week 5 onwards 4.5 mg")
    # the step's colon, and "and" between its weeks
    assert ("DoseTitration", "Weeks 1 and 2: 1.5 mg") in found(matcher, "Weeks 1 and 2: 1.5 mg at bedtime")
    assert ("DoseTitration", "Week 5 onward: 4.5 mg") in found(matcher, "Week 5 onward: 4.5 mg")
    assert ("DoseTitration", "Weeks 1-2 (February): 0.5 mg") in found(matcher, "Weeks 1-2 (February): 0.5 mg at bedtime")
    # a week's numbers are no dose, and a study's length is no schedule
    assert ("LowDoseRange", "2 1.5 mg") not in found(matcher, "Weeks 1–2 1.5 mg")
    assert not [c for c, _ in found(matcher, "After 12 weeks on 4.5 mg, pain fell.") if c == "DoseTitration"]
    # days and months are a schedule's steps too; "a day", "per day" are how often
    assert ("DoseTitration", "Days 1 to 7: 1 mg") in found(matcher, "Days 1 to 7: 1 mg at bedtime")
    assert ("DoseTitration", "Month 2: 3 mg") in found(matcher, "Month 2: 3 mg")
    assert not [c for c, _ in found(matcher, "Take 4.5 mg a day 1 hour before bed.") if c == "DoseTitration"]
    assert not [c for c, _ in found(matcher, "Take 3 mg per day 2 hours before bed.") if c == "DoseTitration"]


def test_an_adverb_after_a_word_makes_it_no_modifier(matcher: TermMatcher) -> None:
    # "opioid receptors" is a kind of receptor, not opioid use; "titrating slowly" is titration
    assert ("DoseTitration", "Titrating") in found(matcher, "Titrating slowly minimises side effects.")


def test_one_of_two_coordinated_words_with_the_words_they_share_names_a_label() -> None:
    near = Concept(iri="https://example.org/v#Near", name="Near", label="corrected near visual acuity",
                   claim_type=ClaimType.BENEFIT)
    level = Concept(iri="https://example.org/v#Il6", name="Il6", label="IL-6 levels", claim_type=ClaimType.MECHANISM)
    matcher = TermMatcher([near, level])
    text = "All measures improved except corrected near and intermediate visual acuities."
    assert [(c.name, text[s:e]) for c, s, e in matcher.find(text)] == [
        ("Near", "corrected near and intermediate visual acuities")]
    assert [c.name for c, _, _ in matcher.find("IL-6 and TNF levels fell, as did CRP.")] == ["Il6"]
    # the pair must stand together: a comma or a full stop between is two things
    assert matcher.find("Corrected near, and then intermediate visual acuities were read.") == []
    # a label whole on its own is found once, not again through the pair
    assert [c.name for c, _, _ in matcher.find("IL-6 levels and TNF fell.")] == ["Il6"]


def test_as_is_a_little_word_not_a_noun_a_word_could_modify(matcher: TermMatcher) -> None:
    # "as" is in a label ("start as low as {dose}"); a word before it still names its concept
    assert ("DoseTitration", "start as low as 0.25 mg") in found(matcher, "Most start as low as 0.25 mg.")
    assert ("Tolerability", "tolerable") in found(matcher, "It was rated as tolerable as the dummy tablets.")


def test_has_have_and_had_are_little_words_like_is_and_was(matcher: TermMatcher) -> None:
    assert ("ChronicPain", "pain that has lingered") in found(matcher, "nerve pain that has lingered for years")
    assert ("ChronicPain", "pain that has hung around") in found(matcher, "pain that has hung around for months")


def test_a_little_and_slightly_are_little_words(matcher: TermMatcher) -> None:
    assert ("Nausea", "feeling a little sick") in found(matcher, "feeling a little sick for a few days")
    assert ("Nausea", "feeling slightly sick") in found(matcher, "a headache or feeling slightly sick")
