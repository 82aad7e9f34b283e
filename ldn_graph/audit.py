"""Orchestration: ``audit(paths, options) -> AuditResult``.

Read every input (an unreadable one becomes an :class:`InputProblem`, the others are
still audited), find references and claims, get the cited PubMed records cache-first,
assess each claim, and collect findings.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .claims import extract_claims
from .documents import read_document
from .errors import InputError
from .evidence import DocumentContext, assess_document
from .model import AuditResult, Document, DocumentAudit, InputProblem, RunInfo, Vocabulary
from .references import find_references
from .vocabulary import LevelRules, load_level_rules


@dataclass(frozen=True)
class AuditOptions:
    offline: bool = False
    cache_dir: str | Path | None = None
    vocabulary: str | Path | None = None
    max_age_days: float | None = None
    refresh: bool = False
    suppress: str | Path | None = None  # reviewer suppressions file (YAML or JSON)


@dataclass
class _Parsed:
    document: Document
    references: list
    markers: list
    claims: list = field(default_factory=list)


def audit(
    paths: Sequence[str | Path],
    options: AuditOptions = AuditOptions(),
    *,
    vocabulary: Vocabulary | None = None,
    rules: LevelRules | None = None,
    client_factory: Callable[[], object] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> AuditResult:
    from .pubmed.cache import RecordCache
    from .pubmed.retrieve import get_records
    from .vocabulary import load_vocabulary

    vocab = vocabulary or load_vocabulary(options.vocabulary)
    suppressions = None
    if options.suppress is not None:
        from .suppress import load_suppressions

        suppressions = load_suppressions(options.suppress)
    level_rules = rules or load_level_rules()
    errors: list[InputProblem] = []
    parsed: list[_Parsed] = []
    for path in paths:
        try:
            doc = read_document(path)
        except InputError as exc:
            errors.append(InputProblem(str(path), str(exc)))
            continue
        refs, markers = find_references(doc)
        item = _Parsed(doc, refs, markers)
        item.claims = extract_claims(doc, vocab, refs, markers)
        parsed.append(item)
    pmids = [r.pmid for p in parsed for r in p.references if r.kind == "pubmed" and r.pmid]
    cache = RecordCache(options.cache_dir)
    retrieval = get_records(
        pmids,
        cache,
        offline=options.offline,
        refresh=options.refresh,
        max_age_days=options.max_age_days,
        client_factory=client_factory,
        progress=(lambda n: progress("fetch", n, len(pmids))) if progress else None,
    )
    audits: list[DocumentAudit] = []
    for p in parsed:
        ctx = DocumentContext(p.references, retrieval.records, retrieval.unavailable, options.offline)
        assessments, findings = assess_document(p.claims, ctx, vocab, level_rules)
        audits.append(
            DocumentAudit(p.document, tuple(p.references), tuple(p.markers), tuple(p.claims), tuple(assessments), tuple(findings))
        )
    notes = list(retrieval.notes)
    if suppressions is not None:
        from .suppress import apply_suppressions

        audits, unmatched = apply_suppressions(audits, suppressions)
        notes.extend(unmatched)
    run = RunInfo(
        tool_version=__version__,
        generated_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        vocabulary_source=vocab.source,
        vocabulary_sha256=vocab.sha256,
        offline=options.offline,
        notes=tuple(notes),
    )
    used = {pmid: retrieval.records[pmid] for pmid in pmids if pmid in retrieval.records}
    return AuditResult(run, tuple(audits), tuple(errors), used, dict(retrieval.unavailable), vocab)
