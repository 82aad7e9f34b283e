"""DOCX and PDF made from the example pages give the same claims as the .txt."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from paths import ROOT

from ldn_graph.errors import InputError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_document

EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))
FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
]


def claim_set(path: Path) -> set[tuple[str, str]]:
    doc = read_document(path)
    claims = extract_claims(doc, load_vocabulary(), *find_references(doc))
    return {(" ".join(c.text.split()), c.concept.name) for c in claims}


def lines_of(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]


def write_docx(lines: list[str], target: Path) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        if line.startswith(("- ", "• ")) or line == "-":
            body = line[2:] if len(line) > 1 else ""
            if body:
                document.add_paragraph(body, style="List Bullet")
        else:
            document.add_paragraph(line)
    document.save(str(target))


def write_pdf(lines: list[str], target: Path, font: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("Body", fname=str(font))
    pdf.set_font("Body", size=10)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(target))


@pytest.mark.parametrize("page", EXAMPLES, ids=lambda p: p.name)
def test_docx_gives_the_same_claims_as_txt(tmp_path, page):
    target = tmp_path / (page.stem + ".docx")
    write_docx(lines_of(page), target)
    assert claim_set(target) == claim_set(page)
    doc = read_document(target)
    assert all(s.location and s.location.startswith("paragraph ") for s in doc.segments)


@pytest.mark.parametrize("page", EXAMPLES, ids=lambda p: p.name)
def test_pdf_gives_the_same_claims_as_txt(tmp_path, page):
    font = next((f for f in FONT_CANDIDATES if f.exists()), None)
    if font is None:
        pytest.skip("no Unicode TrueType font found to write the test PDF (install fonts-dejavu-core)")
    target = tmp_path / (page.stem + ".pdf")
    write_pdf(lines_of(page), target, font)
    assert claim_set(target) == claim_set(page)
    doc = read_document(target)
    claims = extract_claims(doc, load_vocabulary(), *find_references(doc))
    assert {c.location for c in claims} <= {"page 1", "page 2", "page 3", "page 4"}
    assert claims[0].location == "page 1"


def test_zip_bomb_docx_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document/>")
        z.writestr("word/bomb.xml", b"\0" * (80 * 1024 * 1024))
    target = tmp_path / "bomb.docx"
    target.write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="zip bomb"):
        read_document(target)


def test_pdf_without_text_layer_says_what_to_do(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    target = tmp_path / "scan.pdf"
    pdf.output(str(target))
    with pytest.raises(InputError, match="no text layer"):
        read_document(target)


def test_not_really_a_docx(tmp_path):
    target = tmp_path / "fake.docx"
    target.write_text("hello")
    with pytest.raises(InputError, match="not a valid .docx"):
        read_document(target)


def test_docx_with_an_unsupported_compression_method_is_one_line(tmp_path):
    """zipfile answers a compression method it does not implement (here 99, AES) with
    NotImplementedError: that is a file we cannot read, said in one line."""
    import docx

    plain = io.BytesIO()
    docx.Document().save(plain)
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(stored, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info.filename), zipfile.ZIP_STORED)
    data = bytearray(stored.getvalue())
    name = b"word/document.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        local = z.getinfo(name.decode()).header_offset
    data[local + 8:local + 10] = (99).to_bytes(2, "little")  # local file header: method
    central = data.index(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 10:central + 12] = (99).to_bytes(2, "little")  # central directory: method
    target = tmp_path / "aes.docx"
    target.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"aes\.docx: cannot be read as a Word document") as caught:
        read_document(target)
    assert "\n" not in str(caught.value)


def test_docx_superscript_citations_become_markers(tmp_path):
    import docx

    from ldn_graph.extract.references import find_references

    document = docx.Document()
    para = document.add_paragraph("LDN eased fibromyalgia pain")
    para.add_run("1,2").font.superscript = True
    para.add_run(".")
    document.add_paragraph("1. Younger J. A trial. Arthritis Rheum. 2013;65:529-38. PMID: 23359310")
    document.add_paragraph("2. Smith JP. Another. Am J Gastroenterol. 2007;102:820-8. PMID: 17222320")
    target = tmp_path / "sup.docx"
    document.save(str(target))
    doc = read_document(target)
    assert "LDN eased fibromyalgia pain¹,²." in doc.text
    assert [m.labels for m in find_references(doc)[1]] == [("1", "2")]
