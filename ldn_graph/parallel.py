"""Auditing many files in parallel processes: ``audit_in_parallel(paths, options, jobs)``.

The inputs are cut into contiguous runs, each audited by :func:`ldn_graph.audit.audit` in
a worker process (started fresh, ``spawn``: no state of the parent is shared but the
arguments), all with the same options and so one shared record cache (SQLite in WAL mode,
safe for concurrent runs, and one rate limit for NCBI through its state file). The
results are joined in input order, so ``jobs=1`` and ``jobs=N`` give the same report.
Documents already read (standard input) are audited in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from ldn_graph.audit import AuditOptions, audit, finish
from ldn_graph.model import AuditResult, Document, InputProblem, Vocabulary

__all__ = ["audit_in_parallel", "default_jobs"]

Item = str | Path | Document | InputProblem


def default_jobs() -> int:
    """``LDN_GRAPH_JOBS``, else the core count this process may use."""
    from ldn_graph import settings

    chosen = settings.jobs_from_env()
    if chosen is not None:
        return chosen
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def _runs(items: Sequence[Item], jobs: int) -> list[list[Item]]:
    """Contiguous runs of ``items``, two per worker (so one slow file does not hold a
    worker's whole share), in order."""
    count = min(len(items), jobs * 2) or 1
    size, extra = divmod(len(items), count)
    runs, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        runs.append(list(items[start:end]))
        start = end
    return [r for r in runs if r]


def _join(parts: Sequence[AuditResult]) -> AuditResult:
    first = parts[0]
    notes = tuple(dict.fromkeys(note for part in parts for note in part.run.notes))
    records = {pmid: rec for part in parts for pmid, rec in part.records.items()}
    unavailable = {pmid: why for part in parts for pmid, why in part.unavailable.items() if pmid not in records}
    return replace(
        first,
        run=replace(first.run, notes=notes),
        documents=tuple(d for part in parts for d in part.documents),
        errors=tuple(e for part in parts for e in part.errors),
        records=records,
        unavailable=unavailable,
    )


def audit_in_parallel(items: Sequence[Item], options: AuditOptions, jobs: int) -> AuditResult:
    """:func:`~ldn_graph.audit.audit` of ``items`` in ``jobs`` processes, joined in input
    order (with ``jobs <= 1``, or one item, in this process)."""
    if jobs <= 1 or len(items) <= 1:
        return audit(items, options)
    from ldn_graph.ontology.vocabulary import load_vocabulary

    runs = _runs(items, jobs)
    vocabulary = load_vocabulary(options.vocabulary)  # read once, handed to every run
    each = replace(options, suggest=None, suppress=None)  # once, for the whole run, below
    with ProcessPoolExecutor(max_workers=min(jobs, len(runs)), mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_audit_run, runs, [each] * len(runs), [vocabulary] * len(runs)))
    return finish(_join(parts), options)


def _audit_run(items: list[Item], options: AuditOptions, vocabulary: Vocabulary) -> AuditResult:
    return audit(items, options, vocabulary=vocabulary)
