"""Verifying the record cache, and which quarantined records to fetch again.

:meth:`RecordCache.verify` moves damaged rows to the quarantine. :func:`verify_cache`
runs it and tells the records it set aside from those quarantined by earlier runs;
:func:`records_to_refetch` lists the PMIDs worth fetching again: every record this run
quarantined, then every earlier one that was never fetched again (not in the cache, or
only as a transcribed copy). A row whose key was not a PMID is quarantined under the key
``""`` and never fetched again: nothing says which record it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldn_graph.ids import is_pmid
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.terms import Origin

__all__ = ["Verification", "records_to_refetch", "verify_cache"]


@dataclass(frozen=True)
class Verification:
    """What :func:`verify_cache` found."""

    problems: tuple[str, ...]
    """One line per problem (see :meth:`RecordCache.verify`); empty when all is well."""
    quarantined: tuple[str, ...]
    """PMIDs this verification moved to quarantine, in quarantine order (``""`` for a
    row whose key was not a PMID)."""
    earlier: tuple[str, ...]
    """PMIDs quarantined before it, in quarantine order (``""`` as above)."""


def verify_cache(cache: RecordCache) -> Verification:
    """Check every cached record, quarantining damaged ones."""
    before = len(cache.quarantined())
    problems = cache.verify()
    pmids = [pmid for pmid, _ in cache.quarantined()]
    return Verification(tuple(problems), tuple(pmids[before:]), tuple(pmids[:before]))


def records_to_refetch(cache: RecordCache, verification: Verification) -> list[str]:
    """The quarantined PMIDs to fetch again, each once: those ``verification`` set aside,
    then earlier quarantined records that were never fetched again."""
    earlier_pmids = [pmid for pmid in verification.earlier if is_pmid(pmid)]
    current = cache.get_many(earlier_pmids) if earlier_pmids else {}
    earlier = [
        pmid
        for pmid in earlier_pmids
        if pmid not in current or current[pmid].provenance.origin == Origin.TRANSCRIBED
    ]
    this_run = [pmid for pmid in verification.quarantined if is_pmid(pmid)]
    return list(dict.fromkeys([*this_run, *earlier]))
