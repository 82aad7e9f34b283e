"""Checks of E-utilities replies, made before (or instead of) any parse.

* :func:`body_problem`: an empty body, an HTML page instead of data, text where XML is due;
* :func:`refuse_entity_declarations`: a reply that declares its own XML entities
  (``<!ENTITY``: an entity bomb or an external-entity probe; NCBI never sends one) is
  refused by a byte scan, before any parser (Biopython's expat, lxml) sees it;
* :func:`error_texts`: NCBI's ``<ERROR>`` texts from the raw bytes (also from a cut-off
  body) of the replies Bio.Entrez reads;
* :func:`check_efetch_reply`: an efetch reply, read once by
  :func:`ldn_graph.pubmed.parse.read_article_set` (records, PMIDs, ``<ERROR>`` texts),
  the PMIDs returned compared with those requested: only the records requested travel
  on (those not requested, and those whose PMID is not valid, are named and dropped);
* :func:`classify_http_error`: an HTTP error reply as a retryable :class:`Transient` or a
  final :class:`Rejected`, with a short safe detail (never an HTML page);
* :func:`redact`: ``api_key=…`` and other secrets out of anything shown.

:class:`Transient` and :class:`Rejected` are the client's internal signals: a reply check
raises them, the retry loop of :class:`~ldn_graph.pubmed.eutils.client.EntrezClient`
catches them.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.error
from collections.abc import Iterable
from email.utils import parsedate_to_datetime

from ldn_graph import settings
from ldn_graph.errors import FetchError
from ldn_graph.ids import is_pmid
from ldn_graph.pubmed.eutils.api import FetchedBatch
from ldn_graph.pubmed.parse import XMLParseError, invalid_pmid_note, read_article_set
from ldn_graph.text import one_line

__all__ = [
    "TRANSIENT_ERROR_RE",
    "Rejected",
    "Transient",
    "body_problem",
    "check_efetch_reply",
    "check_xml_reply",
    "classify_http_error",
    "error_texts",
    "redact",
    "refuse_entity_declarations",
    "unrequested_note",
]

#: How many ids (or invalid records) one note names before "and N more".
MAX_NAMED = 20

_API_KEY_RE = re.compile(r"(api_key=)[^&\s'\"<>]*", re.IGNORECASE)
# <ERROR> texts that announce a passing backend failure rather than a verdict on the ids:
# "Search Backend failed" (metapub #73), relayed 502 pages naming proxy_stream()/PubOne
# (pubmed-mcp-server #155).
TRANSIENT_ERROR_RE = re.compile(
    r"backend|proxy_stream|pubone|temporar|try again|timed? ?out|unavailable|"
    r"failed to connect|couldn't resolve|could not resolve",
    re.IGNORECASE,
)


class Transient(Exception):
    """A retryable failure; ``fallback`` is returned instead of failing once tries run out."""

    def __init__(self, reason: str, *, fallback: object = None, rate_limited: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fallback = fallback
        self.rate_limited = rate_limited
        self.retry_after = retry_after


class Rejected(Exception):
    """NCBI refused the request itself (HTTP 4xx other than 429): retrying will not help."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(f"HTTP {code}")
        self.code = code
        self.detail = detail


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with ``api_key=…`` values and each given secret replaced by ``***``."""
    out = _API_KEY_RE.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out


def body_problem(body: bytes, *, xml: bool = True) -> str | None:
    """Why ``body`` is not a usable reply (HTML page, empty…), or None."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "an empty reply"
    head = stripped[:1024].lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
        not head.startswith(b"<?xml") and b"<html" in head
    ):
        return "an HTML page instead of data"
    if xml and not stripped.startswith(b"<"):
        return "a reply that is not XML"
    return None


def refuse_entity_declarations(body: bytes, what: str) -> None:
    """Raise :class:`FetchError` when a reply declares XML entities (``<!ENTITY``).

    NCBI's replies name a public DTD and never carry an internal subset; one that declares
    entities is an entity bomb (expat needs seconds and hundreds of MB before its
    amplification limit stops it) or an external-entity probe. Not retried.
    """
    if b"<!ENTITY" in body:
        raise FetchError(
            f"the {what} reply declares its own XML entities (<!ENTITY ...>), which NCBI "
            f"never sends; it was refused unread. Check {settings.EUTILS_URL_ENV}: a proxy "
            "or mirror may be altering replies"
        )


def check_xml_reply(body: bytes, what: str) -> None:
    """The checks every XML reply passes before it is parsed: a usable body (else
    :class:`Transient`), and no entity declaration (else :class:`FetchError`)."""
    problem = body_problem(body)
    if problem:
        raise Transient(problem)
    refuse_entity_declarations(body, what)


