"""A :class:`~ldn_graph.model.CitedWork` from the structured records reference managers
write: CSL-JSON items (Zotero and Mendeley fields, CSL-JSON files), EndNote XML records
(EndNote fields and XML exports), and the plain field/value records BibTeX, RIS and
MEDLINE files are read into (:func:`work_from_fields`).

Identifiers are taken where each format keeps them (CSL ``PMID``/``PMCID``/``DOI``,
EndNote ``accession-num`` and ``electronic-resource-num``) and from any PubMed, PMC or
DOI address or ``PMID:`` note the record carries (:func:`ldn_graph.ids.identifiers_in`).
Pure functions; XML is parsed without entities or network access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from ldn_graph.ids import clean_doi, identifiers_in, parse_pmid
from ldn_graph.model import CitedWork
from ldn_graph.text import one_line

__all__ = ["citation_text", "csl_work", "endnote_works", "initials_name", "work_from_fields"]

_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def initials_name(family: str, given: str = "") -> str:
    """``("Younger", "Jarred W.")`` → ``"Younger JW"``, ``("Smith", "JP")`` → ``"Smith JP"``:
    an author as Vancouver lists them."""
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,3}", given):  # already initials
        return f"{family.strip()} {given}"
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())
    return f"{family.strip()} {initials.upper()}".strip()


def _author(text: str) -> str:
    """``"Younger, J."``, ``"Younger, Jarred"`` or ``"Younger J"`` → ``"Younger J"``."""
    text = one_line(text)
    if "," in text:
        family, given = text.split(",", 1)
        return initials_name(family, given)
    return text


def _year(value: object) -> int | None:
    found = _YEAR_RE.search(str(value)) if value is not None else None
    return int(found.group(1)) if found else None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = one_line(str(value)).strip()
    return text or None


def _identifiers(values: Iterable[object]) -> dict[str, str]:
    """The first PMID, PMCID and DOI written in any of ``values`` (URLs, notes)."""
    found: dict[str, str] = {}
    for value in values:
        if value:
            for kind, ident, _s, _e in identifiers_in(str(value)):
                found.setdefault(kind, ident)
    return found


def work_from_fields(source: str, fields: Mapping[str, object], key: str | None = None,
                     authors: Iterable[str] = ()) -> CitedWork:
    """A work from plain fields (``title``, ``journal``, ``year``, ``volume``, ``issue``,
    ``pages``, ``doi``, ``pmid``, ``pmcid``, ``url``, ``note``); identifiers found in the
    URL or note fill the ones not given."""
    seen = _identifiers((fields.get("url"), fields.get("note"), fields.get("doi")))
    pmid = parse_pmid(_text(fields.get("pmid")) or "") or seen.get("pmid")
    doi_text = _text(fields.get("doi"))
    doi = (_identifiers([doi_text]).get("doi") or clean_doi(doi_text)) if doi_text else seen.get("doi")
    pmcid = (_text(fields.get("pmcid")) or seen.get("pmcid") or "").upper() or None
    if pmcid and not pmcid.startswith("PMC"):
        pmcid = f"PMC{pmcid}"
    return CitedWork(
        source=source,
        key=key,
        authors=tuple(a for a in (_text(x) for x in authors) if a),
        title=_text(fields.get("title")),
        journal=_text(fields.get("journal")),
        year=_year(fields.get("year")),
        volume=_text(fields.get("volume")),
        issue=_text(fields.get("issue")),
        pages=_text(fields.get("pages")),
        doi=doi,
        pmid=pmid,
        pmcid=pmcid,
        url=_text(fields.get("url")),
    )


def citation_text(work: CitedWork) -> str:
    """The work as a Vancouver reference list would give it, with its identifiers, so the
    same readers and resolution serve it as a typed entry."""
    who = ", ".join(work.authors[:6]) + (", et al" if len(work.authors) > 6 else "")
    parts = [f"{who}." if who else "", f"{work.title.rstrip('.')}." if work.title else "",
             f"{work.journal.rstrip('.')}." if work.journal else ""]
    if work.year is not None:
        place = f"{work.year}"
        if work.volume:
            place += f";{work.volume}" + (f"({work.issue})" if work.issue else "")
        if work.pages:
            place += f":{work.pages}"
        parts.append(place + ".")
    parts += [f"PMID: {work.pmid}." if work.pmid else "", f"{work.pmcid}." if work.pmcid else "",
              f"doi:{work.doi}" if work.doi else "",
              work.url if work.url and not (work.pmid or work.doi or work.pmcid) else ""]
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------- CSL-JSON


def _csl_year(issued: object) -> object:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parts[0][0]
        return issued.get("raw") or issued.get("literal")
    return issued


def csl_work(item: Mapping[str, Any], source: str, key: str | None = None) -> CitedWork:
    """A CSL-JSON item (``itemData`` of a Zotero or Mendeley field, or an item of a
    CSL-JSON file)."""
    authors = []
    for person in item.get("author") or []:
        if isinstance(person, dict):
            if person.get("family"):
                authors.append(initials_name(str(person["family"]), str(person.get("given") or "")))
            elif person.get("literal"):
                authors.append(str(person["literal"]))
    fields = {
        "title": item.get("title"),
        "journal": item.get("container-title-short") or item.get("journalAbbreviation") or item.get("container-title"),
        "year": _csl_year(item.get("issued")),
        "volume": item.get("volume"),
        "issue": item.get("issue"),
        "pages": item.get("page"),
        "doi": item.get("DOI"),
        "pmid": item.get("PMID"),
        "pmcid": item.get("PMCID"),
        "url": item.get("URL"),
        "note": " ".join(str(item.get(k) or "") for k in ("note", "extra")),
    }
    item_key = key if key is not None else (str(item["id"]) if item.get("id") is not None else None)
    return work_from_fields(source, fields, item_key, authors)


# --------------------------------------------------------------------------- EndNote XML


def _node_text(node: Any) -> str | None:
    """A node's text, EndNote's ``<style>`` wrappers aside."""
    return _text("".join(node.itertext())) if node is not None else None


def endnote_record(record: Any, source: str, key: str | None = None) -> CitedWork:
    """One EndNote ``<record>`` element."""
    def find(path: str) -> str | None:
        return _node_text(record.find(path))

    urls = [_node_text(u) for u in record.iterfind(".//urls//url")]
    accession = find("accession-num")
    fields = {
        "title": find("titles/title"),
        "journal": find("periodical/abbr-1") or find("titles/secondary-title") or find("periodical/full-title"),
        "year": find("dates/year"),
        "volume": find("volume"),
        "issue": find("number"),
        "pages": find("pages"),
        "doi": find("electronic-resource-num"),
        "pmid": accession if accession and parse_pmid(accession) else None,
        "url": next((u for u in urls if u), None),
        "note": " ".join(u for u in urls if u),
    }
    authors = [_author(_node_text(a) or "") for a in record.iterfind("contributors/authors/author")]
    record_key = key or find("label") or find("rec-number")
    return work_from_fields(source, fields, record_key, authors)


def endnote_works(xml: str | bytes, source: str) -> list[tuple[str | None, CitedWork]]:
    """Every work of an EndNote XML text: the ``<Cite>`` elements of a field
    (``<EndNote><Cite>…<record>…``, keyed by their ``RecNum``), or the records of an
    export (``<xml><records><record>…``). ``(display text or None, work)`` each;
    empty when the text is not EndNote XML."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data.strip(), _PARSER)
    except etree.XMLSyntaxError:
        return []
    out: list[tuple[str | None, CitedWork]] = []
    cites = list(root.iter("Cite"))
    if cites:
        for cite in cites:
            record = cite.find("record")
            if record is not None:
                display = _node_text(cite.find("DisplayText"))
                out.append((display, endnote_record(record, source, _node_text(cite.find("RecNum")))))
        return out
    return [(None, endnote_record(record, source)) for record in root.iter("record")]
