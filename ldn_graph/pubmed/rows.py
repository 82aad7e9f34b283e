"""The row format of the cache's ``records`` table: the row of a record, which row may
replace which, and the check of a stored row (``cache verify``), read as stored so that a
damaged one — text that is not UTF-8, a key that is not a PMID — is named, never decoded
into a message.
:mod:`ldn_graph.pubmed.cache` owns the connection."""

from __future__ import annotations

import hashlib
import json
import zlib

from ldn_graph.errors import InputError
from ldn_graph.ids import is_pmid, validate_pmid
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


#: The ``records`` columns :func:`check_stored` reads, each as stored (text as bytes, so
#: a value that is not UTF-8 can be named without being decoded): the key first.
STORED_COLUMNS = ("pmid", "study", "raw", "origin", "retrieved_at", "source", "sha256")
#: Every ``records`` row that way: its rowid, then :data:`STORED_COLUMNS`.
SELECT_STORED = (
    "SELECT rowid, " + ", ".join(f"CAST({c} AS BLOB)" for c in STORED_COLUMNS) + " FROM records"
)


def check_stored(
    key: object, study: object, raw: object, origin: object, retrieved_at: object,
    source: object, sha: object,
) -> tuple[str | None, str] | None:
    """What is wrong with a ``records`` row read as stored (:data:`STORED_COLUMNS`, text
    as bytes): ``(the PMID its key holds, or None; the reason)``, or ``None`` when it is
    sound. The reason never quotes the row's content."""
    pmid = _text(key)
    if not is_pmid(pmid):
        return None, "its key is not a PMID"
    reason = _check_columns(str(pmid), study, raw, origin, retrieved_at, source, sha)
    return None if reason is None else (pmid, reason)


def _check_columns(
    pmid: str, study: object, raw: object, origin: object, retrieved_at: object,
    source: object, sha: object,
) -> str | None:
    texts = {"study JSON": study, "origin": origin, "retrieval time": retrieved_at,
             "sha256": sha}
    for what, value in texts.items():
        if value is None:
            return f"{what} is missing"
        if _text(value) is None:
            return f"{what} is not UTF-8 text"
    if source is not None and _text(source) is None:
        return "source is not UTF-8 text"
    if _text(origin) not in tuple(Origin):
        return f"origin is not one of {', '.join(Origin)}"
    return check_row(pmid, str(_text(study)), raw if isinstance(raw, bytes) else None,
                     str(_text(sha)))


def quarantine_lines(bad: dict[int, tuple[str | None, str]]) -> list[str]:
    """``cache verify``'s lines for the rows it quarantined (rowid → (PMID or None,
    reason)): by PMID, then the rows whose key is none, by rowid."""
    ordered = sorted(bad.items(), key=lambda kv: (kv[1][0] is None, int(kv[1][0] or 0), kv[0]))
    return [
        f"{pmid}: {reason}; moved to quarantine, fetch it again" if pmid
        else f"row {rowid}: {reason}; moved to quarantine"
        for rowid, (pmid, reason) in ordered
    ]


def _text(value: object) -> str | None:
    """A stored text column: ``str``, or bytes that are UTF-8; else ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def check_row(pmid: str, study_json: str, raw: bytes | None, sha: str) -> str | None:
    """What is wrong with a stored row (its text columns decoded), or ``None`` when it is
    sound. The reason never quotes the row's content."""
    from ldn_graph.pubmed.parse import parse_study_xml

    try:
        data = json.loads(study_json)
        study = Study.from_dict(data)
    except Exception as err:  # any failure to load is damage, whatever the JSON holds
        return f"study JSON does not load ({type(err).__name__})"
    if study.pmid != pmid:
        return f"study JSON holds {_another_pmid(study.pmid)}"
    if raw is None:
        try:
            matches = study_sha256(data) == sha
        except Exception:  # a study that loads but does not serialize again
            matches = False
        return None if matches else "sha256 of the study JSON does not match"
    try:
        xml = zlib.decompress(raw)
    except zlib.error:
        return "raw XML is not readable (bad compression)"
    if hashlib.sha256(xml).hexdigest() != sha:
        return "sha256 of the raw XML does not match"
    try:
        reparsed = parse_study_xml(xml, source_name=f"cached record {pmid}")
    except Exception:  # InputError, or anything else the stored XML trips
        return "raw XML does not parse"
    if reparsed.pmid != pmid:
        return f"raw XML holds {_another_pmid(reparsed.pmid)}"
    return None


def _another_pmid(value: object) -> str:
    return f"PMID {value}" if is_pmid(value) else "no valid PMID"
