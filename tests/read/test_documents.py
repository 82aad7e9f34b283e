from __future__ import annotations

import codecs

import pytest
from paths import ROOT

from ldn_graph.errors import InputError
from ldn_graph.read.decoding import decode_text
from ldn_graph.read.documents import read_document
from ldn_graph.text import sentence_spans

EXAMPLES = ROOT / "examples"
TELEHEALTH = EXAMPLES / "000_672ef885818ac143.txt"
MONOGRAPH = EXAMPLES / "001_4aaa9d78fd1a3130.txt"


def texts(doc, kind=None):
    return [doc.text[s.start : s.end] for s in doc.segments if kind is None or s.role == kind]


def test_offsets_point_into_the_source_text():
    doc = read_document(MONOGRAPH)
    source = MONOGRAPH.read_text(encoding="utf-8")
    assert doc.text == source
    for seg in doc.segments:
        assert 0 <= seg.start < seg.end <= len(source)
        assert source[seg.start : seg.end].strip() == source[seg.start : seg.end]


def test_numbered_section_headings_and_bullets_are_classified():
    doc = read_document(MONOGRAPH)
    headings = texts(doc, "heading")
    assert "Opioid Receptor Modulation" in headings
    assert "Toll-Like Receptor 4 (TLR4) Antagonism" in headings
    assert "Immunomodulation" in headings
    items = texts(doc, "list item")
    assert "Headache" in items  # a bulleted single word is an item, not a heading
    assert any(t.startswith("Younger J, Noor N") for t in texts(doc, "reference entry"))


def test_list_items_remember_the_sentence_they_continue():
    doc = read_document(TELEHEALTH)
    items = [s for s in doc.segments if s.role == "list item" and doc.text[s.start : s.end].startswith("Chronic pain")]
    assert items and items[0].lead is not None
    assert doc.text[items[0].lead[0] : items[0].lead[1]] == "What can Low Dose Naltrexone (LDN) help with?"


def test_sentence_splitting_keeps_abbreviations_and_decimals():
    text = "LDN (e.g., 4.5 mg) may help. Smith et al. reported it. Dose is 1.5 mg daily."
    spans = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert spans == ["LDN (e.g., 4.5 mg) may help.", "Smith et al. reported it.", "Dose is 1.5 mg daily."]


@pytest.mark.parametrize(
    "data",
    [
        "Fibromyalgia – café".encode("cp1252"),
        codecs.BOM_UTF8 + "Fibromyalgia – café".encode(),
        codecs.BOM_UTF16_LE + "Fibromyalgia – café".encode("utf-16-le"),
    ],
)
def test_decoding_latin1_bom_and_utf16(data):
    assert decode_text(data, "x.txt") == ("Fibromyalgia – café", None)


def test_html_drops_chrome_numbers_ol_and_keeps_hrefs(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        """<!DOCTYPE html [<!ENTITY x "y">]><html><head><title>t</title><style>p{}</style>
        <script>var claim = "fibromyalgia";</script></head><body><nav>Home | Fibromyalgia shop</nav>
        <h2>Uses</h2><p>LDN helps fibromyalgia &amp; Crohn&#39;s disease [1].</p>
        <ol><li>Younger J. <a href="https://pubmed.ncbi.nlm.nih.gov/23359310/">Low-dose naltrexone</a>. 2013.</li></ol>
        <footer>© shop</footer></body></html>""",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert "var claim" not in doc.text and "]>" not in doc.text
    # navigation and the footer are kept, but only as roles that never carry claims
    assert texts(doc, "navigation") == ["Home | Fibromyalgia shop"]
    assert texts(doc, "disclaimer") == ["© shop"]
    assert "LDN helps fibromyalgia & Crohn's disease [1]." in texts(doc, "sentence")
    assert any(t.startswith("Younger J.") and "pubmed.ncbi.nlm.nih.gov/23359310" in t for t in texts(doc, "list item"))
    assert "1. Younger J." in doc.text
    assert doc.links and doc.links[0].href.endswith("/23359310/")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "the file is empty"),
        (lambda p: p.write_bytes(b"\x00\x01\x02\xff" * 100), "binary"),
    ],
)
def test_unreadable_inputs_raise_one_line_input_errors(tmp_path, setup, message):
    p = tmp_path / "copy.txt"
    setup(p)
    with pytest.raises(InputError) as err:
        read_document(p)
    assert message in str(err.value) and "\n" not in str(err.value)
    assert str(p) in str(err.value)


def test_unsupported_extension(tmp_path):
    p = tmp_path / "copy.xlsx"
    p.write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported file type '.xlsx'"):
        read_document(p)


