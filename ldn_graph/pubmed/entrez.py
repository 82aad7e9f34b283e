"""NCBI E-utilities client: the only module of ldn-graph that imports ``Bio.Entrez``.

Every request (efetch, esearch, elink, epost, ecitmatch) goes through ``Bio.Entrez``;
this module adds what Biopython (1.85-1.88) leaves out:

* **Routing.** Bio.Entrez hard-codes ``https://eutils.ncbi.nlm.nih.gov/entrez/eutils/`` and
  calls ``urllib.request.urlopen`` with no timeout. While one of our calls runs,
  ``Bio.Entrez.urlopen`` and ``Bio.Entrez.Parser.urlopen`` are swapped for a dispatcher
  (reference-counted, restored when the last call ends). Inside our calls the dispatcher
  opens the request with our own ``OpenerDirector`` whose first handler
  (:class:`EutilsRedirectHandler`) rewrites the NCBI URL to the configured base
  (``LDN_GRAPH_EUTILS_URL``: a mirror, a proxy, or the loopback stand-in in tests) and sets
  a per-request timeout; anywhere else (another thread, another library) it is plain
  ``urllib.request.urlopen``. We do not ``install_opener()``: that would redirect and time
  out every urllib user of the process. DTD downloads asked for by Bio.Entrez's parser
  during our calls (the request and the parse of its reply) are refused; ``Entrez.local_cache`` points at a directory under our
  state directory (set before ``Bio.Entrez.Parser`` is imported), so an unwritable HOME
  does not matter and a missing DTD can be dropped there by hand. Files there that
  cannot be schemas (an HTML error page or an empty file saved by an earlier Biopython
  run) are deleted whenever a client is created; :func:`clear_schema_cache` empties it.
* **Retries.** Bio.Entrez retries 429/5xx instantly and not at all on timeouts or cut
  transfers, so it runs with ``max_tries = 1`` and :class:`EntrezClient` retries with
  exponential backoff and jitter (honouring ``Retry-After``) on 429, 5xx, timeouts,
  network errors, cut transfers, HTML or empty 200 replies and malformed XML. A refused
  connection fails fast with :class:`~ldn_graph.errors.OfflineError`.
* **Rate limit shared across processes.** At most 3 requests/s (10 with an API key),
  counted across every ldn-graph process of the machine through a small file under the
  state directory, updated under an OS file lock. Biopython's own per-process pause is
  superseded by it.
* **Validation.** efetch replies are parsed with lxml (no DTD, no network, no entity
  expansion), must be a ``PubmedArticleSet``; ``<ERROR>`` elements and PMIDs requested but
  not returned are reported per id, never dropped silently. An HTTP 400 for a batch is
  narrowed down by halving the batch. A reply that declares its own XML entities
  (``<!ENTITY``: an entity bomb or an external-entity probe; NCBI never sends one) is
  refused unread, before Biopython's expat parser or lxml sees it.
* **Secrets.** The API key is sent to NCBI and nowhere else: it never appears in messages,
  exceptions or log records (``api_key=…`` is redacted wherever a URL-like text is shown;
  the ``url``/``filename`` of urllib's ``HTTPError``, which Biopython fills with the
  request URL, is redacted before the error goes anywhere).

Environment (read through :mod:`ldn_graph.settings`): ``LDN_GRAPH_EUTILS_URL``
(E-utilities base URL, must end in ``/entrez/eutils/``), ``NCBI_EMAIL``, ``NCBI_API_KEY``,
``LDN_GRAPH_STATE`` (directory for the rate-limit file and Biopython's DTD cache; default:
the cache folder, ``LDN_GRAPH_CACHE`` else the user cache directory).
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import io
import json
import logging
import math
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar

from Bio import Entrez
from lxml import etree

from ldn_graph import settings
from ldn_graph.errors import (
    FetchError,
    InputError,
    LdnGraphError,
    OfflineError,
    RateLimitError,
)
from ldn_graph.ids import is_pmid
from ldn_graph.text import one_line

__all__ = [
    "DEFAULT_BASE_URL",
    "EntrezClient",
    "EutilsRedirectHandler",
    "FetchedBatch",
    "HistoryKey",
    "SearchResult",
    "clear_schema_cache",
    "redact",
    "resolve_base_url",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
NCBI_BASE_URL = DEFAULT_BASE_URL  # what Bio.Entrez has hard-coded

RATE_FILE_NAME = "eutils-rate.lock"
# Space requests 15% wider than 1/rate (0.38 s at 3/s; Biopython uses 0.37 s), so that
# network jitter cannot squeeze rate+1 requests into one second at NCBI's end.
_RATE_MARGIN = 1.15

_API_KEY_RE = re.compile(r"(api_key=)[^&\s'\"<>]*", re.IGNORECASE)
# <ERROR> texts that announce a passing backend failure rather than a verdict on the ids:
# "Search Backend failed" (metapub #73), relayed 502 pages naming proxy_stream()/PubOne
# (pubmed-mcp-server #155).
_TRANSIENT_ERROR_RE = re.compile(
    r"backend|proxy_stream|pubone|temporar|try again|timed? ?out|unavailable|"
    r"failed to connect|couldn't resolve|could not resolve",
    re.IGNORECASE,
)
_DTD_FAILURE_RE = re.compile(r"Failed to access (\S+)")

T = TypeVar("T")


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class FetchedBatch:
    """The answer to one efetch request.

    ``requested`` ids = ``returned`` + ``missing`` + ``errors`` keys (disjoint).
    ``missing``: NCBI answered cleanly without these records (unknown or deleted PMIDs).
    ``errors``: id → why it could not be fetched (NCBI ``<ERROR>``, HTTP 400, not a PMID).
    ``xml``: the reply body, checked well-formed with root ``PubmedArticleSet``; ``b""`` when
    nothing came back for this batch (skip it). It may hold ``<ERROR>`` elements, which
    are already reported in ``errors``/``warnings``.
    """

    requested: tuple[str, ...]
    xml: bytes
    missing: tuple[str, ...]
    errors: dict[str, str]
    returned: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """An esearch over PubMed: ``count`` hits in total, ``pmids`` those retrieved."""

    count: int
    pmids: tuple[str, ...]
    query_translation: str
    warnings: tuple[str, ...] = ()
    webenv: str | None = None
    query_key: str | None = None


@dataclass(frozen=True)
class HistoryKey:
    """A set of ids stored on NCBI's history server by epost."""

    webenv: str
    query_key: str
    warnings: tuple[str, ...] = ()


