"""``ldn-graph build``: one graph of cached records and audited documents in an embedded store.

This is the orchestration above :mod:`ldn_graph.rdf`: it reads records from the record
cache in batches, grades each with the evidence-level policy of the judge (the mapping
in ``ontology/evidence-levels.ttl``), and hands the graded records, the vocabulary and
an audit to the rdf generators, whose triples stream into the store (no graph is ever
held in memory). rdf itself never reads the cache or judges a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph._version import __version__
from ldn_graph.judge.levels import level_function
from ldn_graph.model import AuditResult, Record, Vocabulary
from ldn_graph.ontology.levels import load_level_rules
from ldn_graph.rdf.backends import OxigraphTerms, TermFactory, Triple
from ldn_graph.rdf.iris import build_iri
from ldn_graph.rdf.store import fill_store
from ldn_graph.rdf.triples import (
    LevelOf,
    activity_triples,
    audit_levels,
    audit_triples,
    concept_triples,
    record_stream,
)
from ldn_graph.text import utc_now

if TYPE_CHECKING:
    from ldn_graph.pubmed.cache import RecordCache

RECORD_BATCH = 1_000  # records read from the cache at a time


@dataclass
class BuildStats:
    store: str
    graph: str | None
    records: int = 0
    documents: int = 0
    triples: int = 0  # statements in the store's target graph afterwards
    missing: list[str] = field(default_factory=list)  # PMIDs listed but unreadable


def cached_records(cache: RecordCache, pmids: Sequence[str], missing: list[str] | None = None) -> Iterator[Record]:
    """Records of ``pmids`` from the cache, read in batches (the PMIDs it cannot read are
    appended to ``missing``)."""
    for i in range(0, len(pmids), RECORD_BATCH):
        chunk = list(pmids[i : i + RECORD_BATCH])
        found = cache.get_many(chunk)
        for pmid in chunk:
            record = found.get(pmid)
            if record is None:
                if missing is not None:
                    missing.append(pmid)
                continue
            yield record


def cache_triples(
    T: TermFactory,
    cache: RecordCache,
    pmids: Sequence[str],
    *,
    vocabulary: Vocabulary | None = None,
    level_of: LevelOf | None = None,
    progress: Callable[[int], None] | None = None,
    missing: list[str] | None = None,
    tool_version: str | None = None,
    started: str | None = None,
) -> Iterator[Triple]:
    """The triples ``build --from-cache`` writes: the build activity (PROV-O), the
    vocabulary's concepts, and every record of ``pmids`` with its provenance and level."""
    version = tool_version or __version__
    when = started or utc_now()
    activity = build_iri(when, len(pmids))
    yield from activity_triples(T, activity, tool_version=version, started=when, label="ldn-graph build --from-cache")
    if vocabulary is not None:
        for concept in vocabulary.concepts:
            yield from concept_triples(concept, T)
    yield from record_stream(
        cached_records(cache, pmids, missing), T, activity=T.iri(activity), level_of=level_of, progress=progress
    )


def build_store(
    store_dir: str | Path,
    *,
    result: AuditResult | None = None,
    cache: RecordCache | None = None,
    pmids: Sequence[str] | None = None,
    vocabulary: Vocabulary | None = None,
    graph: str | None = None,
    replace: bool = True,
    levels: bool = True,
    progress: Callable[[int], None] | None = None,
    tool_version: str | None = None,
    started: str | None = None,
) -> BuildStats:
    """Stream records (``pmids`` from ``cache``, default: every cached PMID) and an audit
    ``result`` into the store at ``store_dir``.

    ``graph`` is the named graph to fill (default: the store's default graph); with
    ``replace`` it is emptied first. ``levels`` adds each record's evidence level (the
    mapping in ``ontology/evidence-levels.ttl``). ``progress(n)`` is called as records
    are written. Returns what was written.
    """
    stats = BuildStats(store=str(store_dir), graph=graph)
    T = OxigraphTerms()
    judged = audit_levels(result) if result is not None else {}

    def counted(n: int) -> None:
        stats.records += n
        if progress is not None:
            progress(n)

    def triples() -> Iterator[Triple]:
        if cache is not None:
            yield from cache_triples(
                T,
                cache,
                list(pmids) if pmids is not None else list(cache.pmids()),
                vocabulary=vocabulary,
                level_of=level_function(load_level_rules(), skip=judged) if levels else None,
                progress=counted,
                missing=stats.missing,
                tool_version=tool_version,
                started=started,
            )
        if result is not None:
            stats.documents = len(result.documents)
            yield from audit_triples(result, T, include_vocabulary=vocabulary is None, levels=judged)

    stats.triples = fill_store(store_dir, triples(), graph=graph, replace=replace)
    return stats
