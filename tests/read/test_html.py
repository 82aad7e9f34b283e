"""HTML pages are read into blocks with roles: what a reader sees as headings, prose, list
items, table rows, captions, and the chrome around them that carries no claims."""

from __future__ import annotations

import pytest

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.model import Document
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_html_document
from ldn_graph.read.html import html_layout
from ldn_graph.terms import CLAIM_ROLES, PROSE_ROLES, SegmentRole


def read(html: str) -> Document:
    return read_html_document(html.encode("utf-8"), "page.html")


def segments(doc: Document, role: SegmentRole | None = None) -> list[str]:
    return [doc.text[s.start : s.end] for s in doc.segments if role is None or s.role == role]


def role_of(doc: Document, text: str) -> SegmentRole:
    [role] = [s.role for s in doc.segments if doc.text[s.start : s.end] == text]
    return role


def claim_texts(doc: Document) -> set[str]:
    return {c.text for c in extract_claims(doc, load_vocabulary(), *find_references(doc))}


def test_headings_keep_their_level_and_paragraphs_are_cut_into_sentences():
    doc = read(
        "<h1>Pine Clinic</h1><h3>How it works</h3><h6>Small print</h6>"
        "<p>The tablet is small. It is taken\n   at night.</p><p>A second paragraph.</p>"
    )
    headings = [(doc.text[s.start : s.end], s.level) for s in doc.segments if s.role == SegmentRole.HEADING]
    assert headings == [("Pine Clinic", 1), ("How it works", 3), ("Small print", 6)]
    assert segments(doc, SegmentRole.SENTENCE) == [
        "The tablet is small.", "It is taken at night.", "A second paragraph."
    ]


def test_nested_list_items_are_blocks_of_their_own_and_ol_numbers_stay_outside():
    doc = read(
        "<p>Side effects include:</p><ul><li>Vivid dreams<ul><li>in the first week</li>"
        "<li>mostly mild</li></ul></li><li>Headache</li></ul>"
        '<ol start="3"><li>Take it at night.</li><li>Start low.</li></ol>'
    )
    assert segments(doc, SegmentRole.LIST_ITEM) == [
        "Vivid dreams", "in the first week", "mostly mild", "Headache", "Take it at night.", "Start low."
    ]
    assert "3. Take it at night.\n4. Start low." in doc.text
    lead = next(s.lead for s in doc.segments if s.role == SegmentRole.LIST_ITEM)
    assert lead is not None and doc.text[lead[0] : lead[1]] == "Side effects include:"


def test_table_rows_of_short_values_or_phrases_are_one_segment_and_cells_with_sentences_their_own():
    doc = read(
        "<table><caption>Dosing steps</caption>"
        "<tr><th>Week</th><th>Dose</th></tr>"
        "<tr><td>1</td><td>1.5 mg at night</td></tr>"
        "<tr><td>3–4</td><td>1.5mg</td><td>Raise if side effects are manageable</td></tr>"
        "<tr><td>Later weeks</td><td>Most people stay on the top dose. Some need less.</td></tr></table>"
    )
    assert "3–4\t1.5mg\tRaise if side effects are manageable" in segments(doc)  # a row of a few phrases
    assert role_of(doc, "Dosing steps") == SegmentRole.CAPTION
    assert role_of(doc, "Week\tDose") == SegmentRole.CAPTION  # header cells are not prose
    assert role_of(doc, "1\t1.5 mg at night") == SegmentRole.SENTENCE
    assert role_of(doc, "Later weeks") == SegmentRole.SENTENCE
    assert role_of(doc, "Most people stay on the top dose.") == SegmentRole.SENTENCE
    assert role_of(doc, "Some need less.") == SegmentRole.SENTENCE


def test_figure_captions_are_captions():
    doc = read("<figure><img src=x.png><figcaption>Figure 1. Pain scores by week.</figcaption></figure>")
    assert segments(doc) == ["Figure 1. Pain scores by week."]
    assert role_of(doc, "Figure 1. Pain scores by week.") == SegmentRole.CAPTION


def test_links_are_kept_with_their_href_and_the_url_is_hidden():
    doc = read(
        '<p>Read <a href="https://example.org/trial">the trial report</a> and '
        '<a href="/about/">about us</a>.</p>'
    )
    assert [(doc.text[link.start : link.end], link.href) for link in doc.links] == [
        ("the trial report", "https://example.org/trial"), ("about us", "/about/"),
    ]
    assert [doc.text[s:e] for s, e in doc.hidden] == ["<https://example.org/trial>"]
    # the URL stays in the sentence (reference finding sees it there) as a hidden span
    [sentence] = segments(doc, SegmentRole.SENTENCE)
    assert "<https://example.org/trial>" in sentence