def test_html_superscript_citations_stay_superscript(tmp_path):
    from ldn_graph.extract.references import find_references

    page = tmp_path / "sup.html"
    page.write_text(
        "<p>LDN eased fibromyalgia pain<sup>1</sup> and fatigue<sup>1, 2</sup>; see 2<sup>nd</sup> trial.</p>"
        "<ol><li>Younger J. A trial. Arthritis Rheum. 2013;65:529-38. PMID: 23359310</li>"
        "<li>Smith JP. Another. Am J Gastroenterol. 2007;102:820-8. PMID: 17222320</li></ol>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert "LDN eased fibromyalgia pain¹ and fatigue¹,²; see 2nd trial." in doc.text
    _, markers = find_references(doc)
    assert [m.labels for m in markers] == [("1",), ("1", "2")]


def split(text):
    return [text[s:e] for s, e in sentence_spans(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a unit ends a sentence before a capital, not before a lower-case word
        ("Most take 4.5 mg. Next comes the review.", ["Most take 4.5 mg.", "Next comes the review."]),
        ("Take 4.5 mg. daily with water.", ["Take 4.5 mg. daily with water."]),
        ("Doses rose from 1.5 to 4.5 mg over 3.5 weeks.", ["Doses rose from 1.5 to 4.5 mg over 3.5 weeks."]),
        # abbreviations, titles and initials
        (
            "Some conditions (e.g. Crohn's) respond, i.e. Pain eases. Dr. Smith vs. Prof. Jones agree.",
            ["Some conditions (e.g. Crohn's) respond, i.e. Pain eases.", "Dr. Smith vs. Prof. Jones agree."],
        ),
        ("Younger J. et al. Low-dose naltrexone. 2013;65:529.", ["Younger J. et al. Low-dose naltrexone. 2013;65:529."]),
        ("It lasts approx. 4 hours. See Fig. 2 for it.", ["It lasts approx. 4 hours.", "See Fig. 2 for it."]),
        ("People with MS. It affects many.", ["People with MS.", "It affects many."]),
        # quotes, questions, exclamations, ellipses
        ('She said it was "a capsule." Then she left.', ['She said it was "a capsule."', "Then she left."]),
        ("Does it work? Yes! Ask your GP.", ["Does it work? Yes!", "Ask your GP."]),  # a one-word reply answers it
        ("Dreams. Wild ones? No. Sure.", ["Dreams.", "Wild ones? No.", "Sure."]),
        ("Is that right?\" (Anon, Leeds)\nNext one.", ["Is that right?\" (Anon, Leeds)", "Next one."]),
        ("Is it new?? no, it is old.", ["Is it new??", "no, it is old."]),
        ("So... what is it? It waited… Then it worked.", ["So... what is it?", "It waited…", "Then it worked."]),
        ("Any news? (3 replies)", ["Any news? (3 replies)"]),
        # citation markers set after the stop belong to the sentence before
        ("It eased pain.[3] Sleep improved.", ["It eased pain.[3]", "Sleep improved."]),
        ("It eased pain.³ Sleep improved.", ["It eased pain.³", "Sleep improved."]),
        ("It eased pain.(3) Sleep improved.", ["It eased pain.(3)", "Sleep improved."]),
        ("It eased pain. [3,4] Sleep improved.", ["It eased pain. [3,4]", "Sleep improved."]),
        ("It eased pain.[^1] Sleep improved.", ["It eased pain.[^1]", "Sleep improved."]),
        ("It eased pain.3,4 Sleep improved. Version 2.1 Beta.", ["It eased pain.3,4", "Sleep improved.", "Version 2.1 Beta."]),
        ("It eased pain. 1 3\nSleep improved. 2", ["It eased pain. 1 3", "Sleep improved. 2"]),
        ("It eased pain. 3 of 10 slept better.", ["It eased pain. 3 of 10 slept better."]),
        # a line break inside a paragraph is a space
        ("It eased\npain. Sleep\nimproved.", ["It eased\npain.", "Sleep\nimproved."]),
        # markup: a closing emphasis mark stays; a label closed by emphasis ends before a capital,
            # unless it ends in a colon, which leads into the sentence
        ("**How it works.** A small dose.", ["**How it works.**", "A small dose."]),
        ("**Start low.** 0.5 mg first. Then 1 mg.", ["**Start low.**", "0.5 mg first.", "Then 1 mg."]),
        ("**Opioids:** do not combine. **Key:** It is cheap.", ["**Opioids:** do not combine.", "**Key:** It is cheap."]),
        ("*I am a coach. Ask your doctor.*", ["I am a coach.", "Ask your doctor."]),
        ("Is it safe? · Can it help? · How?", ["Is it safe?", "Can it help?", "How?"]),
        # social posts: an emoji before a capital ends a sentence; hashtags after it are apart
        ("Six months on it 🎉 Pain is better 🙌 #LDN #pain", ["Six months on it 🎉", "Pain is better 🙌", "#LDN #pain"]),
        ("My gang 🦋 anyone else?", ["My gang 🦋 anyone else?"]),
        ("⚠️ IMPORTANT: never with opioids.", ["⚠️ IMPORTANT: never with opioids."]),
        # chat typed in lower case: a sentence may open with a pronoun or a question word
        ("It helps my lupus. what does it do? i wonder.", ["It helps my lupus.", "what does it do?", "i wonder."]),
        ("Smith et al. what a study.", ["Smith et al. what a study."]),
        ("Circle Digest No. 41 (March 2025): notes.", ["Circle Digest No. 41 (March 2025): notes."]),
    ],
)
def test_sentence_splitting(text, expected):
    assert split(text) == expected
