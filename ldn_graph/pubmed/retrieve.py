"""Cache-first retrieval of PubMed records: what the cache has costs no request.

:func:`get_records` asks the cache for every PMID, fetches only the missing (or stale)
ones through :class:`~ldn_graph.pubmed.entrez.EntrezClient` in batches, stores each
batch as it arrives (one transaction per batch, so an interrupted run keeps what it
fetched and a rerun fetches only the rest), and reports every PMID it could not get,
with the reason. :func:`search_records` runs a PubMed search and retrieves the hits the
same way.

Progress: ``on_plan(to_fetch, cached)`` is called once, before the first request, and
``progress(n)`` after each stored batch with the number of PMIDs that batch settled.
Either may raise (``KeyboardInterrupt`` included): batches already stored stay stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ldn_graph.errors import FetchError, OfflineError
from ldn_graph.model import Provenance, Record
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.terms import Origin
from ldn_graph.text import utc_now

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Retrieval",
    "SearchRetrieval",
    "get_records",
    "make_client",
    "search_records",
]

ClientFactory = Callable[[], Any]

# PMIDs per efetch request (sent as a POST). 500 keeps a cold fetch under one request per
# 200 PMIDs even with the epost requests of the history server (sets above 5,000); a
# reply is a few MB.
DEFAULT_BATCH_SIZE = 500


@dataclass
class Retrieval:
    """What :func:`get_records` did.

    ``records``: PMID → record for every PMID that is now available (cached or fetched).
    ``unavailable``: PMID → why it could not be retrieved (never also in ``records``).
    ``fetched``: PMIDs stored from NCBI by this call, each once, in arrival order.
    ``cached``: PMIDs answered from the cache without a request.
    ``kept``: stale or ``refresh``-ed PMIDs whose refetch failed; the cached copy is kept.
    ``requests``: HTTP requests this call made (retries included).
    """

    records: dict[str, Record] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # pmid -> reason
    fetched: list[str] = field(default_factory=list)
    requests: int = 0
    notes: list[str] = field(default_factory=list)  # things to tell the user once
    cached: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # pmid -> why the refresh failed


@dataclass
class SearchRetrieval:
    """A PubMed search (:class:`~ldn_graph.pubmed.entrez.SearchResult`) and the
    retrieval of its hits (``retrieval.requests`` counts the fetch only; ``requests``
    counts the search too)."""

    query: str
    count: int
    pmids: tuple[str, ...]
    query_translation: str
    warnings: tuple[str, ...]
    retrieval: Retrieval
    requests: int
    limited: bool = False  # fewer PMIDs than hits were retrieved because of max_results


def make_client(client_factory: ClientFactory | None = None) -> Any:
    """``client_factory()``, else an :class:`EntrezClient` configured from the environment
    (``DEFAULT_BATCH_SIZE`` PMIDs per efetch)."""
    if client_factory is not None:
        return client_factory()
    from ldn_graph.pubmed.entrez import EntrezClient

    return EntrezClient(batch_size=DEFAULT_BATCH_SIZE)


def _request_count(client: Any) -> int:
    return int(getattr(client, "request_count", 0) or 0)


def get_records(
    pmids: Iterable[str],
    cache: RecordCache,
    *,
    offline: bool = False,
    refresh: bool = False,
    max_age_days: float | None = None,
    client_factory: ClientFactory | None = None,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
) -> Retrieval:
    """Records for ``pmids`` (validated PMID strings): cache first, then NCBI in batches.

    ``refresh`` refetches every cached record; ``max_age_days`` only those retrieved
    longer ago than that (seed records without a retrieval date count as stale). A
    refetch that fails or returns less keeps the cached record (see ``kept``). With
    ``offline`` nothing is requested. ``client_factory`` returns the client to use (a
    client shared by several calls is fine: ``requests`` counts this call only).
    Network failures become ``unavailable`` entries and a note, never an exception;
    ``KeyboardInterrupt`` propagates after the batches already stored.
    """
    wanted = list(dict.fromkeys(pmids))
    out = Retrieval()
    cached = cache.get_many(wanted)
    to_fetch: list[str] = []
    for pmid in wanted:
        record = cached.get(pmid)
        stale = record is not None and (
            refresh or (max_age_days is not None and cache.is_stale(record, max_age_days))
        )
        if record is not None:
            out.records[pmid] = record
            if not stale:
                out.cached.append(pmid)
        if record is None or stale:
            to_fetch.append(pmid)
    if on_plan is not None:
        on_plan(0 if offline else len(to_fetch), len(out.cached))
    if not to_fetch:
        return out
    if offline:
        for pmid in to_fetch:
            if pmid in out.records:
                out.kept[pmid] = "offline: not refreshed"
                out.cached.append(pmid)
            else:
                out.unavailable[pmid] = "offline and not in the cache"
        return out
    client = make_client(client_factory)
    before = _request_count(client)
    from ldn_graph.pubmed.parse import iter_records

    settled: set[str] = set()
    fetched: set[str] = set()
    try:
        for batch in client.fetch_pubmed_xml(to_fetch):
            items = []
            when = utc_now()
            for parsed in iter_records(batch.xml, source_name="efetch") if batch.xml else ():
                prov = Provenance(
                    origin=Origin.ENTREZ,
                    retrieved_at=when,
                    source=parsed.dtd,
                    sha256=hashlib.sha256(parsed.raw).hexdigest(),
                )
                items.append((parsed.study, prov, parsed.raw))
            cache.put_many(items)  # one transaction: the batch is kept even if we stop now
            requested = set(batch.requested)
            arrived = [s.pmid for s, _p, _r in items if s.pmid in requested]
            stored = cache.get_many([p for p in arrived if p not in fetched])
            for pmid in arrived:
                if pmid in fetched:
                    continue
                fetched.add(pmid)
                out.fetched.append(pmid)
                record = stored.get(pmid)
                if record is not None:
                    out.records[pmid] = record
            for pmid in batch.missing:
                _not_got(out, pmid, "PubMed does not know this PMID")
            for pmid, message in batch.errors.items():
                _not_got(out, pmid, message)
            settled.update(batch.requested)
            if progress is not None:
                progress(len(batch.requested))
    except OfflineError as exc:
        out.notes.append(f"network unavailable ({exc}); using the cache only")
        for pmid in to_fetch:
            if pmid not in settled:
                cached_copy = pmid in out.records
                _not_got(out, pmid, "the network is unavailable" + ("" if cached_copy else " and the record is not cached"))
    except FetchError as exc:
        out.notes.append(f"PubMed retrieval failed: {exc}; using the cache only")
        for pmid in to_fetch:
            if pmid not in settled:
                _not_got(out, pmid, str(exc))
    finally:
        out.requests = _request_count(client) - before
    for pmid in to_fetch:  # a PMID the client never reported on
        if pmid not in out.records and pmid not in out.unavailable:
            out.unavailable[pmid] = "no answer from PubMed for this PMID"
    if out.kept:
        out.notes.append(
            f"{len(out.kept)} cached record(s) could not be refreshed; kept the cached copies"
        )
    return out


def _not_got(out: Retrieval, pmid: str, reason: str) -> None:
    if pmid in out.fetched:
        return
    if pmid in out.records:  # a stale cached record: keep it
        out.kept.setdefault(pmid, reason)
        if pmid not in out.cached:
            out.cached.append(pmid)
        return
    out.unavailable.setdefault(pmid, reason)


def search_records(
    query: str,
    cache: RecordCache,
    *,
    max_results: int | None = None,
    refresh: bool = False,
    max_age_days: float | None = None,
    client_factory: ClientFactory | None = None,
    progress: Callable[[int], None] | None = None,
    on_plan: Callable[[int, int], None] | None = None,
) -> SearchRetrieval:
    """Search PubMed for ``query`` and retrieve the hits into ``cache``.

    The search pages through every hit (``max_results`` caps it), splitting by
    publication date past NCBI's 9,999-hit window; the hits are then retrieved with
    :func:`get_records` (cache first, batches). NCBI's warnings (phrase not found…)
    are in ``warnings``. Raises :class:`~ldn_graph.errors.FetchError` when the search
    itself fails.
    """
    client = make_client(client_factory)
    before = _request_count(client)
    result = client.esearch(query, max_results=max_results)
    search_requests = _request_count(client) - before
    retrieval = get_records(
        result.pmids,
        cache,
        refresh=refresh,
        max_age_days=max_age_days,
        client_factory=lambda: client,
        progress=progress,
        on_plan=on_plan,
    )
    return SearchRetrieval(
        query=query,
        count=result.count,
        pmids=tuple(result.pmids),
        query_translation=result.query_translation,
        warnings=tuple(result.warnings),
        retrieval=retrieval,
        requests=search_requests + retrieval.requests,
        limited=max_results is not None and result.count > max_results
        and len(result.pmids) >= max_results,
    )
