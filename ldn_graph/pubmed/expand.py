"""The citation neighbourhood of PubMed records: what they cite, or what cites them.

``refs``: the PMIDs in each record's ReferenceList (``Study.references``, no request),
and for records without a ReferenceList, NCBI ELink ``pubmed_pubmed_refs``.
``cited-by``: NCBI ELink ``pubmed_pubmed_citedin`` (citations change over time, so links
are always asked for afresh; the linked records themselves come cache-first).

The linked records are then retrieved with :meth:`~ldn_graph.pubmed.retrieve.Retriever.get`
(cache first, in batches, each batch stored as it arrives).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ldn_graph.errors import FetchError, InputError, OfflineError
from ldn_graph.ids import validate_pmid
from ldn_graph.model import Record
from ldn_graph.progress import Progress
from ldn_graph.pubmed.retrieve import Retrieval, Retriever
from ldn_graph.terms import Stage

__all__ = ["DIRECTIONS", "Expansion", "expand_citations"]

# direction -> ELink link name
DIRECTIONS = {"refs": "pubmed_pubmed_refs", "cited-by": "pubmed_pubmed_citedin"}


@dataclass
class Expansion:
    """The neighbourhood found by :func:`expand_citations`.

    ``links``: seed PMID → linked PMIDs (in the order found). ``from_reference_list`` /
    ``from_elink``: the seeds whose links came from each source. ``linked``: the distinct
    linked PMIDs that are not seeds themselves; ``retrieval``: their records.
    ``requests`` counts ELink and efetch requests together.
    """

    direction: str
    links: dict[str, list[str]] = field(default_factory=dict)
    from_reference_list: list[str] = field(default_factory=list)
    from_elink: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    retrieval: Retrieval = field(default_factory=Retrieval)
    notes: list[str] = field(default_factory=list)
    requests: int = 0
    elink_requests: int = 0


def _valid_pmids(values: Iterable[str | None]) -> list[str]:
    """The well-formed PMIDs among ``values``, each once (malformed ids are skipped)."""
    out: list[str] = []
    for value in values:
        if value:
            try:
                out.append(validate_pmid(value.strip()))
            except InputError:
                continue
    return list(dict.fromkeys(out))


def _reference_list_pmids(record: Record) -> list[str]:
    return _valid_pmids(ref.pmid for ref in record.study.references)


def expand_citations(
    retriever: Retriever,
    seeds: Iterable[str],
    records: Mapping[str, Record],
    direction: str,
    *,
    progress: Progress | None = None,
) -> Expansion:
    """Find and retrieve the ``direction`` (``"refs"`` or ``"cited-by"``) neighbours of
    the ``seeds`` PMIDs, whose records (where available) are in ``records``, with
    ``retriever``'s cache, client and policy (``progress`` hears :attr:`Stage.EXPAND`).

    ELink failures become notes (the ReferenceList part still works offline); seeds
    never count as their own neighbours.
    """
    if direction not in DIRECTIONS:
        raise InputError(f"unknown expansion {direction!r}; use one of {', '.join(DIRECTIONS)}")
    seed_list = list(dict.fromkeys(seeds))
    out = Expansion(direction)
    need_elink: list[str] = []
    for pmid in seed_list:
        record = records.get(pmid)
        if direction == "refs" and record is not None and record.study.references:
            out.links[pmid] = _reference_list_pmids(record)
            out.from_reference_list.append(pmid)
        else:
            need_elink.append(pmid)
    if need_elink:
        if retriever.policy.offline:
            which = " without a ReferenceList" if direction == "refs" else ""
            out.notes.append(f"offline: citation links not asked for {len(need_elink)} "
                             f"record(s){which}")
        else:
            client = retriever.client
            before = client.request_count
            try:
                found = client.elink(need_elink, DIRECTIONS[direction])
            except OfflineError as exc:
                out.notes.append(f"network unavailable ({exc}); citation links not retrieved")
                found = {}
            except FetchError as exc:
                out.notes.append(f"ELink failed: {exc}")
                found = {}
            out.elink_requests = client.request_count - before
            for pmid in need_elink:
                if pmid in found:
                    out.links[pmid] = _valid_pmids(found[pmid])
                    out.from_elink.append(pmid)
    seed_set = set(seed_list)
    linked: list[str] = []
    for pmid in seed_list:
        linked.extend(p for p in out.links.get(pmid, []) if p not in seed_set)
    out.linked = list(dict.fromkeys(linked))
    out.retrieval = retriever.get(out.linked, progress=progress, stage=Stage.EXPAND)
    out.notes.extend(out.retrieval.notes)
    out.requests = out.elink_requests + out.retrieval.requests
    return out
