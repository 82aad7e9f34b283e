"""Product context: which sentences of a document speak about the product (synthetic text)."""

from __future__ import annotations

import dataclasses

import pytest
from claim_helpers import concepts_in

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.context import ProductContext
from ldn_graph.extract.references import find_references
from ldn_graph.read.documents import read_text_document


def claimed(text: str, vocab) -> set[str]:
    """The sentences of ``text`` that yield at least one claim."""
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    refs, markers = find_references(doc)
    return {c.text for c in extract_claims(doc, vocab, refs, markers)}


def test_background_about_a_condition_is_not_a_claim(vocab):
    text = (
        "# Low dose naltrexone for fibromyalgia\n\n"
        "Fibromyalgia is a long-term condition with widespread pain and poor sleep. "
        "It affects about one adult in fifty.\n\n"
        "LDN may ease fibromyalgia pain.\n"
    )
    assert claimed(text, vocab) == {"LDN may ease fibromyalgia pain."}


def test_a_pronoun_carries_the_topic_of_the_sentence_before(vocab):
    text = (
        "# LDN\n\n"
        "Low dose naltrexone comes as a capsule. It may improve sleep and reduce fatigue.\n\n"
        "Crohn's disease is an inflammatory disease of the gut. It causes pain and fatigue.\n"
    )
    assert claimed(text, vocab) == {"It may improve sleep and reduce fatigue."}


def test_a_sentence_at_a_dose_above_the_ceiling_is_about_another_product(vocab):
    text = (
        "# LDN\n\n"
        "Naltrexone at 50 mg a day is licensed for alcohol dependence and can cause nausea. "
        "At 1.5 mg to 4.5 mg, LDN may reduce pain.\n"
    )
    assert claimed(text, vocab) == {"At 1.5 mg to 4.5 mg, LDN may reduce pain."}


def test_the_ceiling_comes_from_the_vocabulary(vocab):
    text = "# LDN\n\nNaltrexone at 50 mg a day can cause nausea.\n"
    assert claimed(text, vocab) == set()
    higher = dataclasses.replace(vocab, max_dose_mg=100.0)
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    assert {c.concept.name for c in extract_claims(doc, higher)} == {"Nausea"}


def test_a_document_not_about_the_product_needs_it_named_nearby(vocab):
    text = (
        "# Fibromyalgia\n\n"
        "Fibromyalgia brings widespread pain. Many people also sleep badly.\n\n"
        "Exercise and good sleep habits reduce fatigue for many.\n\n"
        "## Treatments\n\n"
        "Duloxetine is licensed for it.\n\n"
        "## Low dose naltrexone\n\n"
        "Some clinics prescribe it off-label. Small trials found less pain.\n"
    )
    assert claimed(text, vocab) == {"Small trials found less pain."}


def test_a_list_completes_its_lead_in(vocab):
    text = (
        "# LDN\n\n"
        "Prescribers use LDN for conditions such as:\n\n"
        "- Crohn's disease\n"
        "- multiple sclerosis\n\n"
        "Symptoms of lupus include:\n\n"
        "- joint pain\n"
        "- fatigue\n"
    )
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    names = {c.concept.name for c in extract_claims(doc, vocab)}
    assert {"CrohnDisease", "MultipleSclerosis"} <= names
    assert "Fatigue" not in names


def test_a_heading_naming_another_drug_heads_a_section_about_it(vocab):
    text = (
        "# LDN compared\n\n"
        "LDN may ease pain.\n\n"
        "## Pregabalin (Lyrica)\n\n"
        "- Often improves sleep quality\n"
        "- Dizziness and weight gain\n\n"
        "**Pros of duloxetine**\n\n"
        "- Treats depression and anxiety at the same time\n\n"
        "## How it compares with pregabalin\n\n"
        "- Often eases pain within weeks\n\n"
        "## Tramadol\n\n"
        "- Never take together with tramadol\n\n"
        "## Modafinil\n\n"
        "- Helps daytime sleepiness and fatigue in some people\n\n"
        "**Cons of amantadine**\n\n"
        "- Insomnia and headache\n"
    )
    assert claimed(text, vocab) == {"LDN may ease pain.", "Often eases pain within weeks", "Never take together with tramadol"}
    # an April date is no ACE inhibitor
    assert claimed("# LDN\n\n## 14 April 2025 (week six)\n\nMy pain is much better.\n", vocab) == {
        "My pain is much better."}