# ------------------------------------------------------------------ internal signals
class _Transient(Exception):
    """A retryable failure; ``fallback`` is returned instead of failing once tries run out."""

    def __init__(self, reason: str, *, fallback: Any = None, rate_limited: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fallback = fallback
        self.rate_limited = rate_limited
        self.retry_after = retry_after


class _Rejected(Exception):
    """NCBI refused the request itself (HTTP 4xx other than 429): retrying will not help."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(f"HTTP {code}")
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------- helpers
def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with ``api_key=…`` values and each given secret replaced by ``***``."""
    out = _API_KEY_RE.sub(r"\1***", text)
    for secret in secrets:
        if secret:
            out = out.replace(secret, "***")
    return out


def resolve_base_url(value: str | None = None) -> str:
    """The E-utilities base URL: ``value``, else ``$LDN_GRAPH_EUTILS_URL``, else NCBI's.

    It must be an http(s) URL whose path ends in ``/entrez/eutils``; a trailing slash is
    added. Raises :class:`~ldn_graph.errors.InputError` otherwise.
    """
    raw = value if value is not None else settings.eutils_url() or DEFAULT_BASE_URL
    raw = raw.strip()
    parts = urllib.parse.urlsplit(raw)
    path = parts.path.rstrip("/")
    if parts.scheme not in ("http", "https") or not parts.netloc or not path.endswith(
        "/entrez/eutils"
    ) or parts.query or parts.fragment:
        shown = redact(one_line(raw, 100))
        raise InputError(
            f"{settings.EUTILS_URL_ENV} must be an http(s) URL ending in /entrez/eutils/ "
            f"(e.g. {DEFAULT_BASE_URL}), got {shown!r}"
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path + "/", "", ""))


