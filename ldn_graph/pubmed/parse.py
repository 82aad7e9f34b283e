"""PubMed / MEDLINE XML -> :class:`~ldn_graph.model.Study`, streaming.

Reads efetch ``PubmedArticleSet`` responses (2018-2025 DTDs), the MEDLINE baseline's
``MedlineCitationSet`` (2016 DTD) and ``PubmedBookArticle`` records, plain or gzipped
(detected by the magic bytes, not the file name), from a path, ``bytes`` or a binary
file object. This module is the only reader of PubMed XML in ldn-graph: an efetch reply
is read once, by :func:`read_article_set`, which gives the E-utilities client what its
check needs (the root element, the PMIDs returned, NCBI's ``<ERROR>`` texts) together
with the records the retrieval stores.

Safety: the parser never loads a DTD, never touches the network and never expands an
entity. An entity a document declares for itself (``<!ENTITY x SYSTEM "file:///...">``)
stays an unexpanded reference and is dropped from the text; an entity bomb is refused
by libxml2 at once. Both raise nothing worse than :class:`XMLParseError`, an
:class:`~ldn_graph.errors.InputError`.

Speed: an ``lxml.etree.XMLPullParser`` fed in chunks, filtered on the record tags; each finished record is
walked once (a dispatch on child tags, no XPath) and then cleared together with its
already-processed siblings, so memory stays flat on files of 100k records.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Union

from lxml import etree

from ldn_graph.errors import InputError
from ldn_graph.model import Study
from ldn_graph.pubmed.study_xml import study_from_element
from ldn_graph.text import error_line

__all__ = [
    "ArticleSet",
    "ParsedRecord",
    "XMLParseError",
    "invalid_pmid_note",
    "iter_records",
    "parse_records",
    "parse_study_xml",
    "read_article_set",
]

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

RECORD_TAGS = ("PubmedArticle", "MedlineCitation", "PubmedBookArticle")
SET_TAGS = frozenset(
    {"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet", "eFetchResult"}
)
_CITATION_PARENTS = ("PubmedArticle", "PubmedBookArticle")

# libxml2 options shared by every parse (the one safe-parser definition of ldn-graph): no
# DTD, no network, no entity expansion, and libxml2's own limits left on (huge_tree=False).
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
    """The input is not well-formed PubMed/MEDLINE XML (or is hostile XML).

    ``reason`` is the parser's own complaint (one line), without the source name."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class ParsedRecord:
    """One record: the parsed study, the record's own XML and the DOCTYPE's DTD file."""

    study: Study
    raw: bytes  # serialized PubmedArticle / MedlineCitation / PubmedBookArticle element
    dtd: str | None  # e.g. "pubmed_250101.dtd", "nlmmedlinecitationset_160101.dtd"


@dataclass(frozen=True)
class ArticleSet:
    """An efetch reply, read in one pass by :func:`read_article_set`.

    ``root``: the tag of the root element (``PubmedArticleSet``, or ``eFetchResult`` when
    NCBI could serve nothing); ``records``: every record, its raw XML kept; ``errors``:
    the text of each ``<ERROR>`` element, wherever it stands.
    """

    root: str
    records: tuple[ParsedRecord, ...]
    errors: tuple[str, ...]

    @property
    def pmids(self) -> tuple[str, ...]:
        """The PMIDs of the records, each once, in reply order."""
        return tuple(dict.fromkeys(r.study.pmid for r in self.records))


# --------------------------------------------------------------------------- public API


def invalid_pmid_note(pmid: str, what: str) -> str:
    """The one line naming a record skipped because its PMID is not valid (``0``, ten
    digits, letters…): ``what`` says where it was (``"bad.xml: record 3"``). The
    parser reads such records as they are; whoever stores records skips them."""
    shown = pmid if len(pmid) <= 24 else pmid[:24] + "…"
    return (f"{what} has PMID {shown!r}, which is not a PMID (1 to 9 digits without a "
            "leading zero); skipped")


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
    study = study_from_element(element)
    if study is None:
        raise XMLParseError(f"{source_name}: the record has no PMID")
    return study