@pytest.mark.parametrize("drug", ["Sertraline", "Escitalopram", "Venlafaxine", "Modafinil", "Amantadine", "Duloxetine"])
def test_a_sentence_whose_subject_is_another_drug_is_about_it(vocab, drug):
    text = f"# LDN and your other medicines\n\nLDN may ease pain.\n\n{drug} can itself cause vivid dreams and broken sleep.\n"
    assert claimed(text, vocab) == {"LDN may ease pain."}


@pytest.mark.parametrize("heading", ["What is MS?", "About Crohn's disease", "Understanding fibromyalgia"])
def test_a_heading_on_what_a_condition_is_heads_background(vocab, heading):
    text = (
        "# LDN for MS, Crohn's and fibromyalgia\n\n"
        "LDN may ease fatigue.\n\n"
        f"## {heading}\n\n"
        "It can affect vision, memory and energy levels.\n\n"
        "It often causes fatigue and pain.\n\n"
        "## What is LDN?\n\n"
        "It may ease pain.\n"
    )
    assert claimed(text, vocab) == {"LDN may ease fatigue.", "It may ease pain."}


def test_product_names_come_from_the_vocabulary(vocab):
    other = dataclasses.replace(vocab, subject_terms=("examplumab",), max_dose_mg=None)
    context = ProductContext(other)
    assert context.names_product("Examplumab may reduce fatigue.")
    assert not context.names_product("LDN may reduce pain.")


def test_question_headings_that_presuppose_a_benefit_are_hedged_claims(vocab):
    text = "# LDN\n\n## How does LDN ease fibromyalgia pain?\n\nAsk your doctor.\n\n## Does LDN cure lupus?\n\nNo.\n"
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    claims = extract_claims(doc, vocab)
    questions = {c.text for c in claims}
    assert questions == {"How does LDN ease fibromyalgia pain?"}
    assert all(c.hedged and c.role == "heading" for c in claims)


def test_outcomes_a_sentence_denies_are_not_claims(vocab):
    text = (
        "# LDN\n\n"
        "LDN did not, however, improve fatigue or sleep compared with placebo. "
        "I had no nausea at all. Pain was lower on LDN. "
        "LDN should not be taken with opioid pain medications.\n"
    )
    doc = read_text_document(text.encode(), "synthetic.md", "text/markdown")
    names = {c.concept.name for c in extract_claims(doc, vocab)}
    assert "Fatigue" not in names and "Sleep" not in names and "Nausea" not in names
    assert {"PainRelief", "OpioidUse"} <= names


@pytest.mark.parametrize(
    "sentence",
    [
        "I was diagnosed with lupus six years ago.",
        "Chronic pain is common in older adults.",
        "I have had fibromyalgia for ten years.",
        "I've had fibro for about nine years.",
        "I’d had Hashimoto's for nine years and thought the exhaustion was just my life now.",
        "Long hauler here, 22 months in.",
        "Not fibro or ME strictly but long covid here, hope that's ok to jump in!",
        "Chronic widespread pain is common in rheumatology clinics.",
        "About 2 million people in the UK are living with fibromyalgia.",
    ],
)
def test_personal_and_prevalence_background_is_not_a_claim(vocab, sentence):
    assert claimed(f"# LDN\n\n{sentence} LDN may ease pain.\n", vocab) == {"LDN may ease pain."}


def test_a_definition_of_the_substance_is_background(vocab):
    text = "# LDN\n\nNaltrexone is a medication that blocks opioid receptors. Low dose naltrexone blocks opioid receptors briefly.\n"
    assert claimed(text, vocab) == {"Low dose naltrexone blocks opioid receptors briefly."}


