"""Importing local PubMed/MEDLINE XML files (.xml or .xml.gz) into the record cache, with
no network: records in batches of one transaction each, a file that cannot be read (fully)
reported and the others imported, a record whose PMID is not valid skipped and named."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.ids import is_pmid
from ldn_graph.model import Provenance, Study
from ldn_graph.terms import Origin
from ldn_graph.text import utc_now

__all__ = ["MAX_INVALID_NAMED", "ImportStats", "import_files"]

#: Records with an invalid PMID named one per line by an import before "and N more".
MAX_INVALID_NAMED = 20


@dataclass(frozen=True)
class ImportStats:
    """What :meth:`RecordCache.import_files` did."""

    files: int  # files read to the end
    records: int  # records parsed
    stored: int  # rows written (new or replaced)
    skipped: int  # parsed records kept out: the cache already held a better one
    # one line per file that could not be read (fully), and per record skipped for an
    # invalid PMID (the first MAX_INVALID_NAMED of them, then one line for the rest)
    errors: tuple[str, ...] = ()
    invalid: int = 0  # records skipped because their PMID is not valid (not in ``records``)


def import_files(
    put_many: Callable[[list[tuple[Study, Provenance, bytes | None]]], int],
    paths: Iterable[str | os.PathLike[str]],
    progress: Callable[[int], None] | None = None,
    batch_size: int = 5000,
) -> ImportStats:
    """Import local PubMed/MEDLINE XML (.xml or .xml.gz) files without any network,
    storing them with ``put_many`` (:meth:`RecordCache.put_many`, one transaction a call).

    Records get origin ``imported`` and the file name as source; ``batch_size``
    records go in per transaction. ``progress`` is called with the number of records
    parsed so far after each batch. A file that cannot be read (fully) is reported
    in ``errors``: its records parsed before the fault are kept, other files go on.
    A record whose PMID is not valid (``0``, ten digits, letters) is skipped and
    named in ``errors``; the records around it are stored.
    """
    from ldn_graph.pubmed.parse import invalid_pmid_note, iter_records

    batch_size = max(1, int(batch_size))
    files = records = stored = invalid = 0
    errors: list[str] = []
    batch: list[tuple[Study, Provenance, bytes | None]] = []

    def flush() -> None:
        nonlocal stored
        if batch:
            stored += put_many(batch)
            batch.clear()
            if progress is not None:
                progress(records)

    for path in paths:
        name = Path(path).name
        when = utc_now()
        try:
            for number, parsed in enumerate(iter_records(path, source_name=name), 1):
                if not is_pmid(parsed.study.pmid):
                    invalid += 1
                    if invalid <= MAX_INVALID_NAMED:
                        errors.append(invalid_pmid_note(parsed.study.pmid,
                                                        f"{name}: record {number}"))
                    continue
                records += 1
                batch.append(
                    (parsed.study, Provenance(Origin.IMPORTED, when, source=name), parsed.raw)
                )
                if len(batch) >= batch_size:
                    flush()
        except InputError as err:
            errors.append(str(err))
            flush()
            continue
        files += 1
    flush()
    if invalid > MAX_INVALID_NAMED:
        errors.append(f"{invalid - MAX_INVALID_NAMED} more record(s) with a PMID that is "
                      "not valid were skipped")
    return ImportStats(
        files=files,
        records=records,
        stored=stored,
        skipped=records - stored,
        errors=tuple(errors),
        invalid=invalid,
    )