def test_a_paragraph_that_is_only_a_link_is_link_text_without_its_url():
    doc = read('<main><p><a href="https://example.org/fibromyalgia">LDN for fibromyalgia</a></p></main>')
    assert role_of(doc, "LDN for fibromyalgia") == SegmentRole.LINK_TEXT
    assert not claim_texts(doc)


def test_superscript_citation_numbers_are_markers():
    doc = read("<p>LDN eased pain<sup>2,3</sup> in a pilot trial.</p>")
    assert segments(doc) == ["LDN eased pain²,³ in a pilot trial."]


CHROME = """<html><head><title>Naltrexone for fibromyalgia | Pine Clinic</title>
<meta name="description" content="Low dose naltrexone eases fibromyalgia pain.">
<meta name="keywords" content="LDN, fibromyalgia, Crohn's disease"></head><body>
<div class="cookie-notice"><p>Cookies help LDN pages load. Accept them.</p><button>Accept</button></div>
<header><h1>LDN relieves fibromyalgia</h1><p>Pine Clinic treats Crohn's disease.</p></header>
<nav><a href="/fibromyalgia/">Fibromyalgia</a> | <a href="/crohns/">Crohn's disease</a>
<a href="/ms/">Multiple sclerosis</a></nav>
<main>
<h2>About LDN</h2>
<p class="byline">By Dr Ash, pain specialist</p>
<p>Low dose naltrexone may ease pain in fibromyalgia.</p>
<form><label>Ask about LDN for lupus</label><input name=q><textarea>LDN cures psoriasis</textarea>
<button>Send my question about multiple sclerosis</button></form>
</main>
<aside><h3>Did you know?</h3><p>LDN may help Crohn's disease too.</p></aside>
<footer><p>LDN is not a cure for fibromyalgia. Ask your doctor.</p>
<h4>References</h4><ol>
<li>Younger J, et al. Low-dose naltrexone for fibromyalgia. Arthritis Rheum. 2013;65:529-38.</li>
<li>Smith JP, et al. Low-dose naltrexone in Crohn's disease. <a href="https://pubmed.ncbi.nlm.nih.gov/17222320/">PubMed</a></li>
</ol></footer></body></html>"""


def test_chrome_is_kept_but_never_carries_claims():
    doc = read(CHROME)
    claim_roles = [s for s in doc.segments if s.role in CLAIM_ROLES]
    assert [doc.text[s.start : s.end] for s in claim_roles] == [
        "About LDN",
        "Low dose naltrexone may ease pain in fibromyalgia.",
    ]
    assert claim_texts(doc) == {"Low dose naltrexone may ease pain in fibromyalgia."}
    for text in ("Fibromyalgia", "Crohn's disease", "Multiple sclerosis", "LDN relieves fibromyalgia",
                 "Pine Clinic treats Crohn's disease.", "Cookies help LDN pages load.", "Accept",
                 "Did you know?", "LDN may help Crohn's disease too.", "Ask about LDN for lupus",
                 "Send my question about multiple sclerosis"):
        assert role_of(doc, text) == SegmentRole.NAVIGATION, text
    assert "psoriasis" not in doc.text  # a form field's content is not copy
    assert role_of(doc, "By Dr Ash, pain specialist") == SegmentRole.METADATA
    assert segments(doc, SegmentRole.METADATA)[:4] == [
        "Naltrexone for fibromyalgia",  # the title's fields, the site's name apart
        "Pine Clinic",
        "Low dose naltrexone eases fibromyalgia pain.",
        "LDN, fibromyalgia, Crohn's disease",
    ]
    assert segments(doc, SegmentRole.DISCLAIMER) == ["LDN is not a cure for fibromyalgia.", "Ask your doctor."]


def test_a_footer_reference_list_is_kept_as_reference_entries_and_found():
    doc = read(CHROME)
    entries = segments(doc, SegmentRole.REFERENCE_ENTRY)
    assert len(entries) == 2 and entries[0].startswith("Younger J, et al.")
    references, _ = find_references(doc)
    listed = [r for r in references if r.in_list]
    assert [r.label for r in listed] == ["1", "2"]
    assert listed[1].pmid == "17222320"


@pytest.mark.parametrize("heading", ["Studies mentioned on this page", "Research cited in this article", "Sources used above",
                                     "Reviews and guidance consulted", "Papers, guidelines and reviews cited"])
