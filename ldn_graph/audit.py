"""Orchestration: ``audit(paths, options) -> AuditResult``.

Read every input (an unreadable one becomes an :class:`InputProblem`, the others are
still audited), find references and claims, get the cited PubMed records cache-first,
assess each claim, and collect findings. Whatever goes wrong while one document is read,
extracted or assessed — an unexpected exception included (a library's surprise at a
hostile file, or a bug) — costs that document only: it becomes an ``InputProblem`` with a
one-line message, and the others are audited; a service failure still ends the run.
``audit_text`` audits a string and ``audit_documents`` documents already read. Long work
reports to a
:data:`~ldn_graph.progress.Progress` callback (stages read, fetch and assess).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from ldn_graph._version import __version__
from ldn_graph.errors import InputError, LdnGraphError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references, merge_resolved, relabel
from ldn_graph.judge.evidence import DocumentContext, assess_document
from ldn_graph.model import (
    AuditResult,
    CitedWork,
    Claim,
    Document,
    DocumentAudit,
    InputProblem,
    Marker,
    Reference,
    RunInfo,
    Vocabulary,
)
from ldn_graph.ontology.levels import LevelRules, load_level_rules
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.progress import Progress
from ldn_graph.read.bibliography import read_bibliography
from ldn_graph.read.documents import read_document, read_html_document, read_text_document
from ldn_graph.suggest import SuggestOptions
from ldn_graph.terms import ReferenceKind, Stage
from ldn_graph.text import one_line, utc_now

if TYPE_CHECKING:
    from ldn_graph.judge.suppress import Suppression
    from ldn_graph.pubmed.eutils.api import Client
    from ldn_graph.pubmed.retrieve import Retriever


logger = logging.getLogger(__name__)
_T = TypeVar("_T")
_P = ParamSpec("_P")


def per_document(
    problems: list[InputProblem], path: str, stage: str, work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
) -> _T | None:
    """``work(*args, **kwargs)`` for one document, or None when it failed for that document alone; the
    failure is added to ``problems`` as one line. An ``InputError`` already says what is
    wrong and what to do; any other exception was not foreseen (a library's surprise at a
    hostile file, or a bug): the line names it, the traceback goes to this module's
    logger. The library's other errors (a service, the cache, an output) end the run."""
    try:
        return work(*args, **kwargs)
    except LdnGraphError as exc:
        if not isinstance(exc, InputError):
            raise
        problems.append(InputProblem(path, str(exc)))
    except Exception as exc:  # the boundary of one document
        logger.debug("%s: unexpected error while it was %s", path, stage, exc_info=exc)
        detail = one_line(str(exc), 200)
        what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        problems.append(InputProblem(
            path,
            f"{path}: could not be {stage} (unexpected {what}); the other files were audited; "
            "re-save this one, and report the error if it stays",
        ))
    return None


@dataclass(frozen=True)
class AuditOptions:
    offline: bool = False
    cache_dir: str | Path | None = None
    vocabulary: str | Path | None = None
    max_age_days: float | None = None
    suppress: str | Path | None = None  # reviewer suppressions file (YAML or JSON)
    references: tuple[str | Path, ...] = ()  # bibliography files every document cites from
    suggest: SuggestOptions | None = None  # suggested sources for the claims without support
    sentence_model: bool = True  # add the claims the vocabulary's sentence model finds, where one ships


@dataclass
class _Parsed:
    document: Document
    references: list[Reference]
    markers: list[Marker]
    claims: list[Claim] = field(default_factory=list)


def _parse(doc: Document, vocab: Vocabulary, library: Sequence[CitedWork] = (), learned: bool = True) -> _Parsed:
    refs, markers = find_references(doc, library)
    return _Parsed(doc, refs, markers, extract_claims(doc, vocab, refs, markers, learned))


def _resolve(p: _Parsed, retriever: Retriever) -> bool:
    """Resolve ``p``'s references, then make one reference of those that turned out to
    be one work, and point its markers and claims at it; True when done."""
    from ldn_graph.pubmed.resolve import resolved_references

    refs, alias = merge_resolved(resolved_references(p.references, retriever))
    p.references = refs
    if alias:
        p.markers = [replace(m, labels=relabel(m.labels, alias)) for m in p.markers]
        p.claims = [replace(c, cited=relabel(c.cited, alias)) for c in p.claims]
    return True


