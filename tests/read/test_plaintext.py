"""Plain text read as its author wrote it: paragraphs, hard-wrapped lines joined, list
items with their continuation lines, headings only when they stand alone."""

from __future__ import annotations

from ldn_graph.read.documents import read_text_document
from ldn_graph.read.plaintext import text_layout
from ldn_graph.terms import SegmentRole


def read(source: str):
    doc = read_text_document(source.encode(), "copy.txt")
    assert doc.text == source
    return doc


def pairs(source: str) -> list[tuple[str, SegmentRole]]:
    doc = read(source)
    return [(doc.text[s.start : s.end], s.role) for s in doc.segments]


def texts(source: str) -> list[str]:
    return [text for text, _ in pairs(source)]


# A newsletter wrapped at 70 columns, the way an e-mail client sends it.
EMAIL = """\
Subject: Our autumn letter

Hello again, and welcome to the autumn letter. This month we look at
the survey results and at a short note on how people start the tablet.

SURVEY RESULTS

Most of the people who answered had been taking the tablet for more
than a year. Almost half said their sleep was better after three
months, and a smaller group said the main change was a calmer
January. The tablet was stopped by very few people.

Readers mentioned these effects in the first month:

  - vivid dreams, which for most people settled within one to two
    weeks of starting
  - a mild headache
  a) nausea when taken on an empty
     stomach

Kind regards,
Jo Bloggs
"""


def test_a_hard_wrapped_email_paragraph_is_one_block_and_sentences_span_its_line_breaks():
    doc = read(EMAIL)
    got = [(doc.text[s.start : s.end], s.role, s.block) for s in doc.segments]
    sentences = [t for t, role, _ in got if role == SegmentRole.SENTENCE]
    assert "This month we look at\nthe survey results and at a short note on how people start the tablet." in sentences
    assert (
        "Almost half said their sleep was better after three\nmonths, and a smaller group said the main change"
        " was a calmer\nJanuary." in sentences
    )  # "January" opens its line in capitals, but the line above is full: a soft wrap
    blocks = {block for t, _, block in got if "survey results" in t or "Most of the people" in t}
    assert len(blocks) == 2  # two paragraphs, each one block
    start = EMAIL.index("Almost half")
    seg = next(s for s in doc.segments if s.start == start)
    assert EMAIL[seg.start : seg.end].endswith("January.")


def test_list_items_keep_their_indented_continuation_lines():
    items = [t for t, role in pairs(EMAIL) if role == SegmentRole.LIST_ITEM]
    assert items == [
        "vivid dreams, which for most people settled within one to two\n    weeks of starting",
        "a mild headache",
        "nausea when taken on an empty\n     stomach",
    ]