def read_article_set(body: bytes, *, source_name: str = "efetch") -> ArticleSet:
    """Read an efetch reply once: its records, its ``<ERROR>`` texts and its root tag.

    The root is not checked (the caller decides what an unexpected one means). Raises
    :class:`XMLParseError` when ``body`` is not well-formed XML (a cut transfer, bytes that
    are not UTF-8, an entity bomb).
    """
    records: list[ParsedRecord] = []
    errors: list[str] = []
    events = etree.iterparse(io.BytesIO(body), events=("end",), tag=(*RECORD_TAGS, "ERROR"),
                             **_PARSER_OPTIONS)
    dtd: str | None = None
    first = True
    try:
        for _event, elem in events:
            if elem.tag == "ERROR":
                errors.append("".join(elem.itertext()))
                continue
            if first:
                first = False
                dtd = _dtd_name(elem)
            parsed = _take_record(elem, dtd, True)
            if parsed is not None:
                records.append(parsed)
    except etree.XMLSyntaxError as err:
        reason = error_line(err)
        raise XMLParseError(f"{source_name}: not well-formed XML ({reason})", reason) from None
    root = events.root
    return ArticleSet(root.tag if root is not None else "", tuple(records), tuple(errors))


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


# How much of a file the parser is fed at a time.
_CHUNK = 1 << 16


def _pull(stream: IO[bytes], parser: Any, root: list[Any]) -> Iterator[tuple[str, Any]]:
    """The parser's events, chunk by chunk, and its root element into ``root`` at the end;
    where the XML breaks, the records that ended before the fault first, then the error
    (``iterparse`` in lxml 6.2 raises it before handing them over)."""
    while chunk := stream.read(_CHUNK):
        try:
            parser.feed(chunk)
        except etree.XMLSyntaxError:
            yield from parser.read_events()
            raise
        yield from parser.read_events()
    root.append(parser.close())
    yield from parser.read_events()


def _iter_stream(stream: IO[bytes], name: str, with_raw: bool) -> Iterator[ParsedRecord]:
    parser = etree.XMLPullParser(events=("end",), tag=RECORD_TAGS, **_PARSER_OPTIONS)
    dtd: str | None = None
    first = True
    root_tag: str | None = None
    ended: list[Any] = []  # the root element, once the file is read
    try:
        for _event, elem in _pull(stream, parser, ended):
            if first:
                first = False
                dtd = _dtd_name(elem)
                root_tag = elem.getroottree().getroot().tag
                if root_tag not in SET_TAGS and root_tag not in RECORD_TAGS:
                    raise XMLParseError(
                        f"{name}: root element <{root_tag}> is not PubMed or MEDLINE XML"
                    )
            parsed = _take_record(elem, dtd, with_raw)
            if parsed is not None:
                yield parsed
        if first:
            root = ended[0] if ended else None
            if root is not None and root.tag not in SET_TAGS and root.tag not in RECORD_TAGS:
                raise XMLParseError(
                    f"{name}: root element <{root.tag}> is not PubMed or MEDLINE XML"
                )
    except etree.XMLSyntaxError as err:
        reason = error_line(err)
        raise XMLParseError(
            f"{name}: not well-formed XML ({reason}); the file may be truncated, "
            "hostile or not PubMed XML", reason
        ) from None
    except (OSError, EOFError, zlib.error) as err:  # gzip.BadGzipFile is an OSError
        raise XMLParseError(
            f"{name}: cannot decompress or read ({error_line(err)}); the file may be truncated"
        ) from None


def _take_record(elem: Any, dtd: str | None, with_raw: bool) -> ParsedRecord | None:
    """The record that just ended (``None``: no PMID, or a ``MedlineCitation`` its
    ``PubmedArticle`` will hand over), then drop it and everything before it, so memory
    stays flat."""
    parent = elem.getparent()
    if elem.tag == "MedlineCitation" and parent is not None and parent.tag in _CITATION_PARENTS:
        return None  # handled when its PubmedArticle ends
    study = study_from_element(elem)
    parsed = None
    if study is not None:
        parsed = ParsedRecord(study=study, raw=_serialize_record(elem) if with_raw else b"",
                              dtd=dtd)
    elem.clear(keep_tail=False)
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]
    return parsed


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
