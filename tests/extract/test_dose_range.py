"""When a stated dose claims the dose range (synthetic text; docs/labelling-guide.md, Doses)."""

from __future__ import annotations

import pytest
from claim_helpers import concepts

from ldn_graph.extract.dose_range import without_particular_doses
from ldn_graph.model import ClaimType, Concept


@pytest.mark.parametrize(
    "sentence",
    [
        "I started on 1.5 mg in the evening and crept up to 4.5 mg over about six weeks.",
        "Start on 0.5–1.5 mg once a day.",
        "Most prescribers begin at 0.5 mg and go up by 0.5 mg every week.",
        "Weeks 1–2: 1.5 mg at night",
        "The usual plan is to start on 1.5 mg and go up every couple of weeks.",
        "Prescribers usually start at 0.5 mg and titrate up every week.",
        # a range after a step's cue is the step's too; a target or a settling with no number
        # states no dose
        "Titrate: start at 0.5–1.5 mg, increase by 0.5–1.5 mg every 1–2 weeks to target or best tolerated dose.",
        "**Starting dose:** often 0.5 mg to 1.5 mg, taken once a day",
        "Many start people on 0.5 mg or 1 mg and raise it by about a milligram every week or two until they reach their target dose.",
        # vocabulary data: more ways to say a step
        "Weeks 2 to 4: if you feel fine, we add 0.5 mg each week.",
        "I dropped to 3 mg for a few months and then tried again.",
        "Some may require a slower escalation commencing at 0.5 mg or less.",
        "Most people begin with 1 mg at bedtime and climb by half a milligram to one milligram every week or two.",
        # the dose a start is said at, the step named after it; an adverb of manner in another word
        "Doctors usually start you on a very small amount, often 0.5 mg or 1 mg, and raise it slowly over several weeks.",
        "Prescribers commonly start lower, at 0.5 mg to 1.5 mg, and build up gradually over several weeks.",
        # vocabulary data: a sequence of doses, a liquid's volume before its dose
        "May: 1.5 mg, then 3 mg at the end of the month.",
        "Most of the trials used 1 mg rising to 4.5 mg over four weeks.",
        "Weeks 3 and 4: 2 mL (2 mg) at bedtime",
        "The idea is to start small and stay there until you know how you feel.",
        # a strength in a price list named as a step of the build-up
        "0.5 mg Capsule First step for sensitive patients £24.00",
        "3 mg Second step, often from week 3 £19.50",
    ],
)
def test_a_steps_dose_is_titration_only(vocab, sentence):
    found = concepts(sentence, vocab)
    assert "DoseTitration" in found
    assert "LowDoseRange" not in found


@pytest.mark.parametrize(
    "sentence",
    [
        "We usually start you on 1.5 mg and increase it by 1.5 mg every two weeks, up to a maximum of 4.5 mg.",
        "Start low, then go up by 0.5 mg a week, rarely beyond 4.5 mg.",
        "Start low; the usual maintenance dose is 4.5 mg.",
        "LDN is taken at 1.5–4.5 mg; start low and go slow.",
        "Start at 1.5 mg; most people settle on 3 mg or 4.5 mg.",
        "Capsules are made in 0.5 mg steps, so you can start at 0.5 mg.",
        "Start low: it is a tenth of the usual dose.",
        "Start at 1 mg and step up each fortnight | 4.5 mg | Target dose",
        # the dose where most people stay
        "From week five, go up to 4.5 mg, the dose most of our patients settle on.",
        "Week 5 onwards: raise it to 4.5 mg, which is where most people end up staying",
        "It rises in 1.5 mg steps every two weeks to 4.5 mg, the dose used in most earlier studies.",
    ],
)
def test_a_general_statement_of_the_dose_beside_steps_is_both(vocab, sentence):
    assert {"DoseTitration", "LowDoseRange"} <= concepts(sentence, vocab)


def test_a_dose_outside_any_schedule_keeps_its_range(vocab):
    assert "LowDoseRange" in concepts("LDN is usually between 0.5 mg and 4.5 mg a day.", vocab)


def test_the_rule_reads_the_vocabulary_flags_not_concept_names():
    steps = Concept(iri="ex:Steps", name="Steps", label="Steps", claim_type=ClaimType.DOSING, dose_steps=True)
    band = Concept(iri="ex:Band", name="Band", label="Band", claim_type=ClaimType.DOSING, dose_range=(1.0, 10.0))
    text = "begin with 5 mg"
    found = [(steps, 0, 15), (band, 11, 15)]
    assert without_particular_doses(found, text) == [(steps, 0, 15)]
    assert without_particular_doses([(band, 11, 15)], text) == [(band, 11, 15)]


@pytest.mark.parametrize(
    "sentence",
    [
        "I've been on 3 mg for five months and my flares are rarer.",
        "She takes 4.5 mg each night, and her pain has eased.",
        "On 4.5 mg a day, trial participants reported less pain than on placebo.",
        "Eight months on 4.5 mg of LDN and my flares are rarer.",
        "The 52 volunteers took 4.5 mg of LDN and felt less pain.",
        "A 90-day supply of LDN capsules at 4.5 mg is $72, and it may ease pain.",
        "Every mL of the LDN liquid contains 1 mg; it may ease pain.",
        # the form it is made in, said of someone's dose or a liquid's measure
        "She now takes 4.5 mg of LDN each night, made up as a capsule, and her pain has eased.",
        "LDN comes as a liquid made up at 1 mg in every 1 mL; it may ease pain.",
    ],
)
def test_one_persons_or_one_studys_dose_is_no_dose_range(vocab, sentence):
    found = concepts(sentence, vocab)
    assert found and "LowDoseRange" not in found


@pytest.mark.parametrize(
    "sentence",
    [
        "I tell patients LDN is usually 4.5 mg a day.",
        "From what I've read it is naltrexone at 1.5 to 4.5 mg.",
        "Most studies used 4.5 mg.",
        "I've ended up at 1.5 mg, which is low even for LDN.",
        "LDN is made up in 0.5 mg to 4.5 mg capsules by compounding pharmacies.",  # the forms it comes in
    ],
)
def test_a_general_dose_in_someones_words_keeps_its_range(vocab, sentence):
    assert "LowDoseRange" in concepts(sentence, vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        "My nurse started me on 0.5 mg and I went up half a milligram a week until I settled at 3 mg.",
        "Settled on 3 mg in the evenings after a rough fortnight.",
        "Twelve settled at 3 mg and the rest went on to 4.5 mg.",
        "Most people go up faster, but after a month I settled at 3 mg.",  # the general word is another clause's
    ],
)
def test_one_persons_or_a_counts_settling_dose_is_no_dose_range(vocab, sentence):
    assert "LowDoseRange" not in concepts(sentence, vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        "We raise it every fortnight, usually settling on 3 mg or 4.5 mg.",
        "You may find you settle at 1.5 mg, and that is fine.",
        "Start at 1.5 mg; plenty of people settle happily at 3 mg.",
    ],
)
def test_a_settling_dose_said_of_people_in_general_is_the_dose_range(vocab, sentence):
    assert "LowDoseRange" in concepts(sentence, vocab)
