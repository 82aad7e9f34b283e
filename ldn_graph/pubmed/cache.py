"""The on-disk PubMed record cache: a writable SQLite layer over a read-only seed.

Writable layer: ``<cache dir>/records.sqlite3`` (WAL journal, a busy timeout, one
transaction per :meth:`RecordCache.put_many` call, so concurrent runs are safe and
importing 100k records is not 100k fsyncs). One row per PMID::

    records(pmid TEXT PRIMARY KEY, study TEXT  -- JSON of Study.to_dict()
            raw BLOB                           -- zlib-compressed record XML, or NULL
            origin TEXT                        -- entrez | imported | transcribed
            retrieved_at TEXT                  -- ISO 8601 UTC
            source TEXT                        -- DTD or file name, never a URL
            sha256 TEXT                        -- of the raw XML, else of the study JSON
            has_text INTEGER)                  -- title or abstract present
    meta(key, value)                           -- schema_version, created_at
    resolutions(key, pmid, method, resolved_at) -- PMIDs found online for a DOI, a PMCID
                                               -- or a citation (ldn_graph.pubmed.known)
    searches(query, count, pmids, searched_at) -- searches for suggested sources
                                               -- (ldn_graph.pubmed.searches)
    quarantine(...)                            -- rows verify() found damaged

(:mod:`ldn_graph.pubmed.cachedb` opens the file, creates and upgrades this schema.)

``sha256`` of a study without XML is ``sha256(json.dumps(study_dict, sort_keys=True))``
(UTF-8, :func:`~ldn_graph.pubmed.seed.study_sha256`), the same rule the seed files use.

Seed layer (read-only, consulted after the writable one): ``<seed>/pubmed/<pmid>.json``
(:mod:`ldn_graph.pubmed.seed`). The repository's ``cache/`` folder ships these
(:func:`ldn_graph.resources.seed_cache_dir`).

Every PMID is validated (:func:`ldn_graph.ids.validate_pmid`: 1 to 9 digits without a
leading zero) before use, which also keeps seed file names inside the seed folder. The
cache never stores request URLs or API keys: a ``source`` that looks like a URL is
reduced to its last path segment.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ldn_graph import settings
from ldn_graph.errors import CacheError
from ldn_graph.ids import is_pmid, validate_pmid
from ldn_graph.model import Provenance, Record, Study
from ldn_graph.pubmed.cachedb import database_error, open_database
from ldn_graph.pubmed.rows import (
    SELECT_STORED,
    Row,
    check_stored,
    may_replace,
    quarantine_lines,
    record_row,
)
from ldn_graph.pubmed.seed import SeedFolder
from ldn_graph.terms import Origin
from ldn_graph.text import utc_now

if TYPE_CHECKING:
    from ldn_graph.pubmed.importing import ImportStats
    from ldn_graph.pubmed.known import KnownIdentifiers
    from ldn_graph.pubmed.searches import Searches

__all__ = [
    "DB_NAME",
    "DEFAULT_SEED",
    "RecordCache",
]

DB_NAME = "records.sqlite3"

_VERIFY_HINT = "run `ldn-graph cache verify` to quarantine it, then fetch it again"


class _Default(enum.Enum):
    SEED = "default"


DEFAULT_SEED: Literal[_Default.SEED] = _Default.SEED
"""Use the seed records shipped with ldn-graph (``resources.seed_cache_dir()``)."""


# --------------------------------------------------------------------------- the cache

class RecordCache:
    """PubMed records by PMID: a writable SQLite cache in front of read-only seed files.

    ``directory`` defaults to :func:`ldn_graph.settings.cache_dir`; it is created (with its
    parents) if missing. ``seed`` is a folder holding ``pubmed/<pmid>.json``,
    ``None`` for no seed layer, or :data:`DEFAULT_SEED` for the records shipped with
    ldn-graph. Use one instance per thread; close it (or use ``with``) when done.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        seed: str | os.PathLike[str] | None | Literal[_Default.SEED] = DEFAULT_SEED,
        *,
        timeout: float = 30.0,
    ) -> None:
        self.directory = settings.cache_dir(directory)
        self.path = self.directory / DB_NAME
        if seed is DEFAULT_SEED:
            from ldn_graph import resources

            self.seed: Path | None = resources.seed_cache_dir()
        else:
            self.seed = None if seed is None else Path(seed)
        self._seed = SeedFolder(self.seed) if self.seed is not None else None
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._known: KnownIdentifiers | None = None
        self._searches: Searches | None = None
        self._conn = open_database(self.path, self.timeout)

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> RecordCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __repr__(self) -> str:
        return (
            f"RecordCache({str(self.directory)!r}, seed={str(self.seed) if self.seed else None!r})"
        )

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise CacheError(f"the record cache {self.directory} is closed; open a new RecordCache")
        return self._conn

    def _error(self, err: BaseException, action: str) -> CacheError:
        return database_error(err, self.path, self.timeout, action)

    @contextlib.contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._error(err, action) from None
        try:
            yield conn
        except BaseException as err:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise self._error(err, action) from None
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise self._error(err, action) from None

    def _query(self, action: str, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as err:
            raise self._error(err, action) from None

    # ------------------------------------------------------------------ reading

    def _record(self, pmid: str, study_json: str, origin: str, retrieved_at: str,
                source: str | None, sha: str) -> Record:  # fmt: skip
        try:
            study = Study.from_dict(json.loads(study_json))
            kind = Origin(origin)
        except Exception as err:  # whatever the damage; the message never quotes it
            raise CacheError(
                f"cached record {pmid} in {self.path} cannot be read "
                f"({type(err).__name__}); {_VERIFY_HINT}"
            ) from None
        if study.pmid != pmid:
            raise CacheError(
                f"cached record {pmid} in {self.path} holds another PMID; {_VERIFY_HINT}"
            )
        return Record(
            study=study,
            provenance=Provenance(
                origin=kind, retrieved_at=retrieved_at, source=source, sha256=sha
            ),
        )

    def _seed_get(self, pmid: str) -> Record | None:
        return self._seed.get(pmid) if self._seed is not None else None

    def _seed_pmids(self) -> list[str]:
        return self._seed.pmids() if self._seed is not None else []

    def get(self, pmid: str) -> Record | None:
        """The cached record for ``pmid`` (writable layer first, then the seed), or None."""
        pmid = validate_pmid(pmid)
        rows = self._query(
            "reading a record",
            "SELECT study, origin, retrieved_at, source, sha256 FROM records WHERE pmid = ?",
            (pmid,),
        )
        if rows:
            return self._record(pmid, *rows[0])
        return self._seed_get(pmid)

    def get_many(self, pmids: Iterable[str]) -> dict[str, Record]:
        """Cached records for the PMIDs that have one (a single query on the database)."""
        wanted = list(dict.fromkeys(validate_pmid(p) for p in pmids))
        if not wanted:
            return {}
        rows = self._query(
            "reading records",
            "SELECT pmid, study, origin, retrieved_at, source, sha256 FROM records "
            "WHERE pmid IN (SELECT value FROM json_each(?))",
            (json.dumps(wanted),),
        )
        found = {row[0]: self._record(*row) for row in rows}
        out: dict[str, Record] = {}
        for pmid in wanted:
            record = found.get(pmid) or self._seed_get(pmid)
            if record is not None:
                out[pmid] = record
        return out

    def get_raw(self, pmid: str) -> bytes | None:
        """The stored XML of ``pmid``'s record (writable layer only), or None."""
        pmid = validate_pmid(pmid)
        rows = self._query("reading a record", "SELECT raw FROM records WHERE pmid = ?", (pmid,))
        if not rows or rows[0][0] is None:
            return None
        try:
            return zlib.decompress(rows[0][0])
        except zlib.error as err:
            raise CacheError(
                f"cached XML of {pmid} in {self.path} is damaged ({err}); {_VERIFY_HINT}"
            ) from None

    def __contains__(self, pmid: object) -> bool:
        if not isinstance(pmid, str) or not is_pmid(pmid):
            return False
        return self.get(pmid) is not None

    def pmids(self) -> Iterator[str]:
        """Every cached PMID (both layers), in numeric order."""
        rows = self._query("listing records", "SELECT pmid FROM records")
        everything = {row[0] for row in rows if is_pmid(row[0])} | set(self._seed_pmids())
        yield from sorted(everything, key=int)

    @property
    def known(self) -> KnownIdentifiers:
        """What the cache knows about DOIs, PMCIDs, citations and past resolutions."""
        if self._known is None:
            from ldn_graph.pubmed.known import KnownIdentifiers

            self._known = KnownIdentifiers(self.conn, self._seed, self._error)
        return self._known

    @property
    def searches(self) -> Searches:
        """PubMed searches kept with their query and date."""
        if self._searches is None:
            from ldn_graph.pubmed.searches import Searches

            self._searches = Searches(self.conn, self._error)
        return self._searches

    def info(self) -> dict[str, Any]:
        """Where the cache is and what it holds."""
        origins = dict(
            self._query(
                "reading the cache summary",
                "SELECT origin, COUNT(*) FROM records GROUP BY origin ORDER BY origin",
            )
        )
        quarantined = self._query("reading the cache summary", "SELECT COUNT(*) FROM quarantine")
        resolutions = self._query("reading the cache summary", "SELECT COUNT(*) FROM resolutions")
        searches = self._query("reading the cache summary", "SELECT COUNT(*) FROM searches")
        version = self._query(
            "reading the cache summary", "SELECT value FROM meta WHERE key = 'schema_version'"
        )
        size = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                size += (self.path.parent / (self.path.name + suffix)).stat().st_size
        return {
            "path": str(self.directory),
            "database": str(self.path),
            "schema_version": int(version[0][0]) if version else None,
            "records": sum(origins.values()),
            "origins": origins,
            "quarantined": quarantined[0][0],
            "resolutions": resolutions[0][0],
            "searches": searches[0][0],
            "size_bytes": size,
            "seed": str(self.seed) if self.seed is not None else None,
            "seed_records": len(self._seed_pmids()),
        }

    # ------------------------------------------------------------------ writing

    def put(self, study: Study, provenance: Provenance, raw: bytes | None = None) -> bool:
        """Store one record; False when a better cached record was kept."""
        return self.put_many([(study, provenance, raw)]) == 1

    def put_many(self, items: Iterable[tuple[Study, Provenance, bytes | None]]) -> int:
        """Store records in ONE transaction; returns how many rows were written.

        A record never replaces a better one: a study with no title and no abstract
        does not overwrite a cached study that has them, and a ``transcribed`` record
        does not overwrite one from PubMed XML (``entrez``/``imported``). Within one
        call, a later item for the same PMID wins under the same rule.
        """
        pending: dict[str, Row] = {}
        for study, provenance, raw in items:
            row = record_row(study, provenance, raw)
            previous = pending.get(row[0])
            if previous is not None and not may_replace(
                previous[3], bool(previous[7]), row[3], bool(row[7])
            ):
                continue
            pending[row[0]] = row
        if not pending:
            return 0
        with self._transaction("storing records") as conn:
            existing = {
                pmid: (origin, bool(has_text))
                for pmid, origin, has_text in conn.execute(
                    "SELECT pmid, origin, has_text FROM records "
                    "WHERE pmid IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(pending)),),
                )
            }
            rows = [
                row
                for pmid, row in pending.items()
                if pmid not in existing or may_replace(*existing[pmid], row[3], bool(row[7]))
            ]
            conn.executemany(
                "INSERT INTO records (pmid, study, raw, origin, retrieved_at, source, sha256, "
                "has_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(pmid) DO UPDATE SET "
                "study = excluded.study, raw = excluded.raw, origin = excluded.origin, "
                "retrieved_at = excluded.retrieved_at, source = excluded.source, "
                "sha256 = excluded.sha256, has_text = excluded.has_text",
                rows,
            )
        return len(rows)

    def import_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        progress: Callable[[int], None] | None = None,
        batch_size: int = 5000,
    ) -> ImportStats:
        """Import local PubMed/MEDLINE XML files without any network
        (:func:`ldn_graph.pubmed.importing.import_files`)."""
        from ldn_graph.pubmed.importing import import_files

        return import_files(self.put_many, paths, progress, batch_size)

    def clear(self) -> int:
        """Delete every record of the writable layer (and the quarantine, the
        resolutions found online and the searches kept); returns how many records were deleted. The seed layer
        is read-only and stays."""
        with self._transaction("clearing the cache") as conn:
            count = int(conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
            conn.execute("DELETE FROM records")
            conn.execute("DELETE FROM quarantine")
            conn.execute("DELETE FROM resolutions")
            conn.execute("DELETE FROM searches")
        # give the space back, but never wait on another run for it
        conn = self.conn
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            with contextlib.suppress(sqlite3.Error):
                conn.execute("VACUUM")
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        return count

    # ------------------------------------------------------------------ verification

    def verify(self) -> list[str]:
        """Check every row; move damaged ones to the quarantine table.

        Returns one line per problem (``"<pmid>: <what is wrong> ..."``, or ``"row <n>:
        ..."`` for a row whose key is not a PMID), empty when all is well, so the caller
        can refetch those PMIDs. Rows are read as stored, so text that is not UTF-8 is
        quarantined like any damage, and no line quotes a damaged value. Seed files are
        checked too (``"seed <file>: ..."``) but, being read-only, are only reported.
        """
        problems: list[str] = []
        bad: dict[int, tuple[str | None, str]] = {}  # rowid -> (pmid or None, reason)
        try:
            check = self.conn.execute("PRAGMA quick_check").fetchall()
            if [tuple(r) for r in check] != [("ok",)]:
                problems.append(
                    "database: " + "; ".join(str(r[0]) for r in check[:5]) + f" ({self.path})"
                )
            cursor = self.conn.execute(SELECT_STORED)
            while True:
                rows = cursor.fetchmany(500)
                if not rows:
                    break
                for rowid, *stored in rows:
                    damage = check_stored(*stored)
                    if damage is not None:
                        bad[rowid] = damage
        except sqlite3.Error as err:
            raise self._error(err, "verifying it") from None
        if bad:
            when = utc_now()
            with self._transaction("quarantining damaged records") as conn:
                for rowid, (pmid, reason) in bad.items():
                    # the row as stored, under its PMID ("" when its key is none)
                    conn.execute(
                        "INSERT INTO quarantine (pmid, study, raw, origin, retrieved_at, source, "
                        "sha256, reason, quarantined_at) SELECT ?, study, raw, origin, "
                        "retrieved_at, source, sha256, ?, ? FROM records WHERE rowid = ?",
                        (pmid or "", reason, when, rowid),
                    )
                    conn.execute("DELETE FROM records WHERE rowid = ?", (rowid,))
            problems.extend(quarantine_lines(bad))
        if self._seed is not None:
            problems.extend(self._seed.problems())
        return problems

    def quarantined(self) -> list[tuple[str, str]]:
        """(pmid, reason) of the rows :meth:`verify` set aside."""
        rows = self._query(
            "reading the quarantine", "SELECT pmid, reason FROM quarantine ORDER BY id"
        )
        return [(str(p), str(r)) for p, r in rows]
