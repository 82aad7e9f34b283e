"""Suggested sources for the claims an audit could not back: one PubMed search per
distinct (concept, filters), the hits fetched together, judged with the audit's rules.

A claim gets suggestions when its verdict is in :data:`~ldn_graph.terms.SUGGEST_VERDICTS`
(unsupported, off topic, contradicted) or it is overstated. For each distinct concept of
those claims the query of :func:`~ldn_graph.pubmed.query.concept_query` is sent once (a
search kept in the cache is reused until it is older than ``--max-age``); the new hits of
every query are fetched in one go (one efetch per 500 PMIDs), never a request per claim.
Offline, no search is sent: every cached record (a team's cache of the product's
literature) is a candidate, and the same filters and judgement apply. The ranking and the
findings are :mod:`ldn_graph.judge.suggest`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.judge.suggest import Candidate, concept_candidates, suggest_for_claim
from ldn_graph.judge.topic import Matcher
from ldn_graph.model import ClaimSuggestions, Concept, DocumentAudit, Finding, Record, Vocabulary
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.pubmed.query import SearchFilters, concept_query, passes
from ldn_graph.terms import SUGGEST_VERDICTS, FindingKind, ReferenceKind
from ldn_graph.text import older_than

if TYPE_CHECKING:
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.eutils.api import Client
    from ldn_graph.pubmed.retrieve import Retriever

__all__ = ["DEFAULT_MAX_CANDIDATES", "DEFAULT_MAX_SUGGESTIONS", "SuggestOptions", "Suggested", "suggest_sources"]

DEFAULT_MAX_SUGGESTIONS = 3
#: Hits of one search that are fetched and judged (PubMed's Best Match order).
DEFAULT_MAX_CANDIDATES = 200


@dataclass(frozen=True)
class SuggestOptions:
    max_suggestions: int = DEFAULT_MAX_SUGGESTIONS
    filters: SearchFilters = SearchFilters()
    max_candidates: int = DEFAULT_MAX_CANDIDATES


@dataclass
class Suggested:
    """What :func:`suggest_sources` did: the audits with their suggestions and findings,
    the suggested records, notes for the user, and the queries whose search failed."""

    audits: list[DocumentAudit]
    records: dict[str, Record] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # queries whose search failed (and none was kept)


def _needs(audit: DocumentAudit) -> list[int]:
    """Indexes of the claims of ``audit`` that get suggestions."""
    overstated = {f.claim for f in audit.findings if f.kind == FindingKind.OVERSTATED_CLAIM}
    wanted = []
    for i, claim in enumerate(audit.claims):
        try:
            verdict = audit.assessment(claim.id).verdict
        except KeyError:
            continue
        if verdict in SUGGEST_VERDICTS or claim.id in overstated:
            wanted.append(i)
    return wanted


def _search(retriever: Retriever, query: str, limit: int, max_age: float | None, out: Suggested) -> tuple[str, ...]:
    """The hits of ``query``: kept in the cache (while fresh), else from PubMed (and kept)."""
    from ldn_graph.errors import FetchError

    kept = retriever.cache.searches.get(query)
    if kept is not None and (max_age is None or not older_than(kept.searched_at, max_age)):
        return kept.pmids[:limit]
    try:
        result = retriever.client.esearch(query, max_results=limit, sort="relevance")  # the best matches first
    except FetchError as exc:
        out.notes.append(f"PubMed search for suggested sources failed ({exc})"
                         + ("; used the search kept in the cache" if kept is not None else ""))
        if kept is None:
            out.failed.add(query)
        return kept.pmids[:limit] if kept is not None else ()
    out.notes.extend(f"PubMed esearch: {w}" for w in result.warnings)
    return retriever.cache.searches.put(query, result.count, result.pmids).pmids


def _every_cached(cache: RecordCache) -> dict[str, Record]:
    return cache.get_many(list(cache.pmids()))


def suggest_sources(
    audits: Sequence[DocumentAudit],
    vocabulary: Vocabulary,
    rules: LevelRules,
    options: SuggestOptions,
    *,
    cache_dir: str | Path | None = None,
    offline: bool = False,
    max_age_days: float | None = None,
    client: Client | None = None,
) -> Suggested:
    """Suggested sources for every claim of ``audits`` that needs them."""
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    needs = [_needs(a) for a in audits]
    concepts: dict[str, Concept] = {}
    for audit, wanted in zip(audits, needs, strict=True):
        for i in wanted:
            concepts.setdefault(audit.claims[i].concept.iri, audit.claims[i].concept)
    out = Suggested(list(audits))
    if not concepts:
        return out
    queries = {iri: concept_query(vocabulary, c, rules, options.filters) for iri, c in concepts.items()}
    with RecordCache(cache_dir) as cache:
        retriever = Retriever(cache, client, Policy(offline=offline, max_age_days=max_age_days))
        if offline:
            everything = _every_cached(cache)
            pool: dict[str, list[Record]] = {iri: list(everything.values()) for iri in queries}
            out.notes.append(f"offline: suggested sources come from the {len(everything)} cached records "
                             "(no PubMed search was sent)")
        else:
            hits = {iri: _search(retriever, q, options.max_candidates, max_age_days, out)
                    for iri, q in queries.items()}
            retrieval = retriever.get([p for pmids in hits.values() for p in pmids])
            out.notes.extend(retrieval.notes)
            pool = {iri: [retrieval.records[p] for p in pmids if p in retrieval.records] for iri, pmids in hits.items()}
    matcher = Matcher(vocabulary)
    candidates: dict[str, list[Candidate]] = {}
    for iri, concept in concepts.items():
        found = concept_candidates(concept, pool[iri], matcher, rules)
        candidates[iri] = [(check, record) for check, record in found
                           if passes(record.study, check.evidence.level if check.evidence else None, rules,
                                     options.filters)]
    out.audits = [_with_suggestions(a, wanted, candidates, queries, rules, options, out)
                  for a, wanted in zip(audits, needs, strict=True)]
    return out


def _with_suggestions(audit: DocumentAudit, wanted: list[int], candidates: dict[str, list[Candidate]],
                      queries: dict[str, str], rules: LevelRules, options: SuggestOptions,
                      out: Suggested) -> DocumentAudit:
    if not wanted:
        return audit
    pmid_of = {r.label: r.pmid for r in audit.references if r.kind == ReferenceKind.PUBMED and r.pmid}
    suggestions: list[ClaimSuggestions] = []
    findings: list[Finding] = []
    for i in wanted:
        claim = audit.claims[i]
        pool = candidates[claim.concept.iri]
        cited = {pmid_of[label] for label in claim.cited if label in pmid_of}
        chosen, raised = suggest_for_claim(claim, pool, rules, options.max_suggestions, cited)
        query = queries[claim.concept.iri]
        note = None
        if query in out.failed:
            note = "the PubMed search failed (see the run's notes)"
        elif not chosen:
            note = (f"no study of {claim.concept.label} was found" if not pool
                    else "the studies found are the ones the document already cites")
        suggestions.append(ClaimSuggestions(claim.id, query, len(pool), chosen, note))
        findings.extend(raised)
        by_pmid = {record.study.pmid: record for _check, record in pool}
        out.records.update((s.pmid, by_pmid[s.pmid]) for s in chosen)
    return replace(audit, suggestions=tuple(suggestions), findings=audit.findings + tuple(findings))
