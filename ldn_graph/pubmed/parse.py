"""PubMed / MEDLINE XML -> :class:`~ldn_graph.model.Study`, streaming.

Reads efetch ``PubmedArticleSet`` responses (2018-2025 DTDs), the MEDLINE baseline's
``MedlineCitationSet`` (2016 DTD) and ``PubmedBookArticle`` records, plain or gzipped
(detected by the magic bytes, not the file name), from a path, ``bytes`` or a binary
file object.

Safety: the parser never loads a DTD, never touches the network and never expands an
entity. An entity a document declares for itself (``<!ENTITY x SYSTEM "file:///...">``)
stays an unexpanded reference and is dropped from the text; an entity bomb is refused
by libxml2 at once. Both raise nothing worse than :class:`XMLParseError`, an
:class:`~ldn_graph.errors.InputError`.

Speed: ``lxml.etree.iterparse`` filtered on the record tags; each finished record is
walked once (a dispatch on child tags, no XPath) and then cleared together with its
already-processed siblings, so memory stays flat on files of 100k records.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import IO, Any, Union

from lxml import etree

from ldn_graph.errors import InputError
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
from ldn_graph.text import error_line

__all__ = [
    "ParsedRecord",
    "XMLParseError",
    "find_error_messages",
    "iter_records",
    "parse_records",
    "parse_study_xml",
]

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

RECORD_TAGS = ("PubmedArticle", "MedlineCitation", "PubmedBookArticle")
SET_TAGS = frozenset(
    {"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet", "eFetchResult"}
)
_CITATION_PARENTS = ("PubmedArticle", "PubmedBookArticle")
_WS = re.compile(r"[ \t\r\n]+")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")

# libxml2 options shared by every parse: no DTD, no network, no entity expansion, and
# libxml2's own limits left on (huge_tree=False).
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


class XMLParseError(InputError):
    """The input is not well-formed PubMed/MEDLINE XML (or is hostile XML)."""


@dataclass(frozen=True)
class ParsedRecord:
    """One record: the parsed study, the record's own XML and the DOCTYPE's DTD file."""

    study: Study
    raw: bytes  # serialized PubmedArticle / MedlineCitation / PubmedBookArticle element
    dtd: str | None  # e.g. "pubmed_250101.dtd", "nlmmedlinecitationset_160101.dtd"


# --------------------------------------------------------------------------- public API


def iter_records(
    source: Source, *, source_name: str | None = None, with_raw: bool = True
) -> Iterator[ParsedRecord]:
    """Yield every record in ``source`` as it is parsed.

    ``source`` is a path, ``bytes`` or a binary file object; gzip is detected by its
    magic bytes. ``with_raw=False`` skips serializing each record (``raw`` is then
    ``b""``), which is faster when only the studies are wanted. Raises
    :class:`XMLParseError` (an ``InputError``) naming ``source_name`` (default: the file
    name) when the input is unreadable, malformed or truncated; records completed
    before the fault have already been yielded.
    """
    stream, name, close = _open_source(source, source_name)
    try:
        yield from _iter_stream(stream, name, with_raw)
    finally:
        close()


def parse_records(source: Source, *, source_name: str | None = None) -> list[Study]:
    """All studies in ``source`` (see :func:`iter_records`)."""
    return [r.study for r in iter_records(source, source_name=source_name, with_raw=False)]


def parse_study_xml(raw: bytes, *, source_name: str = "stored record") -> Study:
    """Parse one stored record (a ``PubmedArticle``, ``MedlineCitation`` or
    ``PubmedBookArticle`` element, or a set holding one) back into a :class:`Study`."""
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise XMLParseError(f"{source_name}: expected XML bytes, got {type(raw).__name__}")
    try:
        root = etree.fromstring(bytes(raw), etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as err:
        raise XMLParseError(f"{source_name}: not well-formed XML ({error_line(err)})") from None
    element = root
    if root.tag in SET_TAGS:
        element = next((c for c in root if c.tag in RECORD_TAGS), None)
    if element is None or element.tag not in RECORD_TAGS:
        raise XMLParseError(
            f"{source_name}: root element <{root.tag}> is not a PubMed or MEDLINE record"
        )
    study = _study_from_record(element)
    if study is None:
        raise XMLParseError(f"{source_name}: the record has no PMID")
    return study


def find_error_messages(data: bytes) -> list[str]:
    """Texts of the top-level ``<ERROR>`` elements NCBI puts inside 200 responses
    (``PubmedArticleSet``, ``eFetchResult``, ``ePostResult``, ``eSearchResult`` ...).

    Returns ``[]`` when there is none. A body that is not well-formed XML is read with
    libxml2's recovery mode (still without entities or network) so a truncated error
    page is still recognised.
    """
    if not data:
        return []
    try:
        root = etree.fromstring(bytes(data), etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError:
        try:
            root = etree.fromstring(bytes(data), etree.XMLParser(recover=True, **_PARSER_OPTIONS))
        except etree.XMLSyntaxError:
            return []
        if root is None:
            return []
    candidates = [root] if root.tag == "ERROR" else [c for c in root if c.tag == "ERROR"]
    return [msg for msg in (_text(c) for c in candidates) if msg]


# --------------------------------------------------------------------------- sources


class _PrefixedReader(io.RawIOBase):
    """A read-only stream: ``prefix`` then the rest of ``stream`` (for peeked bytes)."""

    def __init__(self, prefix: bytes, stream: IO[bytes]) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._stream.read(len(view))
        if not chunk:
            return 0
        view[: len(chunk)] = chunk
        return len(chunk)


def _open_source(
    source: Source, source_name: str | None
) -> tuple[IO[bytes], str, Callable[[], None]]:
    to_close: list[IO[bytes]] = []

    def close() -> None:
        for handle in reversed(to_close):
            with contextlib.suppress(Exception):  # closing must not mask the real error
                handle.close()

    stream: IO[bytes]
    if isinstance(source, str) and source.lstrip().startswith("<"):
        raise XMLParseError(
            f"{source_name or '<text>'}: got XML text where a path was expected; "
            "pass the XML as bytes"
        )
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = source_name or path.name
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by ``close``
        except OSError as err:
            raise XMLParseError(
                f"{name}: cannot read {path} ({err.strerror or err}); check the path"
            ) from None
        to_close.append(stream)
    elif isinstance(source, bytes | bytearray | memoryview):
        name = source_name or "<bytes>"
        stream = io.BytesIO(bytes(source))
    elif hasattr(source, "read"):
        name = source_name or Path(str(getattr(source, "name", "<stream>"))).name
        if isinstance(source, io.TextIOBase):
            raise XMLParseError(f"{name}: open the file in binary mode ('rb'), not text mode")
        stream = source
    else:
        raise XMLParseError(f"expected a path, bytes or a binary file, got {type(source).__name__}")

    try:
        head = stream.read(2)
    except OSError as err:
        close()
        raise XMLParseError(f"{name}: cannot read ({err})") from None
    if isinstance(head, str):
        close()
        raise XMLParseError(f"{name}: open the file in binary mode ('rb'), not text mode")
    rest: IO[bytes] = io.BufferedReader(_PrefixedReader(head, stream))
    if head == b"\x1f\x8b":
        unzipped: IO[bytes] = gzip.GzipFile(fileobj=rest, mode="rb")  # type: ignore[assignment]
        to_close.append(unzipped)
        rest = unzipped
    return rest, name, close


def _dtd_name(element: Any) -> str | None:
    try:
        docinfo = element.getroottree().docinfo
        url = docinfo.system_url
    except Exception:
        return None
    if not url:
        return None
    return str(url).rstrip("/").rsplit("/", 1)[-1] or None


def _iter_stream(stream: IO[bytes], name: str, with_raw: bool) -> Iterator[ParsedRecord]:
    events = etree.iterparse(stream, events=("end",), tag=RECORD_TAGS, **_PARSER_OPTIONS)
    dtd: str | None = None
    first = True
    root_tag: str | None = None
    try:
        for _event, elem in events:
            if first:
                first = False
                dtd = _dtd_name(elem)
                root_tag = elem.getroottree().getroot().tag
                if root_tag not in SET_TAGS and root_tag not in RECORD_TAGS:
                    raise XMLParseError(
                        f"{name}: root element <{root_tag}> is not PubMed or MEDLINE XML"
                    )
            parent = elem.getparent()
            if (
                elem.tag == "MedlineCitation"
                and parent is not None
                and parent.tag in _CITATION_PARENTS
            ):
                continue  # handled when its PubmedArticle ends
            study = _study_from_record(elem)
            if study is not None:
                raw = _serialize_record(elem) if with_raw else b""
                yield ParsedRecord(study=study, raw=raw, dtd=dtd)
            # keep memory flat: drop this record and everything before it
            elem.clear(keep_tail=False)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        if first:
            root = events.root
            if root is not None and root.tag not in SET_TAGS and root.tag not in RECORD_TAGS:
                raise XMLParseError(
                    f"{name}: root element <{root.tag}> is not PubMed or MEDLINE XML"
                )
    except etree.XMLSyntaxError as err:
        raise XMLParseError(
            f"{name}: not well-formed XML ({error_line(err)}); the file may be truncated, "
            "hostile or not PubMed XML"
        ) from None
    except (OSError, EOFError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
        raise XMLParseError(
            f"{name}: cannot decompress or read ({error_line(err)}); the file may be truncated"
        ) from None


def _serialize_record(elem: Any) -> bytes:
    """The record's own XML, standalone: entity references (left unexpanded, and
    meaningless without the DOCTYPE that declared them) are dropped, as in the text, so
    the stored record parses again on its own."""
    for ref in list(elem.iter(etree.Entity)):
        parent = ref.getparent()
        if parent is None:
            continue
        if ref.tail:
            previous = ref.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + ref.tail
            else:
                parent.text = (parent.text or "") + ref.tail
        parent.remove(ref)
    return bytes(etree.tostring(elem, encoding="utf-8", xml_declaration=False, with_tail=False))


# --------------------------------------------------------------------------- text


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _text(el: Any) -> str:
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
    text = _text(el)
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


def _study_from_record(elem: Any) -> Study | None:
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
            words = [w for w in (_text(k) for k in child if k.tag == "Keyword") if w]
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
            f["title"] = _text(child)
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
                PublicationType(ui=p.get("UI"), name=_text(p))
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
        text = _text(child)
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
                    ui=part.get("UI"), name=_text(part), major=part.get("MajorTopicYN") == "Y"
                )
            )
    if descriptor is None:
        return None
    return MeshHeading(
        ui=descriptor.get("UI"),
        name=_text(descriptor),
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
    return Chemical(ui=name_el.get("UI"), name=_text(name_el), registry_number=registry)


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
                    citation = _text(part)
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
            f["title"] = _text(child)
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
                PublicationType(ui=child.get("UI"), name=_text(child)),
            )
        elif tag == "KeywordList":
            words = [w for w in (_text(k) for k in child if k.tag == "Keyword") if w]
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