def _describe_host(base_url: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def _is_loopback(base_url: str) -> bool:
    host = urllib.parse.urlsplit(base_url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


# ------------------------------------------------------------------- Biopython setup
_bio_lock = threading.Lock()
_bio_cache_dir: Path | None = None


def _prepare_biopython(state_dir: Path) -> Path:
    """Point Biopython's DTD/XSD cache at a directory we control (once per process).

    Must run before ``Bio.Entrez.Parser`` is imported: importing it creates the cache
    directory, by default under ``~/.config``.
    """
    global _bio_cache_dir
    with _bio_lock:
        if _bio_cache_dir is not None:
            return _bio_cache_dir
        target = state_dir / "biopython"
        try:
            (target / "Bio" / "Entrez" / "DTDs").mkdir(parents=True, exist_ok=True)
            (target / "Bio" / "Entrez" / "XSDs").mkdir(parents=True, exist_ok=True)
        except OSError:
            target = Path(tempfile.mkdtemp(prefix="ldn-graph-biopython-"))
        imported_before = "Bio.Entrez.Parser" in sys.modules
        setattr(Entrez, "local_cache", str(target))  # noqa: B010 - typed None upstream
        from Bio.Entrez import Parser  # creates its cache folders under `target`

        if imported_before:  # imported earlier by someone else: move its cache too
            with contextlib.suppress(OSError):
                Parser.DataHandler.directory = str(target)
        _bio_cache_dir = target
        return target


def _schema_dirs(root: Path) -> list[Path]:
    return [root / "Bio" / "Entrez" / "DTDs", root / "Bio" / "Entrez" / "XSDs"]


def _schema_problem(head: bytes) -> str | None:
    """Why the start of a cached DTD/XSD file shows it is not one (HTML, empty), or None."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "an empty file"
    low = stripped.lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low or b"<body" in low:
        return "an HTML page"
    if not stripped.startswith(b"<"):
        return "not XML"
    return None


def _drop_unusable_schemas(root: Path) -> list[str]:
    """Delete files of our Biopython DTD/XSD cache that cannot be schemas.

    Biopython saves whatever a DTD download returns (an HTML error page included) and
    then prefers that file over the DTDs it ships, failing every later parse with a
    misleading ``NotXMLError`` (RELIABILITY.md item 13). Returns the names removed.
    """
    removed: list[str] = []
    for folder in _schema_dirs(root):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            try:
                if not path.is_file():
                    continue
                with open(path, "rb") as handle:
                    problem = _schema_problem(handle.read(2048))
                if problem is None:
                    continue
                path.unlink()
            except OSError:
                continue
            removed.append(path.name)
            logger.warning("removed %s from Biopython's schema cache %s: it is %s, not a "
                           "DTD/XSD", path.name, folder, problem)
    return removed


def clear_schema_cache(state_dir: Path | str | None = None) -> int:
    """Delete every DTD/XSD file of ldn-graph's Biopython schema cache; returns how many.

    The cache lives under ``<state dir>/biopython`` (:func:`ldn_graph.settings.state_dir`:
    ``$LDN_GRAPH_STATE``, else the record cache folder). Biopython falls back to the DTDs
    it ships; ldn-graph never downloads.
    """
    root = _prepare_biopython(Path(state_dir) if state_dir is not None else settings.state_dir())
    count = 0
    for folder in _schema_dirs(root):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            with contextlib.suppress(OSError):
                if path.is_file():
                    path.unlink()
                    count += 1
    return count


class EutilsRedirectHandler(urllib.request.BaseHandler):
    """urllib pre-processor: NCBI E-utilities URL → configured base, plus a timeout.

    ``handler_order`` 100 runs it before urllib's own HTTP pre-processing, so the Host
    header and the scheme (https → http for a loopback stand-in) follow the new URL.
    """

    handler_order = 100

    def __init__(self, base_url: str, timeout: float) -> None:
        self.base_url = base_url
        self.timeout = timeout

    def _rewrite(self, request: urllib.request.Request) -> urllib.request.Request:
        url = request.full_url
        if url.startswith(NCBI_BASE_URL) and self.base_url != NCBI_BASE_URL:
            request.full_url = self.base_url + url[len(NCBI_BASE_URL):]
        request.timeout = self.timeout
        return request

    http_request = _rewrite
    https_request = _rewrite


_route = threading.local()
_patch_lock = threading.Lock()
_patch_depth = 0
_saved: dict[str, Any] = {}


def _dispatch_urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
    opener = getattr(_route, "opener", None)
    if opener is None:
        return urllib.request.urlopen(url, *args, **kwargs)
    return opener.open(url)


def _refuse_download(url: Any, *args: Any, **kwargs: Any) -> Any:
    if getattr(_route, "opener", None) is None:
        return urllib.request.urlopen(url, *args, **kwargs)
    raise OSError("ldn-graph does not download DTDs or schemas")


# An opener with no handlers: routes nothing anywhere. Installed while Biopython parses a
# reply, so that its DTD/XSD downloads are refused (see _refuse_download).
_NO_NETWORK = urllib.request.OpenerDirector()


@contextlib.contextmanager
def _routed(opener: urllib.request.OpenerDirector) -> Iterator[None]:
    """Route this thread's Bio.Entrez traffic through ``opener`` for the duration."""
    global _patch_depth
    from Bio.Entrez import Parser  # after _prepare_biopython()

    with _patch_lock:
        if _patch_depth == 0:
            _saved.update(entrez_urlopen=Entrez.urlopen, parser_urlopen=Parser.urlopen,
                          max_tries=Entrez.max_tries)
            Entrez.urlopen = _dispatch_urlopen
            Parser.urlopen = _refuse_download
            Entrez.max_tries = 1  # our loop retries, with backoff
        _patch_depth += 1
    previous = getattr(_route, "opener", None)
    _route.opener = opener
    try:
        yield
    finally:
        _route.opener = previous
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                Entrez.urlopen = _saved["entrez_urlopen"]
                Parser.urlopen = _saved["parser_urlopen"]
                Entrez.max_tries = _saved["max_tries"]


# ---------------------------------------------------------------------- rate limiter
class SharedRateLimiter:
    """Spaces requests ``interval`` seconds apart across all processes sharing ``path``.

    The file holds the next free send time (``time.time()`` seconds); each request reserves
    a slot under an exclusive OS lock (``fcntl.flock``, ``msvcrt.locking`` on Windows). If
    the file cannot be used the limiter falls back to this process only, with a warning.
    """

    def __init__(self, interval: float, path: Path | None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.path = path
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def acquire(self) -> None:
        """Block until this process may send its next request."""
        wait = self._reserve(None) - time.time()
        if wait > 0:
            self._sleep(wait)

    def defer(self, seconds: float) -> None:
        """Keep every process quiet for ``seconds`` (after a 429 with ``Retry-After``)."""
        self._reserve(seconds)

    def _plan(self, now: float, stored: float, defer: float | None) -> tuple[float, float]:
        """(send time of this request, next free send time)."""
        if defer is not None:
            return now, max(stored, now + defer)
        slot = max(now, stored)
        return slot, slot + self.interval

    def _reserve(self, defer: float | None) -> float:
        with self._lock:
            now = time.time()
            if self.path is not None:
                try:
                    return self._reserve_in_file(now, defer)
                except OSError as exc:
                    logger.warning(
                        "cannot share the NCBI request rate with other processes (%s); "
                        "limiting this process only",
                        one_line(f"{type(exc).__name__}: {exc.strerror or exc}", 160),
                    )
                    self.path = None
            slot, self._next = self._plan(now, self._next, defer)
            return slot

    def _reserve_in_file(self, now: float, defer: float | None) -> float:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_file(fd)
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                raw = os.read(fd, 64).decode("ascii", "replace").strip()
                try:
                    stored = float(raw) if raw else 0.0
                except ValueError:
                    stored = 0.0
                if not math.isfinite(stored) or stored > now + 3600:
                    stored = 0.0  # corrupted file or a clock jump
                slot, following = self._plan(now, stored, defer)
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, f"{following:.6f}\n".encode("ascii"))
            finally:
                _unlock_file(fd)
        finally:
            os.close(fd)
        return slot


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)

    def _unlock_file(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# ------------------------------------------------------------------- reply checks
def _safe_xml_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False)


def _body_problem(body: bytes, *, xml: bool = True) -> str | None:
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


def _refuse_entity_declarations(body: bytes, what: str) -> None:
    """Raise :class:`FetchError` when a reply declares XML entities (``<!ENTITY``).

    NCBI's replies name a public DTD and never carry an internal subset; one that declares
    entities is an entity bomb (expat needs seconds and hundreds of MB before its
    amplification limit stops it) or an external-entity probe. Not retried.
    """
    if b"<!ENTITY" in body:
        raise FetchError(
            f"the {what} reply declares its own XML entities (<!ENTITY ...>), which NCBI "
            f"never sends; it was refused unread. Check {settings.EUTILS_URL_ENV}: a proxy or mirror "
            "may be altering replies"
        )


def _error_texts(body: bytes) -> list[str]:
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
    if not stripped or _body_problem(stripped) == "an HTML page instead of data":
        return ""
    if stripped.startswith(b"{"):
        with contextlib.suppress(ValueError, AttributeError):
            value = json.loads(stripped.decode("utf-8", "replace")).get("error")
            return one_line(str(value), 160) if value else ""
        return ""
    return "; ".join(_error_texts(stripped))


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


def _offline_reason(exc: BaseException) -> str | None:
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name could not be resolved"
    if isinstance(reason, OSError) and reason.errno in (
        errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN
    ):
        return "network unreachable"
    return None


def _read_with_biopython(body: bytes, what: str) -> Any:
    """``Entrez.read`` of an XML reply (esearch/elink/epost: DTDs shipped with Biopython).

    ``ignore_errors=True`` keeps ``<ERROR>`` elements as values; callers inspect them.
    """
    from Bio.Entrez.Parser import CorruptedXMLError, NotXMLError, ValidationError

    problem = _body_problem(body)
    if problem:
        raise _Transient(problem)
    _refuse_entity_declarations(body, what)
    try:
        # parsing runs after the request's routing has ended: keep DTD downloads refused
        with _routed(_NO_NETWORK):
            try:
                return Entrez.read(io.BytesIO(body), validate=True, ignore_errors=True)
            except ValidationError as exc:
                # A tag newer than Biopython's DTD: keep what it knows, say so in the log.
                logger.debug("%s reply has an element unknown to Biopython: %s", what, exc)
                return Entrez.read(io.BytesIO(body), validate=False, ignore_errors=True)
    except (CorruptedXMLError, NotXMLError) as exc:
        raise _Transient(f"malformed or truncated XML ({one_line(str(exc), 80)})") from None
    except RuntimeError as exc:
        found = _DTD_FAILURE_RE.search(str(exc))
        if found:
            name = found.group(1)
            folder = Path(Entrez.local_cache or ".") / "Bio" / "Entrez" / "DTDs"
            raise FetchError(
                f"NCBI's {what} reply uses {name}, a DTD this Biopython does not ship; "
                f"upgrade biopython or put {name} into {folder}"
            ) from None
        raise _Transient(f"unreadable reply ({one_line(str(exc), 80)})") from None


def _check_article_set(body: bytes, requested: tuple[str, ...] | None) -> FetchedBatch:
    """Validate one efetch reply and compare the PMIDs returned with those requested.

    ``requested`` None (history-server pages): the ids returned are taken as requested.
    """
    problem = _body_problem(body)
    if problem:
        raise _Transient(problem)
    _refuse_entity_declarations(body, "efetch")
    try:
        root = etree.fromstring(body, parser=_safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise _Transient(f"malformed or truncated XML ({one_line(str(exc), 80)})") from None
    messages = [one_line("".join(e.itertext()), 160)
                for e in root.iter("ERROR")]
    messages = [m for m in messages if m]
    if root.tag != "PubmedArticleSet":
        if not messages:
            raise _Transient(f"an unexpected <{root.tag}> reply instead of <PubmedArticleSet>")
        returned: list[str] = []
        body = b""
    else:
        returned = []
        for child in root:
            if child.tag == "PubmedArticle":
                pmid = child.findtext("MedlineCitation/PMID")
            elif child.tag == "PubmedBookArticle":
                pmid = child.findtext("BookDocument/PMID")
            else:
                continue
            if pmid and pmid.strip() and pmid.strip() not in returned:
                returned.append(pmid.strip())
    wanted = requested if requested is not None else tuple(returned)
    wanted_set, returned_set = set(wanted), set(returned)
    not_returned = [p for p in wanted if p not in returned_set]
    extra = [p for p in returned if p not in wanted_set]
    errors: dict[str, str] = {}
    notes: list[str] = []
    if messages:
        message = "; ".join(messages)
        if not returned and _TRANSIENT_ERROR_RE.search(message):
            fallback = FetchedBatch(tuple(wanted), b"", (), {p: f"NCBI reported: {message}"
                                                             for p in wanted})
            raise _Transient(f"NCBI reported: {message}", fallback=fallback)
        named = [p for p in not_returned if re.search(rf"(?<!\d){p}(?!\d)", message)]
        for pmid in named or not_returned:
            errors[pmid] = f"NCBI reported: {message}"
        if not (named or not_returned):
            notes.append(f"NCBI reported: {message}")
    if extra:
        notes.append("NCBI returned records that were not requested: " + ", ".join(extra))
    missing = tuple(p for p in not_returned if p not in errors)
    return FetchedBatch(
        requested=tuple(wanted),
        xml=body,
        missing=missing,
        errors=errors,
        returned=tuple(p for p in returned if p in wanted_set),
        warnings=tuple(notes),
    )


def _chunks(items: Sequence[str], size: int) -> Iterator[tuple[str, ...]]:
    for start in range(0, len(items), size):
        yield tuple(items[start:start + size])


def _clean_field(value: object) -> str:
    """A citation field safe for ecitmatch's ``|``-separated, CR-delimited bdata."""
    return one_line(str(value if value is not None else "").replace("|", " "))


# --------------------------------------------------------------------------- client
class EntrezClient:
    """PubMed over NCBI E-utilities (through Bio.Entrez) with retries, limits and checks.

    ``email``/``api_key`` default to ``$NCBI_EMAIL``/``$NCBI_API_KEY``; ``base_url`` to
    ``$LDN_GRAPH_EUTILS_URL`` (else NCBI). ``timeout`` is per request (seconds);
    ``max_tries`` counts every attempt; ``backoff`` scales the retry delays (first retry
    after ~``backoff`` s, doubling, capped at ``max_backoff``); ``rate`` overrides NCBI's
    3 (10 with a key) requests/s. ``sleep`` is called for every wait (tests pass a
    recorder). ``state_dir`` holds the shared rate-limit file and Biopython's DTD cache.

    ``request_count`` counts HTTP attempts made by this client; ``last_errors`` maps ids
    (PMIDs, citation keys) to what went wrong for them in the latest call.
    """

    def __init__(
        self,
        email: str | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_tries: int = 5,
        backoff: float = 1.0,
        batch_size: int = 200,
        tool: str = "ldn-graph",
        rate: float | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        state_dir: Path | str | None = None,
        max_backoff: float = 60.0,
        history_threshold: int = 5000,
        search_window: int = 9999,
        search_page_size: int = 5000,
        link_batch_size: int = 100,
    ) -> None:
        if max_tries < 1 or batch_size < 1 or timeout <= 0:
            raise ValueError("max_tries and batch_size must be >= 1 and timeout > 0")
        self.email = email if email is not None else settings.ncbi_email()
        self._api_key = api_key if api_key is not None else settings.ncbi_api_key()
        self.base_url = resolve_base_url(base_url)
        self.timeout = float(timeout)
        self.max_tries = int(max_tries)
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.batch_size = int(batch_size)
        self.tool = tool
        self.history_threshold = int(history_threshold)
        self.search_window = int(search_window)
        self.search_page_size = max(1, min(int(search_page_size), self.search_window))
        self.link_batch_size = max(1, int(link_batch_size))
        self._sleep = sleep
        self.request_count = 0
        self.last_errors: dict[str, str] = {}
        self.offline = False
        self._count_lock = threading.Lock()

        self.state_dir = Path(state_dir) if state_dir is not None else settings.state_dir()
        self.schema_dir = _prepare_biopython(self.state_dir)
        _drop_unusable_schemas(self.schema_dir)
        self.rate = float(rate) if rate else (10.0 if self._api_key else 3.0)
        self._limiter = SharedRateLimiter(_RATE_MARGIN / self.rate,
                                          self.state_dir / RATE_FILE_NAME, sleep)
        handlers: list[urllib.request.BaseHandler] = [
            EutilsRedirectHandler(self.base_url, self.timeout)
        ]
        if _is_loopback(self.base_url):
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)
        if not self.email:
            logger.info("%s is not set; NCBI asks for a contact address with E-utilities "
                        "requests", settings.EMAIL_ENV)

    def __repr__(self) -> str:  # never shows the key
        key = "set" if self._api_key else "none"
        return (f"EntrezClient(base_url={self.base_url!r}, api_key={key}, "
                f"rate={self.rate}/s, batch_size={self.batch_size})")

    # ------------------------------------------------------------------ transport
    def _params(self, params: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(params)
        out["tool"] = self.tool
        out["email"] = self.email
        out["api_key"] = self._api_key
        return out

    def _redact(self, text: str) -> str:
        return redact(text, (self._api_key,))

    def _call(self, utility: str, func: Callable[..., Any], check: Callable[[bytes], T],
              /, **params: Any) -> T:
        """One E-utility request, retried; returns ``check(body)``.

        ``check`` raises :class:`_Transient` for a reply worth retrying.
        """
        if self.offline:
            raise OfflineError(self._offline_message("no connection earlier in this run"))
        failures = 0
        refused = 0
        last: _Transient | None = None
        while True:
            self._limiter.acquire()
            with self._count_lock:
                self.request_count += 1
            try:
                body = self._send(func, params)
                return check(body)
            except _Transient as exc:
                last = exc
            except urllib.error.HTTPError as exc:
                self._scrub(exc)
                last = self._classify_http_error(exc)
            except (urllib.error.URLError, OSError) as exc:
                self._scrub(exc)
                reason = _offline_reason(exc)
                if reason is not None:
                    refused += 1
                    if refused >= 2:
                        self.offline = True
                        raise OfflineError(self._offline_message(reason)) from None
                    logger.info("NCBI %s: %s, retrying once", utility, reason)
                    self._sleep(min(0.2, self.backoff))
                    continue
                last = _Transient(self._describe_network_error(exc))
            except http.client.HTTPException as exc:
                last = _Transient(self._describe_network_error(exc))
            except (LdnGraphError, _Rejected):
                raise
            except Exception as exc:  # e.g. a Bio.Entrez error: report it without any URL
                raise FetchError(
                    f"NCBI E-utilities {utility} failed: {type(exc).__name__}: "
                    f"{self._redact(one_line(str(exc), 120))}"
                ) from None
            failures += 1
            if last.rate_limited and last.retry_after:
                self._limiter.defer(min(last.retry_after, self.max_backoff))
            if failures >= self.max_tries:
                return self._give_up(utility, failures, last)
            delay = self._delay(failures, last.retry_after)
            logger.info("NCBI %s: %s; retry %d of %d in %.1f s", utility,
                        self._redact(last.reason), failures, self.max_tries - 1, delay)
            self._sleep(delay)

    def _send(self, func: Callable[..., Any], params: Mapping[str, Any]) -> bytes:
        with _routed(self._opener), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Email address is not specified",
                                    category=UserWarning)
            if hasattr(Entrez._open, "previous"):
                # Biopython's per-process pause: our shared limiter already spaced this request
                setattr(Entrez._open, "previous", 0)  # noqa: B010
            handle = func(**self._params(params))
            try:
                body = handle.read()
            finally:
                handle.close()
        return body.encode("utf-8") if isinstance(body, str) else bytes(body)

    def _scrub(self, exc: BaseException) -> None:
        """Redact the request URL urllib keeps on the error (``HTTPError.url`` and
        ``.filename`` hold ``api_key=`` for GET requests); the error stays reachable as
        ``__context__`` of what we raise, so it must not carry the key."""
        holders: list[object] = [exc]
        holders.extend(h for h in (getattr(exc, "fp", None), getattr(exc, "file", None))
                       if h is not None)
        for holder in holders:  # the error and the HTTP response it wraps
            for name in ("url", "filename"):
                value = getattr(holder, name, None)
                if isinstance(value, str) and value != self._redact(value):
                    with contextlib.suppress(AttributeError, TypeError):
                        setattr(holder, name, self._redact(value))

    def _classify_http_error(self, exc: urllib.error.HTTPError) -> _Transient:
        code = exc.code
        try:
            raw = exc.read(65536) or b""
        except Exception:  # a cut-off error body tells us nothing more
            raw = b""
        finally:
            with contextlib.suppress(Exception):
                exc.close()
        detail = self._redact(_http_error_detail(raw))
        headers = exc.headers
        retry_after = _retry_after(headers.get("Retry-After") if headers is not None else None)
        if code == 429:
            return _Transient("HTTP 429 (rate limit exceeded)", rate_limited=True,
                              retry_after=retry_after)
        if code >= 500 or code == 408:
            return _Transient(f"HTTP {code} ({'NCBI unavailable' if code in (502, 503, 504) else 'server error'})",
                              retry_after=retry_after)
        if detail and _TRANSIENT_ERROR_RE.search(detail):
            return _Transient(f"HTTP {code}: {detail}")  # a relayed backend failure
        raise _Rejected(code, detail) from None

    @staticmethod
    def _describe_network_error(exc: BaseException) -> str:
        reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, TimeoutError):
            return "no reply within the timeout"
        if isinstance(reason, http.client.IncompleteRead):
            return "the reply was cut short (incomplete read)"
        if isinstance(reason, http.client.RemoteDisconnected):
            return "the server closed the connection without a reply"
        if isinstance(reason, ConnectionResetError):
            return "the connection was reset"
        return f"network error ({type(reason).__name__})"

    def _delay(self, failures: int, retry_after: float | None) -> float:
        base = min(self.max_backoff, self.backoff * 2 ** (failures - 1))
        delay = base / 2 + random.uniform(0, base / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff))
        return delay

    def _give_up(self, utility: str, tries: int, last: _Transient) -> Any:
        if last.fallback is not None:
            return last.fallback
        reason = self._redact(last.reason)
        if last.rate_limited:
            raise RateLimitError(
                f"NCBI kept answering {utility} with HTTP 429 (rate limit exceeded) after "
                f"{tries} tries; wait a minute, set {settings.API_KEY_ENV} for 10 requests/s, "
                "or run fewer ldn-graph processes at once"
            )
        raise FetchError(
            f"NCBI E-utilities {utility} failed after {tries} tries: {reason}; "
            f"try again later (service at {_describe_host(self.base_url)})"
        )

    def _offline_message(self, reason: str) -> str:
        return (
            f"cannot reach NCBI E-utilities at {_describe_host(self.base_url)} ({reason}); "
            f"check the network or {settings.EUTILS_URL_ENV}, or work from cached records"
        )

    def _rejected(self, utility: str, exc: _Rejected) -> FetchError:
        detail = f": {exc.detail}" if exc.detail else ""
        hint = f"check {settings.EUTILS_URL_ENV}" if exc.code == 404 else "check the request"
        if exc.code in (401, 403):
            hint = f"check {settings.API_KEY_ENV}"
        return FetchError(f"NCBI E-utilities rejected {utility} with HTTP {exc.code}"
                          f"{self._redact(detail)}; {hint}")

    # ------------------------------------------------------------------- efetch
    def fetch_pubmed_xml(self, pmids: Iterable[str]) -> Iterator[FetchedBatch]:
        """Fetch PubMed XML for ``pmids`` in batches of ``batch_size`` (lazy generator).

        Lists longer than ``history_threshold`` go through epost and the history server.
        Each :class:`FetchedBatch` reports its returned, missing and failed ids; ids that
        are not PMIDs are reported as errors without being sent. Raises
        :class:`~ldn_graph.errors.FetchError` (or a subclass) when NCBI stays unreachable;
        batches already yielded stay valid.
        """
        self.last_errors = {}
        wanted: list[str] = []
        invalid: dict[str, str] = {}
        seen: set[str] = set()
        for raw in pmids:
            pmid = str(raw).strip()
            if pmid in seen:
                continue
            seen.add(pmid)
            if is_pmid(pmid):
                wanted.append(pmid)
            else:
                invalid[pmid] = "not a PMID (expected 1 to 9 digits without a leading zero)"
        if invalid:
            self.last_errors.update(invalid)
            yield FetchedBatch(tuple(invalid), b"", (), dict(invalid))
        if len(wanted) > self.history_threshold:
            batches = self._fetch_with_history(wanted)
        else:
            batches = self._fetch_by_id(wanted)
        for batch in batches:
            self.last_errors.update(batch.errors)
            self.last_errors.update({p: "not found in PubMed" for p in batch.missing})
            yield batch

    def _fetch_by_id(self, pmids: Sequence[str]) -> Iterator[FetchedBatch]:
        for batch in _chunks(pmids, self.batch_size):
            yield from self._fetch_batch(batch)

    def _fetch_batch(self, batch: tuple[str, ...]) -> Iterator[FetchedBatch]:
        def check(body: bytes) -> FetchedBatch:
            return _check_article_set(body, batch)

        try:
            result = self._call("efetch", Entrez.efetch, check, db="pubmed",
                                id=",".join(batch), retmode="xml")
        except _Rejected as exc:
            if exc.code not in (400, 414):
                raise self._rejected("efetch", exc) from None
            if len(batch) == 1:
                detail = f": {exc.detail}" if exc.detail else ""
                reason = f"NCBI rejected this id (HTTP {exc.code}{self._redact(detail)})"
                yield FetchedBatch(batch, b"", (), {batch[0]: reason})
                return
            half = len(batch) // 2
            logger.info("NCBI efetch answered HTTP %d for %d ids; splitting the batch",
                        exc.code, len(batch))
            yield from self._fetch_batch(batch[:half])
            yield from self._fetch_batch(batch[half:])
            return
        if result.warnings:
            for note in result.warnings:
                logger.warning("NCBI efetch: %s", self._redact(note))
        yield result

    def _fetch_with_history(self, pmids: Sequence[str]) -> Iterator[FetchedBatch]:
        webenv: str | None = None
        for chunk in _chunks(pmids, max(self.history_threshold, self.batch_size)):
            key = self.epost(chunk, webenv=webenv)
            webenv = key.webenv
            chunk_set = set(chunk)
            got: set[str] = set()
            for start in range(0, len(chunk), self.batch_size):
                def check(body: bytes) -> FetchedBatch:
                    return _check_article_set(body, None)

                try:
                    page = self._call("efetch", Entrez.efetch, check, db="pubmed",
                                      WebEnv=key.webenv, query_key=key.query_key,
                                      retstart=start, retmax=self.batch_size, retmode="xml")
                except _Rejected as exc:
                    logger.info("NCBI history server refused a page (HTTP %d); "
                                "fetching the rest by id", exc.code)
                    break
                inside = tuple(p for p in page.returned if p in chunk_set)
                outside = [p for p in page.returned if p not in chunk_set]
                got.update(inside)
                notes = list(page.warnings)
                if outside:
                    notes.append("NCBI returned records that were not requested: "
                                 + ", ".join(outside))
                yield FetchedBatch(inside, page.xml if inside else b"", (), dict(page.errors),
                                   returned=inside, warnings=tuple(notes))
            leftover = [p for p in chunk if p not in got]
            if leftover:
                yield from self._fetch_by_id(leftover)

    # -------------------------------------------------------------------- epost
    def epost(self, pmids: Sequence[str], *, webenv: str | None = None) -> HistoryKey:
        """Store ``pmids`` on NCBI's history server (POST); returns WebEnv + query_key."""
        ids = [str(p).strip() for p in pmids]

        def check(body: bytes) -> HistoryKey:
            record = _read_with_biopython(body, "epost")
            notes = tuple(_error_texts(body))
            if "QueryKey" not in record or "WebEnv" not in record:
                if notes and _TRANSIENT_ERROR_RE.search(" ".join(notes)):
                    raise _Transient("NCBI reported: " + "; ".join(notes))
                raise FetchError("NCBI epost stored nothing: "
                                 + ("; ".join(notes) or "no WebEnv in the reply"))
            return HistoryKey(str(record["WebEnv"]), str(record["QueryKey"]), notes)

        params: dict[str, Any] = {"id": ",".join(ids)}
        if webenv:
            params["WebEnv"] = webenv
        try:
            key = self._call("epost", Entrez.epost, check, db="pubmed", **params)
        except _Rejected as exc:
            raise self._rejected("epost", exc) from None
        for note in key.warnings:
            logger.warning("NCBI epost: %s", self._redact(note))
        return key

    # ------------------------------------------------------------------ esearch
    def esearch(self, term: str, max_results: int | None = None) -> SearchResult:
        """Search PubMed and collect the PMIDs of all hits (or the first ``max_results``).

        Pages with ``retstart``/``retmax`` (usehistory=y). Past ``search_window`` (9,999)
        hits, the query is split by publication-date ranges (``AND (A[dp]:B[dp])``), halving
        ranges still too large. NCBI's ErrorList/WarningList become ``warnings``.
        """
        self.last_errors = {}
        limit = max_results if max_results is not None else math.inf
        first = self._esearch_page(term, 0, int(min(self.search_page_size, limit)))
        warnings_: list[str] = list(first["warnings"])
        count: int = first["count"]
        target = min(count, limit)
        if count > self.search_window and target > self.search_window:
            pmids = self._search_by_date(term, target, warnings_)
            if len(pmids) < target:
                warnings_.append(
                    f"date-split search retrieved {len(pmids)} of {count} hits (records "
                    "outside the date ranges, or more than "
                    f"{self.search_window} hits on one day)"
                )
        else:
            pmids = self._page_through(term, first, target, warnings_)
        return SearchResult(
            count=count,
            pmids=tuple(pmids),
            query_translation=first["translation"],
            warnings=tuple(dict.fromkeys(warnings_)),
            webenv=first["webenv"],
            query_key=first["query_key"],
        )

    def _esearch_page(self, term: str, retstart: int, retmax: int) -> dict[str, Any]:
        def check(body: bytes) -> dict[str, Any]:
            record = _read_with_biopython(body, "esearch")
            if "ERROR" in record and str(record["ERROR"]).strip():
                message = one_line(str(record["ERROR"]), 160)
                if _TRANSIENT_ERROR_RE.search(message):
                    raise _Transient(f"NCBI reported: {message}")
                raise FetchError(f"NCBI esearch rejected the query: {self._redact(message)}; "
                                 "check the search term")
            if "Count" not in record:
                raise _Transient("an esearch reply without a Count")
            notes = []
            for key, label in (("ErrorList", "not found"), ("WarningList", "warning")):
                for name, values in (record.get(key) or {}).items():
                    for value in values:
                        if name == "OutputMessage":
                            notes.append(str(value))
                        else:
                            pretty = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
                            notes.append(f"{pretty}: {value}" if key == "ErrorList"
                                         else f"{label}: {pretty}: {value}")
            return {
                "count": int(record["Count"]),
                "ids": [str(i) for i in record.get("IdList", [])],
                "translation": str(record.get("QueryTranslation", "")),
                "warnings": notes,
                "webenv": str(record["WebEnv"]) if "WebEnv" in record else None,
                "query_key": str(record["QueryKey"]) if "QueryKey" in record else None,
            }

        try:
            return self._call("esearch", Entrez.esearch, check, db="pubmed", term=term,
                              retstart=retstart, retmax=retmax, usehistory="y")
        except _Rejected as exc:
            raise self._rejected("esearch", exc) from None

    def _page_through(self, term: str, first: dict[str, Any], target: float,
                      notes: list[str]) -> list[str]:
        pmids = list(dict.fromkeys(first["ids"]))
        seen = set(pmids)
        retstart = len(first["ids"])
        while len(pmids) < target and retstart < min(self.search_window, first["count"]):
            retmax = int(min(self.search_page_size, target - len(pmids),
                             self.search_window - retstart))
            page = self._esearch_page(term, retstart, retmax)
            new = [p for p in page["ids"] if p not in seen]
            if not new:
                notes.append(f"esearch stopped returning new ids after {len(pmids)} of "
                             f"{first['count']} hits")
                break
            pmids.extend(new)
            seen.update(new)
            retstart += len(page["ids"])
        return pmids[: int(target)] if target != math.inf else pmids

    def _search_by_date(self, term: str, target: float, notes: list[str]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        stack = [(date(1700, 1, 1), date(date.today().year + 1, 12, 31))]
        while stack and len(out) < target:
            low, high = stack.pop()
            sub = f"({term}) AND ({_dp(low, high, low)}[dp]:{_dp(low, high, high)}[dp])"
            first = self._esearch_page(sub, 0, int(min(self.search_page_size,
                                                       target - len(out))))
            if first["count"] > self.search_window and low < high:
                if low.year < high.year:
                    middle_year = (low.year + high.year) // 2
                    halves = [(low, date(middle_year, 12, 31)),
                              (date(middle_year + 1, 1, 1), high)]
                else:
                    middle = low + timedelta(days=(high - low).days // 2)
                    halves = [(low, middle), (middle + timedelta(days=1), high)]
                stack.extend(reversed(halves))  # earliest range first
                continue
            if first["count"] > self.search_window:
                notes.append(f"more than {self.search_window} hits published on {low}; "
                             f"only the first {self.search_window} were retrieved")
            for pmid in self._page_through(sub, first, target - len(out), notes):
                if pmid not in seen:
                    seen.add(pmid)
                    out.append(pmid)
        return out[: int(target)] if target != math.inf else out

    # -------------------------------------------------------------------- elink
    def elink(self, pmids: Iterable[str], linkname: str = "pubmed_pubmed_refs",
              ) -> dict[str, list[str]]:
        """Linked PMIDs per source PMID (``pubmed_pubmed_refs``, ``…_citedin``…).

        One ``id=`` per PMID (one LinkSet each), ``link_batch_size`` ids per request. Every
        valid requested PMID is a key; ids without links map to ``[]``.
        """
        self.last_errors = {}
        wanted = list(dict.fromkeys(str(p).strip() for p in pmids))
        out: dict[str, list[str]] = {}
        for pmid in wanted:
            if not is_pmid(pmid):
                self.last_errors[pmid] = "not a PMID"
        valid = [p for p in wanted if is_pmid(p)]

        def check(body: bytes) -> list[Any]:
            record = _read_with_biopython(body, "elink")
            problems = _error_texts(body)
            if problems:
                raise _Transient("NCBI reported: " + "; ".join(problems))
            return list(record)

        for batch in _chunks(valid, self.link_batch_size):
            try:
                linksets = self._call("elink", Entrez.elink, check, dbfrom="pubmed",
                                      db="pubmed", id=list(batch), linkname=linkname,
                                      cmd="neighbor")
            except _Rejected as exc:
                raise self._rejected("elink", exc) from None
            for linkset in linksets:
                sources = [str(i) for i in linkset.get("IdList", [])]
                if len(sources) != 1:
                    continue
                links: list[str] = []
                for db in linkset.get("LinkSetDb", []):
                    if str(db.get("LinkName", "")) == linkname:
                        links.extend(str(link["Id"]) for link in db.get("Link", []))
                out.setdefault(sources[0], []).extend(links)
            for pmid in batch:
                if pmid not in out:
                    self.last_errors[pmid] = "no LinkSet in NCBI's reply"
        return {p: list(dict.fromkeys(out.get(p, []))) for p in valid}

    # ---------------------------------------------------------------- ecitmatch
    def ecitmatch(self, citations: Sequence[Mapping[str, Any]]) -> dict[str, str | None]:
        """PMIDs for citations (``journal_title``, ``year``, ``volume``, ``first_page``,
        ``author_name``, ``key``); ``None`` where NCBI found no (unique) match.

        Keys default to the citation's position. The text reply is parsed here
        (``Entrez.read`` cannot read it).
        """
        self.last_errors = {}
        keys = [str(c.get("key") if c.get("key") not in (None, "") else i)
                for i, c in enumerate(citations)]
        if len(set(keys)) != len(keys):
            raise InputError("ecitmatch citation keys must be unique")
        result: dict[str, str | None] = {k: None for k in keys}
        fields = ("journal_title", "year", "volume", "first_page", "author_name")
        for start in range(0, len(citations), 100):
            part = list(enumerate(citations[start:start + 100], start))
            # A preformatted string: given a list, Bio.Entrez drops tool/email/api_key.
            bdata = "\r".join(
                "|".join([_clean_field(c.get(f)) for f in fields] + [str(i), ""])
                for i, c in part
            )

            def check(body: bytes) -> str:
                problem = _body_problem(body, xml=False)
                if problem:
                    raise _Transient(problem)
                return body.decode("utf-8", "replace")

            try:
                text = self._call("ecitmatch", Entrez.ecitmatch, check, db="pubmed",
                                  bdata=bdata)
            except _Rejected as exc:
                raise self._rejected("ecitmatch", exc) from None
            for line in text.splitlines():
                cells = line.rstrip("\r").split("|")
                if len(cells) < 7 or not cells[5].strip().isdigit():
                    continue
                index = int(cells[5].strip())
                if not start <= index < start + len(part):
                    continue
                answer = cells[6].strip()
                if is_pmid(answer):
                    result[keys[index]] = answer
                else:
                    self.last_errors[keys[index]] = one_line(answer or "no answer", 80)
        return result


def _dp(low: date, high: date, which: date) -> str:
    """``YYYY`` when the range covers whole years, else ``YYYY/MM/DD``."""
    whole_years = (low.month, low.day) == (1, 1) and (high.month, high.day) == (12, 31)
    return f"{which.year:04d}" if whole_years else which.strftime("%Y/%m/%d")

