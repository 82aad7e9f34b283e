"""What an E-utilities client promises: the :class:`Client` protocol the retrieval is
typed with, and the results it returns.

:class:`~ldn_graph.pubmed.eutils.client.EntrezClient` is the client; a test double or an
embedding application's own client only has to match :class:`Client`. This module loads
no network or XML library, so typing against it costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from ldn_graph.pubmed.parse import ParsedRecord

__all__ = ["Client", "FetchedBatch", "HistoryKey", "SearchResult", "Transport"]

T = TypeVar("T")


@dataclass(frozen=True)
class FetchedBatch:
    """The answer to one efetch request.

    ``requested`` ids = ``returned`` + ``missing`` + ``errors`` keys (disjoint).
    ``missing``: NCBI answered cleanly without these records (unknown or deleted PMIDs).
    ``errors``: id → why it could not be fetched (NCBI ``<ERROR>``, HTTP 400, not a PMID).
    ``xml``: the reply body, well-formed with root ``PubmedArticleSet``; ``b""`` when
    nothing came back for this batch (skip it). It may hold ``<ERROR>`` elements, which
    are already reported in ``errors``/``warnings``. ``records``: the records of ``xml``
    that were requested, read once by :func:`ldn_graph.pubmed.parse.read_article_set`
    (``()`` with ``b""``); a record the reply carried for another PMID, or with a PMID
    that is not valid, is not among them (``warnings`` names it).
    """

    requested: tuple[str, ...]
    xml: bytes
    missing: tuple[str, ...]
    errors: dict[str, str]
    returned: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    records: tuple[ParsedRecord, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """An esearch over PubMed: ``count`` hits in total, ``pmids`` those retrieved."""

    count: int
    pmids: tuple[str, ...]
    query_translation: str
    warnings: tuple[str, ...] = ()
    webenv: str | None = None
    query_key: str | None = None


@dataclass(frozen=True)
class HistoryKey:
    """A set of ids stored on NCBI's history server by epost."""

    webenv: str
    query_key: str
    warnings: tuple[str, ...] = ()


class Client(Protocol):
    """PubMed over E-utilities, as the retrieval (``ldn_graph.pubmed.retrieve``,
    ``resolve``, ``expand``) uses it.

    ``request_count`` counts the HTTP attempts made so far (retries included): the
    retrieval reports the difference over one call.
    """

    @property
    def request_count(self) -> int: ...

    def fetch_pubmed_xml(self, pmids: Iterable[str]) -> Iterator[FetchedBatch]:
        """The records of ``pmids``, batch by batch (see :class:`FetchedBatch`)."""
        ...

    def esearch(self, term: str, max_results: int | None = None, sort: str | None = None) -> SearchResult:
        """The PMIDs of the hits of ``term`` (all of them, or the first ``max_results``, in
        ``sort`` order: ``relevance`` for PubMed's Best Match)."""
        ...

    def elink(self, pmids: Iterable[str], linkname: str = "pubmed_pubmed_refs",
              ) -> dict[str, list[str]]:
        """Linked PMIDs per source PMID (``pubmed_pubmed_refs``, ``…_citedin``)."""
        ...

    def ecitmatch(self, citations: Sequence[Mapping[str, object]]) -> dict[str, str | None]:
        """PMIDs for citations, by key; ``None`` where NCBI found no (unique) match."""
        ...


class Transport(Protocol):
    """The client as its utility modules (``search``, ``links``) use it: one request,
    retried, whose reply body ``check`` turns into a result (or rejects as
    :class:`~ldn_graph.pubmed.eutils.replies.Transient`), and the client's limits."""

    search_window: int
    search_page_size: int
    link_batch_size: int
    last_errors: dict[str, str]

    def request(self, utility: str, check: Callable[[bytes], T], /, **params: object) -> T:
        """``check(body)`` of one ``utility`` request, retried; NCBI's refusal (HTTP 4xx)
        is a :class:`~ldn_graph.errors.FetchError`."""
        ...

    def redact(self, text: str) -> str:
        """``text`` without the API key."""
        ...
