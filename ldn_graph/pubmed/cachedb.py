"""The SQLite file of the record cache: opening it (WAL journal, busy timeout), its
schema and upgrades, and what its errors mean for the user.

:class:`~ldn_graph.pubmed.cache.RecordCache` reads and writes records through the
connection :func:`open_database` returns; every ``sqlite3.Error`` it meets becomes a
:class:`~ldn_graph.errors.CacheError` through :func:`database_error`.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ldn_graph import settings
from ldn_graph.errors import CacheError
from ldn_graph.text import error_line, utc_now

__all__ = ["SCHEMA_VERSION", "database_error", "open_database"]

SCHEMA_VERSION = 3

# the files SQLite keeps beside the database (WAL journal, shared memory, rollback journal)
_COMPANIONS = ("-wal", "-shm", "-journal")

#: Indexes on the identifiers inside each record's study JSON, so a DOI, a PMCID or a
#: citation's year with its volume or first author finds the cached records without a scan.
#: :mod:`ldn_graph.pubmed.known` queries them with the same expressions.
#: A damaged row (text that is not JSON) indexes as NULL instead of failing every write
#: and the upgrade: ``cache verify`` is what finds and quarantines it.
_VALID = "CASE WHEN json_valid(study) THEN study END"
DOI_EXPR = f"lower(json_extract({_VALID}, '$.doi'))"
PMCID_EXPR = f"upper(json_extract({_VALID}, '$.pmcid'))"
YEAR_EXPR = f"json_extract({_VALID}, '$.year')"
VOLUME_EXPR = f"lower(json_extract({_VALID}, '$.volume'))"
AUTHOR_EXPR = f"lower(json_extract({_VALID}, '$.authors[0].last_name'))"
INDEXES = (
    f"CREATE INDEX IF NOT EXISTS records_doi ON records({DOI_EXPR})",
    f"CREATE INDEX IF NOT EXISTS records_pmcid ON records({PMCID_EXPR})",
    f"CREATE INDEX IF NOT EXISTS records_year_volume ON records({YEAR_EXPR}, {VOLUME_EXPR})",
    f"CREATE INDEX IF NOT EXISTS records_year_author ON records({YEAR_EXPR}, {AUTHOR_EXPR})",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    pmid TEXT PRIMARY KEY,
    study TEXT NOT NULL,
    raw BLOB,
    origin TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    source TEXT,
    sha256 TEXT NOT NULL,
    has_text INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pmid TEXT NOT NULL,
    study TEXT,
    raw BLOB,
    origin TEXT,
    retrieved_at TEXT,
    source TEXT,
    sha256 TEXT,
    reason TEXT NOT NULL,
    quarantined_at TEXT NOT NULL
);
""" + "".join(f"{statement};\n" for statement in (
    # version 2: what the cache knows about identifiers (ldn_graph.pubmed.known)
    "CREATE TABLE IF NOT EXISTS resolutions (key TEXT PRIMARY KEY, pmid TEXT NOT NULL, "
    "method TEXT NOT NULL, resolved_at TEXT NOT NULL)",
    *INDEXES,
    # version 3: PubMed searches made for suggested sources (ldn_graph.pubmed.searches)
    "CREATE TABLE IF NOT EXISTS searches (query TEXT PRIMARY KEY, count INTEGER NOT NULL, "
    "pmids TEXT NOT NULL, searched_at TEXT NOT NULL)",
))

# sqlite3's message for a TEXT value that is not UTF-8 (it goes on to quote the bytes)
_UNDECODABLE_RE = re.compile(r"decode to UTF-8 column '(\w{1,40})'", re.IGNORECASE)

# schema upgrades: _MIGRATIONS[n] turns a version-n database into version n+1
def _version_2(conn: sqlite3.Connection) -> None:
    """Resolutions found online, and the identifier indexes (built once, from the rows)."""
    for statement in _SCHEMA.split(";"):
        if "resolutions" in statement or "INDEX" in statement:
            conn.execute(statement)


