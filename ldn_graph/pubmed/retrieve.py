"""Cache-first retrieval of PubMed records: what the cache has costs no request.

A :class:`Retriever` holds a record cache, an E-utilities client (typed by the
:class:`~ldn_graph.pubmed.eutils.api.Client` protocol; by default an
:class:`~ldn_graph.pubmed.eutils.client.EntrezClient` from the environment, built when
first needed) and a :class:`Policy` (offline, refresh, maximum age, batch size).
:meth:`Retriever.get` asks the cache for every PMID, fetches only the missing (or stale)
ones in batches, stores each batch as it arrives (one transaction per batch, so an
interrupted run keeps what it fetched and a rerun fetches only the rest), and reports
every PMID it could not get, with the reason. Only records that were asked for are
stored: a record a reply carries for another PMID (a stray or forged one, which would
override that PMID's record) is named in the notes and dropped, like one whose PMID is
not valid. :meth:`Retriever.search` runs a PubMed
search and retrieves the hits the same way. Citation neighbourhoods
(:mod:`~ldn_graph.pubmed.expand`) and reference resolution
(:mod:`~ldn_graph.pubmed.resolve`) take a Retriever too.

Progress: a :data:`~ldn_graph.progress.Progress` callback hears ``(stage, 0, n)`` once,
before the first request, with the ``n`` PMIDs to fetch, then ``(stage, k, n)`` after
each stored batch that settled ``k`` of them. It may raise (``KeyboardInterrupt``
included): batches already stored stay stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ldn_graph.errors import FetchError, OfflineError
from ldn_graph.model import Provenance, Record
from ldn_graph.progress import Progress
from ldn_graph.pubmed.eutils.api import Client
from ldn_graph.terms import Origin, Stage
from ldn_graph.text import older_than, utc_now

if TYPE_CHECKING:
    from ldn_graph.pubmed.cache import RecordCache

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Policy",
    "Retrieval",
    "Retriever",
    "SearchRetrieval",
]

# PMIDs per efetch request (sent as a POST). 500 keeps a cold fetch under one request per
# 200 PMIDs even with the epost requests of the history server (sets above 5,000); a
# reply is a few MB.
DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class Policy:
    """How a :class:`Retriever` uses the cache and the network.

    ``offline``: request nothing (cached records only). ``refresh``: refetch every cached
    record. ``max_age_days``: refetch only those retrieved longer ago than that (seed
    records without a retrieval date count as stale). A refetch that fails or returns
    less keeps the cached record. ``batch_size``: PMIDs per efetch request of the client
    the Retriever builds itself (a client handed in keeps its own).
    """

    offline: bool = False
    refresh: bool = False
    max_age_days: float | None = None
    batch_size: int = DEFAULT_BATCH_SIZE


@dataclass
class Retrieval:
    """What :meth:`Retriever.get` did.

    ``records``: PMID → record for every PMID that is now available (cached or fetched).
    ``unavailable``: PMID → why it could not be retrieved (never also in ``records``).
    ``fetched``: PMIDs stored from NCBI by this call, each once, in arrival order.
    ``cached``: PMIDs answered from the cache without a request.
    ``kept``: stale or ``refresh``-ed PMIDs whose refetch failed; the cached copy is kept.
    ``requests``: HTTP requests this call made (retries included).
    ``notes``: things to tell the user once (NCBI's warnings, records dropped, failures).
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
    """A PubMed search (:class:`~ldn_graph.pubmed.eutils.api.SearchResult`) and the
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


class Retriever:
    """Records from ``cache`` first, then from PubMed through ``client``, per ``policy``.

    ``client`` None: an :class:`~ldn_graph.pubmed.eutils.client.EntrezClient` configured
    from the environment, built the first time a request is due (a run served by the
    cache, or offline, builds none). One client serves every call of the Retriever:
    each result's ``requests`` counts that call only.
    """

    def __init__(self, cache: RecordCache, client: Client | None = None,
                 policy: Policy | None = None) -> None:
        self.cache = cache
        self.policy = policy if policy is not None else Policy()
        self._client = client

    @property
    def client(self) -> Client:
        """The client (built now if none was given and none was needed before)."""
        if self._client is None:
            from ldn_graph.pubmed.eutils.client import EntrezClient

            self._client = EntrezClient(batch_size=self.policy.batch_size)
        return self._client

    def get(self, pmids: Iterable[str], *, progress: Progress | None = None,
            stage: Stage = Stage.FETCH) -> Retrieval:
        """Records for ``pmids`` (validated PMID strings): cache first, then NCBI in
        batches, reporting ``stage`` to ``progress``.

        Network failures become ``unavailable`` entries and a note, never an exception;
        ``KeyboardInterrupt`` propagates after the batches already stored.
        """
        policy, cache = self.policy, self.cache
        wanted = list(dict.fromkeys(pmids))
        out = Retrieval()
        cached = cache.get_many(wanted)
        to_fetch: list[str] = []
        for pmid in wanted:
            record = cached.get(pmid)
            stale = record is not None and (
                policy.refresh
                or (policy.max_age_days is not None and older_than(record.provenance.retrieved_at, policy.max_age_days))
            )
            if record is not None:
                out.records[pmid] = record
                if not stale:
                    out.cached.append(pmid)
            if record is None or stale:
                to_fetch.append(pmid)
        if not to_fetch:
            return out
        if policy.offline:
            for pmid in to_fetch:
                if pmid in out.records:
                    out.kept[pmid] = "offline: not refreshed"
                    out.cached.append(pmid)
                else:
                    out.unavailable[pmid] = "offline and not in the cache"
            return out
        if progress is not None:
            progress(stage, 0, len(to_fetch))  # the bar shows before the first request
        client = self.client
        before = client.request_count
        try:
            self._fetch(client, to_fetch, out, progress, stage)
        finally:
            out.requests = client.request_count - before
        for pmid in to_fetch:  # a PMID the client never reported on
            if pmid not in out.records and pmid not in out.unavailable:
                out.unavailable[pmid] = "no answer from PubMed for this PMID"
        if out.kept:
            out.notes.append(
                f"{len(out.kept)} cached record(s) could not be refreshed; kept the cached copies"
            )
        out.notes = list(dict.fromkeys(out.notes))
        return out

    def _fetch(self, client: Client, to_fetch: list[str], out: Retrieval,
               progress: Progress | None, stage: Stage) -> None:
        """Fetch ``to_fetch`` batch by batch into the cache and ``out``."""
        cache = self.cache
        settled: set[str] = set()
        fetched: set[str] = set()
        asked = set(to_fetch)
        try:
            for batch in client.fetch_pubmed_xml(to_fetch):
                when = utc_now()
                out.notes.extend(f"PubMed efetch: {warning}" for warning in batch.warnings)
                requested = set(batch.requested) & asked
                items = [
                    (parsed.study,
                     Provenance(origin=Origin.ENTREZ, retrieved_at=when, source=parsed.dtd,
                                sha256=hashlib.sha256(parsed.raw).hexdigest()),
                     parsed.raw)
                    for parsed in batch.records
                    if parsed.study.pmid in requested  # never a record nobody asked for
                ]
                cache.put_many(items)  # one transaction: the batch is kept even if we stop now
                arrived = [s.pmid for s, _p, _r in items]
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
                    progress(stage, len(batch.requested), len(to_fetch))
        except OfflineError as exc:
            out.notes.append(f"network unavailable ({exc}); using the cache only")
            for pmid in to_fetch:
                if pmid not in settled:
                    cached_copy = pmid in out.records
                    _not_got(out, pmid, "the network is unavailable"
                             + ("" if cached_copy else " and the record is not cached"))
        except FetchError as exc:
            out.notes.append(f"PubMed retrieval failed: {exc}; using the cache only")
            for pmid in to_fetch:
                if pmid not in settled:
                    _not_got(out, pmid, str(exc))

    def search(self, query: str, *, max_results: int | None = None,
               progress: Progress | None = None) -> SearchRetrieval:
        """Search PubMed for ``query`` and retrieve the hits into the cache.

        The search pages through every hit (``max_results`` caps it), splitting by
        publication date past NCBI's 9,999-hit window; the hits are then retrieved with
        :meth:`get` (cache first, batches; ``progress`` hears :attr:`Stage.FETCH`).
        NCBI's warnings (phrase not found…) are in ``warnings``. Raises
        :class:`~ldn_graph.errors.FetchError` when the search itself fails
        (:class:`~ldn_graph.errors.OfflineError` with an offline policy).
        """
        if self.policy.offline:
            raise OfflineError("offline: a PubMed search needs the network")
        client = self.client
        before = client.request_count
        result = client.esearch(query, max_results=max_results)
        search_requests = client.request_count - before
        retrieval = self.get(result.pmids, progress=progress)
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


def _not_got(out: Retrieval, pmid: str, reason: str) -> None:
    if pmid in out.fetched:
        return
    if pmid in out.records:  # a stale cached record: keep it
        out.kept.setdefault(pmid, reason)
        if pmid not in out.cached:
            out.cached.append(pmid)
        return
    out.unavailable.setdefault(pmid, reason)
