"""One PubMed / MEDLINE record element -> :class:`~ldn_graph.model.Study`.

:func:`study_from_element` walks a finished ``PubmedArticle``, ``MedlineCitation`` or
``PubmedBookArticle`` element once (a dispatch on child tags, no XPath). Text is read
the way PubMed shows it: inline markup flattened, MathML kept as text, entity
references (never expanded) dropped, runs of ASCII white space collapsed.
:mod:`ldn_graph.pubmed.parse` streams the files and hands each record here.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from lxml import etree

from ldn_graph.model import (
    AbstractSection,
    Author,
    Chemical,
    CitedReference,
    CommentCorrection,
    MeshHeading,
    PublicationType,
    Qualifier,
    Study,
)

__all__ = ["element_text", "study_from_element"]

_WS = re.compile(r"[ \t\r\n]+")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


# --------------------------------------------------------------------------- text


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def element_text(el: Any) -> str:
    """Plain text of an element: inline markup flattened, tails kept, entity
    references dropped, runs of ASCII whitespace collapsed (``\\xa0`` is kept)."""
    if len(el) == 0:
        text = el.text
        if not text:
            return ""
        if "\n" in text or "  " in text or "\t" in text or "\r" in text:
            return _WS.sub(" ", text).strip()
        return text.strip() if text[0] == " " or text[-1] == " " else text
    parts: list[str] = []
    _collect(el, parts, False)
    return _WS.sub(" ", "".join(parts)).strip()


def _collect(el: Any, parts: list[str], in_math: bool) -> None:
    if el.text and not (in_math and _is_layout(el.text)):
        parts.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str):  # an element (not an entity reference / comment)
            local = tag.rpartition("}")[2]
            if local == "math":
                _collect(child, parts, True)
            elif in_math and local == "mmultiscripts":
                _collect_multiscripts(child, parts)
            else:
                _collect(child, parts, in_math)
        tail = child.tail
        if tail and not (in_math and _is_layout(tail)):
            parts.append(tail)


def _is_layout(text: str) -> bool:
    """Indentation inside MathML (whitespace with a newline) is layout, not content."""
    return "\n" in text and not text.strip()


def _collect_multiscripts(el: Any, parts: list[str]) -> None:
    """``<mmultiscripts>base ... <mprescripts/> pre...`` -> pre-scripts first (``3He``)."""
    children = [c for c in el if isinstance(c.tag, str)]
    split = next((i for i, c in enumerate(children) if _local(c.tag) == "mprescripts"), None)
    ordered = children if split is None else children[split + 1 :] + children[:split]
    for child in ordered:
        if _local(child.tag) != "none":
            _collect(child, parts, True)


def _markup(el: Any) -> str | None:
    """Inner XML of ``el`` when it holds inline tags, else ``None``."""
    if len(el) == 0:
        return None
    if not any(isinstance(c.tag, str) for c in el):
        return None
    inner = escape(el.text or "", quote=False)
    inner += "".join(
        etree.tostring(c, encoding="unicode", with_tail=True) for c in el if isinstance(c.tag, str)
    )
    return inner.strip()


def _opt(el: Any) -> str | None:
    text = element_text(el)
    return text or None


def _leaf(el: Any) -> str | None:
    """Text of a field that never holds markup (names, numbers, codes)."""
    if len(el):
        return _opt(el)
    text = el.text
    if not text:
        return None
    return text.strip() or None


# --------------------------------------------------------------------------- records


def study_from_element(elem: Any) -> Study | None:
    """The study of a ``PubmedArticle``, ``MedlineCitation`` or ``PubmedBookArticle``
    element; ``None`` for another element or a record without a PMID."""
    tag = elem.tag
    if tag == "PubmedArticle":
        fields: dict[str, Any] = {}
        for child in elem:
            ctag = child.tag
            if ctag == "MedlineCitation":
                _medline_citation(child, fields)
            elif ctag == "PubmedData":
                _pubmed_data(child, fields)
        return _finish(fields)
    if tag == "MedlineCitation":
        fields = {}
        _medline_citation(elem, fields)
        return _finish(fields)
    if tag == "PubmedBookArticle":
        fields = {}
        for child in elem:
            ctag = child.tag
            if ctag == "BookDocument":
                _book_document(child, fields)
            elif ctag == "PubmedBookData":
                _pubmed_data(child, fields)
        return _finish(fields)
    return None


def _finish(f: dict[str, Any]) -> Study | None:
    pmid = f.pop("pmid", None)
    if not pmid:
        return None
    # the ELocationID typed "doi" wins, even when a pii ELocationID follows it
    eloc_doi, aid_doi = f.pop("_eloc_doi", None), f.pop("_aid_doi", None)
    aid_pmc, other_pmc = f.pop("_aid_pmc", None), f.pop("_other_pmc", None)
    iso, medline_ta = f.pop("_iso", None), f.pop("_medline_ta", None)
    doi, pmcid, abbrev = eloc_doi or aid_doi, aid_pmc or other_pmc, iso or medline_ta
    vernacular = f.pop("_vernacular", None)
    if not f.get("title") and vernacular:
        f["title"] = vernacular
    return Study(pmid=pmid, doi=doi, pmcid=pmcid, journal_abbrev=abbrev, **f)


def _medline_citation(mc: Any, f: dict[str, Any]) -> None:
    for child in mc:
        tag = child.tag
        if tag == "PMID":
            f["pmid"] = (child.text or "").strip()
        elif tag == "Article":
            _article(child, f)
        elif tag == "MeshHeadingList":
            f["mesh"] = tuple(
                h for h in (_mesh_heading(m) for m in child if m.tag == "MeshHeading") if h
            )
        elif tag == "ChemicalList":
            f["chemicals"] = tuple(
                c for c in (_chemical(ch) for ch in child if ch.tag == "Chemical") if c
            )
        elif tag == "CommentsCorrectionsList":
            f["comments_corrections"] = tuple(
                _comment_correction(cc) for cc in child if cc.tag == "CommentsCorrections"
            )
        elif tag == "KeywordList":
            words = [w for w in (element_text(k) for k in child if k.tag == "Keyword") if w]
            f["keywords"] = f.get("keywords", ()) + tuple(words)
        elif tag == "OtherAbstract":
            f["other_abstracts"] = f.get("other_abstracts", ()) + _abstract(child)
        elif tag == "MedlineJournalInfo":
            for info in child:
                if info.tag == "MedlineTA":
                    f["_medline_ta"] = _leaf(info)
        elif tag == "OtherID":
            text = (child.text or "").strip()
            if text.startswith("PMC") and "_other_pmc" not in f:
                f["_other_pmc"] = text.split()[0]


def _article(article: Any, f: dict[str, Any]) -> None:
    for child in article:
        tag = child.tag
        if tag == "ArticleTitle":
            f["title"] = element_text(child)
            f["title_markup"] = _markup(child)
        elif tag == "Journal":
            _journal(child, f)
        elif tag == "Pagination":
            f["pages"] = _pagination(child)
        elif tag == "ELocationID":
            if child.get("EIdType") == "doi" and "_eloc_doi" not in f:
                value = (child.text or "").strip()
                if value and child.get("ValidYN", "Y") != "N":
                    f["_eloc_doi"] = value
        elif tag == "Abstract":
            f["abstract"] = _abstract(child)
        elif tag == "AuthorList":
            if child.get("Type", "authors") == "authors":
                f["authors"] = _authors(child)
        elif tag == "Language":
            if "language" not in f:
                f["language"] = _leaf(child)
        elif tag == "PublicationTypeList":
            f["publication_types"] = tuple(
                PublicationType(ui=p.get("UI"), name=element_text(p))
                for p in child
                if p.tag == "PublicationType"
            )
        elif tag == "VernacularTitle":
            f["_vernacular"] = _opt(child)


def _journal(journal: Any, f: dict[str, Any]) -> None:
    for child in journal:
        tag = child.tag
        if tag == "Title":
            f["journal"] = _opt(child)
        elif tag == "ISOAbbreviation":
            f["_iso"] = _leaf(child)
        elif tag == "JournalIssue":
            for part in child:
                ptag = part.tag
                if ptag == "Volume":
                    f["volume"] = _leaf(part)
                elif ptag == "Issue":
                    f["issue"] = _leaf(part)
                elif ptag == "PubDate":
                    f["year"], f["pub_date"] = _pub_date(part)


def _pub_date(pub_date: Any) -> tuple[int | None, str | None]:
    """(year, raw text) of a PubDate: "2013 Feb", "1990 Spring", or the MedlineDate."""
    year_text = month = day = season = medline = None
    for part in pub_date:
        tag = part.tag
        if tag == "Year":
            year_text = _leaf(part)
        elif tag == "Month":
            month = _leaf(part)
        elif tag == "Day":
            day = _leaf(part)
        elif tag == "Season":
            season = _leaf(part)
        elif tag == "MedlineDate":
            medline = _leaf(part)
    if year_text or month or season:
        raw = " ".join(p for p in (year_text, month or season, day) if p) or None
        source = year_text or ""
    else:
        raw = medline
        source = medline or ""
    match = _YEAR.search(source)
    if match is None and medline:
        match = _YEAR.search(medline)
    return (int(match.group(1)) if match else None), raw


def _pagination(pagination: Any) -> str | None:
    start = end = None
    for part in pagination:
        tag = part.tag
        if tag == "MedlinePgn":
            pages = _leaf(part)
            if pages:
                return pages
        elif tag == "StartPage":
            start = _leaf(part)
        elif tag == "EndPage":
            end = _leaf(part)
    if start and end:
        return f"{start}-{end}"
    return start


def _abstract(abstract: Any) -> tuple[AbstractSection, ...]:
    sections = []
    for child in abstract:
        if child.tag != "AbstractText":
            continue
        text = element_text(child)
        if not text:
            continue
        sections.append(
            AbstractSection(
                text=text,
                label=child.get("Label") or None,
                category=child.get("NlmCategory") or None,
            )
        )
    return tuple(sections)


def _authors(author_list: Any) -> tuple[Author, ...]:
    authors = []
    for author in author_list:
        if author.tag != "Author" or author.get("ValidYN", "Y") == "N":
            continue
        last = fore = initials = collective = suffix = None
        for part in author:
            tag = part.tag
            if tag == "LastName":
                last = _leaf(part)
            elif tag in ("ForeName", "FirstName"):
                fore = _leaf(part)
            elif tag == "Initials":
                initials = _leaf(part)
            elif tag == "CollectiveName":
                collective = _opt(part)
            elif tag == "Suffix":
                suffix = _leaf(part)
        if collective and not last:
            authors.append(Author(collective_name=collective))
        elif last:
            if suffix:
                last = f"{last} {suffix}"
            authors.append(Author(last_name=last, fore_name=fore, initials=initials))
    return tuple(authors)


def _mesh_heading(heading: Any) -> MeshHeading | None:
    descriptor = None
    qualifiers = []
    for part in heading:
        tag = part.tag
        if tag == "DescriptorName":
            descriptor = part
        elif tag == "QualifierName":
            qualifiers.append(
                Qualifier(
                    ui=part.get("UI"), name=element_text(part), major=part.get("MajorTopicYN") == "Y"
                )
            )
    if descriptor is None:
        return None
    return MeshHeading(
        ui=descriptor.get("UI"),
        name=element_text(descriptor),
        major=descriptor.get("MajorTopicYN") == "Y",
        qualifiers=tuple(qualifiers),
    )


def _chemical(chemical: Any) -> Chemical | None:
    name_el = None
    registry = None
    for part in chemical:
        tag = part.tag
        if tag == "NameOfSubstance":
            name_el = part
        elif tag == "RegistryNumber":
            registry = _leaf(part)
    if name_el is None:
        return None
    return Chemical(ui=name_el.get("UI"), name=element_text(name_el), registry_number=registry)


def _comment_correction(cc: Any) -> CommentCorrection:
    pmid = source = None
    for part in cc:
        tag = part.tag
        if tag == "PMID":
            pmid = _leaf(part)
        elif tag == "RefSource":
            source = _leaf(part)
    return CommentCorrection(ref_type=cc.get("RefType") or "", pmid=pmid, source=source)


def _pubmed_data(data: Any, f: dict[str, Any]) -> None:
    references: list[CitedReference] = []
    for child in data:
        tag = child.tag
        if tag == "ArticleIdList":
            for aid in child:
                if aid.tag != "ArticleId":
                    continue
                kind = aid.get("IdType")
                value = (aid.text or "").strip()
                if not value:
                    continue
                if kind == "doi" and "_aid_doi" not in f:
                    f["_aid_doi"] = value
                elif kind == "pmc" and "_aid_pmc" not in f:
                    f["_aid_pmc"] = value
        elif tag == "ReferenceList":
            _references(child, references)
    if references:
        f["references"] = f.get("references", ()) + tuple(references)


def _references(ref_list: Any, out: list[CitedReference]) -> None:
    for child in ref_list:
        tag = child.tag
        if tag == "Reference":
            citation = ""
            pmid = doi = None
            for part in child:
                ptag = part.tag
                if ptag == "Citation":
                    citation = element_text(part)
                elif ptag == "ArticleIdList":
                    for aid in part:
                        if aid.tag != "ArticleId":
                            continue
                        kind = aid.get("IdType")
                        value = (aid.text or "").strip()
                        if kind == "pubmed" and value and pmid is None:
                            pmid = value
                        elif kind == "doi" and value and doi is None:
                            doi = value
            if citation or pmid or doi:
                out.append(CitedReference(citation=citation, pmid=pmid, doi=doi))
        elif tag == "ReferenceList":
            _references(child, out)


def _book_document(doc: Any, f: dict[str, Any]) -> None:
    book_title = None
    for child in doc:
        tag = child.tag
        if tag == "PMID":
            f["pmid"] = (child.text or "").strip()
        elif tag == "ArticleTitle":
            f["title"] = element_text(child)
            f["title_markup"] = _markup(child)
        elif tag == "Book":
            for part in child:
                ptag = part.tag
                if ptag == "BookTitle":
                    book_title = _opt(part)
                elif ptag == "PubDate":
                    f["year"], f["pub_date"] = _pub_date(part)
                elif (
                    ptag == "AuthorList"
                    and "authors" not in f
                    and part.get("Type", "authors") == "authors"
                ):
                    f["authors"] = _authors(part)
        elif tag == "AuthorList":
            if child.get("Type", "authors") == "authors":
                f["authors"] = _authors(child)
        elif tag == "Abstract":
            f["abstract"] = _abstract(child)
        elif tag == "Language":
            if "language" not in f:
                f["language"] = _leaf(child)
        elif tag == "PublicationType":
            f["publication_types"] = f.get("publication_types", ()) + (
                PublicationType(ui=child.get("UI"), name=element_text(child)),
            )
        elif tag == "KeywordList":
            words = [w for w in (element_text(k) for k in child if k.tag == "Keyword") if w]
            f["keywords"] = f.get("keywords", ()) + tuple(words)
        elif tag == "ArticleIdList":
            for aid in child:
                if aid.tag == "ArticleId" and aid.get("IdType") == "doi":
                    value = (aid.text or "").strip()
                    if value and "_aid_doi" not in f:
                        f["_aid_doi"] = value
    if not f.get("title") and book_title:
        f["title"] = book_title
        f["journal"] = None
    elif book_title:
        f["journal"] = book_title
