"""Word files with reference-manager citation fields and notes, built for tests with the
real OOXML structure: python-docx's default template (``styles.xml`` included) plus raw
``w:fldChar``/``w:instrText`` runs, ``w:fldSimple``, and footnotes/endnotes parts with
their relationships and content types.

The bibliographic facts in :data:`WORKS` are those of the real seed records shipped in
``cache/pubmed`` (``../shared/data/ldn-cited-references.json``); the item ids, Zotero
URIs and citation ids are made up (synthetic), as any reference manager's are local.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: Real facts of the seed records (authors, title, journal, year, volume, issue, pages,
#: DOI where PubMed gives one).
WORKS: dict[str, dict[str, Any]] = {
    "23359310": {
        "authors": [("Younger", "J"), ("Noor", "N"), ("McCue", "R"), ("Mackey", "S")],
        "title": "Low-dose naltrexone for the treatment of fibromyalgia: findings of a small, randomized, "
                 "double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain levels.",
        "journal": "Arthritis Rheum", "year": 2013, "volume": "65", "issue": "2", "pages": "529-38",
        "doi": "10.1002/art.37734",
    },
    "17222320": {
        "authors": [("Smith", "JP"), ("Stock", "H"), ("Bingaman", "S"), ("Mauger", "D"),
                    ("Rogosnitzky", "M"), ("Zagon", "IS")],
        "title": "Low-dose naltrexone therapy improves active Crohn's disease.",
        "journal": "Am J Gastroenterol", "year": 2007, "volume": "102", "issue": "4", "pages": "820-8",
    },
    "19041189": {
        "authors": [("Brown", "N"), ("Panksepp", "J")],
        "title": "Low-dose naltrexone for disease prevention and quality of life.",
        "journal": "Med Hypotheses", "year": 2009, "volume": "72", "issue": "3", "pages": "333-7",
    },
}


def csl_item(pmid: str, n: int, *, with_pmid: bool = True) -> dict[str, Any]:
    w = WORKS[pmid]
    item: dict[str, Any] = {
        "id": n, "type": "article-journal", "title": w["title"], "container-title": w["journal"],
        "volume": w["volume"], "issue": w["issue"], "page": w["pages"],
        "author": [{"family": f, "given": g} for f, g in w["authors"]],
        "issued": {"date-parts": [[str(w["year"])]]},
    }
    if with_pmid:
        item["PMID"] = pmid
    if w.get("doi"):
        item["DOI"] = w["doi"]
    return item


def zotero_instruction(pmids: Sequence[str], shown: str, **kw: Any) -> str:
    data = {
        "citationID": "synthetic" + "".join(pmids)[:6],
        "properties": {"formattedCitation": shown, "plainCitation": shown, "noteIndex": 0},
        "citationItems": [{"id": n, "uris": [f"http://zotero.org/users/local/synthetic/items/ITEM{p}"],
                           "itemData": csl_item(p, n, **kw)} for n, p in enumerate(pmids, 1)],
        "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
    }
    return f" ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(data)} "


def mendeley_instruction(pmids: Sequence[str], shown: str, **kw: Any) -> str:
    data = {
        "citationID": "MENDELEY_CITATION_synthetic", "properties": {"noteIndex": 0}, "isEdited": False,
        "manualOverride": {"isManuallyOverridden": False, "citeprocText": shown, "manualOverrideText": ""},
        "citationItems": [{"id": f"synthetic-{p}", "itemData": csl_item(p, n, **kw), "isTemporary": False}
                          for n, p in enumerate(pmids, 1)],
    }
    return f"ADDIN CSL_CITATION {json.dumps(data)}"


def endnote_xml(pmids: Sequence[str], shown: str, *, pmid_in_url: bool = False) -> str:
    cites = []
    for p in pmids:
        w = WORKS[p]
        authors = "".join(f"<author>{f}, {g}.</author>" for f, g in w["authors"])
        ids = (f"<urls><related-urls><url>https://www.ncbi.nlm.nih.gov/pubmed/{p}</url></related-urls></urls>"
               if pmid_in_url else f"<accession-num>{p}</accession-num>")
        doi = f"<electronic-resource-num>{w['doi']}</electronic-resource-num>" if w.get("doi") else ""
        cites.append(
            f"<Cite><Author>{w['authors'][0][0]}</Author><Year>{w['year']}</Year><RecNum>{p[-3:]}</RecNum>"
            f"<DisplayText>{escape(shown)}</DisplayText><record><rec-number>{p[-3:]}</rec-number>"
            f'<ref-type name="Journal Article">17</ref-type><contributors><authors>{authors}</authors></contributors>'
            f"<titles><title>{escape(w['title'])}</title><secondary-title>{w['journal']}</secondary-title></titles>"
            f"<pages>{w['pages']}</pages><volume>{w['volume']}</volume><number>{w['issue']}</number>"
            f"<dates><year>{w['year']}</year></dates>{ids}{doi}</record></Cite>"
        )
    return "<EndNote>" + "".join(cites) + "</EndNote>"


def _runs_xml(instruction: str, shown: str, data: bytes | None = None, nested_data: bool = False) -> str:
    """A complex field as Word writes it, its code split over runs of at most 250 characters."""
    fld_data = f'<w:fldData xml:space="preserve">{base64.b64encode(data).decode()}</w:fldData>' if data else ""
    parts = [f'<w:r><w:fldChar w:fldCharType="begin">{fld_data}</w:fldChar></w:r>']
    for i in range(0, len(instruction), 250):
        parts.append(f'<w:r><w:instrText xml:space="preserve">{escape(instruction[i:i + 250])}</w:instrText></w:r>')
    if nested_data:  # EndNote's long form: the record in a nested EN.CITE.DATA field
        parts.append(f'<w:r><w:fldChar w:fldCharType="begin">{fld_data}</w:fldChar></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE.DATA </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        parts[0] = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    parts.append('<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    parts.append(f'<w:r><w:t xml:space="preserve">{escape(shown)}</w:t></w:r>')
    parts.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return "".join(parts)


Piece = str | tuple[str, ...]  # text, or ("field", instruction, shown[, data, nested]) / ("footnote", id) / ("simple", instr, shown)


def _paragraph_xml(pieces: Sequence[Piece], style: str | None = None) -> str:
    body = []
    for piece in pieces:
        if isinstance(piece, str):
            body.append(f'<w:r><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
        elif piece[0] == "field":
            data = piece[3] if len(piece) > 3 else None
            nested = bool(piece[4]) if len(piece) > 4 else False
            body.append(_runs_xml(piece[1], piece[2], data.encode() if isinstance(data, str) else data, nested))
        elif piece[0] == "simple":
            body.append(f'<w:fldSimple w:instr="{escape(piece[1], {chr(34): "&quot;"})}"><w:r><w:t>{escape(piece[2])}</w:t></w:r></w:fldSimple>')
        elif piece[0] in ("footnote", "endnote"):
            body.append(f'<w:r><w:rPr><w:rStyle w:val="{piece[0].capitalize()}Reference"/></w:rPr>'
                        f'<w:{piece[0]}Reference w:id="{piece[1]}"/></w:r>')
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p xmlns:w="{W_NS}">{ppr}{"".join(body)}</w:p>'


def _notes_part(kind: str, notes: dict[str, str]) -> bytes:
    items = [f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
             f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>']
    for note_id, text in notes.items():
        items.append(f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="{kind.capitalize()}Text"/></w:pPr>'
                     f'<w:r><w:rPr><w:rStyle w:val="{kind.capitalize()}Reference"/></w:rPr><w:{kind}Ref/></w:r>'
                     f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s xmlns:w="{W_NS}">'
            + "".join(items) + f"</w:{kind}s>").encode()


def build_docx(paragraphs: Sequence[Sequence[Piece] | tuple[str, Sequence[Piece]]],
               footnotes: dict[str, str] | None = None, endnotes: dict[str, str] | None = None) -> bytes:
    """A .docx whose body is ``paragraphs`` (each a list of pieces, or (style, pieces)),
    with footnotes and endnotes parts when given."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml.parser import parse_xml

    document = docx.Document()
    body = document.element.body
    sect = body[-1]
    for item in paragraphs:
        style, pieces = item if isinstance(item, tuple) and isinstance(item[0], str) and len(item) == 2 and not isinstance(item[1], str) else (None, item)
        sect.addprevious(parse_xml(_paragraph_xml(pieces, style)))  # type: ignore[arg-type]
    for kind, notes, rel in (("footnote", footnotes, RT.FOOTNOTES), ("endnote", endnotes, RT.ENDNOTES)):
        if notes:
            part = Part(PackURI(f"/word/{kind}s.xml"),
                        f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml",
                        _notes_part(kind, notes), document.part.package)
            document.part.relate_to(part, rel)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
