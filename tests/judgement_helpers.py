"""Synthetic records and the offline audit of one claim over them, for the judge's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.model import AbstractSection, Author, Provenance, Study
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.terms import Origin


def synthetic_study(pmid: str, title: str, *sections: tuple[str, str], **kw: object) -> Study:
    """A record named synthetic (its title says so; journal "Synthetic J") with the abstract
    ``sections`` as (label, text) pairs."""
    return Study(pmid=pmid, title=f"Synthetic record: {title}",
                 abstract=tuple(AbstractSection(text, label) for label, text in sections),
                 authors=(Author("Synthetic", None, "A"),), year=2021, journal="Synthetic J", **kw)  # type: ignore[arg-type]


def cache_with(tmp_path: Path, *records: Study) -> Path:
    """A record cache under ``tmp_path`` holding ``records``."""
    folder = tmp_path / "cache"
    with RecordCache(folder) as cache:
        for record in records:
            cache.put(record, Provenance(Origin.TRANSCRIBED, "2026-12-01T00:00:00+00:00", "synthetic"))
    return folder


def audited_with(tmp_path: Path, claim: str, pmid: str, *records: Study) -> Any:
    """The offline audit of ``claim`` citing ``pmid`` as its reference 1, over a cache of ``records``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    cache = cache_with(tmp_path, *records)
    page = tmp_path / "copy.txt"
    page.write_text(f"{claim}\n\nReferences\n1. PMID: {pmid}\n", encoding="utf-8")
    [doc] = audit([page], AuditOptions(offline=True, cache_dir=cache)).documents
    return doc


def judged(tmp_path: Path, claim: str, concept: str, *records: Study) -> tuple[Any, Any, Any]:
    """The offline audit of ``claim`` citing ``records[0]`` as its reference 1: the document,
    its claim of ``concept`` and that claim's assessment."""
    doc = audited_with(tmp_path, claim, records[0].pmid, *records)
    [found] = [c for c in doc.claims if c.concept.name == concept]
    return doc, found, doc.assessment(found.id)
