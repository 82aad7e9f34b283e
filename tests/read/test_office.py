"""Word and PDF files: the same claims as the text they were made from, Word structure
(headings, lists, tables, references) and the refusal of hostile files."""

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


# --------------------------------------------------------------------------- Word structure

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def write_word(target: Path, body: str, styles: list[tuple[str, str, str]] | None = None) -> Path:
    """A minimal .docx of ``body`` (``w:body`` content); with ``styles`` ((id, name, more
    of the style's XML) each) a styles part, else none at all."""
    overrides = f'<Override PartName="/word/document.xml" ContentType="{MAIN_TYPE}.document.main+xml"/>'
    rels = (f'<Relationship Id="rId9" Type="{OFFICE_RELS}/hyperlink" '
            'Target="https://pubmed.ncbi.nlm.nih.gov/23359310/" TargetMode="External"/>')
    parts = {}
    if styles is not None:
        overrides += f'<Override PartName="/word/styles.xml" ContentType="{MAIN_TYPE}.styles+xml"/>'
        rels += f'<Relationship Id="rId1" Type="{OFFICE_RELS}/styles" Target="styles.xml"/>'
        parts["word/styles.xml"] = f"<w:styles {W_NS}>" + "".join(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>{more}</w:style>'
            for sid, name, more in styles
        ) + "</w:styles>"
    parts["[Content_Types].xml"] = (
        f'<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
        f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )
    parts["_rels/.rels"] = (
        f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
        f'Type="{OFFICE_RELS}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    parts["word/_rels/document.xml.rels"] = f'<Relationships xmlns="{PACKAGE}/relationships">{rels}</Relationships>'
    parts["word/document.xml"] = f"<w:document {W_NS}><w:body>{body}</w:body></w:document>"
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return target


def para(text: str, style: str = "", ppr: str = "", bold: bool = False) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:p><w:pPr>{props}</w:pPr><w:r>{rpr}<w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def roles(path: Path) -> list[tuple[str, str, int, str | None]]:
    doc = read_document(path)
    return [(doc.text[s.start : s.end], s.role.value, s.level, s.location) for s in doc.segments]


def test_word_heading_style_ids_need_no_styles_part(tmp_path):
    body = (para("Low dose naltrexone", "Title") + para("How it works", "Heading1")
            + para("At night", "Heading3") + para("LDN is taken at bedtime."))
    assert roles(write_word(tmp_path / "bare.docx", body)) == [
        ("Low dose naltrexone", "heading", 1, "paragraph 1"),
        ("How it works", "heading", 1, "paragraph 2"),
        ("At night", "heading", 3, "paragraph 3"),
        ("LDN is taken at bedtime.", "sentence", 0, "paragraph 4"),
    ]


def test_word_headings_by_name_localised_name_base_style_and_outline_level(tmp_path):
    styles = [
        ("Normal", "Normal", ""),
        ("berschrift2", "Überschrift 2", ""),  # a German Word's id and name
        ("Custom", "Section title", ""),
        ("MyHeading", "heading 4", ""),
        ("Outlined", "Outlined", '<w:pPr><w:outlineLvl w:val="1"/></w:pPr>'),
    ]
    body = (para("Dosing", "berschrift2") + para("Side effects", "MyHeading") + para("Safety", "Outlined")
            + para("Stopping", "Custom", '<w:outlineLvl w:val="4"/>') + para("LDN may ease pain."))
    found = roles(write_word(tmp_path / "styled.docx", body, styles))
    assert [(t, r, lvl) for t, r, lvl, _ in found] == [
        ("Dosing", "heading", 2), ("Side effects", "heading", 4), ("Safety", "heading", 2),
        ("Stopping", "heading", 5), ("LDN may ease pain.", "sentence", 0),
    ]


def test_word_heading_inherited_from_the_base_style(tmp_path):
    styles = [("Heading2", "heading 2", ""), ("Fancy", "Fancy heading", '<w:basedOn w:val="Heading2"/>')]
    target = write_word(tmp_path / "based.docx", para("Who it helps", "Fancy"), styles)
    assert roles(target)[0][:3] == ("Who it helps", "heading", 2)


def test_word_lists_captions_and_typed_bullets(tmp_path):
    numbered = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>'
    styles = [("ListBullet", "List Bullet", ""), ("Caption", "caption", ""), ("TOC1", "toc 1", "")]
    body = (para("Contents entry", "TOC1") + para("Side effects include:") + para("Vivid dreams", "ListBullet")
            + para("Headache", ppr=numbered) + para("• Nausea, at first") + para("Figure 2. Pain scores.", "Caption"))
    found = [(t, r) for t, r, _, _ in roles(write_word(tmp_path / "lists.docx", body, styles))]
    assert found == [
        ("Contents entry", "navigation"), ("Side effects include:", "heading"), ("Vivid dreams", "list item"),
        ("Headache", "list item"), ("Nausea, at first", "list item"), ("Figure 2. Pain scores.", "caption"),
    ]


def test_word_unstyled_short_lines_stand_as_headings(tmp_path):
    body = para("Dosing and safety", bold=True) + para("Who may benefit?") + para("Most people start at 1.5 mg nightly.")
    assert [r for _, r, _, _ in roles(write_word(tmp_path / "plain.docx", body))] == ["heading", "heading", "sentence"]


def test_word_tables_give_a_block_per_cell_paragraph_in_body_order(tmp_path):
    cell = "<w:tc>{}</w:tc>"
    table = ("<w:tbl><w:tr>" + cell.format(para("Dose")) + cell.format(para("1.5 mg") + para("at night"))
             + "</w:tr><w:tr>" + cell.format(para("Effect")) + cell.format(para("Less pain in fibromyalgia."))
             + "</w:tr></w:tbl>")
    body = para("Before the table.") + table + para("After the table.")
    assert roles(write_word(tmp_path / "table.docx", body)) == [
        ("Before the table.", "sentence", 0, "paragraph 1"),
        ("Dose", "sentence", 0, "table 1"),
        ("1.5 mg", "sentence", 0, "table 1"),
        ("at night", "sentence", 0, "table 1"),
        ("Effect", "sentence", 0, "table 1"),
        ("Less pain in fibromyalgia.", "sentence", 0, "table 1"),
        ("After the table.", "sentence", 0, "paragraph 2"),
    ]


def test_word_reference_section_hyperlinks_and_superscripts(tmp_path):
    link = ('<w:p><w:r><w:t xml:space="preserve">LDN eased pain</w:t></w:r><w:r><w:rPr>'
            '<w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r><w:r><w:t xml:space="preserve">'
            ' (</w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>PubMed</w:t></w:r></w:hyperlink>'
            '<w:r><w:t>).</w:t></w:r></w:p>')
    body = (link + para("References", "Heading1")
            + para("1. Younger J, et al. Low-dose naltrexone for fibromyalgia. Arthritis Rheum. 2013;65:529-38.")
            + para("Draft for comment only."))
    doc = read_document(write_word(tmp_path / "refs.docx", body))
    found = [(doc.text[s.start : s.end], s.role.value) for s in doc.segments]
    assert found[0] == ("LDN eased pain¹ (PubMed <https://pubmed.ncbi.nlm.nih.gov/23359310/>).", "sentence")
    assert [doc.text[s:e] for s, e in doc.hidden] == ["<https://pubmed.ncbi.nlm.nih.gov/23359310/>"]
    assert [(doc.text[k.start : k.end], k.href) for k in doc.links] == [
        ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/23359310/")]
    assert found[2][1] == "reference entry" and found[2][0].startswith("Younger J, et al.")
    assert found[3] == ("Draft for comment only.", "sentence")  # the list has ended
    references, markers = find_references(doc)
    assert [r.label for r in references if r.in_list] == ["1"]
    assert ("1",) in [m.labels for m in markers]


def test_word_style_cycles_and_a_missing_body_are_harmless(tmp_path):
    styles = [("A", "A", '<w:basedOn w:val="B"/>'), ("B", "B", '<w:basedOn w:val="A"/>')]
    assert roles(write_word(tmp_path / "cycle.docx", para("LDN may ease pain.", "A"), styles)) == [
        ("LDN may ease pain.", "sentence", 0, "paragraph 1")]
    empty = write_word(tmp_path / "empty.docx", "")
    parts = {n: zipfile.ZipFile(empty).read(n) for n in zipfile.ZipFile(empty).namelist()}
    parts["word/document.xml"] = f"<w:document {W_NS}></w:document>".encode()
    with zipfile.ZipFile(empty, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    with pytest.raises(InputError, match="no text found"):
        read_document(empty)
