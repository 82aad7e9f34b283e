"""Cache-first retrieval of PubMed records: what the cache has costs no request.

``get_records`` asks the cache for every PMID, fetches only the missing (or stale)
ones through :class:`~ldn_graph.pubmed.entrez.EntrezClient` in batches, stores each
batch as it arrives (so an interrupted run keeps what it fetched), and reports every
PMID it could not get, with the reason.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..errors import FetchError, OfflineError
from ..model import Provenance, Record
from .cache import RecordCache


@dataclass
class Retrieval:
    records: dict[str, Record] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)  # pmid -> reason
    fetched: list[str] = field(default_factory=list)
    requests: int = 0
    notes: list[str] = field(default_factory=list)  # things to tell the user once


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def get_records(
    pmids: Iterable[str],
    cache: RecordCache,
    *,
    offline: bool = False,
    refresh: bool = False,
    max_age_days: float | None = None,
    client_factory: Callable[[], object] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Retrieval:
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
        if record is None or stale:
            to_fetch.append(pmid)
    if not to_fetch:
        return out
    if offline:
        for pmid in to_fetch:
            if pmid not in out.records:
                out.unavailable[pmid] = "offline and not in the cache"
        return out
    if client_factory is None:
        from .entrez import EntrezClient

        client = EntrezClient()
    else:
        client = client_factory()  # type: ignore[assignment]
    from .parse import iter_records

    try:
        for batch in client.fetch_pubmed_xml(to_fetch):  # type: ignore[attr-defined]
            items = []
            for parsed in iter_records(batch.xml, source_name="efetch") if batch.xml else ():
                prov = Provenance(
                    origin="entrez",
                    retrieved_at=now_iso(),
                    source=parsed.dtd,
                    sha256=hashlib.sha256(parsed.raw).hexdigest(),
                )
                items.append((parsed.study, prov, parsed.raw))
            cache.put_many(items)
            for study, prov, _raw in items:
                if study.pmid in batch.requested:
                    out.records[study.pmid] = cache.get(study.pmid) or Record(study, prov)
                    out.fetched.append(study.pmid)
            for pmid in batch.missing:
                if pmid not in out.records:
                    out.unavailable[pmid] = "PubMed does not know this PMID"
            for pmid, message in batch.errors.items():
                if pmid not in out.records:
                    out.unavailable[pmid] = message
            if progress:
                progress(len(batch.requested))
    except OfflineError as exc:
        out.notes.append(f"network unavailable ({exc}); using the cache only")
        for pmid in to_fetch:
            if pmid not in out.records:
                out.unavailable[pmid] = "the network is unavailable and the record is not cached"
    except FetchError as exc:
        out.notes.append(f"PubMed retrieval failed: {exc}; using the cache only")
        for pmid in to_fetch:
            if pmid not in out.records:
                out.unavailable[pmid] = str(exc)
    finally:
        out.requests = int(getattr(client, "request_count", 0))
    return out
