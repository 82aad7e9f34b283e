"""Roles told from a segment's own words (synthetic lines in the conventions of web pages,
leaflets, e-mails and forums)."""

from __future__ import annotations

import pytest

from ldn_graph.read.documents import read_text_document
from ldn_graph.read.roles import role_of_text


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Keywords: LDN, lupus, fatigue", "metadata"),
        ("Tags: pain, sleep", "metadata"),
        ("Filed under: autoimmune, my story", "metadata"),
        ("Posted by Sam on 3 March 2026", "metadata"),
        ("By Alex Moreno, health editor", "metadata"),
        ("*By the editorial team · 4 min read*", "metadata"),
        ("Reviewed by the pharmacy team", "metadata"),
        ("Subject: your question about dosing", "metadata"),
        ("BOSTON, Mass., June 2, 2026", "metadata"),
        ("#LDN #lupus #spoonie", "metadata"),
        ("Replies: 11 | Views: 4,906 | Tags: ldn, fibromyalgia", "metadata"),
        ("This page is not medical advice.", "disclaimer"),
        ("I'm a nurse, not a doctor, so take this with a pinch of salt.", "disclaimer"),
        ("This leaflet does not replace a talk with your pharmacist.", "disclaimer"),
        ("These statements have not been evaluated by the FDA.", "disclaimer"),
        ("© 2026 Example Pharmacy. All rights reserved.", "disclaimer"),
        ("Figure 2. Pain scores by week", "caption"),
        ("Table 1: starting doses", "caption"),
        ("Skip to main content", "navigation"),
        ("Back to top", "navigation"),
        ("Home | Conditions | Treatments | Contact", "navigation"),
        ("Forums › Treatments › Off-label", "navigation"),
        ("Page 2 of 3", "navigation"),
        ("ME/CFS (moderate) since 2021, post-covid · LDN 3 mg since Sept 2024 · propranolol for POTS", "metadata"),
        ("Dx: Hashimoto's 2015 | LDN since Aug 2023 | 3 mg", "metadata"),
        ("RRMS 2018 · Copaxone · LDN 2 mg mornings · spoonie and proud", "metadata"),
        ("Fibromyalgia · diagnosed 2016 · LDN 4.5 mg · allotment addict", "metadata"),
        ("Hen | Hashimoto's 2012 + ME | LDN 3 mg | levo 88 (was 112)", "metadata"),  # a condition, its year, a note
        ("Kat | Crohn's 2009, fibro 2023 | aza + LDN (week 3)", "metadata"),  # more conditions, each with its year
        ("Zoe | fibro 2021, ?ME | newbie", "metadata"),
        ("PP | ME/CFS (moderate) 2019 | LDN 4.5 | bed by 9", "metadata"),
        ("Dev, 44, secondary progressive MS", "metadata"),
        ("— Rosa, 52, Ohio", "metadata"),
        ("Anh T., 55 · Hashimoto's · on LDN since 2024", "metadata"),
        ("Mo | SPMS dx 2016 | Tysabri | one day at a time", "metadata"),  # a diagnosis's year
        ("Bea | Crohn's 12 yrs | azathioprine", "metadata"),  # how long it has lasted
        ("Lupus | hydroxychloroquine 200 mg | LDN 3 mg | cat person", "metadata"),  # the writer's own doses
        ("Started by ferngully in Treatments and therapies", "metadata"),
        ("Mia · 2 March 2026 · 19 replies", "metadata"),
        ("Doc ref PX-22 | LDN prescribing in clinic | Version 4", "metadata"),
        ("NHS - Fibromyalgia: https://www.nhs.uk/conditions/fibromyalgia/", "link text"),
        ("The fibromyalgia crossover trial (Younger et al., 2013): https://pubmed.ncbi.nlm.nih.gov/23359310/", "link text"),
    ],
)
def test_cues_give_roles(text, role):
    assert role_of_text(text) == role