@pytest.mark.parametrize(
    "sentence",
    [
        "People with Hashimoto's who take it sometimes see antibody levels fall.",
        "In people with Crohn's disease, small studies describe fewer flares during treatment.",
        "Liver disease: check liver function first.",
        "Routine liver function monitoring is not needed at these doses, unlike 50 mg naltrexone.",
    ],
)
def test_sentences_that_stay_with_the_product(vocab, sentence):
    text = f"# Low dose naltrexone\n\nNaltrexone at 50 mg treats alcohol dependence.\n\nLDN is used off-label. {sentence}\n"
    assert sentence in claimed(text, vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        # a study's count is no prevalence figure
        "In the fibromyalgia trial, a crossover study of about 30 women, pain scores were lower than on placebo.",
        "Using a 30% cut-off, 64 of 138 patients (46%) were classed as having less pain.",
        # a condition that qualifies a study or names symptoms is not the subject
        "And in a Crohn's pilot a lot of people went into remission.",
        "Depressive symptoms also eased modestly.",
        # "after months of treatment" is no one's history with a condition
        "62% of respondents said they had more energy after three months of treatment.",
        # rare harms and a common use are not how common a condition is
        "Serious adverse events are rare in published reports.",
        "Its use alongside cancer treatment is common in integrative practice.",
    ],
)
def test_study_results_in_a_passage_about_the_product(vocab, sentence):
    text = f"# Low dose naltrexone\n\nLDN is used off-label.\n\n{sentence}\n"
    assert sentence in claimed(text, vocab)


@pytest.mark.parametrize("amount", ["At a small fraction of that amount", "At a far smaller dose", "As a tiny sliver of that"])
def test_smallness_after_a_high_dose_sentence_returns_to_the_product(vocab, amount):
    text = f"# LDN\n\nNaltrexone at 50 mg treats alcohol dependence. {amount} it may reduce pain.\n"
    assert claimed(text, vocab) == {f"{amount} it may reduce pain."}


def test_low_dose_wording_after_a_high_dose_sentence_returns_to_the_product(vocab):
    text = "# LDN\n\nNaltrexone at 50 mg treats alcohol dependence. At a fraction of that amount it may reduce pain.\n"
    assert claimed(text, vocab) == {"At a fraction of that amount it may reduce pain."}


def test_an_email_subject_line_names_what_the_letter_is_about(vocab):
    text = (
        "From: A. Pharmacist <a@example.org>\n"
        "To: Dr B <b@example.org>\n"
        "Subject: Re: a query about low dose naltrexone\n\n"
        "Dear Dr B,\n\n"
        "The published evidence is limited. A small trial suggested less pain in fibromyalgia.\n"
    )
    doc = read_text_document(text.encode(), "letter.txt")
    assert [s.role for s in doc.segments][:3] == ["metadata"] * 3
    assert "A small trial suggested less pain in fibromyalgia." in {c.text for c in extract_claims(doc, vocab)}


def test_a_leaflet_for_the_substance_at_full_dose_makes_no_low_dose_claims(vocab):
    text = (
        "Naltrexone 50 mg tablets\n\n"
        "What naltrexone is used for\n\n"
        "Naltrexone 50 mg helps people stay off alcohol. Take one 50 mg tablet a day.\n\n"
        "Possible side effects\n\n"
        "- nausea\n- headache\n- trouble sleeping\n\n"
        "This leaflet is not about low dose naltrexone.\n"
    )
    doc = read_text_document(text.encode(), "leaflet.txt")
    assert extract_claims(doc, vocab) == []


def test_study_methods_and_organisation_names_are_not_claims(vocab):
    text = (
        "# LDN in our clinic\n\n"
        "We followed adults starting LDN for six months, recording pain and sleep. "
        "The design was retrospective, and pain scores came from letters. "
        "Patients were referred by the Pain Management Service. "
        "LDN reduced pain in most of them.\n"
    )
    assert claimed(text, vocab) == {"LDN reduced pain in most of them."}