def audit(
    paths: Sequence[str | Path | Document | InputProblem],
    options: AuditOptions = AuditOptions(),
    *,
    vocabulary: Vocabulary | None = None,
    rules: LevelRules | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """Audit the documents at ``paths`` (a :class:`Document` among them, standard input
    read by the caller, is taken as it is; an :class:`InputProblem` is reported), in their
    order; an unreadable one becomes an
    ``InputProblem`` in ``result.errors`` and the others are still audited. ``client``:
    the E-utilities client (default: one from the environment, built only if a request is
    due)."""
    documents: list[Document] = []
    errors: list[InputProblem] = []
    for path in paths:
        if isinstance(path, Document):
            documents.append(path)
            continue
        if isinstance(path, InputProblem):  # an input the caller could not read
            errors.append(path)
            continue
        document = per_document(errors, str(path), "read", read_document, path)
        if document is not None:
            documents.append(document)
        if progress is not None:
            progress(Stage.READ, 1, len(paths))
    return audit_documents(
        documents, options, errors=errors, vocabulary=vocabulary, rules=rules,
        client=client, progress=progress,
    )


def audit_text(
    text: str,
    options: AuditOptions = AuditOptions(),
    *,
    name: str = "<string>",
    media_type: str = "text/plain",
    vocabulary: Vocabulary | None = None,
) -> AuditResult:
    """Audit copy held in a string (``media_type`` ``text/plain``, ``text/markdown`` or
    ``text/html``); ``name`` stands for its path in the report."""
    data = text.encode("utf-8")
    if media_type == "text/html":
        document = read_html_document(data, name)
    else:
        document = read_text_document(data, name, media_type)
    return audit_documents([document], options, vocabulary=vocabulary)


def audit_documents(
    documents: Sequence[Document],
    options: AuditOptions = AuditOptions(),
    *,
    errors: Sequence[InputProblem] = (),
    vocabulary: Vocabulary | None = None,
    rules: LevelRules | None = None,
    client: Client | None = None,
    progress: Progress | None = None,
) -> AuditResult:
    """The pipeline on documents already read."""
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    vocab = vocabulary or load_vocabulary(options.vocabulary)
    suppressions = None
    if options.suppress is not None:  # read first: a bad file costs no work
        from ldn_graph.judge.suppress import load_suppressions

        suppressions = load_suppressions(options.suppress)
    level_rules = rules or load_level_rules()
    library = [work for path in options.references for work in read_bibliography(path).works]
    problems = list(errors)
    parsed: list[_Parsed] = []
    for doc in documents:
        item = per_document(problems, doc.path, "read", _parse, doc, vocab, library, options.sentence_model)
        if item is not None:
            parsed.append(item)
    with RecordCache(options.cache_dir) as cache:
        policy = Policy(offline=options.offline, max_age_days=options.max_age_days)
        retriever = Retriever(cache, client, policy)
        resolved: list[_Parsed] = []
        for p in parsed:
            if per_document(problems, p.document.path, "audited", _resolve, p, retriever) is not None:
                resolved.append(p)
        parsed = resolved
        pmids = [r.pmid for p in parsed for r in p.references if r.kind == ReferenceKind.PUBMED and r.pmid]
        retrieval = retriever.get(pmids, progress=progress)
    audits: list[DocumentAudit] = []
    for p in parsed:
        ctx = DocumentContext(p.references, retrieval.records, retrieval.unavailable, p.markers)
        judged = per_document(
            problems, p.document.path, "audited",
            assess_document, p.claims, ctx, vocab, level_rules,
        )
        if judged is None:
            continue
        assessments, findings = judged
        audits.append(
            DocumentAudit(p.document, tuple(p.references), tuple(p.markers), tuple(p.claims), tuple(assessments), tuple(findings))
        )
        if progress is not None:
            progress(Stage.ASSESS, 1, len(parsed))
    notes = [note for a in audits for note in a.document.notes] + list(retrieval.notes)
    run = RunInfo(
        tool_version=__version__,
        generated_at=utc_now(),
        vocabulary_source=vocab.source,
        vocabulary_sha256=vocab.sha256,
        offline=options.offline,
        notes=tuple(notes),
    )
    used = {pmid: retrieval.records[pmid] for pmid in pmids if pmid in retrieval.records}
    result = AuditResult(run, tuple(audits), tuple(problems), used, dict(retrieval.unavailable), vocab)
    return finish(result, options, rules=level_rules, client=client, suppressions=suppressions)


def finish(result: AuditResult, options: AuditOptions, *, rules: LevelRules | None = None,
           client: Client | None = None, suppressions: list[Suppression] | None = None) -> AuditResult:
    """The steps that follow the audit of every document: suggested sources
    (``options.suggest``: one search per concept for the whole run) and then the
    reviewer's suppressions (``options.suppress``, or ``suppressions`` already read),
    which cover the findings of both."""
    audits = list(result.documents)
    notes = list(result.run.notes)
    suggested = dict(result.suggested_records)
    vocab = result.vocabulary or load_vocabulary(options.vocabulary)
    if options.suggest is not None:
        from ldn_graph.suggest import suggest_sources

        done = suggest_sources(audits, vocab, rules or load_level_rules(), options.suggest,
                               cache_dir=options.cache_dir, offline=options.offline,
                               max_age_days=options.max_age_days, client=client)
        audits, suggested = done.audits, {**suggested, **done.records}
        notes.extend(done.notes)
    if options.suppress is not None:
        from ldn_graph.judge.suppress import apply_suppressions, load_suppressions

        if suppressions is None:
            suppressions = load_suppressions(options.suppress)
        audits, unmatched = apply_suppressions(audits, suppressions)
        notes.extend(unmatched)
    if options.suggest is None and options.suppress is None:
        return result
    return replace(result, run=replace(result.run, notes=tuple(dict.fromkeys(notes))), documents=tuple(audits),
                   suggested_records=suggested)
