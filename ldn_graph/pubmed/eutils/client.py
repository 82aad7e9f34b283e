"""The NCBI E-utilities client: requests, retries, deadlines, efetch and the history server.

Every request (efetch, esearch, elink, epost, ecitmatch) goes through ``Bio.Entrez``
(:mod:`ldn_graph.pubmed.eutils.biopython`, which routes it to the configured base URL
with a timeout); :class:`EntrezClient` adds what Biopython leaves out:

* **Retries.** Bio.Entrez retries 429/5xx instantly and not at all on timeouts or cut
  transfers, so it runs with ``max_tries = 1`` and this client retries with exponential
  backoff and jitter (honouring ``Retry-After``) on 429, 5xx, timeouts, network errors,
  cut transfers, HTML or empty 200 replies and malformed XML. A refused connection fails
  fast with :class:`~ldn_graph.errors.OfflineError`.
* **Bounds.** One request, retries and waits included, ends within ``deadline`` seconds
  (``LDN_GRAPH_EUTILS_DEADLINE``, default 90): each try gets ``timeout`` seconds (30) for
  the whole exchange, never more than what is left, and a try that ran out of the
  deadline is not retried. A ``Retry-After`` above 60 s ends the request at once, saying
  so. A reply above ``max_reply_bytes`` (``LDN_GRAPH_EUTILS_MAX_REPLY``, default 256 MB)
  is refused while it is read (:mod:`~ldn_graph.pubmed.eutils.transport`); redirects
  stay on the configured host, over http(s).
* **Rate limit shared across processes** (:mod:`~ldn_graph.pubmed.eutils.ratelimit`): at
  most 3 requests/s (10 with an API key) from every ldn-graph process of the machine.
* **Checks** (:mod:`~ldn_graph.pubmed.eutils.replies`). An efetch reply is read once, by
  :func:`ldn_graph.pubmed.parse.read_article_set` (this module parses no PubMed XML): it
  must be a ``PubmedArticleSet``; ``<ERROR>`` elements and PMIDs requested but not
  returned are reported per id, never dropped silently; records that were not requested
  (or whose PMID is not valid) are named and left out of the batch. An HTTP 400 for a batch is
  narrowed down by halving the batch. A reply that declares its own XML entities is
  refused unread, before any parser sees it.
* **Secrets.** The API key is sent to NCBI and nowhere else: it never appears in messages,
  exceptions or log records (a reply that repeats it has it replaced by ``***`` before it
  is read, and every message built from reply text is redacted again;
  ``api_key=…`` is redacted wherever a URL-like text is shown;
  the ``url``/``filename`` of urllib's ``HTTPError``, which Biopython fills with the
  request URL, is redacted before the error goes anywhere).

Environment (read through :mod:`ldn_graph.settings`): ``LDN_GRAPH_EUTILS_URL``
(E-utilities base URL, must end in ``/entrez/eutils/``), ``NCBI_EMAIL``, ``NCBI_API_KEY``,
``LDN_GRAPH_EUTILS_DEADLINE``, ``LDN_GRAPH_EUTILS_MAX_REPLY``,
``LDN_GRAPH_STATE`` (directory for the rate-limit file and Biopython's DTD cache; default:
the cache folder, ``LDN_GRAPH_CACHE`` else the user cache directory).
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import random
import threading
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar, cast

from ldn_graph import settings
from ldn_graph.errors import FetchError, InputError, LdnGraphError, OfflineError, RateLimitError
from ldn_graph.ids import is_pmid
from ldn_graph.pubmed.eutils import biopython, links, search, transport
from ldn_graph.pubmed.eutils.api import FetchedBatch, HistoryKey, SearchResult
from ldn_graph.pubmed.eutils.ratelimit import RATE_FILE_NAME, SharedRateLimiter
from ldn_graph.pubmed.eutils.replies import (
    TRANSIENT_ERROR_RE,
    Rejected,
    Transient,
    check_efetch_reply,
    classify_http_error,
    error_texts,
    redact,
    unrequested_note,
)
from ldn_graph.text import one_line

__all__ = ["DEFAULT_BASE_URL", "EntrezClient", "resolve_base_url"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = biopython.NCBI_BASE_URL
# Space requests 15% wider than 1/rate (0.38 s at 3/s; Biopython uses 0.37 s), so that
# network jitter cannot squeeze rate+1 requests into one second at NCBI's end.
_RATE_MARGIN = 1.15
#: The longest ``Retry-After`` waited for; a longer one ends the request at once.
MAX_RETRY_AFTER = 60.0

T = TypeVar("T")


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


def _chunks(items: Sequence[str], size: int) -> Iterator[tuple[str, ...]]:
    for start in range(0, len(items), size):
        yield tuple(items[start:start + size])


class EntrezClient:
    """PubMed over NCBI E-utilities (through Bio.Entrez) with retries, limits and checks.

    ``email``/``api_key`` default to ``$NCBI_EMAIL``/``$NCBI_API_KEY``; ``base_url`` to
    ``$LDN_GRAPH_EUTILS_URL`` (else NCBI). ``timeout`` is per try (seconds for the whole
    exchange, not per socket read); ``deadline`` bounds one request, every try and wait
    included (default ``$LDN_GRAPH_EUTILS_DEADLINE``, else 90 s); ``max_reply_bytes``
    bounds a reply (default ``$LDN_GRAPH_EUTILS_MAX_REPLY``, else 256 MB);
    ``max_tries`` counts every attempt; ``backoff`` scales the retry delays (first retry
    after ~``backoff`` s, doubling, capped at ``max_backoff``); ``rate`` overrides NCBI's
    3 (10 with a key) requests/s. ``sleep`` is called for every wait (tests pass a
    recorder). ``state_dir`` holds the shared rate-limit file and Biopython's DTD cache.

    ``request_count`` counts HTTP attempts made by this client; ``last_errors`` maps ids
    (PMIDs, citation keys) to what went wrong for them in the latest call. It matches
    :class:`ldn_graph.pubmed.eutils.api.Client`.
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
        deadline: float | None = None,
        max_reply_bytes: int | None = None,
    ) -> None:
        if max_tries < 1 or batch_size < 1 or timeout <= 0:
            raise ValueError("max_tries and batch_size must be >= 1 and timeout > 0")
        self.deadline = float(deadline) if deadline is not None else settings.eutils_deadline()
        self.max_reply_bytes = (int(max_reply_bytes) if max_reply_bytes is not None
                                else settings.eutils_max_reply())
        if self.deadline <= 0 or self.max_reply_bytes < 1:
            raise ValueError("deadline and max_reply_bytes must be > 0")
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
        self.schema_dir = biopython.schema_cache(self.state_dir)
        biopython.drop_unusable_schemas(self.schema_dir)
        self.rate = float(rate) if rate else (10.0 if self._api_key else 3.0)
        self._limiter = SharedRateLimiter(_RATE_MARGIN / self.rate,
                                          self.state_dir / RATE_FILE_NAME, sleep)
        self._opener = biopython.build_opener(self.base_url, direct=transport.is_loopback(self.base_url))
        if not self.email:  # said once per run: the client is built when a request is due
            logger.warning("%s is not set; NCBI asks for a contact address with E-utilities "
                           "requests (set it to your e-mail address)", settings.EMAIL_ENV)

    def __repr__(self) -> str:  # never shows the key
        key = "set" if self._api_key else "none"
        return (f"EntrezClient(base_url={self.base_url!r}, api_key={key}, "
                f"rate={self.rate}/s, batch_size={self.batch_size})")

    # ------------------------------------------------------------------ transport
    def redact(self, text: str) -> str:
        """``text`` without the API key (``api_key=…`` values and the key itself)."""
        return redact(text, (self._api_key,))

    def request(self, utility: str, check: Callable[[bytes], T], /, **params: object) -> T:
        """``check(body)`` of one ``utility`` request, retried (see :meth:`_call`); NCBI's
        refusal of the request (HTTP 4xx) becomes a :class:`~ldn_graph.errors.FetchError`
        saying what to check."""
        try:
            return self._call(utility, check, **params)
        except Rejected as exc:
            raise self._rejected(utility, exc) from None

    def _call(self, utility: str, check: Callable[[bytes], T], /, **params: object) -> T:
        """One E-utility request, retried within the deadline; returns ``check(body)``.

        ``check`` raises :class:`Transient` for a reply worth retrying.
        """
        if self.offline:
            raise OfflineError(self._offline_message("no connection earlier in this run"))
        params = {**params, "tool": self.tool, "email": self.email, "api_key": self._api_key}
        deadline = time.monotonic() + self.deadline
        failures = 0
        refused = 0
        last: Transient | None = None
        while True:
            self._limiter.acquire()
            budget = min(self.timeout, deadline - time.monotonic())
            if budget <= 0:
                raise self._out_of_time(utility, failures, last)
            with self._count_lock:
                self.request_count += 1
            try:
                started = time.monotonic()
                body = biopython.send(utility, params, self._opener, budget=budget,
                                      max_bytes=self.max_reply_bytes)
                logger.debug("NCBI %s: %d bytes in %.2f s", utility, len(body), time.monotonic() - started)
                return check(self._scrub_body(body))
            except Transient as exc:
                last = exc
            except urllib.error.HTTPError as exc:
                self._scrub(exc)
                last = classify_http_error(exc, (self._api_key,))
            except (urllib.error.URLError, OSError) as exc:
                self._scrub(exc)
                reason = transport.offline_reason(exc)
                if reason is not None:
                    refused += 1
                    if refused >= 2:
                        self.offline = True
                        raise OfflineError(self._offline_message(reason)) from None
                    logger.info("NCBI %s: %s, retrying once", utility, reason)
                    self._sleep(min(0.2, self.backoff))
                    continue
                last = Transient(transport.describe_network_error(exc))
            except http.client.HTTPException as exc:
                last = Transient(transport.describe_network_error(exc))
            except (LdnGraphError, Rejected):
                raise
            except Exception as exc:  # e.g. a Bio.Entrez error: report it without any URL
                raise FetchError(
                    f"NCBI E-utilities {utility} failed: {type(exc).__name__}: "
                    f"{self.redact(one_line(str(exc), 120))}"
                ) from None
            failures += 1
            if last.retry_after is not None and last.retry_after > MAX_RETRY_AFTER:
                raise self._wait_refused(utility, last)
            if last.rate_limited and last.retry_after:
                self._limiter.defer(min(last.retry_after, self.max_backoff))
            if failures >= self.max_tries:
                if last.fallback is not None:
                    return cast(T, last.fallback)
                raise self._give_up(utility, failures, last)
            delay = self._delay(failures, last.retry_after)
            if time.monotonic() + delay >= deadline:  # includes a try cut off by the deadline
                if last.fallback is not None:
                    return cast(T, last.fallback)
                raise self._out_of_time(utility, failures, last)
            logger.info("NCBI %s: %s; retry %d of %d in %.1f s", utility,
                        self.redact(last.reason), failures, self.max_tries - 1, delay)
            self._sleep(delay)

    def _scrub_body(self, body: bytes) -> bytes:
        """``body`` with the API key replaced by ``***`` (a reply has no business repeating
        it; what is read from the reply can then never show it)."""
        if self._api_key and self._api_key.encode() in body:
            return body.replace(self._api_key.encode(), b"***")
        return body

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
                if isinstance(value, str) and value != self.redact(value):
                    with contextlib.suppress(AttributeError, TypeError):
                        setattr(holder, name, self.redact(value))

    def _delay(self, failures: int, retry_after: float | None) -> float:
        base = min(self.max_backoff, self.backoff * 2 ** (failures - 1))
        delay = base / 2 + random.uniform(0, base / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff))
        return delay

    def _give_up(self, utility: str, tries: int, last: Transient) -> FetchError:
        reason = self.redact(last.reason)
        if last.rate_limited:
            key_hint = "" if self._api_key else f" set {settings.API_KEY_ENV} for 10 requests/s,"
            return RateLimitError(
                f"NCBI kept answering {utility} with HTTP 429 (rate limit exceeded) after "
                f"{tries} tries; wait a minute,{key_hint} or run fewer ldn-graph processes at once"
            )
        return FetchError(
            f"NCBI E-utilities {utility} failed after {tries} tries: {reason}; "
            f"try again later (service at {_describe_host(self.base_url)})"
        )

    def _out_of_time(self, utility: str, tries: int, last: Transient | None) -> FetchError:
        done = f"{tries} tr{'y' if tries == 1 else 'ies'}"
        reason = f"; last: {self.redact(last.reason)}" if last is not None else ""
        return FetchError(
            f"NCBI E-utilities {utility} gave no complete reply within the {self.deadline:g} s "
            f"deadline ({done}{reason}); try again later, or raise "
            f"{settings.EUTILS_DEADLINE_ENV} (service at {_describe_host(self.base_url)})"
        )

    def _wait_refused(self, utility: str, last: Transient) -> FetchError:
        wait = last.retry_after or 0.0
        hint = (f", or set {settings.API_KEY_ENV} for 10 requests/s"
                if last.rate_limited and not self._api_key else "")
        kind = RateLimitError if last.rate_limited else FetchError
        return kind(
            f"NCBI answered {utility} with {self.redact(last.reason)} and asked to wait "
            f"{wait:.0f} s (Retry-After), more than the {MAX_RETRY_AFTER:.0f} s ldn-graph "
            f"waits; stopped instead of waiting. Try again later{hint}"
        )

    def _offline_message(self, reason: str) -> str:
        return (
            f"cannot reach NCBI E-utilities at {_describe_host(self.base_url)} ({reason}); "
            f"check the network or {settings.EUTILS_URL_ENV}, or work from cached records"
        )

    def _rejected(self, utility: str, exc: Rejected) -> FetchError:
        detail = f": {exc.detail}" if exc.detail else ""
        hint = f"check {settings.EUTILS_URL_ENV}" if exc.code == 404 else "check the request"
        if exc.code in (401, 403):
            hint = f"check {settings.API_KEY_ENV}"
        return FetchError(f"NCBI E-utilities rejected {utility} with HTTP {exc.code}"
                          f"{self.redact(detail)}; {hint}")

    # ------------------------------------------------------------------- efetch
    def fetch_pubmed_xml(self, pmids: Iterable[str]) -> Iterator[FetchedBatch]:
        """Fetch PubMed XML for ``pmids`` in batches of ``batch_size`` (lazy generator).

        Lists longer than ``history_threshold`` go through epost and the history server.
        Each :class:`FetchedBatch` reports its returned, missing and failed ids and holds
        its records; ids that are not PMIDs are reported as errors without being sent.
        Raises :class:`~ldn_graph.errors.FetchError` (or a subclass) when NCBI stays
        unreachable; batches already yielded stay valid.
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
            return check_efetch_reply(body, batch, (self._api_key,))

        try:
            result = self._call("efetch", check, db="pubmed", id=",".join(batch),
                                retmode="xml")
        except Rejected as exc:
            if exc.code not in (400, 414):
                raise self._rejected("efetch", exc) from None
            if len(batch) == 1:
                detail = f": {exc.detail}" if exc.detail else ""
                reason = f"NCBI rejected this id (HTTP {exc.code}{self.redact(detail)})"
                yield FetchedBatch(batch, b"", (), {batch[0]: reason})
                return
            half = len(batch) // 2
            logger.info("NCBI efetch answered HTTP %d for %d ids; splitting the batch",
                        exc.code, len(batch))
            yield from self._fetch_batch(batch[:half])
            yield from self._fetch_batch(batch[half:])
            return
        for note in result.warnings:  # the batch carries them to the caller
            logger.info("NCBI efetch: %s", self.redact(note))
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
                    return check_efetch_reply(body, None, (self._api_key,))

                try:
                    page = self._call("efetch", check, db="pubmed", WebEnv=key.webenv,
                                      query_key=key.query_key, retstart=start,
                                      retmax=self.batch_size, retmode="xml")
                except Rejected as exc:
                    logger.info("NCBI history server refused a page (HTTP %d); "
                                "fetching the rest by id", exc.code)
                    break
                inside = tuple(p for p in page.returned if p in chunk_set)
                outside = [p for p in page.returned if p not in chunk_set]
                got.update(inside)
                notes = list(page.warnings)
                if outside:
                    notes.append(unrequested_note(outside))
                records = tuple(r for r in page.records if r.study.pmid in chunk_set)
                yield FetchedBatch(inside, page.xml if inside else b"", (), dict(page.errors),
                                   returned=inside, warnings=tuple(notes), records=records)
            leftover = [p for p in chunk if p not in got]
            if leftover:
                yield from self._fetch_by_id(leftover)

    # -------------------------------------------------------------------- epost
    def epost(self, pmids: Sequence[str], *, webenv: str | None = None) -> HistoryKey:
        """Store ``pmids`` on NCBI's history server (POST); returns WebEnv + query_key."""
        ids = [str(p).strip() for p in pmids]

        def check(body: bytes) -> HistoryKey:
            record = biopython.read(body, "epost")
            notes = tuple(error_texts(body))
            if "QueryKey" not in record or "WebEnv" not in record:
                if notes and TRANSIENT_ERROR_RE.search(" ".join(notes)):
                    raise Transient("NCBI reported: " + "; ".join(notes))
                raise FetchError("NCBI epost stored nothing: "
                                 + self.redact("; ".join(notes) or "no WebEnv in the reply"))
            return HistoryKey(str(record["WebEnv"]), str(record["QueryKey"]), notes)

        params: dict[str, object] = {"id": ",".join(ids)}
        if webenv:
            params["WebEnv"] = webenv
        key = self.request("epost", check, db="pubmed", **params)
        for note in key.warnings:
            logger.warning("NCBI epost: %s", self.redact(note))
        return key

    # ------------------------------------------------------- the other utilities
    def esearch(self, term: str, max_results: int | None = None, sort: str | None = None) -> SearchResult:
        """Search PubMed and collect the PMIDs of all hits (or the first ``max_results``, in
        ``sort`` order); see :func:`ldn_graph.pubmed.eutils.search.esearch`."""
        self.last_errors = {}
        return search.esearch(self, term, max_results, sort)

    def elink(self, pmids: Iterable[str], linkname: str = "pubmed_pubmed_refs",
              ) -> dict[str, list[str]]:
        """Linked PMIDs per source PMID; see :func:`ldn_graph.pubmed.eutils.links.elink`."""
        self.last_errors = {}
        return links.elink(self, pmids, linkname)

    def ecitmatch(self, citations: Sequence[Mapping[str, object]]) -> dict[str, str | None]:
        """PMIDs for citations; see :func:`ldn_graph.pubmed.eutils.links.ecitmatch`."""
        self.last_errors = {}
        return links.ecitmatch(self, citations)