def test_reports_to_the_writer_stay_with_the_product_and_no_difference_is_denied(vocab):
    text = (
        "# LDN capsules\n\n"
        "People with ME/CFS often tell us their fatigue lifts after a couple of months. "
        "One reviewer tried it for fatigue and noticed no difference.\n"
    )
    assert claimed(text, vocab) == {"People with ME/CFS often tell us their fatigue lifts after a couple of months."}


@pytest.mark.parametrize(
    "sentence",
    [
        "I gave it three months for my MS fatigue and noticed no difference.",
        "LDN hasn't changed the course of her MS.",
        "Effects on fatigue and sleep were less clear.",
        "A friend with fibromyalgia said LDN did nothing for her.",
        "It will not numb fatigue within hours.",
        "For two of us it did not touch their fatigue at all.",
        "Better sleep is not a proven effect of LDN.",
        "We do not supply LDN as a cancer treatment.",
        "We do not use it in place of treatment for depression.",
        # … the items listed after the first, and the denied form of "noticed no difference"
        "We do not prescribe LDN as a treatment for cancer, anxiety or weight loss.",
        "Our pharmacists never recommend it for depression, fatigue or long COVID.",
        "Honestly, I haven't noticed much difference in my MS yet.",
        "I didn't see any real change in my fatigue.",
        # what it is not licensed, approved or recommended for
        "LDN is **not recommended** for multiple sclerosis, long COVID or ME/CFS outside a trial.",
        "Because it isn't licensed for fibromyalgia or ME, most GPs won't prescribe it.",
        "It is not approved by the FDA for Crohn's disease.",
        "In that trial, fatigue and sleep did not clearly improve.",
        "Fatigue and sleep, however, were not measurably better than on placebo.",
        "Three months in, the fatigue barely budged.",
    ],
)
def test_a_null_result_is_not_a_claim(vocab, sentence):
    assert claimed(f"# LDN\n\nLDN may ease pain. {sentence}\n", vocab) == {"LDN may ease pain."}


@pytest.mark.parametrize(
    "sentence",
    [
        "More than half a million people in the UK live with Crohn's disease.",
        "A few years ago a woman came to me with fibromyalgia.",
        "With Hashimoto's I was always cold and foggy.",
        "That sounds exhausting, and it makes sense that you're looking for options for your fatigue.",
        "Dr Hannah Okafor is a GP in Leeds who runs a community clinic for people with long-term pain.",
        # a symptom ranked among a condition's, what a test is
        "Persistent abdominal pain is among the most disabling features of IBD.",
        "MS fatigue is one of the hardest symptoms to treat.",
        "Aching joints are one of the most common problems outside the gut in Crohn's disease.",
        "Calprotectin is a protein doctors measure in stool samples to gauge how inflamed the gut is.",
    ],
)
def test_population_counts_and_case_openings_are_background(vocab, sentence):
    assert claimed(f"# LDN\n\n{sentence} LDN may ease pain.\n", vocab) == {"LDN may ease pain."}


def test_a_quote_that_does_not_replace_other_medicines_is_no_disclaimer(vocab):
    sentence = "\"LDN doesn't replace your usual Crohn's medicines, but it may ease pain,\" she said."
    doc = read_text_document(f"# LDN\n\n{sentence}\n".encode(), "synthetic.md", "text/markdown")
    assert [s.role for s in doc.segments if doc.text[s.start : s.end] == sentence] == ["sentence"]
    # (the condition word naming a medicine, "Crohn's medicines", is no indication: extract/specified.py)
    assert {c.concept.name for c in extract_claims(doc, vocab)} == {"PainRelief"}


def test_link_text_and_monitoring_schedules_are_not_claim_text(vocab):
    text = (
        "# LDN\n\n"
        "For diet advice, visit [Crohn's and Colitis Help](https://example.org/crohns). "
        "Review at 4 and 12 weeks: pain score, sleep, side effects. "
        "LDN may ease pain.\n"
    )
    assert claimed(text, vocab) == {"LDN may ease pain."}


