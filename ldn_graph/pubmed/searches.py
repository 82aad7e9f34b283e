"""PubMed searches kept in the record cache with their query and date, so a run asks
PubMed once per query, and a later run (or an offline one) reuses the answer until it is
older than ``--max-age``. Shown by ``cache info``, removed by ``cache clear``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ldn_graph.ids import is_pmid
from ldn_graph.text import utc_now

if TYPE_CHECKING:
    from ldn_graph.errors import CacheError

__all__ = ["CachedSearch", "Searches"]


@dataclass(frozen=True)
class CachedSearch:
    query: str
    count: int  # hits PubMed reported (the PMIDs kept may be fewer)
    pmids: tuple[str, ...]
    searched_at: str


class Searches:
    """Searches on one open cache (``RecordCache.searches``); ``error`` turns a SQLite
    error into the cache's :class:`~ldn_graph.errors.CacheError`."""

    def __init__(self, conn: sqlite3.Connection, error: Callable[[BaseException, str], CacheError]) -> None:
        self._conn = conn
        self._error = error

    def get(self, query: str) -> CachedSearch | None:
        """The search kept for exactly ``query``, or None."""
        try:
            row = self._conn.execute(
                "SELECT query, count, pmids, searched_at FROM searches WHERE query = ?", (query,)).fetchone()
        except sqlite3.Error as err:
            raise self._error(err, "reading a search") from None
        if row is None:
            return None
        try:
            pmids = tuple(p for p in json.loads(row[2]) if isinstance(p, str) and is_pmid(p))
        except ValueError:
            return None  # a damaged row is a search never made
        return CachedSearch(str(row[0]), int(row[1]), pmids, str(row[3]))

    def put(self, query: str, count: int, pmids: Sequence[str]) -> CachedSearch:
        """Keep a search made now (replacing an older one of the same query)."""
        kept = CachedSearch(query, int(count), tuple(pmids), utc_now())
        try:
            with self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute(
                    "INSERT INTO searches (query, count, pmids, searched_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(query) DO UPDATE SET count = excluded.count, pmids = excluded.pmids, "
                    "searched_at = excluded.searched_at",
                    (kept.query, kept.count, json.dumps(list(kept.pmids)), kept.searched_at))
        except sqlite3.Error as err:
            raise self._error(err, "keeping a search") from None
        return kept