def test_a_heading_naming_the_sources_used_on_the_page_opens_a_reference_list(heading):
    doc = read(f"<main><p>LDN eases fibromyalgia.</p><h2>{heading}</h2><ul>"
               "<li>A Danish randomised trial of low dose naltrexone in women with fibromyalgia, 2023.</li></ul></main>")
    assert segments(doc, SegmentRole.REFERENCE_ENTRY) == [
        "A Danish randomised trial of low dose naltrexone in women with fibromyalgia, 2023."]
    plain = read("<main><h2>Studies of pain</h2><ul><li>LDN eased fibromyalgia pain in a trial, 2013.</li></ul></main>")
    assert segments(plain, SegmentRole.REFERENCE_ENTRY) == []  # studies as a topic are no list of sources


def test_outside_main_or_a_single_article_is_chrome():
    main = read('<p>LDN eases fibromyalgia.</p><div role="main"><p>LDN eases Crohn\'s disease.</p></div>')
    assert role_of(main, "LDN eases fibromyalgia.") == SegmentRole.NAVIGATION
    assert role_of(main, "LDN eases Crohn's disease.") == SegmentRole.SENTENCE
    one = read("<p>Teaser: LDN eases fibromyalgia.</p><article><header><h1>LDN</h1>"
               "<p>LDN eases Crohn's disease.</p></header><p>It is taken at bedtime.</p></article>")
    assert role_of(one, "Teaser: LDN eases fibromyalgia.") == SegmentRole.NAVIGATION
    assert role_of(one, "LDN") == SegmentRole.HEADING  # an article's own header is content
    assert role_of(one, "LDN eases Crohn's disease.") == SegmentRole.SENTENCE
    two = read("<article><p>LDN eases fibromyalgia.</p></article><article><p>LDN eases pain.</p></article>")
    assert segments(two, SegmentRole.SENTENCE) == ["LDN eases fibromyalgia.", "LDN eases pain."]
    teaser = read("<div><p>LDN eases fibromyalgia for many of the patients we see.</p><p>It is taken at night.</p>"
                  "</div><article><p>Read our LDN story.</p></article>")  # a card, not the page's text
    assert len(segments(teaser, SegmentRole.SENTENCE)) == 3


def test_navigation_is_one_block_per_link():
    doc = read('<nav><a href="/">Home</a> &gt; <a href="/ldn/">Low dose naltrexone</a> &gt; Side effects</nav>')
    assert segments(doc) == ["Home", "Low dose naltrexone", "Side effects"]
    assert {s.role for s in doc.segments} == {SegmentRole.NAVIGATION}


def test_a_line_break_is_not_a_new_paragraph_but_two_are():
    doc = read("<p>LDN is taken at night<br>and may ease pain.<br><br>A new paragraph.</p>")
    assert segments(doc) == ["LDN is taken at night\nand may ease pain.", "A new paragraph."]


def test_faq_summaries_and_definition_terms_are_headings():
    doc = read(
        "<details><summary>Does LDN help fibromyalgia?</summary><p>Many patients report less pain.</p></details>"
        "<dl><dt>Dose</dt><dd>Usually 1.5 to 4.5 mg at night.</dd></dl>"
    )
    assert segments(doc, SegmentRole.HEADING) == ["Does LDN help fibromyalgia?", "Dose"]
    assert segments(doc, SegmentRole.SENTENCE) == ["Many patients report less pain.", "Usually 1.5 to 4.5 mg at night."]
    questions = [s for s in doc.segments if s.role == SegmentRole.HEADING]
    assert questions[0].level == 0


def test_a_quotation_is_prose_and_its_cite_metadata():
    doc = read('<blockquote><p>"My pain eased within weeks."</p><cite>Ann, Leeds</cite></blockquote>'
               '<p>As <cite>the trial</cite> showed, it helps.</p>')
    assert role_of(doc, '"My pain eased within weeks."') == SegmentRole.SENTENCE
    assert role_of(doc, "Ann, Leeds") == SegmentRole.METADATA
    assert role_of(doc, "As the trial showed, it helps.") == SegmentRole.SENTENCE  # an inline cite


def test_hidden_elements_scripts_and_templates_are_dropped():
    doc = read(
        '<p hidden>LDN cures lupus.</p><p style="display: none">LDN cures psoriasis.</p>'
        "<script>var x = 'LDN cures autism';</script><template><p>LDN cures asthma.</p></template>"
        "<p>LDN may ease pain.</p>"
    )
    assert doc.text.strip() == "LDN may ease pain."


def test_offsets_index_the_layout_text_and_whitespace_is_collapsed():
    layout = html_layout("<ul>\n  <li>\n   Vivid\n dreams  </li>\n</ul><pre>a  b\n c</pre>")
    assert [layout.text[b.start : b.end] for b in layout.blocks] == ["Vivid dreams", "a  b\n c"]
    assert "\r" not in html_layout("<p>one\r\ntwo\rthree</p>").text