@pytest.mark.parametrize(
    "sentence",
    [
        "Dr Lee, a consultant in pain medicine, prescribes it.",
        "Ask your MS team before you stop anything.",
        "She is a GP with a special interest in pain.",
        "The pain clinic runs on Tuesdays.",
        "It is prescribed by the pain, neurology and gastroenterology teams.",  # a list of fields
        "Agree it with your rheumatology or pain clinician.",
    ],
)
def test_a_concept_word_naming_a_field_of_care_is_not_a_claim(vocab, sentence):
    assert claimed(f"# LDN\n\n{sentence} LDN may ease pain.\n", vocab) == {"LDN may ease pain."}


def test_a_quality_of_the_medicine_is_no_field_of_care(vocab):
    # "pain medicine" is a field; "a gentle medicine" is the product's quality
    assert concepts_in("# LDN\n\nLDN is a gentle medicine.\n", vocab) == {"Tolerability"}


def test_a_clinic_that_is_a_studys_setting_names_its_population(vocab):
    text = "# LDN\n\nA study from a long COVID clinic reported better energy after two months of LDN.\n"
    assert "LongCovid" in concepts_in(text, vocab)


@pytest.mark.parametrize(
    "sentence",
    [
        "My sister has MS and my husband has Crohn's disease.",
        "In MS, the immune system damages the coating of nerves.",
        '"After six years of fibromyalgia I had tried everything.',
        "**You:** I take LDN for lupus and wonder about fatigue.",
        "Carol reminded us that fibromyalgia causes widespread pain and poor sleep.",
        "Relapsing MS means attacks of new symptoms followed by recovery, with fatigue in between.",
        "Tom, 34, has had Crohn's disease since his teens.",
        "When Aisha caught Covid in 2022, she expected to be back at work within a fortnight, fatigue or not.",
        "This episode is supported by a mattress company whose pillows help you sleep.",
    ],
)
def test_someones_condition_what_a_disease_does_and_a_users_turn_are_not_claims(vocab, sentence):
    assert claimed(f"# LDN\n\n{sentence}\n\nLDN may ease pain.\n", vocab) == {"LDN may ease pain."}


@pytest.mark.parametrize(
    "sentence",
    [
        '"Will LDN help my fibromyalgia pain?" (Margaret, Leeds)',
        "There is no evidence that LDN cures fibromyalgia.",
        "Pain-wise, nothing changed yet.",
        "- Pain, fatigue and sleep scores, reported every four weeks",
        "Tom asked about his fibromyalgia pain.",
        "I'm often asked about fibromyalgia.",
        "The primary outcome was change in mean weekly pain at 12 weeks.",
        "The primary aim of the trial is to estimate the effect of LDN on fatigue in fibromyalgia.",
        "Secondary aims are to estimate its effects on sleep quality and pain.",
        "Eligible participants have had fibromyalgia pain for at least six months.",
        "A randomised trial of LDN in fibromyalgia is now warranted, ideally comparing 3 mg with 4.5 mg.",
        "Such studies should also measure fatigue and sleep.",
        "No better sleep, no difference in pain or energy, nothing.",
        "I didn't even get vivid dreams.",
        "It does not slow the progression of MS.",
        "What the evidence does not show is that LDN treats fibromyalgia.",
        "The liquid is 1 mg/ml, in 50 ml bottles.",
        "The liquid holds 1 mg in 1 ml.",
        "LDN did not separate from placebo on fatigue or sleep quality.",
        "**Methods:** We enrolled 46 adults with fibromyalgia and mean pain of at least 4/10.",
        "A placebo-controlled trial of LDN in long Covid is due to report next year.",
        "It didn't do squat for my fibromyalgia pain though.",
        "The brain fog hasn't shifted at all for me.",
        "I'd gently disagree with giving LDN the credit.",
        "In that study, fatigue and sleep did not differ from placebo.",
        "Whether LDN relieves fibromyalgia pain has not been tested.",
        "The evidence in lupus is mostly anecdotes and small open-label studies.",
        # a review question's labels, and what a diary or log keeps
        "**Population:** adults with fibromyalgia or Crohn's disease not controlled on standard therapy",
        "**Outcomes:** pain, fatigue, sleep and remission",
        "Keep a simple diary of energy, sleep and mood for a month before you start.",
        "A daily log of pain and fatigue helps at review.",
    ],
)
def test_asked_questions_denied_evidence_and_lists_of_measures_are_not_claims(vocab, sentence):
    assert claimed(f"# LDN\n\nLDN may ease pain.\n\n{sentence}\n", vocab) == {"LDN may ease pain."}


