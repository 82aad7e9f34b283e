"""What the record cache knows about identifiers, so a reference without a PMID is
resolved offline when the cache can tell.

* Records by identifier: the cached records (both layers) whose DOI or PMCID is the
  given one, and those that could be the work a citation names: same year and volume,
  or same year and first author (indexed in SQLite, :data:`~ldn_graph.pubmed.cachedb.INDEXES`;
  the seed layer is read once into memory). These are *candidates*:
  :func:`ldn_graph.pubmed.verify.verify_candidate` decides.
* Resolutions found online: ``key → PMID`` with the method and when it was found, for
  the keys of :func:`resolution_keys` (a DOI, a PMCID, a citation's author, year, volume
  and page). Shown by ``cache info``, removed by ``cache clear``, aged by ``--max-age``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ldn_graph.extract.citations import CitationFields, surname_key
from ldn_graph.ids import identifier_key
from ldn_graph.pubmed.cachedb import AUTHOR_EXPR, DOI_EXPR, PMCID_EXPR, VOLUME_EXPR, YEAR_EXPR
from ldn_graph.text import utc_now

if TYPE_CHECKING:
    from ldn_graph.errors import CacheError
    from ldn_graph.pubmed.seed import SeedFolder

__all__ = ["KnownIdentifiers", "KnownResolution", "resolution_keys"]


def resolution_keys(fields: CitationFields, pmcid: str | None = None) -> list[str]:
    """The keys a resolution of this citation is kept under: its DOI, its PMCID, and its
    first author, year, volume and first page when it gives them all."""
    keys = []
    if fields.doi:
        keys.append(identifier_key("doi", fields.doi))
    if pmcid:
        keys.append(identifier_key("pmcid", pmcid))
    if fields.first_author and fields.year and fields.volume and fields.first_page:
        keys.append(f"cite:{surname_key(fields.first_author)}|{fields.year}|"
                    f"{fields.volume.casefold()}|{fields.first_page.casefold()}")
    return keys


@dataclass(frozen=True)
class KnownResolution:
    key: str
    pmid: str
    method: str  # how it was found online (ecitmatch, doi-search, pmcid-search …)
    resolved_at: str


@dataclass(frozen=True)
class _SeedEntry:
    pmid: str
    doi: str | None
    pmcid: str | None
    year: int | None
    volume: str | None
    author: str | None


def _lower(value: object) -> str | None:
    return str(value).casefold() if value not in (None, "") else None


class KnownIdentifiers:
    """Lookups on one open cache (``RecordCache.known``); ``error`` turns a SQLite error
    into the cache's :class:`~ldn_graph.errors.CacheError`."""

    def __init__(self, conn: sqlite3.Connection, seed: SeedFolder | None,
                 error: Callable[[BaseException, str], CacheError]) -> None:
        self._conn = conn
        self._seed = seed
        self._error = error
        self._seed_entries: list[_SeedEntry] | None = None

    def _rows(self, action: str, sql: str, params: tuple[object, ...]) -> list[str]:
        try:
            return [str(row[0]) for row in self._conn.execute(sql, params).fetchall()]
        except sqlite3.Error as err:
            raise self._error(err, action) from None

    def _seeded(self) -> list[_SeedEntry]:
        if self._seed_entries is None:
            entries = []
            if self._seed is not None:
                for pmid in sorted(self._seed.pmids(), key=int):
                    record = self._seed.get(pmid)
                    if record is None:
                        continue
                    study = record.study
                    first = study.authors[0].last_name if study.authors else None
                    entries.append(_SeedEntry(pmid, _lower(study.doi), _lower(study.pmcid), study.year,
                                              _lower(study.volume), _lower(first)))
            self._seed_entries = entries
        return self._seed_entries

    def pmids_with(self, kind: str, value: str) -> list[str]:
        """Cached records whose ``kind`` (``doi`` or ``pmcid``) is ``value``."""
        if kind not in ("doi", "pmcid"):
            raise ValueError(f"records are looked up by doi or pmcid, not {kind!r}")
        expr = DOI_EXPR if kind == "doi" else PMCID_EXPR
        wanted = value.casefold() if kind == "doi" else value.upper()
        found = self._rows(f"looking up a {kind}", f"SELECT pmid FROM records WHERE {expr} = ?", (wanted,))
        found += [e.pmid for e in self._seeded() if getattr(e, kind) == value.casefold()]
        return list(dict.fromkeys(found))

    def pmids_cited_as(self, fields: CitationFields) -> list[str]:
        """Cached records of the citation's year with its volume, or with its first
        author's surname: candidates, to be verified."""
        if fields.year is None or not (fields.volume or fields.first_author):
            return []
        found: list[str] = []
        volume = _lower(fields.volume)
        author = _lower(fields.first_author)
        if volume:
            found += self._rows("looking up a citation",
                                f"SELECT pmid FROM records WHERE {YEAR_EXPR} = ? AND {VOLUME_EXPR} = ?",
                                (fields.year, volume))
        if author:
            found += self._rows("looking up a citation",
                                f"SELECT pmid FROM records WHERE {YEAR_EXPR} = ? AND {AUTHOR_EXPR} = ?",
                                (fields.year, author))
        for e in self._seeded():
            same_author = bool(author and e.author and surname_key(e.author) == surname_key(author))
            if e.year == fields.year and ((volume and e.volume == volume) or same_author):
                found.append(e.pmid)
        return list(dict.fromkeys(found))

    # ------------------------------------------------------------------ resolutions

    def resolution(self, key: str) -> KnownResolution | None:
        """The resolution kept under ``key``, or None."""
        try:
            row = self._conn.execute(
                "SELECT key, pmid, method, resolved_at FROM resolutions WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as err:
            raise self._error(err, "reading a resolution") from None
        return KnownResolution(*(str(v) for v in row)) if row else None

    def remember(self, items: Iterable[tuple[str, str, str]]) -> int:
        """Keep ``(key, pmid, method)`` resolutions found online (a newer one replaces an
        older one under the same key); returns how many were written."""
        when = utc_now()
        rows = [(key, pmid, method, when) for key, pmid, method in items]
        if not rows:
            return 0
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany(
                    "INSERT INTO resolutions (key, pmid, method, resolved_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET pmid = excluded.pmid, method = excluded.method, "
                    "resolved_at = excluded.resolved_at",
                    rows,
                )
        except sqlite3.Error as err:
            raise self._error(err, "keeping resolutions") from None
        return len(rows)
