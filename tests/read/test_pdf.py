"""PDFs are read as paragraphs: wrapped lines joined, hyphenated words made whole, running
headers, footers and page numbers dropped, headings and list items told apart."""

from __future__ import annotations

from pathlib import Path

from ldn_graph.model import Document
from ldn_graph.read.documents import read_document
from ldn_graph.read.pdf import unwrap_lines
from ldn_graph.terms import SegmentRole

LONG = (
    "Low dose naltrexone is taken once a day at bedtime and is thought to calm inflam-\n"
    "mation in the brain and spinal cord, which may ease the widespread pain of fibromyalgia\n"
    "for some of the people who try it for two or three months."
)


def leaflet(target: Path) -> Path:
    """Two pages with a running header, a page number in the footer, a heading, wrapped
    paragraphs (one with a word hyphenated at a line's end), a gap between paragraphs and
    a bulleted list."""
    from fpdf import FPDF

    class Leaflet(FPDF):
        def header(self) -> None:
            self.set_font("helvetica", size=8)
            self.cell(0, 5, "Pine Clinic | Patient leaflet 7", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()} of 2", align="C")

    pdf = Leaflet()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 9, "Low dose naltrexone", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in LONG.split("\n"):  # set line by line, as a typesetter wraps it
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 6, "A second paragraph follows a gap and runs on long enough to wrap onto a "
                   "second line of the page, the way a leaflet's paragraphs do.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for item in ("- Vivid dreams", "- Headache, which usually settles within the first two weeks of "
                 "taking it at night as your prescriber advised"):
        pdf.multi_cell(0, 6, item, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Most people take between 1.5 and 4.5 milligrams.", new_x="LMARGIN", new_y="NEXT")
    return Path(pdf.output(str(target)) or target)


def texts(doc: Document, role: SegmentRole | None = None) -> list[str]:
    return [doc.text[s.start : s.end] for s in doc.segments if role is None or s.role == role]


def test_a_two_page_leaflet_reads_as_its_paragraphs(tmp_path):
    doc = read_document(leaflet(tmp_path / "leaflet.pdf"))
    assert "Pine Clinic" not in doc.text and "Page 1" not in doc.text and "Page 2" not in doc.text
    assert texts(doc, SegmentRole.HEADING) == ["Low dose naltrexone"]
    assert texts(doc, SegmentRole.SENTENCE) == [
        " ".join(LONG.replace("-\n", "").split()),
        "A second paragraph follows a gap and runs on long enough to wrap onto a second line of the "
        "page, the way a leaflet's paragraphs do.",
        "Most people take between 1.5 and 4.5 milligrams.",
    ]
    assert texts(doc, SegmentRole.LIST_ITEM) == [
        "Vivid dreams",
        "Headache, which usually settles within the first two weeks of taking it at night as your "
        "prescriber advised",
    ]
    assert [s.location for s in doc.segments] == ["page 1"] * 5 + ["page 2"]
    assert "inflammation" in doc.text


def test_a_hyphen_is_kept_where_the_document_writes_the_word_with_one():
    text = ("We prescribe naltrexone at a low-dose schedule for patients whose long and painful illness is\n"
            "low-\ndose friendly, and we re-\nview it.")
    assert unwrap_lines(text) == (
        "We prescribe naltrexone at a low-dose schedule for patients whose long and painful illness is "
        "low-dose friendly, and we review it."
    )


def test_without_positions_lines_join_on_text_alone():
    text = ("Side Effects\n"
            "Most people notice nothing at all, though some have vivid dreams in the first week or two\n"
            "of treatment.\n"
            "• Headache\n"
            "1. Take it at night.\n"
            "\n"
            "A new paragraph.")
    assert unwrap_lines(text).split("\n") == [
        "Side Effects",
        "Most people notice nothing at all, though some have vivid dreams in the first week or two "
        "of treatment.",
        "• Headache",
        "1. Take it at night.",
        "A new paragraph.",
    ]


def test_an_indented_first_line_starts_a_paragraph(tmp_path):
    from fpdf import FPDF

    lines = [  # (indent, text): two paragraphs, no gap between them
        (8, "Low dose naltrexone is usually started at one and a half milligrams at night and"),
        (0, "raised slowly over several weeks, as the prescriber and patient agree together."),
        (8, "Vivid dreams are the side effect people mention most often in the first weeks of"),
        (0, "treatment, and they usually settle without any change of dose."),
    ]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for indent, text in lines:
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    target = tmp_path / "indented.pdf"
    pdf.output(str(target))
    doc = read_document(target)
    assert texts(doc, SegmentRole.SENTENCE) == [
        f"{lines[0][1]} {lines[1][1]}",
        f"{lines[2][1]} {lines[3][1]}",
    ]