def test_a_measure_that_changed_is_still_a_claim(vocab):
    assert claimed("# LDN\n\nOn LDN, pain and sleep scores improved.\n", vocab) == {"On LDN, pain and sleep scores improved."}
    # a phrasal verb of change: "went up", "came down"
    for sentence in ("On LDN, their quality-of-life scores went up.", "On LDN, daily pain ratings came down.",
                     # a gain, a trend, a change from a number, results that stayed normal
                     "The LDN trials found a small gain in mental-health scores.",
                     "On LDN my antibody results are trending down.",
                     "Four months on LDN and my pain scores are down from 7 to 5.",
                     "On LDN my liver function tests have stayed completely normal."):
        assert claimed(f"# LDN\n\n{sentence}\n", vocab) == {sentence}, sentence


def test_what_an_organisation_is_is_not_a_claim(vocab):
    text = "# LDN survey\n\nLDN helped most members sleep.\n\nThe Pain Alliance is a registered charity supporting people with fibromyalgia and chronic pain.\n"
    assert claimed(text, vocab) == {"LDN helped most members sleep."}


def test_a_count_of_a_studys_patients_reporting_a_change_is_about_the_product(vocab):
    result = ("At the three-month review, 18 of the 34 patients with CRPS (53%) reported a fall of at least 30% "
              "in average pain intensity.")
    text = f"# LDN for CRPS: a case series\n\n58 adults were started on LDN for nerve pain.\n{result}\n"
    assert result in claimed(text, vocab)


def test_what_people_with_a_condition_notice_on_the_product_is_about_it(vocab):
    text = "# LDN\n\nLDN is prescribed off-label.\nPeople with ME/CFS sometimes notice more energy after a few months.\n"
    assert "People with ME/CFS sometimes notice more energy after a few months." in claimed(text, vocab)
    background = "# LDN\n\nLDN is prescribed off-label.\nMany people with lupus have joint pain and fatigue.\n"
    assert claimed(background, vocab) == set()
    # … a change for the worse too: a harm they notice on it
    worse = ("# LDN\n\nLDN is prescribed off-label.\n"
             "Some people with autoimmune conditions notice a short-lived worsening of their usual symptoms.\n")
    assert "Some people with autoimmune conditions notice a short-lived worsening of their usual symptoms." in claimed(worse, vocab)
    assert "AutoimmuneFlare" in concepts_in(worse, vocab)


def test_in_a_chat_the_answer_turn_speaks_to_the_product_after_the_users_question(vocab):
    text = (
        "Chat transcript about LDN\n\n"
        "User: any side effects?\n\n"
        "i am also on levothyroxine\n\n"
        "Hollis: On the whole it is gentle.\n\n"
        "- Side effects include vivid dreams and headaches.\n"
        "- Some people feel queasy.\n"
    )
    # the user's own later line is still read as the product's (a known limit: a rule that
    # held the user's turn open until the answer cost recall on the development half)
    doc = read_text_document(text.encode(), "chat.txt")  # plain text: the user's line stands as a heading
    assert {c.text for c in extract_claims(doc, vocab, *find_references(doc))} >= {
        "Hollis: On the whole it is gentle.",
        "Side effects include vivid dreams and headaches.",
        "Some people feel queasy.",
    }


