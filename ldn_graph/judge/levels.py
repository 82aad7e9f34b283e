"""Evidence levels: grade a PubMed record by the level rules of ``ontology/evidence-levels.ttl``.

Pure functions over model objects: publication types (by UI) first, then MeSH rules, then
design words in the title or abstract, then the journal; ``unknown`` with the reason.
:func:`level_function` is what a cache build (above ``rdf``) hands the store to grade the
records it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ldn_graph.judge.abstract import design_text
from ldn_graph.model import Record, Study
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import EvidenceLevel, Origin


def evidence_level(study: Study, rules: LevelRules, origin: str | None = None) -> tuple[EvidenceLevel, str]:
    """(level, reason) for one record.

    Publication types (by UI) first, then MeSH rules (Animals without Humans → preclinical),
    then design words in the title/abstract (not in its background, nor in the trials it
    calls for), then the journal; ``unknown`` with the reason.
    """
    pubtype = rules.level_for_publication_types(pt.ui for pt in study.publication_types)
    mesh_level = rules.level_for_mesh(m.ui for m in study.mesh)
    if mesh_level == EvidenceLevel.PRECLINICAL:
        return mesh_level, "MeSH lists Animals (D000818) or In Vitro Techniques without Humans (D006801)"
    if pubtype is not None:
        level, ui = pubtype
        return level, f"publication type {rules.publication_type_names.get(ui, ui)} ({ui})"
    if mesh_level is not None:
        return mesh_level, "MeSH rule"
    for where, text in (("title", study.title), ("abstract", design_text(study, title=False))):
        hits = rules.design_word_matches(text) if text else ()
        if hits:
            level, words = hits[0]
            return level, f"design words in its {where}: {words!r}"
    journal = rules.level_for_journal(study.journal, study.journal_abbrev)
    if journal is not None:
        return journal[0], f"published in {journal[1]}"
    why = []
    if origin == Origin.TRANSCRIBED:
        why.append("the cached record is a title-only transcription")
    if not study.publication_types:
        why.append("the record has no publication types")
    why.append("no design words in its title" + ("" if study.abstract else " (no abstract)"))
    return EvidenceLevel.UNKNOWN, "; ".join(why)


def grade(record: Record, rules: LevelRules) -> tuple[EvidenceLevel, str]:
    """(level, reason) for a cached record (its provenance says whether it is a transcription)."""
    return evidence_level(record.study, rules, record.provenance.origin)


def level_function(
    rules: LevelRules, skip: Iterable[str] = ()
) -> Callable[[Record], tuple[EvidenceLevel, str] | None]:
    """A grader for a cache build: ``(level, reason)`` of a record, or ``None`` for the
    PMIDs in ``skip`` (an audit writes its own level for those)."""
    skipped = set(skip)

    def level_of(record: Record) -> tuple[EvidenceLevel, str] | None:
        if record.study.pmid in skipped:
            return None
        return grade(record, rules)

    return level_of