@pytest.mark.parametrize(
    "text",
    [
        "By blocking opioid receptors briefly, LDN raises endorphins.",
        "To start, take 1.5 mg at bedtime.",
        "From the first week, my sleep improved.",
        "1.5 mg | 3 mg | 4.5 mg",
        "| Weeks 1–2 | 1.5 mg | since 2024 |",
        "Weeks 3–4 | LDN 3 mg | at bedtime",  # a dosing table's row written without its bars
        "Day 1 · LDN 0.5 mg · watch for vivid dreams",
        "LDN 3 mg | pain eased | sleep better.",
        "Versions of the leaflet differ | see version 2 for the old dose | ask us",
        "Pain since 2019 · sleep better · fewer flares since starting LDN in 2023.",
        "Pain eased in 2023 · sleep better · fewer flares on LDN 3 mg.",
        "LDN eased my pain. Read the trial here: https://example.org/trial",
        "LDN may ease pain in fibromyalgia.",
        "Source of the trial data is the published paper, which found less pain.",
        "Tom, 34, has had Crohn's since his teens.",
        "Margaret, 67, takes LDN alongside chemotherapy.",
        "Dev, 44, says the fatigue lifted within a month of starting LDN.",
    ],
)
def test_sentences_keep_their_role(text):
    assert role_of_text(text) is None


def test_roles_reach_the_segments_of_a_document():
    text = "Keywords: LDN, pain\n\nLDN may ease pain. This is not medical advice.\n"
    doc = read_text_document(text.encode(), "x.txt")
    roles = [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    assert roles == [
        ("Keywords: LDN, pain", "metadata"),
        ("LDN may ease pain.", "sentence"),
        ("This is not medical advice.", "disclaimer"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "1.Smith A et al. A trial of something. J Example Med 2019;12(3):45-50. PMID 12345",
        "Doe J, Roe R. A study. Example J. 2020;4(1):1-9.",
        "Doe, J. A., & Roe, R. (2021). A study of things. Example Journal, 3(2), 10-20.",
        "[2] Roe R, Doe J. Another study. doi:10.1000/example",
        "Roe R and colleagues, crossover trial of something, 2013 (PMID 12345)",  # a lay entry
    ],
)
def test_bibliographic_entries_are_reference_entries(text):
    doc = read_text_document(f"{text}\n".encode(), "x.txt")
    assert [s.role for s in doc.segments] == ["reference entry"]


@pytest.mark.parametrize(
    "text",
    [
        "LDN reduced pain in a 2013 trial (PMID 12345).",
        "Doe and colleagues ran a trial in 2019; 31 women took part.",
    ],
)
def test_sentences_citing_a_study_are_not_reference_entries(text):
    doc = read_text_document(f"{text}\n".encode(), "x.txt")
    assert "reference entry" not in [s.role for s in doc.segments]


def test_a_labelled_bibliographic_entry_is_a_reference_entry():
    doc = read_text_document(b"Read the abstract: Doe J, et al. Example J. 2020;4(1):1-9. PMID: 12345\n", "x.txt")
    assert [s.role for s in doc.segments] == ["reference entry"]


def test_a_chat_assistants_offer_is_not_copy():
    assert role_of_text("Would you like me to summarise the trial in more detail?") == "navigation"


def test_every_disclaimer_cue_holds_one_of_the_words_that_let_a_segment_skip_the_pattern():
    from paths import ROOT

    from ldn_graph.read.roles import _DISCLAIMER_RE, _DISCLAIMER_WORDS

    lines = [
        line
        for path in sorted((ROOT / "tests" / "corpus").glob("*.*"))
        if path.suffix in (".txt", ".md", ".html")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    cued = [line for line in lines if _DISCLAIMER_RE.search(line[:400])]
    assert len(cued) > 50  # the corpus has plenty of disclaimers to check against
    assert all(any(word in line[:400].lower() for word in _DISCLAIMER_WORDS) for line in cued)