def test_someones_condition_then_what_changed_for_them_on_the_product(vocab):
    text = (
        "# My year on LDN\n\n"
        "I started low dose naltrexone last spring.\n\n"
        "I have Crohn's and I've had far fewer flare-ups since starting. "
        "I have MS and my sister has lupus.\n\n"
        "anyone else get a bit of nausea on an empty stomach? does it interact with tramadol?\n"
    )
    assert claimed(text, vocab) == {
        "I have Crohn's and I've had far fewer flare-ups since starting.",
        "anyone else get a bit of nausea on an empty stomach?",  # the asker had it
    }


def test_a_denial_in_a_contrasting_clause_is_someone_elses(vocab):
    text = (
        "# LDN for ME\n\n"
        "Low dose naltrexone is used for ME/CFS.\n\n"
        "Some members feel less exhausted on it, although others have noticed no change at all. "
        "Fatigue and sleep, however, were no better than on placebo.\n"
    )
    assert claimed(text, vocab) == {
        "Low dose naltrexone is used for ME/CFS.",
        "Some members feel less exhausted on it, although others have noticed no change at all.",
    }


def test_what_has_not_been_shown_is_no_claim(vocab):
    text = (
        "# LDN for long COVID\n\n"
        "Low dose naltrexone may ease post-COVID fatigue. "
        "Neither mechanism has been proven in long COVID. "
        "LDN isn't a cure for long COVID. "
        "In our audit, fatigue did not change significantly on LDN.\n"
    )
    assert claimed(text, vocab) == {"Low dose naltrexone may ease post-COVID fatigue."}


def test_how_someone_was_before_is_background_but_before_and_now_is_a_claim(vocab):
    text = "# LDN\n\nLDN may ease pain.\n\nWith Hashimoto's I was always foggy, but now my head feels clearer.\n"
    assert len(claimed(text, vocab)) == 2


def test_a_use_it_is_not_recommended_in_is_a_contraindication_and_stays(vocab):
    assert claimed("# LDN\n\nUse of LDN in pregnancy is not recommended because data are lacking.\n", vocab) == {
        "Use of LDN in pregnancy is not recommended because data are lacking."}


def test_items_under_a_heading_of_uses_not_recommended_are_no_claims(vocab):
    text = ("# LDN shared care\n\n## Uses not recommended\n\n- Long COVID outside a research study\n"
            "- Weight loss or appetite control\n\n## Indications\n\n- Fibromyalgia after two first-line options\n")
    assert claimed(text, vocab) == {"Fibromyalgia after two first-line options"}


def test_what_a_condition_does_is_an_aside_in_a_story_about_the_product(vocab):
    text = (
        "# A patient's year on LDN\n\n"
        "Dana has taken low dose naltrexone for fibromyalgia for two years. "
        "Fibromyalgia causes widespread pain, tiredness and unrefreshing sleep. "
        "\"I still have bad days, but the constant ache has dropped,\" she said. "
        "The hallmarks of fibromyalgia are widespread aches and exhaustion.\n"
    )
    got = claimed(text, vocab)
    assert "\"I still have bad days, but the constant ache has dropped,\" she said." in got
    assert not any(s.startswith(("Fibromyalgia causes", "The hallmarks")) for s in got)


def test_people_with_a_condition_who_see_a_number_drift_down_are_on_the_product(vocab):
    text = ("# LDN for Hashimoto's\n\nLow dose naltrexone is prescribed off-label.\n\n"
            "Some people with Hashimoto's see their antibody numbers drift down over several months.\n")
    assert "Some people with Hashimoto's see their antibody numbers drift down over several months." in claimed(text, vocab)


def test_a_threads_opening_post_naming_the_product_makes_the_thread_about_it(vocab):
    text = ("# Asking the hive mind\n\nThree years of long covid now.\n\nMost days I am wiped out by 11am.\n\n"
            "My GP has agreed to a trial of low dose naltrexone.\n\n## Reply from Sol\n\n"
            "The fog was first to shift for me, around week 6.\n\n## Reply from Bex\n\nSame here.\n\n"
            "## Reply from Ash\n\nGood luck.\n")
    assert "The fog was first to shift for me, around week 6." in claimed(text, vocab)


