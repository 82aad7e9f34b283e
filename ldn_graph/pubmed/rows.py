"""The row format of the cache's ``records`` table: the row of a record, which row may
replace which, and the check of a stored row (``cache verify``).
:mod:`ldn_graph.pubmed.cache` owns the connection."""

from __future__ import annotations

import hashlib
import json
import zlib

from ldn_graph.errors import InputError
from ldn_graph.ids import validate_pmid
from ldn_graph.model import Provenance, Study
from ldn_graph.pubmed.seed import clean_source, study_sha256
from ldn_graph.terms import Origin
from ldn_graph.text import utc_now

#: (pmid, study JSON, compressed raw XML, origin, retrieved_at, source, sha256, has_text)
Row = tuple[str, str, bytes | None, str, str, str | None, str, int]

_AUTHORITATIVE = frozenset({Origin.ENTREZ, Origin.IMPORTED})


def may_replace(old_origin: str, old_has_text: bool, new_origin: str, new_has_text: bool) -> bool:
    """Never replace a good record with a worse one."""
    if old_has_text and not new_has_text:
        return False  # an empty study never hides a cached title/abstract
    # a hand transcription never replaces a record read from PubMed XML
    return not (new_origin == Origin.TRANSCRIBED and old_origin in _AUTHORITATIVE)


def has_text(study: Study) -> bool:
    return bool(study.title.strip() or study.abstract)


def record_row(study: Study, provenance: Provenance, raw: bytes | None) -> Row:
    """The ``records`` row of a record (validated PMID and origin; raw XML compressed)."""
    pmid = validate_pmid(study.pmid)
    if provenance.origin not in tuple(Origin):
        raise InputError(
            f"unknown record origin {provenance.origin!r} for {pmid}; "
            f"use one of {', '.join(Origin)}"
        )
    study_json = json.dumps(study.to_dict(), ensure_ascii=False, separators=(",", ":"))
    if raw:
        raw = bytes(raw)
        sha = hashlib.sha256(raw).hexdigest()
        blob: bytes | None = zlib.compress(raw, 1)
    else:
        sha = study_sha256(study)
        blob = None
    return (
        pmid,
        study_json,
        blob,
        provenance.origin,
        provenance.retrieved_at or utc_now(),
        clean_source(provenance.source),
        sha,
        int(has_text(study)),
    )


def check_row(pmid: str, study_json: str, raw: bytes | None, sha: str) -> str | None:
    """What is wrong with a stored row, or ``None`` when it is sound."""
    from ldn_graph.pubmed.parse import parse_study_xml

    try:
        data = json.loads(study_json)
        study = Study.from_dict(data)
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        return f"study JSON does not load ({type(err).__name__})"
    if study.pmid != pmid:
        return f"study JSON holds PMID {study.pmid!r}"
    if raw is None:
        if study_sha256(data) != sha:
            return "sha256 of the study JSON does not match"
        return None
    try:
        xml = zlib.decompress(raw)
    except zlib.error:
        return "raw XML is not readable (bad compression)"
    if hashlib.sha256(xml).hexdigest() != sha:
        return "sha256 of the raw XML does not match"
    try:
        reparsed = parse_study_xml(xml, source_name=f"cached record {pmid}")
    except InputError:
        return "raw XML does not parse"
    if reparsed.pmid != pmid:
        return f"raw XML holds PMID {reparsed.pmid}"
    return None