def error_texts(body: bytes) -> list[str]:
    """``<ERROR>`` texts (markup stripped), also from a cut-off body."""
    out = []
    for match in re.finditer(rb"<ERROR>(.*?)(?:</ERROR>|$)", body[:65536], re.DOTALL):
        text = re.sub(r"<[^>]*>", " ", match.group(1).decode("utf-8", "replace"))
        text = one_line(text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"), 160)
        if text:
            out.append(text)
    return out


def _http_error_detail(body: bytes) -> str:
    """A short, safe description of an HTTP error body (never an HTML page)."""
    stripped = body.strip()
    if not stripped or body_problem(stripped) == "an HTML page instead of data":
        return ""
    if stripped.startswith(b"{"):
        with contextlib.suppress(ValueError, AttributeError):
            value = json.loads(stripped.decode("utf-8", "replace")).get("error")
            return one_line(str(value), 160) if value else ""
        return ""
    return "; ".join(error_texts(stripped))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def classify_http_error(exc: urllib.error.HTTPError, secrets: Iterable[str | None] = (),
                        ) -> Transient:
    """The :class:`Transient` for an HTTP error worth retrying (429, 5xx, 408, a relayed
    backend failure); raises :class:`Rejected` for the others. Reads (at most 64 KB of)
    the error body and closes it; ``secrets`` are redacted from the detail."""
    code = exc.code
    try:
        raw = exc.read(65536) or b""
    except Exception:  # a cut-off error body tells us nothing more
        raw = b""
    finally:
        with contextlib.suppress(Exception):
            exc.close()
    detail = redact(_http_error_detail(raw), secrets)
    headers = exc.headers
    retry_after = _retry_after(headers.get("Retry-After") if headers is not None else None)
    if code == 429:
        return Transient("HTTP 429 (rate limit exceeded)", rate_limited=True,
                         retry_after=retry_after)
    if code >= 500 or code == 408:
        kind = "NCBI unavailable" if code in (502, 503, 504) else "server error"
        return Transient(f"HTTP {code} ({kind})", retry_after=retry_after)
    if detail and TRANSIENT_ERROR_RE.search(detail):
        return Transient(f"HTTP {code}: {detail}")  # a relayed backend failure
    raise Rejected(code, detail) from None


def unrequested_note(pmids: Iterable[str]) -> str:
    """The note naming records a reply carried that were not asked for (never stored)."""
    return "returned but not requested, not stored: " + _named(pmids)


def _named(items: Iterable[str]) -> str:
    listed = list(dict.fromkeys(items))
    more = len(listed) - MAX_NAMED
    return ", ".join(listed[:MAX_NAMED]) + (f" and {more} more" if more > 0 else "")


def check_efetch_reply(body: bytes, requested: tuple[str, ...] | None,
                       secrets: Iterable[str | None] = ()) -> FetchedBatch:
    """Check one efetch reply and compare the PMIDs returned with those requested.

    The reply is read once, by :func:`~ldn_graph.pubmed.parse.read_article_set`, after
    the byte checks of :func:`check_xml_reply`; the records requested travel on in the
    batch. A record that was not requested (a forged or stray one: storing it would
    override the record of that PMID) or whose PMID is not valid is named in
    ``warnings`` and left out. ``requested`` None (history-server pages): the valid ids
    returned are taken as requested. Messages built from the reply's text are redacted
    of ``secrets``. Raises :class:`Transient` for a reply worth asking again.
    """
    check_xml_reply(body, "efetch")
    try:
        reply = read_article_set(body)
    except XMLParseError as exc:
        reason = redact(exc.reason, secrets)
        raise Transient(f"malformed or truncated XML ({one_line(reason, 80)})") from None
    messages = [m for m in (one_line(redact(text, secrets), 160) for text in reply.errors) if m]
    records = tuple(r for r in reply.records if is_pmid(r.study.pmid))
    invalid = [r.study.pmid for r in reply.records if not is_pmid(r.study.pmid)]
    if reply.root != "PubmedArticleSet":
        if not messages:
            raise Transient(f"an unexpected <{reply.root}> reply instead of <PubmedArticleSet>")
        returned: tuple[str, ...] = ()
        body, records, invalid = b"", (), []
    else:
        returned = tuple(dict.fromkeys(r.study.pmid for r in records))
    wanted = requested if requested is not None else returned
    wanted_set, returned_set = set(wanted), set(returned)
    not_returned = [p for p in wanted if p not in returned_set]
    extra = [p for p in returned if p not in wanted_set]
    errors: dict[str, str] = {}
    notes: list[str] = []
    if messages:
        message = "; ".join(messages)
        if not returned and TRANSIENT_ERROR_RE.search(message):
            fallback = FetchedBatch(tuple(wanted), b"", (), {p: f"NCBI reported: {message}"
                                                             for p in wanted})
            raise Transient(f"NCBI reported: {message}", fallback=fallback)
        named = [p for p in not_returned if re.search(rf"(?<!\d){p}(?!\d)", message)]
        for pmid in named or not_returned:
            errors[pmid] = f"NCBI reported: {message}"
        if not (named or not_returned):
            notes.append(f"NCBI reported: {message}")
    if extra:
        notes.append(unrequested_note(extra))
    notes.extend(invalid_pmid_note(redact(p, secrets), "a record NCBI returned")
                 for p in invalid[:MAX_NAMED])
    if len(invalid) > MAX_NAMED:
        notes.append(f"and {len(invalid) - MAX_NAMED} more records whose PMID is not valid "
                     "(skipped)")
    missing = tuple(p for p in not_returned if p not in errors)
    return FetchedBatch(
        requested=tuple(wanted),
        xml=body,
        missing=missing,
        errors=errors,
        returned=tuple(p for p in returned if p in wanted_set),
        warnings=tuple(notes),
        records=tuple(r for r in records if r.study.pmid in wanted_set),
    )