def _version_3(conn: sqlite3.Connection) -> None:
    """Searches kept with their query and date."""
    for statement in _SCHEMA.split(";"):
        if "searches" in statement:
            conn.execute(statement)


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _version_2, 2: _version_3}


def database_error(err: BaseException, path: Path, timeout: float, action: str) -> CacheError:
    """What a SQLite (or OS) error while ``action`` means for the user, as a
    :class:`CacheError` with the way out."""
    text = error_line(err)
    low = text.lower()
    where = f"the record cache {path}"
    if "could not decode to utf-8" in low:  # sqlite3 quotes the damaged text: never repeat it
        column = _UNDECODABLE_RE.search(text)
        what = f"{column.group(1)} column" if column else "text"
        return CacheError(
            f"{where} holds a record whose {what} is not UTF-8 (seen "
            f"while {action}); run `ldn-graph cache verify` to quarantine it, then fetch it again"
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return CacheError(
            f"{where} is damaged ({text}) while {action}; delete {path.name} there "
            f"(records are fetched again) or set {settings.CACHE_ENV} to another folder"
        )
    if (
        "readonly" in low
        or "read-only" in low
        or "unable to open" in low
        or (isinstance(err, PermissionError))
    ):
        return CacheError(
            f"{where} is not writable ({text}) while {action}; fix the folder's "
            f"permissions or set {settings.CACHE_ENV} (or --cache-dir) to a writable folder"
        )
    if "locked" in low or "busy" in low:
        return CacheError(
            f"{where} stayed locked by another ldn-graph run for {timeout:g} s while "
            f"{action}; wait for it to finish and try again"
        )
    return CacheError(f"{where}: {text} while {action}")


def open_database(path: Path, timeout: float) -> sqlite3.Connection:
    """Open (creating the folder and the schema, migrating an older one) the cache database
    at ``path``: autocommit, WAL journal, a busy timeout of ``timeout`` seconds."""
    directory = path.parent
    if directory.exists() and not directory.is_dir():
        raise CacheError(
            f"the record cache path {directory} is not a folder; "
            f"set {settings.CACHE_ENV} (or --cache-dir) to a folder"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CacheError(
            f"cannot create the record cache folder {directory} "
            f"({err.strerror or err}); set {settings.CACHE_ENV} (or --cache-dir) to a writable folder"
        ) from None
    _refuse_links(path)
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use WAL journal mode (got {mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn, path)
    except sqlite3.Error as err:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        raise database_error(err, path, timeout, "opening it") from None
    return conn


def _refuse_links(path: Path) -> None:
    """The database and its companion files must be real files inside the cache folder:
    a symlink would have every write land wherever it points."""
    for name in (path.name, *(path.name + suffix for suffix in _COMPANIONS)):
        candidate = path.parent / name
        if candidate.is_symlink():
            raise CacheError(
                f"the record cache file {candidate} is a symbolic link; ldn-graph writes "
                f"only a real file in its cache folder: remove the link or set "
                f"{settings.CACHE_ENV} (or --cache-dir) to another folder"
            )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        has_meta = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        version = None
        if has_meta:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else None
        if version is None:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)", (utc_now(),)
            )
        elif version > SCHEMA_VERSION:
            raise CacheError(
                f"the record cache {path} was written by a newer ldn-graph (schema "
                f"{version}; this version reads up to {SCHEMA_VERSION}); upgrade ldn-graph "
                f"or set {settings.CACHE_ENV} to another folder"
            )
        else:
            while version < SCHEMA_VERSION:
                step = _MIGRATIONS.get(version)
                if step is None:
                    raise CacheError(
                        f"the record cache {path} has schema {version}, which this "
                        f"ldn-graph cannot upgrade; set {settings.CACHE_ENV} to another folder"
                    )
                step(conn)
                version += 1
                conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
                )
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
