"""A loopback stand-in for NCBI E-utilities, serving recorded responses over real HTTP.

Used by the retrieval tests (as the ``eutils_server`` fixture in ``conftest.py``) and by
benchmarks (as a context manager)::

    with EutilsServer() as server:
        os.environ["LDN_GRAPH_EUTILS_URL"] = server.url
        ...
        assert len(server.requests("efetch")) == 1

What it serves (everything comes from the recorded files in ``tests/data``):

* ``efetch.fcgi`` (GET or POST; ``id=`` comma list, or ``WebEnv`` + ``query_key`` after an
  ``epost``): a ``PubmedArticleSet`` with the recorded ``PubmedArticle`` elements of the
  requested PMIDs that it holds, in request order; unknown ids are omitted, as NCBI does.
  The records are indexed from ``eutils/pubmed*.xml``, ``eutils/title_with_html_tags.xml``,
  ``medline/test_current_medline.xml.gz`` and ``medline/medline16n0902.xml.gz`` (whose
  ``MedlineCitation`` elements are wrapped as ``PubmedArticle``, without ``PubmedData``).
  With ``rekey=True`` (benchmarks only) an unknown PMID is answered with a *re-keyed copy*
  of a real record: the record's own PMID is replaced by the requested one, and an XML
  comment in front of the article says which real record it is a copy of.
* ``esearch.fcgi``: the recorded ``esearch*.xml`` chosen by the term; or, when
  ``esearch_pmids`` is given, a synthetic paging response (see :meth:`EutilsServer._synthetic_esearch`).
* ``elink.fcgi``, ``epost.fcgi``, ``ecitmatch.cgi``, ``espell.fcgi``, ``einfo.fcgi``,
  ``esummary.fcgi``: the recorded files, picked by parameters.
* any path ending ``.dtd``: 404 unless ``dtds`` maps the file name to a response.

Faults are scripted per utility (or ``"*"`` for any) with :meth:`EutilsServer.add_fault`;
each scripted fault answers one request, in order. Besides broken replies (429, 5xx, HTML,
cut transfers, stalls) there are hostile ones: a reply carrying extra (forged) records
(``forge``), a redirect anywhere (``redirect``), a reply trickled one byte at a time
(``trickle``) and an endless-looking body (``big``, which records how much it managed to
send in :attr:`RequestRecord.sent`). Every request is logged
(:attr:`EutilsServer.log`) with its method, path, parameters (query string and POST body
merged) and arrival time, so tests can count requests and check what was sent.

The error pages, the 429 JSON body and the paging/history envelopes built here are
synthetic (modelled on NCBI's documented shapes); the article records are never invented.

Also the loopback helpers of every test that needs a port: :func:`free_port`,
:func:`closed_port_url` (an E-utilities URL nobody answers) and :func:`served_ok`.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

DATA_DIR = Path(__file__).resolve().parent / "data"
BASE_PATH = "/entrez/eutils/"

# The DOCTYPE NCBI currently sends with efetch db=pubmed (copied from eutils/pubmed1.xml).
_PUBMED_HEADER = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)

FAULT_KINDS = (
    "429",  # HTTP 429, Retry-After, JSON body {"error":"API rate limit exceeded"}
    "502",  # HTTP 502 with an HTML page
    "503",  # HTTP 503 with an HTML page
    "html",  # HTTP 200 with an HTML page
    "empty",  # HTTP 200 with an empty body
    "incomplete",  # Content-Length longer than the body, then the connection closes
    "truncated_xml",  # complete HTTP body whose XML is cut in half
    "stall",  # no answer for `stall_seconds` (longer than the client timeout)
    "disconnect",  # connection closed without any response (RemoteDisconnected)
    "error_in_body",  # 200 with an <ERROR> inside the reply (efetch: a PubmedArticleSet)
    "body",  # answer with the given status/content type/body (a test's own synthetic reply)
    "forge",  # the normal efetch reply with `extra` (synthetic articles) added inside the set
    "redirect",  # HTTP `status` (302 unless given otherwise) to `location` ("{query}": the request's)
    "trickle",  # the normal reply, `interval` s per byte for `trickle_for` s, then the rest
    "big",  # 200, an XML body of `size` bytes written in 64 KB chunks (Content-Length if `declare`)
)

# Synthetic error pages (shape of the front-end pages NCBI serves on 502/503).
_HTML_ERROR = (
    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
)
_HTML_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><title>NCBI - WWW Error Blocked Diagnostic"
    "</title></head><body><h1>Temporarily unavailable</h1>"
    "<p>synthetic stand-in page</p></body></html>\n"
)


@dataclass(frozen=True)
class Fault:
    """One scripted fault. ``kind`` is one of :data:`FAULT_KINDS`.

    ``message`` is the text of the ``<ERROR>`` for ``error_in_body``; ``drop_articles``
    makes that reply carry no article at all; ``retry_after`` is the 429 header value;
    ``status``/``content_type``/``body`` are the reply of a ``body`` fault. ``extra``: the
    XML a ``forge`` fault adds; ``location``: where a ``redirect`` points; ``interval``,
    ``trickle_for``, ``trickle_headers``: a ``trickle`` fault's pace, how long it lasts and
    whether the status line and headers are trickled too; ``size``/``declare``: a ``big``
    body's length and whether its Content-Length is sent.
    """

    kind: str
    message: str = "Search Backend failed"
    drop_articles: bool = False
    retry_after: str = "2"
    status: int = 200
    content_type: str = "text/xml; charset=UTF-8"
    body: bytes = b""
    extra: str = ""
    location: str = ""
    interval: float = 0.5
    trickle_for: float = 40.0
    trickle_headers: bool = False
    size: int = 0
    declare: bool = False

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; expected one of {FAULT_KINDS}")


@dataclass
class RequestRecord:
    """One request as the server saw it. ``params`` merges query string and POST body."""

    method: str
    path: str
    utility: str
    params: dict[str, list[str]]
    query_params: dict[str, list[str]]
    body_params: dict[str, list[str]]
    time: float  # time.monotonic() at arrival
    status: int | None = None
    fault: str | None = None
    sent: int = 0  # body bytes a ``big`` or ``trickle`` reply managed to write
    finished: bool = False  # a ``big`` reply is done writing (or the client hung up)

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    def ids(self) -> list[str]:
        """The ``id`` values, comma lists and repeated parameters flattened."""
        out: list[str] = []
        for value in self.params.get("id", []):
            out.extend(part.strip() for part in value.split(",") if part.strip())
        return out


@dataclass
class _Record:
    pmid: str
    xml: str  # one serialized <PubmedArticle>
    source: str
    date: tuple[int, int, int] | None
    rekey_parts: tuple[str, ...] = field(default=())  # xml split where the PMID goes


@dataclass
class RecordIndex:
    """Recorded PubMed articles by PMID (first file wins when a PMID is recorded twice)."""

    records: dict[str, _Record]

    def __contains__(self, pmid: object) -> bool:
        return pmid in self.records

    def article(self, pmid: str) -> str:
        return self.records[pmid].xml

    def date(self, pmid: str) -> tuple[int, int, int] | None:
        record = self.records.get(pmid)
        return record.date if record else None

    def rekeyed(self, pmid: str) -> str:
        """A re-keyed copy of a real record, labelled as such, for an unknown PMID."""
        ordered = list(self.records.values())
        original = ordered[int(pmid) % len(ordered)]
        comment = (
            f"<!-- re-keyed copy of PubMed record {original.pmid} ({original.source}) "
            f"served as PMID {pmid} by the test stand-in; not the real record {pmid} -->"
        )
        return comment + pmid.join(original.rekey_parts)


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}

_SENTINEL = "\u2063PMID\u2063"


def _pub_date(citation: etree._Element) -> tuple[int, int, int] | None:
    pub = citation.find("Article/Journal/JournalIssue/PubDate")
    if pub is None:
        return None
    year = pub.findtext("Year")
    if not year:
        found = re.match(r"\s*(\d{4})", pub.findtext("MedlineDate") or "")
        if not found:
            return None
        return (int(found.group(1)), 1, 1)
    month_text = (pub.findtext("Month") or "1").strip().lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3], 1)
    day_text = (pub.findtext("Day") or "1").strip()
    day = int(day_text) if day_text.isdigit() else 1
    return (int(year), month, day)


def _rekey_template(article: etree._Element, pmid: str) -> tuple[str, ...]:
    copy = etree.fromstring(etree.tostring(article))
    own = copy.find("MedlineCitation/PMID")
    if own is not None:
        own.text = _SENTINEL
    for art_id in copy.findall("PubmedData/ArticleIdList/ArticleId"):
        if art_id.get("IdType") == "pubmed" and (art_id.text or "").strip() == pmid:
            art_id.text = _SENTINEL
    return tuple(etree.tostring(copy, encoding="unicode", with_tail=False).split(_SENTINEL))


def _iter_articles(data_dir: Path) -> Iterator[tuple[str, etree._Element]]:
    eutils = data_dir / "eutils"
    files = sorted(eutils.glob("pubmed*.xml")) + [eutils / "title_with_html_tags.xml"]
    for path in files:
        if path.exists():
            for article in etree.parse(str(path)).getroot().iter("PubmedArticle"):
                yield path.name, article
    current = data_dir / "medline" / "test_current_medline.xml.gz"
    if current.exists():
        with gzip.open(current) as handle:
            for article in etree.parse(handle).getroot().iter("PubmedArticle"):
                yield current.name, article
    medline = data_dir / "medline" / "medline16n0902.xml.gz"
    if medline.exists():
        with gzip.open(medline) as handle:
            root = etree.parse(handle).getroot()
        for citation in list(root.iter("MedlineCitation")):
            wrapper = etree.Element("PubmedArticle")
            citation.tail = None
            wrapper.append(citation)
            yield medline.name, wrapper


@functools.lru_cache(maxsize=4)
def load_records(data_dir: Path = DATA_DIR) -> RecordIndex:
    """Index the recorded PubMed articles under ``data_dir`` (cached per directory)."""
    records: dict[str, _Record] = {}
    for source, article in _iter_articles(data_dir):
        pmid = (article.findtext("MedlineCitation/PMID") or "").strip()
        if not pmid or pmid in records:
            continue
        citation = article.find("MedlineCitation")
        records[pmid] = _Record(
            pmid=pmid,
            xml=etree.tostring(article, encoding="unicode", with_tail=False),
            source=source,
            date=_pub_date(citation) if citation is not None else None,
            rekey_parts=_rekey_template(article, pmid),
        )
    return RecordIndex(records)


def _linksets(path: Path) -> dict[str, str]:
    """Single-id LinkSets of a recorded elink file, by source id."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    for linkset in etree.parse(str(path)).getroot().iter("LinkSet"):
        ids = [i.text.strip() for i in linkset.findall("IdList/Id") if i.text]
        if len(ids) == 1:
            out[ids[0]] = etree.tostring(linkset, encoding="unicode", with_tail=False)
    return out


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "eutils-stand-in/1"
    protocol_version = "HTTP/1.0"  # one request per connection, closed afterwards

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.server.owner._handle(self)  # type: ignore[attr-defined]

    def do_POST(self) -> None:  # noqa: N802
        self.server.owner._handle(self)  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class EutilsServer:
    """Loopback E-utilities stand-in; see the module docstring.

    ``esearch_pmids``: serve a synthetic esearch over this list of real PMIDs (paging with
    ``retstart``/``retmax``; ``(A[dp]:B[dp])`` in the term filters by the recorded
    publication date). ``bad_ids``: an efetch whose id list holds one of these is answered
    HTTP 400 with an ``<ERROR>`` body (as NCBI does for an id list it rejects).
    ``stall_seconds``: how long a ``stall`` fault keeps the client waiting.
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        rekey: bool = False,
        esearch_pmids: Sequence[str] | None = None,
        bad_ids: Iterable[str] = (),
        stall_seconds: float = 3.0,
        dtds: dict[str, tuple[int, bytes]] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else DATA_DIR
        self.rekey = rekey
        self.esearch_pmids = list(esearch_pmids) if esearch_pmids is not None else None
        self.bad_ids = set(bad_ids)
        self.stall_seconds = stall_seconds
        self.dtds = dict(dtds or {})
        self.host = host
        self.log: list[RequestRecord] = []
        self.records = load_records(self.data_dir)
        self._faults: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._history: dict[tuple[str, str], list[str]] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        eutils = self.data_dir / "eutils"
        self._linksets: dict[str, str] = {}
        for name in ("elink1.xml", "elink4.xml"):
            self._linksets.update(_linksets(eutils / name))

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> EutilsServer:
        self._stopping.clear()
        server = _Server((self.host, 0), _Handler)
        server.owner = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="eutils-stand-in",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> EutilsServer:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The E-utilities base URL to put in ``LDN_GRAPH_EUTILS_URL``."""
        return f"http://{self.host}:{self.port}{BASE_PATH}"

    @property
    def known_pmids(self) -> list[str]:
        return list(self.records.records)

    # -- scripting and inspection ----------------------------------------------------
    def add_fault(self, utility: str, fault: str | Fault, times: int = 1) -> None:
        """Answer the next ``times`` requests to ``utility`` (``"efetch"``, ``"*"``…) with a fault."""
        item = fault if isinstance(fault, Fault) else Fault(fault)
        with self._lock:
            self._faults.setdefault(utility, deque()).extend([item] * times)

    def requests(self, utility: str | None = None) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.log if utility is None or r.utility == utility]

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def _next_fault(self, utility: str) -> Fault | None:
        with self._lock:
            for key in (utility, "*"):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    # -- request handling ------------------------------------------------------------
    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        query = parse_qs(split.query, keep_blank_values=True)
        body_params: dict[str, list[str]] = {}
        if handler.command == "POST":
            length = int(handler.headers.get("Content-Length") or 0)
            raw = handler.rfile.read(length) if length else b""
            body_params = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
        params: dict[str, list[str]] = {k: list(v) for k, v in query.items()}
        for key, values in body_params.items():
            params.setdefault(key, []).extend(values)
        name = split.path.rsplit("/", 1)[-1]
        utility = name.split(".", 1)[0] if split.path.startswith(BASE_PATH) else name
        record = RequestRecord(handler.command, split.path, utility, params, query, body_params,
                               time.monotonic())
        with self._lock:
            self.log.append(record)

        if split.path.endswith(".dtd"):
            status, body = self.dtds.get(name, (404, b"Not Found\n"))
            self._send(handler, record, status, "text/plain; charset=UTF-8", body)
            return
        if not split.path.startswith(BASE_PATH):
            self._send(handler, record, 404, "text/plain; charset=UTF-8", b"Not Found\n")
            return

        fault = self._next_fault(utility)
        record.fault = fault.kind if fault else None
        if fault is not None and self._answer_fault(handler, record, fault):
            return
        try:
            status, ctype, body = self._content(utility, record, fault)
        except Exception as exc:  # the stand-in must not die on a strange request
            status, ctype, body = 500, "text/plain; charset=UTF-8", f"{exc!r}\n".encode()
        if fault is not None and fault.kind == "truncated_xml":
            body = body[: max(1, len(body) // 2)]
        if fault is not None and fault.kind == "incomplete":
            self._send(handler, record, status, ctype, body[: len(body) // 2],
                       content_length=len(body))
            return
        if fault is not None and fault.kind == "trickle":
            self._trickle(handler, record, status, ctype, body, fault)
            return
        self._send(handler, record, status, ctype, body)

    def _answer_fault(self, handler: _Handler, record: RequestRecord, fault: Fault) -> bool:
        kind = fault.kind
        if kind == "429":
            body = json.dumps({"error": "API rate limit exceeded"}).encode()
            self._send(handler, record, 429, "application/json", body,
                       extra={"Retry-After": fault.retry_after})
        elif kind in ("502", "503"):
            reason = "Bad Gateway" if kind == "502" else "Service Temporarily Unavailable"
            page = _HTML_ERROR.format(code=kind, reason=reason).encode()
            self._send(handler, record, int(kind), "text/html", page)
        elif kind == "html":
            self._send(handler, record, 200, "text/html; charset=UTF-8", _HTML_PAGE.encode())
        elif kind == "empty":
            self._send(handler, record, 200, "text/xml; charset=UTF-8", b"")
        elif kind == "stall":
            self._stopping.wait(self.stall_seconds)
            self._send(handler, record, 503, "text/plain", b"stalled\n")
        elif kind == "body":
            self._send(handler, record, fault.status, fault.content_type, fault.body)
        elif kind == "redirect":
            query = urlsplit(handler.path).query
            status = fault.status if fault.status != 200 else 302
            self._send(handler, record, status, "text/plain; charset=UTF-8", b"moved\n",
                       extra={"Location": fault.location.replace("{query}", query)})
        elif kind == "big":
            self._big(handler, record, fault)
        elif kind == "disconnect":
            record.status = 0
            handler.close_connection = True
        else:
            return False
        return True

    def _trickle(self, handler: _Handler, record: RequestRecord, status: int, ctype: str,
                 body: bytes, fault: Fault) -> None:
        """Write the reply one byte per ``fault.interval`` for ``fault.trickle_for`` seconds
        (the headers too with ``trickle_headers``), then the rest at once."""
        record.status = status
        head = (f"HTTP/1.0 {status} OK\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
        whole = head + body
        at_once = 0 if fault.trickle_headers else len(head)
        until = time.monotonic() + fault.trickle_for
        position = 0
        try:
            handler.wfile.write(whole[:at_once])
            handler.wfile.flush()
            position = at_once
            while position < len(whole) and time.monotonic() < until:
                if self._stopping.wait(fault.interval):
                    return
                handler.wfile.write(whole[position:position + 1])
                handler.wfile.flush()
                position += 1
            handler.wfile.write(whole[position:])
            handler.wfile.flush()
            record.sent = max(0, len(whole) - len(head))
        except OSError:  # the client gave up
            record.sent = max(0, position - len(head))
        handler.close_connection = True

    def _big(self, handler: _Handler, record: RequestRecord, fault: Fault) -> None:
        """A 200 XML reply of ``fault.size`` bytes (a comment padding a PubmedArticleSet),
        written in 64 KB chunks until done or the client hangs up."""
        record.status = 200
        start = (_PUBMED_HEADER + "<PubmedArticleSet>\n<!-- ").encode()
        end = b" -->\n</PubmedArticleSet>\n"
        padding = max(0, fault.size - len(start) - len(end))
        chunk = b"x" * 65536
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/xml; charset=UTF-8")
            if fault.declare:
                handler.send_header("Content-Length", str(len(start) + padding + len(end)))
            handler.end_headers()
            handler.wfile.write(start)
            record.sent = len(start)
            while padding > 0 and not self._stopping.is_set():
                piece = chunk[:padding]
                handler.wfile.write(piece)
                record.sent += len(piece)
                padding -= len(piece)
            handler.wfile.write(end)
            record.sent += len(end)
            handler.wfile.flush()
        except OSError:  # the client hung up: what it took is in record.sent
            pass
        finally:
            record.finished = True
        handler.close_connection = True

    def _send(self, handler: _Handler, record: RequestRecord, status: int, ctype: str,
              body: bytes, *, content_length: int | None = None,
              extra: dict[str, str] | None = None) -> None:
        record.status = status
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(body) if content_length is None
                                                      else content_length))
            for key, value in (extra or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
        except OSError:  # the client gave up (stall test) - nothing to do
            pass
        handler.close_connection = True

    def _content(self, utility: str, record: RequestRecord,
                 fault: Fault | None) -> tuple[int, str, bytes]:
        xml = "text/xml; charset=UTF-8"
        eutils = self.data_dir / "eutils"
        if utility == "efetch":
            return self._efetch(record, fault)
        if utility == "esearch":
            if self.esearch_pmids is not None:
                return 200, xml, self._synthetic_esearch(record)
            return 200, xml, (eutils / self._esearch_file(record.param("term") or "")).read_bytes()
        if utility == "elink":
            return self._elink(record)
        if utility == "epost":
            return self._epost(record)
        if utility == "ecitmatch":
            return 200, "text/plain; charset=UTF-8", self._ecitmatch(record)
        if utility == "espell":
            return 200, xml, (eutils / "espell.xml").read_bytes()
        if utility == "einfo":
            return 200, xml, (eutils / "einfo1.xml").read_bytes()
        if utility == "esummary":
            return 200, xml, (eutils / "esummary1.xml").read_bytes()
        return 404, "text/plain; charset=UTF-8", b"Not Found\n"

    # -- efetch ----------------------------------------------------------------------
    def _efetch(self, record: RequestRecord, fault: Fault | None) -> tuple[int, str, bytes]:
        webenv, query_key = record.param("WebEnv"), record.param("query_key")
        if webenv and query_key:
            stored = self._history.get((webenv, query_key))
            if stored is None:
                # synthetic: shape of NCBI's error envelope for an unknown history entry
                body = ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eFetchResult>\n"
                        f"\t<ERROR>Unable to obtain query #{query_key}</ERROR>\n</eFetchResult>\n")
                return 400, "text/xml; charset=UTF-8", body.encode()
            start = int(record.param("retstart") or 0)
            count = int(record.param("retmax") or 20)
            ids = stored[start:start + count]
        else:
            ids = record.ids()
        if self.bad_ids.intersection(ids):
            # synthetic fault; the message is the one NCBI sends with a rejected id list
            body = ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<eFetchResult>\n"
                    "\t<ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>\n"
                    "</eFetchResult>\n")
            return 400, "text/xml; charset=UTF-8", body.encode()
        articles: list[str] = []
        if not (fault is not None and fault.kind == "error_in_body" and fault.drop_articles):
            for pmid in ids:
                if pmid in self.records:
                    articles.append(self.records.article(pmid))
                elif self.rekey and pmid.isdigit():
                    articles.append(self.records.rekeyed(pmid))
        parts = [_PUBMED_HEADER, "<PubmedArticleSet>\n"]
        for article in articles:
            parts.append(article)
            parts.append("\n")
        if fault is not None and fault.kind == "error_in_body":
            parts.append(f"<ERROR>{_escape(fault.message)}</ERROR>\n")
        if fault is not None and fault.kind == "forge":
            parts.append(fault.extra + "\n")
        parts.append("</PubmedArticleSet>\n")
        return 200, "text/xml; charset=UTF-8", "".join(parts).encode("utf-8")

    # -- esearch ---------------------------------------------------------------------
    @staticmethod
    def _esearch_file(term: str) -> str:
        lowered = term.lower()
        if "biopython" in lowered:
            return "esearch1.xml"
        if "cancer" in lowered:
            return "esearch2.xml"
        if "pnas" in lowered or "proc natl acad sci" in lowered:
            return "esearch3.xml"
        if "stem cell" in lowered:
            return "esearch5.xml"
        return "esearch8.xml"  # the recorded search with no hits (ErrorList/PhraseNotFound)

    def _synthetic_esearch(self, record: RequestRecord) -> bytes:
        """Synthetic esearch reply over ``esearch_pmids`` (real PMIDs), paged like NCBI's.

        ``(A[dp]:B[dp])`` ranges (``YYYY`` or ``YYYY/MM/DD``) in the term keep the PMIDs whose
        recorded publication date falls inside; PMIDs without a recorded date never match
        a range.
        """
        term = record.param("term") or ""
        hits = list(self.esearch_pmids or [])
        for low, high in re.findall(r"([\d/]+)\[dp\]\s*:\s*([\d/]+)\[dp\]", term):
            lo, hi = _date_bound(low, upper=False), _date_bound(high, upper=True)
            hits = [p for p in hits if (d := self.records.date(p)) is not None and lo <= d <= hi]
        start = int(record.param("retstart") or 0)
        count = int(record.param("retmax") or 20)
        page = hits[start:start + count]
        history = ""
        if (record.param("usehistory") or "").lower() == "y":
            history = ("<QueryKey>1</QueryKey><WebEnv>MCID_6927d6e7fee3e90f880ec190</WebEnv>")
        ids = "".join(f"<Id>{p}</Id>\n" for p in page)
        body = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
            f"<eSearchResult><Count>{len(hits)}</Count><RetMax>{len(page)}</RetMax>"
            f"<RetStart>{start}</RetStart>{history}<IdList>\n{ids}</IdList>"
            f"<TranslationSet/><QueryTranslation>{_escape(term)}</QueryTranslation>"
            "</eSearchResult>\n"
        )
        return body.encode("utf-8")

    # -- elink -----------------------------------------------------------------------
    def _elink(self, record: RequestRecord) -> tuple[int, str, bytes]:
        eutils = self.data_dir / "eutils"
        xml = "text/xml; charset=UTF-8"
        cmd = (record.param("cmd") or "neighbor").lower()
        ids = record.ids()
        if cmd == "ncheck":
            return 200, xml, (eutils / "elink8.xml").read_bytes()
        if cmd == "acheck":
            return 200, xml, (eutils / "elink7.xml").read_bytes()
        if cmd in ("prlinks", "llinks"):
            name = "elink6.xml" if "12085856" in ids else "elink5.xml"
            return 200, xml, (eutils / name).read_bytes()
        raw_ids = record.params.get("id", [])
        if len(raw_ids) == 1 and "," in raw_ids[0] and set(ids) == {"11812492", "11774222"}:
            return 200, xml, (eutils / "elink3.xml").read_bytes()  # ids mixed in one LinkSet
        linksets = []
        for pmid in ids:
            if pmid in self._linksets:
                linksets.append(self._linksets[pmid])
            else:
                # synthetic: the LinkSet NCBI sends for an id without links
                linksets.append(f"<LinkSet><DbFrom>pubmed</DbFrom><IdList><Id>{_escape(pmid)}</Id>"
                                "</IdList></LinkSet>")
        body = (
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<!DOCTYPE eLinkResult PUBLIC "-//NLM//DTD elink 20101123//EN" '
            '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20101123/elink.dtd">\n'
            "<eLinkResult>\n" + "\n".join(linksets) + "\n</eLinkResult>\n"
        )
        return 200, xml, body.encode("utf-8")

    # -- epost -----------------------------------------------------------------------
    def _epost(self, record: RequestRecord) -> tuple[int, str, bytes]:
        eutils = self.data_dir / "eutils"
        xml = "text/xml; charset=UTF-8"
        if (record.param("db") or "") != "pubmed":
            return 200, xml, (eutils / "epost2.xml").read_bytes()  # "Invalid db name specified"
        ids = [i for i in record.ids() if i.isdigit()]
        if not ids:
            return 200, xml, (eutils / "epost3.xml").read_bytes()  # "Empty ID list"
        recorded = (eutils / "epost1.xml").read_text(encoding="utf-8")
        webenv = re.search(r"<WebEnv>(.*?)</WebEnv>", recorded).group(1)  # type: ignore[union-attr]
        with self._lock:
            key = str(1 + sum(1 for env, _ in self._history if env == webenv))
            self._history[(webenv, key)] = ids
        if key == "1":
            return 200, xml, recorded.encode("utf-8")
        # synthetic: the recorded reply with the next query key of the same WebEnv
        return 200, xml, recorded.replace("<QueryKey>1</QueryKey>",
                                          f"<QueryKey>{key}</QueryKey>").encode("utf-8")

    # -- ecitmatch -------------------------------------------------------------------
    def _ecitmatch(self, record: RequestRecord) -> bytes:
        recorded = [line.split("|") for line in
                    (self.data_dir / "eutils" / "ecitmatch.txt").read_text("utf-8").splitlines()
                    if line.strip()]
        out = []
        for bdata in record.params.get("bdata", []):
            for line in re.split(r"[\r\n]+", bdata):
                if not line.strip():
                    continue
                fields = (line.split("|") + [""] * 6)[:6]
                wanted = [f.strip().lower() for f in fields[:5]]
                match = next((r for r in recorded
                              if [f.strip().lower() for f in r[:5]] == wanted), None)
                if match is not None:
                    # the recorded answer, echoing the caller's key as NCBI does
                    out.append("|".join(match[:5] + [fields[5], match[6]]))
                else:
                    out.append("|".join(fields + ["NOT_FOUND"]))  # synthetic no-match line
        return ("\n".join(out) + "\n").encode("utf-8")


def _date_bound(text: str, *, upper: bool) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split("/") if p]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else (12 if upper else 1)
    day = parts[2] if len(parts) > 2 else (31 if upper else 1)
    return (year, month, day)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- loopback helpers ------------------------------------------------------------------


def free_port() -> int:
    """A loopback port nothing listens on (free when asked; a test may bind it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port_url() -> str:
    """An E-utilities base URL on a loopback port nobody answers (connection refused)."""
    return f"http://127.0.0.1:{free_port()}{BASE_PATH}"


def served_ok(server: EutilsServer) -> Counter[str]:
    """How many times each PMID was delivered in a clean (status 200, no fault) efetch."""
    counts: Counter[str] = Counter()
    for request in server.requests("efetch"):
        if request.status == 200 and request.fault is None:
            counts.update(request.ids())
    return counts
