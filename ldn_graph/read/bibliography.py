"""Bibliography files a writer keeps beside a draft (``--references FILE``): BibTeX,
RIS, CSL-JSON, EndNote XML and PubMed/MEDLINE (``.nbib``), each read into
:class:`~ldn_graph.model.CitedWork` records in file order, keyed as documents cite them.

Parsers: bibtexparser (BibTeX, with its own middlewares decoding LaTeX and splitting the
authors), rispy (RIS), Biopython's
``Bio.Medline`` (MEDLINE), the standard ``json`` module (CSL-JSON), and the EndNote record
reader of :mod:`ldn_graph.extract.works` (XML, no entities, no network). The format comes
from the file's suffix (``.bib``, ``.ris``, ``.json``, ``.xml``, ``.nbib``/``.medline``),
else from its first characters.

Keys: BibTeX's citation key, RIS ``ID``, CSL ``id``, EndNote ``label`` (else its record
number), MEDLINE's PMID. Pandoc markers (``[@key]``) name works by key; numbered markers
("[2]") in a document without a reference list name the file's second work.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.extract.works import csl_work, endnote_works, initials_name, work_from_fields
from ldn_graph.model import CitedWork

__all__ = ["FORMATS", "Bibliography", "read_bibliography"]

#: Suffix → format; the closed set of bibliography files ldn-graph reads.
FORMATS = {
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
    ".json": "csl-json",
    ".xml": "endnote-xml",
    ".nbib": "medline",
    ".medline": "medline",
}
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Bibliography:
    """The works of one bibliography file, in file order."""

    name: str  # the file's name: what reports say a reference came from
    works: tuple[CitedWork, ...]


def _sniff(text: str) -> str | None:
    head = text.lstrip()[:200]
    if head.startswith("@"):
        return "bibtex"
    if head.startswith(("[", "{")):
        return "csl-json"
    if head.startswith("<"):
        return "endnote-xml"
    if re.match(r"TY  - ", head):
        return "ris"
    if re.match(r"PMID- ", head):
        return "medline"
    return None


def _bibtex(text: str, name: str) -> list[CitedWork]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()])
    works = []
    for entry in library.entries:
        fields = {f.key.lower(): f.value for f in entry.fields}
        people = fields.pop("author", None) or []
        authors = [initials_name(" ".join([*p.von, *p.last]), " ".join(p.first)) for p in people if p.last]
        fields = {k: str(v) for k, v in fields.items()}
        fields["journal"] = fields.get("journal") or fields.get("journaltitle") or ""
        fields["issue"] = fields.get("number") or fields.get("issue") or ""
        fields["pages"] = fields.get("pages", "").replace("–", "-").replace("--", "-")
        fields["pmcid"] = fields.get("pmcid") or fields.get("pmc") or ""
        fields["year"] = fields.get("year") or fields.get("date") or ""
        works.append(work_from_fields(name, fields, entry.key, authors))
    return works


def _ris(text: str, name: str) -> list[CitedWork]:
    import rispy

    works = []
    for record in rispy.loads(text):
        authors = [initials_name(*(a.split(",", 1) + [""])[:2]) if "," in a else a
                   for a in (record.get("authors") or record.get("first_authors") or [])]
        urls = record.get("urls") or []
        pages = record.get("start_page") or ""
        if record.get("end_page"):
            pages = f"{pages}-{record['end_page']}"
        accession = str(record.get("accession_number") or "")
        fields = {
            "title": record.get("title") or record.get("primary_title"),
            "journal": record.get("alternate_title3") or record.get("journal_name")
            or record.get("secondary_title") or record.get("alternate_title1"),
            "year": record.get("year") or record.get("publication_year") or record.get("date"),
            "volume": record.get("volume"),
            "issue": record.get("number"),
            "pages": pages,
            "doi": record.get("doi"),
            "pmid": accession if accession.isdigit() else None,
            "url": urls[0] if urls else None,
            "note": " ".join([*urls, accession, str(record.get("notes") or "")]),
        }
        works.append(work_from_fields(name, fields, record.get("id"), authors))
    return works


def _csl_json(text: str, name: str) -> list[CitedWork]:
    data = json.loads(text)
    items = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("not a list of CSL items")
    return [csl_work(item, name) for item in items if isinstance(item, dict)]


def _medline(text: str, name: str) -> list[CitedWork]:
    from Bio import Medline

    works = []
    for record in Medline.parse(io.StringIO(text)):
        ids = " ".join([*record.get("AID", []), record.get("LID", "")])
        doi = next((a.split()[0] for a in [*record.get("AID", []), record.get("LID", "")]
                    if a.endswith("[doi]")), None)
        fields: dict[str, Any] = {
            "title": record.get("TI"),
            "journal": record.get("TA") or record.get("JT"),
            "year": record.get("DP"),
            "volume": record.get("VI"),
            "issue": record.get("IP"),
            "pages": record.get("PG"),
            "doi": doi,
            "pmid": record.get("PMID"),
            "pmcid": record.get("PMC"),
            "note": ids,
        }
        works.append(work_from_fields(name, fields, record.get("PMID"), record.get("AU", [])))
    return works


def _endnote_xml(text: str, name: str) -> list[CitedWork]:
    works = [work for _display, work in endnote_works(text, name)]
    if not works and "<record" not in text:
        raise ValueError("no EndNote records")
    return works


_READERS = {"bibtex": _bibtex, "ris": _ris, "csl-json": _csl_json, "medline": _medline,
            "endnote-xml": _endnote_xml}


def read_bibliography(path: str | Path) -> Bibliography:
    """The works of a bibliography file; :class:`InputError` (one line, naming the file and
    what to do) when it cannot be read or holds no works."""
    p = Path(path)
    try:
        if not p.is_file():
            raise InputError(f"{p}: no such bibliography file; check the --references path")
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{p}: larger than {MAX_BYTES // (1024 * 1024)} MB; export only the draft's references")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc}); check the file") from None
    text = data.decode("utf-8-sig", errors="replace")
    kind = FORMATS.get(p.suffix.lower()) or _sniff(text)
    if kind is None:
        raise InputError(f"{p}: not a bibliography file ldn-graph reads (use .bib, .ris, .json (CSL-JSON), "
                         ".xml (EndNote XML) or .nbib)")
    try:
        works = _READERS[kind](text, p.name)
    except InputError:
        raise
    except Exception as exc:  # each parser's own errors: one line, the file named
        raise InputError(f"{p}: cannot be read as {kind} ({type(exc).__name__}: {str(exc)[:120]}); "
                         "export it again from the reference manager") from None
    if not works:
        raise InputError(f"{p}: holds no {kind} records; export the library again")
    return Bibliography(p.name, tuple(works))
