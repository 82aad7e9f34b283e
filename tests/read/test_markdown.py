"""Markdown read through CommonMark: blocks over the source itself, exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ldn_graph.read.documents import read_document, read_text_document
from ldn_graph.read.markdown import markdown_layout
from ldn_graph.terms import SegmentRole


def read(source: str):
    return read_text_document(source.encode(), "guide.md", "text/markdown")


def segments(source: str, role: SegmentRole | None = None) -> list[str]:
    doc = read(source)
    assert doc.text == source
    for seg in doc.segments:
        assert source[seg.start : seg.end] == doc.text[seg.start : seg.end]
    return [doc.text[s.start : s.end] for s in doc.segments if role is None or s.role == role]


def test_consecutive_lines_are_one_paragraph_and_claims_are_slices_of_the_source():
    source = "# Guide\n\nThe tablet is taken\nat night. It helps some people\nsleep better.\n"
    doc = read(source)
    texts = [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    assert texts == [
        ("Guide", SegmentRole.HEADING),
        ("The tablet is taken\nat night.", SegmentRole.SENTENCE),
        ("It helps some people\nsleep better.", SegmentRole.SENTENCE),
    ]
    second = doc.segments[2]
    assert (second.start, second.end) == (source.index("It helps"), source.index("better.") + len("better."))


def test_heading_levels_atx_and_setext():
    doc = read("Title\n=====\n\nPart\n----\n\n### Small ###\n\nText.\n")
    headings = [(doc.text[s.start : s.end], s.level) for s in doc.segments if s.role == SegmentRole.HEADING]
    assert headings == [("Title", 1), ("Part", 2), ("Small", 3)]


def test_list_items_start_after_their_marker_and_keep_continuation_lines():
    source = (
        "Side effects include:\n\n"
        "- vivid dreams in the first\n  two weeks\n"
        "- a mild headache. It passes.\n"
        "  - nested detail here\n"
        "    on two lines\n"
        "3. numbered item\n"
    )
    items = segments(source, SegmentRole.LIST_ITEM)
    assert items == [
        "vivid dreams in the first\n  two weeks",
        "a mild headache.",
        "It passes.",
        "nested detail here\n    on two lines",
        "numbered item",
    ]
    doc = read(source)
    first = next(s for s in doc.segments if s.role == SegmentRole.LIST_ITEM)
    assert first.lead is not None and doc.text[first.lead[0] : first.lead[1]] == "Side effects include:"


def test_block_quote_starts_after_its_marker_and_keeps_inner_markers():
    assert segments("> The dose is small and\n> taken at night.\n") == ["The dose is small and\n> taken at night."]


def test_table_rows_are_blocks_and_the_header_row_a_heading():
    source = "| Dose | Use |\n|---|---|\n| 4.5 mg | Pain relief |\n| 50 mg | Alcohol dependence |\n"
    doc = read(source)
    rows = [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    assert rows == [
        ("| Dose | Use |", SegmentRole.HEADING),
        ("| 4.5 mg | Pain relief |", SegmentRole.SENTENCE),
        ("| 50 mg | Alcohol dependence |", SegmentRole.SENTENCE),
    ]


def test_footnote_definition_is_a_reference_entry_and_its_marker_stays_with_the_sentence():
    source = "It eased pain.[^1] Sleep improved.\n\n[^1]: A small trial of the tablet\n    in two clinics.\n"
    doc = read(source)
    texts = [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    assert texts == [
        ("It eased pain.[^1]", SegmentRole.SENTENCE),
        ("Sleep improved.", SegmentRole.SENTENCE),
        ("[^1]: A small trial of the tablet\n    in two clinics.", SegmentRole.REFERENCE_ENTRY),  # with its label
    ]


def test_hard_line_breaks_part_a_contact_block_into_lines():
    source = "Media contact:\\\nDana Whitfield, Director of Communications  \n(512) 555-0143\n"
    doc = read(source)
    assert [doc.text[s.start : s.end] for s in doc.segments] == [
        "Media contact:",
        "Dana Whitfield, Director of Communications",
        "(512) 555-0143",
    ]


def test_code_html_and_thematic_breaks_give_no_segments():
    source = "Before.\n\n```\nIt cures pain.\n```\n\n    indented code cures pain\n\n<div>It cures pain.</div>\n\n---\n\nAfter.\n"
    assert segments(source) == ["Before.", "After."]


def test_links_images_and_autolinks_are_kept_with_their_targets_hidden():
    source = (
        "See [the trial](https://pubmed.ncbi.nlm.nih.gov/23359310/ \"PubMed\") and ![a capsule](img/pain.png) "
        "or <https://example.org/pain/> and [the charity][c], also www.example.org/fatigue/ here.\n\n"
        "[c]: https://charity.example/ldn\n"
    )
    layout = markdown_layout(source)
    links = [(source[link.start : link.end], link.href) for link in layout.links]
    assert links == [
        ("the trial", "https://pubmed.ncbi.nlm.nih.gov/23359310/"),
        ("https://example.org/pain/", "https://example.org/pain/"),
        ("the charity", "https://charity.example/ldn"),
    ]
    hidden = [source[s:e] for s, e in layout.hidden]
    assert '](https://pubmed.ncbi.nlm.nih.gov/23359310/ "PubMed")' in hidden
    assert "](img/pain.png)" in hidden
    assert "<https://example.org/pain/>" in hidden
    assert "][c]" in hidden
    assert "www.example.org/fatigue/" in hidden  # a bare URL: hidden, still in the text
    assert "a capsule" not in hidden and "the trial" not in hidden


def test_a_bracket_in_code_is_no_link():
    source = "Use `[x](y)` then [the page](https://example.org/a).\n"
    layout = markdown_layout(source)
    assert [(source[link.start : link.end], link.href) for link in layout.links] == [("the page", "https://example.org/a")]


def test_run_in_labels_ending_a_sentence_and_bold_only_paragraphs_are_headings():
    source = (
        "**Sources**\n\n"
        "- **How it works.** A small dose blocks receptors.\n"
        "- **Opioids:** do not combine them.\n\n"
        "**Key point:** The tablet is cheap.\n"
    )
    doc = read(source)
    texts = [(doc.text[s.start : s.end], s.role) for s in doc.segments]
    assert texts == [
        ("**Sources**", SegmentRole.HEADING),
        ("**How it works.**", SegmentRole.HEADING),
        ("A small dose blocks receptors.", SegmentRole.LIST_ITEM),
        ("**Opioids:** do not combine them.", SegmentRole.LIST_ITEM),  # the label is part of the sentence
        ("**Key point:** The tablet is cheap.", SegmentRole.SENTENCE),  # so is this one
    ]


def test_a_paragraph_of_numbered_lines_is_one_block_a_line():
    source = (
        "Sources\n\n"
        "1 Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310\n"
        "2.Smith JP et al. Low-dose naltrexone. Am J Gastroenterol 2007;102(4):820-8.\n"
        "3 www.example.org/ldn\n"
    )
    doc = read(source)
    texts = [(doc.text[s.start : s.end], s.role) for s in doc.segments][1:]
    assert texts == [
        ("1 Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310", SegmentRole.REFERENCE_ENTRY),
        ("2.Smith JP et al. Low-dose naltrexone. Am J Gastroenterol 2007;102(4):820-8.", SegmentRole.REFERENCE_ENTRY),
        ("3 www.example.org/ldn", SegmentRole.SENTENCE),
    ]


def test_prose_starting_with_a_number_is_not_cut_into_lines():
    source = "3 patients took the tablet and\n5 of them slept better.\n"
    assert segments(source) == ["3 patients took the tablet and\n5 of them slept better."]


def test_front_matter_is_metadata():
    doc = read("---\ntitle: LDN guide\ntags: pain\n---\n# Guide\n\nText.\n")
    assert [(doc.text[s.start : s.end], s.role) for s in doc.segments][:2] == [
        ("title: LDN guide", SegmentRole.METADATA),
        ("tags: pain", SegmentRole.METADATA),
    ]


def test_emphasis_around_several_sentences_stays_with_none_of_them():
    assert segments("*I am a coach. Ask your doctor.*\n\n*One sentence here.*\n") == [
        "I am a coach.",
        "Ask your doctor.",
        "*One sentence here.*",
    ]


@pytest.mark.parametrize("suffix", [".md", ".markdown"])
def test_markdown_files_are_read_as_commonmark_and_text_files_are_not(tmp_path: Path, suffix: str):
    source = "# Title\n\n- item one\n  goes on\n"
    md = tmp_path / f"guide{suffix}"
    md.write_text(source, encoding="utf-8")
    doc = read_document(md)
    assert doc.media_type == "text/markdown"
    assert [doc.text[s.start : s.end] for s in doc.segments] == ["Title", "item one\n  goes on"]
    txt = tmp_path / "guide.txt"
    txt.write_text("Intro line.\n- item one\n- item two\n", encoding="utf-8")
    plain = read_document(txt)
    assert [plain.text[s.start : s.end] for s in plain.segments] == ["Intro line.", "item one", "item two"]


def test_a_bold_question_heads_its_answer():
    assert _pairs("**Is it safe?** Most people take it without trouble.\n") == [
        ("**Is it safe?**", SegmentRole.HEADING),
        ("Most people take it without trouble.", SegmentRole.SENTENCE),
    ]


def _pairs(source: str) -> list[tuple[str, SegmentRole]]:
    doc = read(source)
    return [(doc.text[s.start : s.end], s.role) for s in doc.segments]


def test_links_in_table_cells_are_each_kept():
    source = "| Trial | Source |\n|---|---|\n| [pain](https://a.example/1) | [again](https://a.example/1) |\n"
    layout = markdown_layout(source)
    assert [source[link.start : link.end] for link in layout.links] == ["pain", "again"]


def test_footer_fields_and_a_row_of_links_are_cut_one_field_or_link_at_a_time():
    source = (
        "[Transfer a prescription](/transfer) · [Request a refill](/refill)\n\n"
        "© 2026 Kestrel Pharmacy · [Privacy](/privacy) · [Terms](/terms)\n\n"
        "AUSTIN, Texas, May 12, 2026 /Pharmacy Wire/ -- The group opened a registry.\n"
    )
    assert [(source[s.start : s.end], s.role) for s in read(source).segments] == [
        ("Transfer a prescription", SegmentRole.LINK_TEXT),
        ("Request a refill", SegmentRole.LINK_TEXT),
        ("© 2026 Kestrel Pharmacy", SegmentRole.DISCLAIMER),
        ("Privacy", SegmentRole.LINK_TEXT),
        ("Terms", SegmentRole.LINK_TEXT),
        ("AUSTIN, Texas, May 12, 2026 /Pharmacy Wire/", SegmentRole.METADATA),
        ("The group opened a registry.", SegmentRole.SENTENCE),
    ]


def test_a_heading_is_cut_only_after_a_question():
    assert segments("## Step 1. Talk to your doctor\n\nText.\n", SegmentRole.HEADING) == ["Step 1. Talk to your doctor"]
    assert segments("## Is it safe? Our view\n\nText.\n", SegmentRole.HEADING) == ["Is it safe?", "Our view"]


def test_the_words_leading_into_a_row_of_links_are_a_segment_of_their_own():
    source = "**Related posts:** [Sleep](/blog/sleep) · [Diet](/blog/diet)\n\nLDN may ease pain.\n"
    assert [(source[s.start : s.end], s.role) for s in read(source).segments] == [
        ("**Related posts:**", SegmentRole.NAVIGATION),
        ("Sleep", SegmentRole.NAVIGATION),
        ("Diet", SegmentRole.NAVIGATION),
        ("LDN may ease pain.", SegmentRole.SENTENCE),
    ]


def test_an_image_standing_alone_is_its_words_not_prose():
    source = "![A pill organiser beside a mug of tea](/img/ldn.jpg)\n\nLDN may ease pain.\n"
    assert [(source[s.start : s.end], s.role) for s in read(source).segments] == [
        ("![A pill organiser beside a mug of tea](/img/ldn.jpg)", SegmentRole.CAPTION),
        ("LDN may ease pain.", SegmentRole.SENTENCE),
    ]


def test_a_byline_line_inside_a_paragraph_is_a_field_of_its_own():
    # CommonMark joins the two lines into one paragraph; the byline is still its own field
    source = "**A guide for patients from the IBD service**\nWritten by the specialist nurses · Last updated 2 March 2026\n"
    assert [(source[s.start : s.end], s.role) for s in read(source).segments] == [
        ("**A guide for patients from the IBD service**", SegmentRole.SENTENCE),
        ("Written by the specialist nurses", SegmentRole.METADATA),
        ("Last updated 2 March 2026", SegmentRole.METADATA),
    ]