def test_a_line_ending_in_a_colon_is_a_lead_in_sentence_not_a_heading():
    doc = read(EMAIL)
    lead_in = "Readers mentioned these effects in the first month:"
    assert (lead_in, SegmentRole.SENTENCE) in [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    item = next(s for s in doc.segments if s.role == SegmentRole.LIST_ITEM)
    assert item.lead is not None and doc.text[item.lead[0] : item.lead[1]] == lead_in


def test_capitals_headings_and_short_lines_of_a_signature():
    got = pairs(EMAIL)
    assert ("SURVEY RESULTS", SegmentRole.HEADING) in got
    assert ("Kind regards,", SegmentRole.SENTENCE) in got
    assert "Jo Bloggs" in [t for t, _ in got]  # a short line after a short line: not joined


def test_one_line_per_paragraph_text_stays_one_block_a_line():
    source = (
        "What is the tablet\n"
        "The tablet is a small dose of an old medicine. It is taken at night.\n"
        "Who may it help?\n"
        "People with long-term pain may find it helps.\n"
        "Thanks for reading. Any questions?\n"
    )
    assert pairs(source) == [
        ("What is the tablet", SegmentRole.HEADING),  # set directly on its paragraph
        ("The tablet is a small dose of an old medicine.", SegmentRole.SENTENCE),
        ("It is taken at night.", SegmentRole.SENTENCE),
        ("Who may it help?", SegmentRole.HEADING),
        ("People with long-term pain may find it helps.", SegmentRole.SENTENCE),
        ("Thanks for reading.", SegmentRole.SENTENCE),
        ("Any questions?", SegmentRole.SENTENCE),  # a question ending a paragraph heads nothing
    ]


def test_a_short_line_of_a_wrapped_paragraph_is_no_heading():
    source = (
        "The leaflet explains how the medicine is used and what to\n"
        "watch for. Keep it with the medicine and read it again when\n"
        "Your Prescriber Changes The Dose\n"
        "\n"
        "How should I take it?\n"
        "Take one capsule at bedtime unless told otherwise by the\n"
        "pharmacist who made it up.\n"
    )
    got = pairs(source)
    assert ("How should I take it?", SegmentRole.HEADING) in got  # it stands alone
    assert not any(role == SegmentRole.HEADING and "Prescriber" in t for t, role in got)
    assert (
        "Keep it with the medicine and read it again when\nYour Prescriber Changes The Dose",
        SegmentRole.SENTENCE,
    ) in got


def test_a_question_inside_a_wrapped_paragraph_is_part_of_it():
    source = (
        "Would I recommend it? I would say it is worth asking about, as long\n"
        "as you go in with modest hopes and keep a diary of how you feel.\n"
    )
    assert pairs(source) == [
        ("Would I recommend it?", SegmentRole.SENTENCE),
        ("I would say it is worth asking about, as long\nas you go in with modest hopes and keep a diary of how you feel.", SegmentRole.SENTENCE),
    ]


def test_hyphenated_line_breaks_join():
    source = (
        "The capsules are prescribed for some long-term auto-\n"
        "immune conditions and for pain. They are made up by a phar-\n"
        "macist.\n"
    )
    assert texts(source) == [
        "The capsules are prescribed for some long-term auto-\nimmune conditions and for pain.",
        "They are made up by a phar-\nmacist.",
    ]


def test_underlined_headings_and_rules():
    source = "Side Effects Explained\n======================\n\nMost are mild.\n\n-----\n\nThe end.\n"
    assert pairs(source) == [
        ("Side Effects Explained", SegmentRole.HEADING),
        ("Most are mild.", SegmentRole.SENTENCE),
        ("The end.", SegmentRole.SENTENCE),
    ]


def test_bullets_numbers_and_lone_bullets():
    source = "Common effects\n- dreams\n* headache\n1) nausea\n(b) tiredness\n-\nrestlessness at night\n"
    items = [t for t, role in pairs(source) if role == SegmentRole.LIST_ITEM]
    assert items == ["dreams", "headache", "nausea", "tiredness", "restlessness at night"]
    assert pairs(source)[0] == ("Common effects", SegmentRole.HEADING)


def test_quoted_lines_start_after_the_marker():
    source = "> I take it at night and the pain is\n> duller than it was.\n\nGlad to hear it.\n"
    assert texts(source) == ["I take it at night and the pain is\n> duller than it was.", "Glad to hear it."]


def test_transcript_time_stamps_and_speakers_are_not_part_of_the_sentence():
    source = "[00:01:10] MAYA: So the tablet helps my pain. It did.\n\n[00:01:20] JO: Right.\n\nQ: Is it safe?\n"
    assert pairs(source) == [
        ("[00:01:10] MAYA:", SegmentRole.METADATA),  # who speaks, and when
        ("So the tablet helps my pain.", SegmentRole.SENTENCE),
        ("It did.", SegmentRole.SENTENCE),
        ("[00:01:20] JO:", SegmentRole.METADATA),
        ("Right.", SegmentRole.SENTENCE),
        ("Is it safe?", SegmentRole.HEADING),  # a turn's "Q: " is markup, no field
    ]


def test_speaker_labels_in_capitals_that_open_several_turns_are_fields_of_their_own():
    source = ("HOST: What is it?\n\nGUEST (Dr Lee): A small dose. It helps pain.\n\n"
              "GUEST (Ann): It helped me.\n\nHOST: Thanks.\n\nNOTE: only once, so part of its sentence.\n")
    assert pairs(source) == [
        ("HOST:", SegmentRole.METADATA),
        ("What is it?", SegmentRole.HEADING),
        ("GUEST (Dr Lee):", SegmentRole.METADATA),
        ("A small dose.", SegmentRole.SENTENCE),
        ("It helps pain.", SegmentRole.SENTENCE),
        ("GUEST (Ann):", SegmentRole.METADATA),
        ("It helped me.", SegmentRole.SENTENCE),
        ("HOST:", SegmentRole.METADATA),
        ("Thanks.", SegmentRole.SENTENCE),
        ("NOTE: only once, so part of its sentence.", SegmentRole.SENTENCE),
    ]


def test_a_news_dateline_is_metadata_apart_from_the_story():
    source = "PORTLAND, Maine, March 3, 2026 -- A pharmacy opened a clinic today. It is new.\n"
    assert pairs(source) == [
        ("PORTLAND, Maine, March 3, 2026", SegmentRole.METADATA),
        ("A pharmacy opened a clinic today.", SegmentRole.SENTENCE),
        ("It is new.", SegmentRole.SENTENCE),
    ]


def test_bare_urls_are_hidden_but_kept_in_the_text():
    source = "Read more at https://example.org/pain/ or example.org/fatigue today.\n"
    layout = text_layout(source)
    assert [source[s:e] for s, e in layout.hidden] == ["https://example.org/pain/", "example.org/fatigue"]
    assert texts(source) == [source.strip()]


def test_a_question_opening_a_wrapped_paragraph_heads_it():
    source = (
        "Is it true that the small dose can help with the tiredness after an infection?\n"
        "Some people say so, and a few small studies have looked at it, but the answer is\n"
        "not known yet and larger trials are needed before anyone can say for sure.\n"
    )
    got = pairs(source)
    assert got[0] == ("Is it true that the small dose can help with the tiredness after an infection?", SegmentRole.HEADING)


def test_numbered_reference_lines_are_entries_kept_whole():
    source = (
        "References\n"
        "[1] Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment\n"
        "of fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.\n"
        "[2] Smith JP, Bingaman SI, Ruggiero F, et al. Therapy with the opioid antagonist\n"
        "naltrexone promotes mucosal healing. Dig Dis Sci. 2011;56(7):2088-97.\n"
    )
    entries = [t for t, role in pairs(source) if role == SegmentRole.REFERENCE_ENTRY]
    assert entries == [
        "Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment\n"
        "of fibromyalgia. Arthritis Rheum. 2013;65(2):529-38.",
        "Smith JP, Bingaman SI, Ruggiero F, et al. Therapy with the opioid antagonist\n"
        "naltrexone promotes mucosal healing. Dig Dis Sci. 2011;56(7):2088-97.",
    ]


def test_title_lines_in_a_narrow_column_stand_alone():
    source = (
        "How The Tablet Works\n"
        "It blocks opioid\n"
        "receptors for a few hours\n"
        "each night. The body then\n"
        "makes more endorphins.\n"
        "Who Can Take It\n"
        "Adults with long-term pain\n"
        "may be offered it by their\n"
        "specialist.\n"
    )
    assert pairs(source) == [
        ("How The Tablet Works", SegmentRole.HEADING),
        ("It blocks opioid\nreceptors for a few hours\neach night.", SegmentRole.SENTENCE),
        ("The body then\nmakes more endorphins.", SegmentRole.SENTENCE),
        ("Who Can Take It", SegmentRole.HEADING),
        ("Adults with long-term pain\nmay be offered it by their\nspecialist.", SegmentRole.SENTENCE),
    ]


def test_a_long_stand_alone_headline_is_a_heading():
    text = "FOR RELEASE\n\nLocal Pharmacy Opens New Service for Patients With Chronic Pain and Long-Term Conditions\n\nThe pharmacy said today that it would open a clinic.\n"
    doc = read_text_document(text.encode(), "release.txt")
    roles = {doc.text[s.start : s.end]: s.role for s in doc.segments}
    assert roles["Local Pharmacy Opens New Service for Patients With Chronic Pain and Long-Term Conditions"] == "heading"
    assert roles["The pharmacy said today that it would open a clinic."] == "sentence"


def test_every_item_of_a_numbered_reference_list_is_an_entry():
    text = (
        "Some text about LDN.\n\nReferences\n\n"
        "1. Doe J. A study of things. Example J. 2020;4(1):1-9.\n"
        "2. Product label: naltrexone 50 mg tablets. Manufacturer's document.\n"
        "3. Pain Working Group. An overview. Internal report.\n\n"
        "Q: Is it safe?\n\nA: Most people have mild side effects.\n"
    )
    doc = read_text_document(text.encode(), "refs.txt")
    entries = [doc.text[s.start : s.end] for s in doc.segments if s.role == SegmentRole.REFERENCE_ENTRY]
    assert len(entries) == 3 and entries[1].startswith("Product label")
    assert "Most people have mild side effects." in [doc.text[s.start : s.end] for s in doc.segments]


def test_a_wrapped_line_goes_on_after_a_sentence_begun_on_it_or_an_open_bracket():
    source = (
        "Keep the capsules where children cannot see them. Store below\n"
        "25 °C in the original pack.\n\n"
        '"Can I take both?" (Priya,\n'
        "Leicester)\n"
    )
    assert texts(source) == [
        "Keep the capsules where children cannot see them.",
        "Store below\n25 °C in the original pack.",
        '"Can I take both?" (Priya,\nLeicester)',
    ]


def test_a_pmid_line_joins_its_reference_and_a_contact_block_keeps_its_lines():
    source = (
        "Read the abstract: Younger J, et al. Arthritis Rheum. 2013;65(2):529-38.\n"
        "PMID: 23359310\n\n"
        "Hannah Brill, Head of Communications\n"
        "press@pharmacy.example\n\n"
        "(c) 2026 Pharmacy Weekly. All rights reserved.\n"
    )
    assert pairs(source) == [
        ("Read the abstract: Younger J, et al. Arthritis Rheum. 2013;65(2):529-38.\nPMID: 23359310", SegmentRole.REFERENCE_ENTRY),
        ("Hannah Brill, Head of Communications", SegmentRole.HEADING),
        ("press@pharmacy.example", SegmentRole.SENTENCE),
        ("(c) 2026 Pharmacy Weekly.", SegmentRole.SENTENCE),
        ("All rights reserved.", SegmentRole.DISCLAIMER),
    ]


def test_a_dateline_is_metadata_before_the_story():
    source = "LEEDS, England, June 3, 2026 (Health Wire) - A small dose of naltrexone eased pain.\n\nCARDIFF, Wales - Rhian took it.\n"
    assert pairs(source) == [
        ("LEEDS, England, June 3, 2026 (Health Wire)", SegmentRole.METADATA),
        ("A small dose of naltrexone eased pain.", SegmentRole.SENTENCE),
        ("CARDIFF, Wales", SegmentRole.METADATA),
        ("Rhian took it.", SegmentRole.SENTENCE),
    ]


def test_a_threads_post_counter_is_not_part_of_the_post():
    doc = read("1/8 Three years ago I could not walk far.\n\n2/8 LDN helped.\n\n1/2 of the capsule is filler.\n")
    texts = [doc.text[s.start : s.end] for s in doc.segments]
    assert "Three years ago I could not walk far." in texts and "LDN helped." in texts
    assert "1/2 of the capsule is filler." in texts  # a fraction, not a counter


def test_a_numbered_section_title_in_sentence_case_is_a_heading():
    assert ("Inflammatory bowel disease", SegmentRole.HEADING) in pairs("3.2 Inflammatory bowel disease\n\nText here.\n")


def test_items_numbered_like_sections_are_items_with_their_numbers_apart():
    source = "3. Experiences\n   3.1 Carol said the dreams settled.\n   3.2 Jim has been on 3mg for months.\n"
    got = pairs(source)
    assert ("Carol said the dreams settled.", SegmentRole.LIST_ITEM) in got
    assert ("Jim has been on 3mg for months.", SegmentRole.LIST_ITEM) in got


def test_lines_numbered_with_a_bare_number_are_a_numbered_list():
    source = "Sources\n1 LDN Research Trust - https://www.ldnresearchtrust.org\n2 Brown & Panksepp, Med Hypotheses 2009.\n"
    got = texts(source)
    assert "LDN Research Trust - https://www.ldnresearchtrust.org" in got[1] and got[2].startswith("Brown & Panksepp")
    # a single line opening with a dose is not a list
    assert texts("3 mg daily is the usual dose.\n") == ["3 mg daily is the usual dose."]


def test_a_check_mark_is_a_bullet():
    assert ("way more energy", SegmentRole.LIST_ITEM) in pairs("What changed:\n✅ way more energy\n✅ better sleep\n")


def test_a_line_of_nothing_but_unusual_white_space_is_blank():
    # found by the property test in tests/robustness: a line separator alone made an empty heading
    assert pairs("\u2028\n\n1. Smith J. A study.\n") == [("Smith J. A study.", SegmentRole.LIST_ITEM)]


def test_a_question_heading_with_more_said_after_it_is_one_heading_a_sentence():
    got = pairs("Notes\n\nQ: Is it addictive? My daughter worries. (Pat)\nA: No, it is not.\n")
    assert ("Is it addictive?", SegmentRole.HEADING) in got
    assert ("My daughter worries. (Pat)", SegmentRole.HEADING) in got


def test_running_prose_goes_on_after_a_comma_or_a_preposition_and_a_year_is_no_list_number():
    source = (
        "Present: Carol Whitby (chair), Nadia Rahman (minutes), Jim Oduya,\n"
        "Linda Parkes, Helen Frost, Raj Mistry\n"
        "Apologies: Maureen Dale, Priya Shah\n\n"
        "Gwen, 58, from Swansea, was diagnosed with relapsing-remitting MS in\n"
        "2011. By 2022 the fatigue was so heavy that she cut her hours at\n"
        "the library.\n\n"
        "1. Welcome and apologies\n"
        "2. Members' experiences\n"
    )
    assert pairs(source) == [
        ("Present: Carol Whitby (chair), Nadia Rahman (minutes), Jim Oduya,\nLinda Parkes, Helen Frost, Raj Mistry", SegmentRole.SENTENCE),
        ("Apologies: Maureen Dale, Priya Shah", SegmentRole.HEADING),
        ("Gwen, 58, from Swansea, was diagnosed with relapsing-remitting MS in\n2011.", SegmentRole.SENTENCE),
        ("By 2022 the fatigue was so heavy that she cut her hours at\nthe library.", SegmentRole.SENTENCE),
        ("Welcome and apologies", SegmentRole.LIST_ITEM),
        ("Members' experiences", SegmentRole.LIST_ITEM),
    ]


def test_a_title_may_end_on_a_preposition_and_a_line_leading_into_an_address_labels_the_link():
    source = (
        "Who it is for\n"
        "Adults with long-term pain.\n\n"
        "Trouble reading this? Open this letter in your browser:\n"
        "https://letters.example/2026-04\n\n"
        "Why it helps:\n"
        "It eases pain.\n"
    )
    assert pairs(source) == [
        ("Who it is for", SegmentRole.HEADING),
        ("Adults with long-term pain.", SegmentRole.SENTENCE),
        ("Trouble reading this?", SegmentRole.LINK_TEXT),
        ("Open this letter in your browser:", SegmentRole.LINK_TEXT),
        ("https://letters.example/2026-04", SegmentRole.LINK_TEXT),
        ("Why it helps:", SegmentRole.SENTENCE),
        ("It eases pain.", SegmentRole.SENTENCE),
    ]


def test_forum_posts_a_line_a_sentence_typed_menus_and_quote_headers():
    source = (
        "Forums > Thyroid & Autoimmune > Treatments\n\n"
        "hi all, long time lurker.\n"
        "started at 0.5 mg and went up every fortnight.\n"
        "the dreams were wild 😅\n"
        "my sleep is better though.\n\n"
        "Reply | Quote | Report\n\n"
        "On Mon, 10 Mar 2025 at 21:17, Dan Okafor\n"
        "<dan@mail.example> wrote:\n"
    )
    assert pairs(source) == [
        ("Forums", SegmentRole.NAVIGATION),
        ("Thyroid & Autoimmune", SegmentRole.NAVIGATION),
        ("Treatments", SegmentRole.NAVIGATION),
        ("hi all, long time lurker.", SegmentRole.SENTENCE),
        ("started at 0.5 mg and went up every fortnight.", SegmentRole.SENTENCE),
        ("the dreams were wild 😅", SegmentRole.SENTENCE),
        ("my sleep is better though.", SegmentRole.SENTENCE),
        ("Reply", SegmentRole.NAVIGATION),
        ("Quote", SegmentRole.NAVIGATION),
        ("Report", SegmentRole.NAVIGATION),
        ("On Mon, 10 Mar 2025 at 21:17, Dan Okafor\n<dan@mail.example> wrote:", SegmentRole.METADATA),
    ]


def test_closing_hashtags_are_a_field_of_their_own_as_a_byline_under_a_title_is():
    source = (
        "A guide for patients from the IBD service\n"
        "Written by the specialist nurses · Last updated 2 March 2026\n\n"
        "Day 90 on LDN and my joints ache less #LupusWarrior #LDN\n"
    )
    assert pairs(source) == [
        ("A guide for patients from the IBD service", SegmentRole.HEADING),
        ("Written by the specialist nurses", SegmentRole.METADATA),
        ("Last updated 2 March 2026", SegmentRole.METADATA),
        ("Day 90 on LDN and my joints ache less", SegmentRole.SENTENCE),  # no full stop before the tags
        ("#LupusWarrior #LDN", SegmentRole.METADATA),
    ]


def test_a_box_drawn_in_text_is_read_inside_its_borders():
    source = (
        "+------------------------------------------+\n"
        "|  WARNING                                 |\n"
        "|  LDN blocks opioid painkillers such as   |\n"
        "|  codeine. Carry your card.               |\n"
        "+------------------------------------------+\n"
    )
    doc = read(source)
    assert [(doc.text[s.start : s.end], s.role) for s in doc.segments] == [
        ("WARNING", SegmentRole.HEADING),
        ("LDN blocks opioid painkillers such as   |\n|  codeine.", SegmentRole.SENTENCE),
        ("Carry your card.", SegmentRole.SENTENCE),
    ]
    assert [doc.text[a:b] for a, b in doc.hidden] == ["|"] * 6  # the sides are markup


def test_a_numbered_line_in_capitals_heads_its_section_however_long():
    source = (
        "3. MEMBERS' EXPERIENCES OF LOW DOSE NALTREXONE (LDN)\n"
        "3.1 Jim has now been on 3mg for eight months.\n"
    )
    assert pairs(source)[0] == ("MEMBERS' EXPERIENCES OF LOW DOSE NALTREXONE (LDN)", SegmentRole.HEADING)


def test_a_list_item_ending_on_a_preposition_does_not_run_into_a_new_sentence_below():
    source = (
        "Side effects we see:\n"
        "- in autoimmune conditions, a brief worsening of your usual symptoms early on\n"
        "If a side effect bothers you, drop back to the previous dose for a week.\n"
    )
    assert texts(source)[-1] == "If a side effect bothers you, drop back to the previous dose for a week."


def test_rows_of_a_fixed_width_table_do_not_head_each_other():
    source = ("Adverse effects recorded:\n\n"
              "Vivid or unusual dreams            21 (15%)\n"
              "Nausea or loose stools              8 (6%)\n"
              "Feeling light-headed                5 (4%)\n")
    got = pairs(source)
    assert ("Vivid or unusual dreams            21 (15%)", SegmentRole.SENTENCE) in got
    assert ("Nausea or loose stools              8 (6%)", SegmentRole.SENTENCE) in got
    # a short line over a paragraph still heads it
    assert ("What it may do", SegmentRole.HEADING) in pairs("What it may do\nMany patients find it helps.\n")
