"""ESearch over PubMed: every hit of a query, past NCBI's 9,999-hit window.

Pages with ``retstart``/``retmax`` (``usehistory=y``). Past ``search_window`` (9,999)
hits, the query is split by publication-date ranges (``AND (A[dp]:B[dp])``), halving
ranges still too large. NCBI's ErrorList/WarningList become ``warnings``. Requests go
through the client's :meth:`~ldn_graph.pubmed.eutils.api.Transport.request` (retries,
rate limit); replies are read with Bio.Entrez.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ldn_graph.errors import FetchError
from ldn_graph.pubmed.eutils import biopython
from ldn_graph.pubmed.eutils.api import SearchResult, Transport
from ldn_graph.pubmed.eutils.replies import TRANSIENT_ERROR_RE, Transient
from ldn_graph.text import one_line

__all__ = ["esearch"]


@dataclass(frozen=True)
class _Page:
    """One esearch reply."""

    count: int
    ids: list[str]
    translation: str
    warnings: list[str]
    webenv: str | None
    query_key: str | None


def esearch(client: Transport, term: str, max_results: int | None = None, sort: str | None = None) -> SearchResult:
    """Search PubMed and collect the PMIDs of all hits (or the first ``max_results``), in
    PubMed's order or by ``sort`` (``relevance``: PubMed's Best Match; ``pub_date`` …)."""
    limit = max_results if max_results is not None else math.inf
    first = _esearch_page(client, term, 0, int(min(client.search_page_size, limit)), sort)
    warnings_: list[str] = list(first.warnings)
    count = first.count
    target = min(count, limit)
    window = client.search_window
    if count > window and target > window:
        pmids = _search_by_date(client, term, target, warnings_)
        if len(pmids) < target:
            warnings_.append(
                f"date-split search retrieved {len(pmids)} of {count} hits (records "
                f"outside the date ranges, or more than {window} hits on one day)"
            )
    else:
        pmids = _page_through(client, term, first, target, warnings_, sort)
    return SearchResult(
        count=count,
        pmids=tuple(pmids),
        query_translation=first.translation,
        warnings=tuple(dict.fromkeys(warnings_)),
        webenv=first.webenv,
        query_key=first.query_key,
    )


def _esearch_page(client: Transport, term: str, retstart: int, retmax: int, sort: str | None = None) -> _Page:
    def check(body: bytes) -> _Page:
        record = biopython.read(body, "esearch")
        if "ERROR" in record and str(record["ERROR"]).strip():
            message = one_line(client.redact(str(record["ERROR"])), 160)
            if TRANSIENT_ERROR_RE.search(message):
                raise Transient(f"NCBI reported: {message}")
            raise FetchError(f"NCBI esearch rejected the query: {message}; "
                             "check the search term")
        if "Count" not in record:
            raise Transient("an esearch reply without a Count")
        notes = []
        for key, label in (("ErrorList", "not found"), ("WarningList", "warning")):
            for name, values in (record.get(key) or {}).items():
                for value in values:
                    if name == "OutputMessage":
                        notes.append(str(value))
                    else:
                        pretty = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
                        notes.append(f"{pretty}: {value}" if key == "ErrorList"
                                     else f"{label}: {pretty}: {value}")
        return _Page(
            count=int(record["Count"]),
            ids=[str(i) for i in record.get("IdList", [])],
            translation=client.redact(str(record.get("QueryTranslation", ""))),
            warnings=[client.redact(note) for note in notes],
            webenv=str(record["WebEnv"]) if "WebEnv" in record else None,
            query_key=str(record["QueryKey"]) if "QueryKey" in record else None,
        )

    extra = {"sort": sort} if sort else {}
    return client.request("esearch", check, db="pubmed", term=term, retstart=retstart,
                          retmax=retmax, usehistory="y", **extra)


def _page_through(client: Transport, term: str, first: _Page, target: float,
                  notes: list[str], sort: str | None = None) -> list[str]:
    pmids = list(dict.fromkeys(first.ids))
    seen = set(pmids)
    retstart = len(first.ids)
    window, page_size = client.search_window, client.search_page_size
    while len(pmids) < target and retstart < min(window, first.count):
        retmax = int(min(page_size, target - len(pmids), window - retstart))
        page = _esearch_page(client, term, retstart, retmax, sort)
        new = [p for p in page.ids if p not in seen]
        if not new:
            notes.append(f"esearch stopped returning new ids after {len(pmids)} of "
                         f"{first.count} hits")
            break
        pmids.extend(new)
        seen.update(new)
        retstart += len(page.ids)
    return pmids[: int(target)] if target != math.inf else pmids


def _search_by_date(client: Transport, term: str, target: float,
                    notes: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    window = client.search_window
    stack = [(date(1700, 1, 1), date(date.today().year + 1, 12, 31))]
    while stack and len(out) < target:
        low, high = stack.pop()
        sub = f"({term}) AND ({_dp(low, high, low)}[dp]:{_dp(low, high, high)}[dp])"
        first = _esearch_page(client, sub, 0,
                              int(min(client.search_page_size, target - len(out))))
        if first.count > window and low < high:
            if low.year < high.year:
                middle_year = (low.year + high.year) // 2
                halves = [(low, date(middle_year, 12, 31)),
                          (date(middle_year + 1, 1, 1), high)]
            else:
                middle = low + timedelta(days=(high - low).days // 2)
                halves = [(low, middle), (middle + timedelta(days=1), high)]
            stack.extend(reversed(halves))  # earliest range first
            continue
        if first.count > window:
            notes.append(f"more than {window} hits published on {low}; "
                         f"only the first {window} were retrieved")
        for pmid in _page_through(client, sub, first, target - len(out), notes):
            if pmid not in seen:
                seen.add(pmid)
                out.append(pmid)
    return out[: int(target)] if target != math.inf else out


def _dp(low: date, high: date, which: date) -> str:
    """``YYYY`` when the range covers whole years, else ``YYYY/MM/DD``."""
    whole_years = (low.month, low.day) == (1, 1) and (high.month, high.day) == (12, 31)
    return f"{which.year:04d}" if whole_years else which.strftime("%Y/%m/%d")
