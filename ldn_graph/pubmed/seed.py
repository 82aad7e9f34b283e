"""Seed record files: the read-only layer behind the record cache.

One file per record, ``<seed>/pubmed/<pmid>.json``::

    {"schema": "ldn-graph/record/1",
     "provenance": {"origin", "retrieved_at", "source", "sha256"},
     "study": {...}}                     -- Study.to_dict()

``sha256`` of a study without XML is ``sha256(json.dumps(study_dict, sort_keys=True))``
(UTF-8, :func:`study_sha256`), the rule the cache uses too. The repository's ``cache/``
folder ships these files (:func:`ldn_graph.resources.seed_cache_dir`); the cache reads
them (:class:`~ldn_graph.pubmed.cache.RecordCache`), :func:`write_seed_record` writes one.
A ``source`` is a DTD or file name, never a URL (:func:`clean_source`).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ldn_graph.errors import CacheError, ExportError, InputError
from ldn_graph.files import atomic_output, remove_stale_temp_files
from ldn_graph.ids import is_pmid, validate_pmid
from ldn_graph.model import Provenance, Record, Study
from ldn_graph.terms import Origin
from ldn_graph.text import one_line, utc_now

__all__ = [
    "RECORD_SCHEMA",
    "SeedFolder",
    "clean_source",
    "read_seed_record",
    "study_sha256",
    "write_seed_record",
]

RECORD_SCHEMA = "ldn-graph/record/1"


def study_sha256(study: Study | dict[str, Any]) -> str:
    """sha256 of a study's JSON (``sort_keys=True``, default separators, ASCII)."""
    data = study.to_dict() if isinstance(study, Study) else study
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def clean_source(source: str | None) -> str | None:
    """Keep a DTD or file name; never a URL (with its query string and api_key)."""
    if not source:
        return None
    text = str(source)
    if "://" in text or "?" in text or "api_key" in text.lower():
        text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        text = text.rsplit("/", 1)[-1]
        if "api_key" in text.lower() or "://" in text:
            return None
    return text or None


def read_seed_record(path: str | os.PathLike[str], pmid: str | None = None) -> Record:
    """Read one seed JSON file (``{"schema", "provenance", "study"}``)."""
    path = Path(path)
    hint = "restore the file from the ldn-graph release or delete it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CacheError(
            f"seed record {path} cannot be read ({one_line(str(err))[:120]}); {hint}"
        ) from None
    try:
        if not isinstance(data, dict) or not str(data.get("schema", "")).startswith(
            "ldn-graph/record/"
        ):
            raise ValueError(f"schema is not {RECORD_SCHEMA!r}")
        prov = data.get("provenance") or {}
        study = Study.from_dict(data["study"])
        provenance = Provenance(
            origin=Origin(prov.get("origin") or Origin.TRANSCRIBED),
            retrieved_at=str(prov.get("retrieved_at") or ""),
            source=prov.get("source"),
            sha256=prov.get("sha256"),
        )
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise CacheError(
            f"seed record {path} is not a valid record ({type(err).__name__}: "
            f"{one_line(str(err))[:120]}); {hint}"
        ) from None
    expected = pmid if pmid is not None else path.stem
    if study.pmid != expected:
        raise CacheError(f"seed record {path} holds PMID {study.pmid!r}; {hint}")
    return Record(study=study, provenance=provenance)


class SeedFolder:
    """The seed records under ``root`` (``<root>/pubmed/<pmid>.json``), read-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / "pubmed"

    def path(self, pmid: str) -> Path:
        """The file of ``pmid`` (a validated PMID)."""
        path = self.folder / f"{pmid}.json"
        # pmid is validated, so the name cannot leave the folder; check anyway
        if path.parent != self.folder:
            raise InputError(f"invalid PMID {pmid!r}")
        return path

    def escapes(self, path: Path) -> bool:
        """True when ``path`` (a symlink, say) resolves outside the seed folder."""
        try:
            return not path.resolve().is_relative_to(self.folder.resolve())
        except (OSError, RuntimeError):  # a symlink loop
            return True

    def get(self, pmid: str) -> Record | None:
        """The seed record of ``pmid``, or None; :class:`CacheError` for a damaged file
        or one that points outside the folder."""
        path = self.path(pmid)
        if not path.is_file():
            return None
        if self.escapes(path):
            raise CacheError(
                f"seed record {path} points outside the seed folder {self.root}; remove it "
                "or restore the folder from the ldn-graph release"
            )
        return read_seed_record(path, pmid)

    def pmids(self) -> list[str]:
        """The PMIDs that have a seed file (in no particular order)."""
        if not self.folder.is_dir():
            return []
        return [p.stem for p in self.folder.glob("*.json") if is_pmid(p.stem)]

    def problems(self) -> list[str]:
        """One line per damaged seed file (``"seed <file>: ..."``), in PMID order."""
        problems: list[str] = []
        for pmid in sorted(self.pmids(), key=int):
            path = self.path(pmid)
            if self.escapes(path):
                problems.append(f"seed {path.name}: points outside the seed folder; remove it")
                continue
            try:
                record = read_seed_record(path, pmid)
            except CacheError as err:
                problems.append(f"seed {path.name}: {err}")
                continue
            sha = record.provenance.sha256
            if sha and sha != study_sha256(record.study):
                problems.append(f"seed {path.name}: sha256 of the study does not match")
        return problems


def write_seed_record(directory: str | os.PathLike[str], record: Record) -> Path:
    """Write ``record`` as ``<directory>/pubmed/<pmid>.json`` atomically
    (:func:`ldn_graph.files.atomic_output`: temp file, fsync, rename); returns the path.
    ``provenance.sha256`` defaults to :func:`study_sha256`; a URL-like ``source`` is
    reduced to its last segment. Temp files an earlier, killed writer left in the folder
    are removed first (:func:`ldn_graph.files.remove_stale_temp_files`). Raises
    :class:`~ldn_graph.errors.CacheError` when the file cannot be written."""
    pmid = validate_pmid(record.study.pmid)
    prov = record.provenance
    if prov.origin not in tuple(Origin):
        raise InputError(f"unknown record origin {prov.origin!r}; use one of {', '.join(Origin)}")
    folder = Path(directory) / "pubmed"
    target = folder / f"{pmid}.json"
    payload = {
        "schema": RECORD_SCHEMA,
        "provenance": {
            "origin": prov.origin,
            "retrieved_at": prov.retrieved_at or utc_now(),
            "source": clean_source(prov.source),
            "sha256": prov.sha256 or study_sha256(record.study),
        },
        "study": record.study.to_dict(),
    }
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temp_files(folder)
        with atomic_output(target, "w") as handle:
            handle.write(text)
    except (OSError, ExportError) as err:
        # atomic_output names its OSError as an ExportError; keep the cache's message
        cause = err.__context__ if isinstance(err, ExportError) else err
        reason = cause.strerror or cause if isinstance(cause, OSError) else err
        raise CacheError(f"cannot write seed record {target} ({reason}); check the folder") from None
    return target