def test_chrome_named_by_class_or_id_without_its_elements():
    doc = read(
        '<body class="has-sidebar"><div id="menu"><a href="/">LDN for pain</a></div>'
        '<div class="entry-header"><h1>LDN and fibromyalgia</h1></div>'
        "<p>LDN may ease fibromyalgia pain.</p>"
        '<div class="sidebar"><p>LDN helps Crohn\'s disease.</p></div>'
        '<div id="footer"><p>Not medical advice.</p></div></body>'
    )
    assert [(t, s.role) for t, s in zip(segments(doc), doc.segments, strict=True)] == [
        ("LDN for pain", SegmentRole.NAVIGATION),
        ("LDN and fibromyalgia", SegmentRole.HEADING),
        ("LDN may ease fibromyalgia pain.", SegmentRole.SENTENCE),
        ("LDN helps Crohn's disease.", SegmentRole.NAVIGATION),
        ("Not medical advice.", SegmentRole.DISCLAIMER),
    ]


def test_line_breaks_that_set_off_typed_bullets_make_list_items():
    doc = read("<p>Side effects include:<br>• Vivid dreams<br>• Headache, at first</p>")
    assert [(t, s.role) for t, s in zip(segments(doc), doc.segments, strict=True)] == [
        ("Side effects include:", SegmentRole.SENTENCE),
        ("Vivid dreams", SegmentRole.LIST_ITEM),
        ("Headache, at first", SegmentRole.LIST_ITEM),
    ]
    lead = doc.segments[1].lead
    assert lead is not None and doc.text[lead[0] : lead[1]] == "Side effects include:"


def test_a_trail_or_product_list_is_read_one_link_and_one_field_at_a_time():
    doc = read(
        "<html><body><nav class='breadcrumb'><a href='/'>Home</a> › <a href='/n/'>Neurology</a> › <span>MS</span></nav>"
        "<main><h1>Multiple sclerosis</h1><p class='meta'>Written by the pharmacy team. Reviewed 2 March 2026.</p>"
        "<p>MS is a long-term condition.</p></main>"
        "<aside><ul><li><a href='/ldn/'>LDN capsules</a> <span class='price'>from $45.00</span></li></ul></aside>"
        "</body></html>"
    )
    texts = segments(doc)
    for piece in ("Home", "Neurology", "MS", "LDN capsules", "from $45.00",
                  "Written by the pharmacy team.", "Reviewed 2 March 2026."):
        assert piece in texts


def test_footer_lines_are_fields_and_sentences_and_a_copyright_line_ends_a_reference_list():
    doc = read(
        "<main><p>LDN may ease pain.</p><figure><figcaption>Figure 2. Pain scores by week. "
        "Source: clinic survey.</figcaption></figure></main>"
        "<footer><p>Reviewed by the pharmacy team · Updated March 2026</p>"
        "<h4>References</h4><ol><li>Younger J, et al. Arthritis Rheum. 2013;65:529-38.</li></ol>"
        "<p>© 2026 Kestrel House Clinics Ltd. CQC registered.</p></footer>"
    )
    assert segments(doc, SegmentRole.CAPTION) == ["Figure 2. Pain scores by week.", "Source: clinic survey."]
    assert role_of(doc, "Reviewed by the pharmacy team") == SegmentRole.METADATA
    assert role_of(doc, "Updated March 2026") not in PROSE_ROLES
    assert segments(doc, SegmentRole.REFERENCE_ENTRY) == ["Younger J, et al. Arthritis Rheum. 2013;65:529-38."]
    assert role_of(doc, "© 2026 Kestrel House Clinics Ltd.") == SegmentRole.DISCLAIMER


@pytest.mark.parametrize("content", ["article", "main"])
def test_an_aside_inside_the_content_is_its_own_unless_named_chrome(content):
    doc = read(f"<html><body><{content}><h1>Patients try LDN</h1><p>Low dose naltrexone is in demand.</p>"
               "<aside class='factbox'><h3>LDN at a glance</h3><ul><li>Usual dose: 1.5mg to 4.5mg once a day</li></ul></aside>"
               "<aside class='related-posts'><p>LDN eases lupus, readers say.</p></aside>"
               f"</{content}><aside><p>LDN helps psoriasis.</p></aside></body></html>")
    assert role_of(doc, "Usual dose: 1.5mg to 4.5mg once a day") == SegmentRole.LIST_ITEM
    assert role_of(doc, "LDN eases lupus, readers say.") == SegmentRole.NAVIGATION
    assert role_of(doc, "LDN helps psoriasis.") == SegmentRole.NAVIGATION