def _export(opening: str) -> str:
    """A plain-text thread export (synthetic): lines of page header, then posts."""
    header = ("Pinboard · Groups\n\nLong Covid Peer Support (North) · Private group · 2.1k members\n\n"
              "Text export of one post and its replies · saved 2 March 2026\n\n"
              "Images and link previews not exported · reactions shown as counts\n\n"
              "Sorted by most relevant · 3 replies\n\n")
    return (header + "Sam Okafor · 1 March 2026, 09:12\n" + opening +
            "Would love to hear how others got on before I start.\n\n"
            "Lee Hart · 1 March, 09:40\nThe fog was first to shift for me, around week 6.\n"
            "👍 4 · Reply\n\nMo Reyes · 1 March, 10:02\nSame here, it took about two months.\n")


def test_a_thread_export_naming_the_product_in_its_opening_words_is_about_it(vocab):
    # four header lines are four paragraphs: the opening post's words say what it is about
    doc = read_text_document(_export("Three years of this now.\nMy GP has agreed to low dose naltrexone.\n").encode(),
                             "synthetic.txt")
    assert "The fog was first to shift for me, around week 6." in {c.text for c in extract_claims(doc, vocab)}
    doc = read_text_document(_export("Three years of this now.\nMy GP has agreed to a new tablet.\n").encode(),
                             "synthetic.txt")
    assert extract_claims(doc, vocab) == []  # named nowhere: not about the product


def test_a_harm_of_the_full_dose_denied_at_these_doses_is_a_claim_about_the_product(vocab):
    # "at these doses" is the low dose under discussion; a liver harm denied is the claim
    text = ("# LDN\n\nLDN is prescribed off-label.\n"
            "At these doses it has not been linked to the liver problems flagged for 50 mg naltrexone.\n")
    assert "At these doses it has not been linked to the liver problems flagged for 50 mg naltrexone." in claimed(text, vocab)
    assert "LiverSafety" in concepts_in(text, vocab)


def test_a_side_effect_frequency_band_is_no_background(vocab):
    """A leaflet's "Common (may affect up to 1 in 10 people)" heads the product's side
    effects; "affects about one adult in fifty" is how common a condition is."""
    text = (
        "# Low dose naltrexone: side effects\n\n"
        "## Common (may affect up to 1 in 10 people)\n\n"
        "- headaches\n"
        "- feeling a bit queasy\n\n"
        "## Fibromyalgia\n\n"
        "Fibromyalgia affects up to 1 in 20 people, mostly women.\n"
    )
    assert claimed(text, vocab) == {"headaches", "feeling a bit queasy"}


def test_a_population_on_a_low_dose_speaks_of_the_product(vocab):
    """"Many people with long COVID feel best on 1.5 to 3 mg" after a passage on LDN gives
    the product's dose; without a low dose, the population is the subject."""
    text = (
        "# LDN dosing\n\n"
        "We start LDN at 1 mg.\n\n"
        "Many people with long COVID feel best somewhere between 1.5 mg and 3 mg.\n\n"
        "Many people with long COVID feel exhausted by the afternoon.\n"
    )
    assert claimed(text, vocab) == {
        "We start LDN at 1 mg.",
        "Many people with long COVID feel best somewhere between 1.5 mg and 3 mg.",
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "One crossover trial of LDN in MS found a modest improvement in quality of life; a second found no difference.",
        "Small studies of LDN looked at quality of life with mixed results: some found people felt better, others found little change.",
    ],
)
def test_a_positive_result_beside_another_studys_null_result_stays_a_claim(vocab, sentence):
    assert claimed(f"# LDN\n\n{sentence}\n", vocab) == {sentence}
    assert "QualityOfLife" in concepts_in(f"# LDN\n\n{sentence}\n", vocab)
