"""Find the PMID of a reference that does not give one, and prove it is the right one.

A reference list entry is read into
:class:`~ldn_graph.extract.citations.CitationFields` by
:func:`~ldn_graph.extract.citations.parse_citation` (extraction, pure);
:func:`resolve_references` then looks for candidate PMIDs:

0. the cache, with no request and offline too (:mod:`ldn_graph.pubmed.known`): a
   resolution found online before, a cached record that carries the DOI or the PMCID,
   or one of the citation's year and volume or first author; a record found by the
   citation alone must agree on the first author, the year, and the volume with the
   first page or the title (:attr:`Verification.names_the_work`);
1. for a PMCID, ESearch ``PMC…[pmcid]``;
2. NCBI ECitMatch (journal, year, volume, first page, first author), one request for
   up to 100 citations;
3. for a DOI, ESearch ``"<doi>"[aid]``; otherwise ESearch on the title:
   ``"<title>"[ti] AND <author>[au] AND <year>[dp]``, then the title alone when that
   finds nothing.

A resolution found online (steps 1–3) is kept in the cache for the next run.

Every candidate's record is retrieved (cache first) and **verified** against the
citation (:func:`~ldn_graph.pubmed.verify.verify_candidate`); a candidate that fails is
*rejected* with the reason, so a near miss never becomes a silent wrong PMID.
:func:`resolved_references` gives the references their PMIDs.

Statuses of a :class:`Resolution`:

* ``resolved``: exactly one candidate passed (``pmid``, ``method``, ``verification``);
* ``ambiguous``: several candidates passed (all in ``candidates``);
* ``rejected``: candidates were found but every one failed verification (``reason``
  says why);
* ``unverified``: a candidate was found but its record could not be retrieved to check
  it, so it is not accepted;
* ``unresolved``: nothing was found, the citation gives too little to search with, or
  NCBI could not be asked (offline, service failure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ldn_graph.errors import FetchError, InputError, OfflineError
from ldn_graph.extract.citations import CitationFields, parse_citation
from ldn_graph.model import Reference
from ldn_graph.pubmed.known import resolution_keys
from ldn_graph.pubmed.retrieve import Retriever
from ldn_graph.pubmed.verify import Verification, verify_candidate
from ldn_graph.terms import ReferenceKind, ResolutionStatus
from ldn_graph.text import older_than, one_line

if TYPE_CHECKING:
    from ldn_graph.pubmed.eutils.api import Client, SearchResult

__all__ = [
    "Candidate",
    "Resolution",
    "resolve_references",
    "resolved_references",
]

MAX_CANDIDATES = 5  # per search
MAX_CACHED_CANDIDATES = 50  # cached records of one citation's year and volume or author

# how a candidate was found: in the cache (no request) or online
CACHE = "cache-"
CACHE_DOI = "cache-doi"  # a cached record carries the DOI
CACHE_PMCID = "cache-pmcid"  # a cached record carries the PMCID
CACHE_CITATION = "cache-citation"  # a cached record of the citation's year, volume or author
PMCID_SEARCH = "pmcid-search"

# ------------------------------------------------------------------------ resolution


@dataclass(frozen=True)
class Candidate:
    """A PMID proposed for a citation; ``verification`` is None when its record could
    not be retrieved (``note`` says why)."""

    pmid: str
    method: str  # cache-doi | cache-pmcid | cache-citation | cache-<online method> | pmcid-search | ecitmatch | doi-search | title-search
    verification: Verification | None
    note: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The outcome for one reference (see the module docstring for the statuses)."""

    label: str
    status: ResolutionStatus
    reason: str
    fields: CitationFields
    pmid: str | None = None
    method: str | None = None
    verification: Verification | None = None
    candidates: tuple[Candidate, ...] = ()
    queries: tuple[str, ...] = ()  # the ESearch terms tried


@dataclass
class _Work:
    ref: Reference
    fields: CitationFields
    candidates: list[Candidate] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # service problems met

    def passed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.verification is not None and c.verification.passed
                and (c.method != CACHE_CITATION or c.verification.names_the_work)]


def _needs_resolution(ref: Reference, fields: CitationFields) -> bool:
    """References without a PMID: every ``unresolved``, ``doi`` or ``pmc`` one, and a
    ``web`` one (a publisher link) when it gives a PMCID or its text reads as a journal
    citation."""
    if ref.pmid or ref.kind == ReferenceKind.PUBMED:
        return False
    if ref.kind in (ReferenceKind.UNRESOLVED, ReferenceKind.DOI, ReferenceKind.PMC):
        return True
    return ref.kind == ReferenceKind.WEB and (
        bool(fields.pmcid) or fields.can_citmatch or bool(fields.title and fields.first_author))


def _phrase(text: str) -> str:
    """A title fit for a quoted ESearch phrase."""
    cleaned = re.sub(r"[\"“”\[\]{}]", " ", text)
    return one_line(cleaned).rstrip(" .")


def _title_queries(fields: CitationFields) -> list[str]:
    if not fields.title:
        return []
    phrase = f'"{_phrase(fields.title)}"[ti]'
    narrow = [phrase]
    if fields.author_name:
        narrow.append(f'"{fields.author_name}"[au]')
    if fields.year:
        narrow.append(f"{fields.year}[dp]")
    queries = [" AND ".join(narrow)]
    if len(narrow) > 1:
        queries.append(phrase)
    return queries


def _reason_for(work: _Work, status: ResolutionStatus) -> str:
    if status == ResolutionStatus.REJECTED:
        parts = []
        for cand in work.candidates:
            if cand.verification is not None and cand.method != CACHE_CITATION:
                parts.append(f"{cand.method} proposed PMID {cand.pmid}, rejected: "
                             + "; ".join(cand.verification.problems))
        return " | ".join(parts)
    if status == ResolutionStatus.UNVERIFIED:
        parts = [f"{c.method} proposed PMID {c.pmid}, but its record could not be "
                 f"retrieved to verify it ({c.note or 'not available'})"
                 for c in work.candidates if c.verification is None]
        return " | ".join(parts)
    if work.failures:
        return "; ".join(dict.fromkeys(work.failures))
    f = work.fields
    if not (f.can_citmatch or f.title or f.doi or f.pmcid):
        return ("the citation gives neither a title, a DOI, a PMCID nor journal/year/volume/page "
                "to look it up with")
    return "no PubMed record matches the citation"


def _decide(work: _Work) -> Resolution:
    passed = work.passed()
    pmids = list(dict.fromkeys(c.pmid for c in passed))
    base = Resolution(label=work.ref.label, status=ResolutionStatus.UNRESOLVED, reason="",
                      fields=work.fields, candidates=tuple(work.candidates),
                      queries=tuple(work.queries))
    if len(pmids) == 1:
        best = passed[0]
        assert best.verification is not None
        return replace(base, status=ResolutionStatus.RESOLVED, pmid=best.pmid, method=best.method,
                       verification=best.verification,
                       reason=f"{best.method}: {best.verification.summary}")
    if len(pmids) > 1:
        return replace(base, status=ResolutionStatus.AMBIGUOUS,
                       reason="several PubMed records match: " + ", ".join(pmids))
    # a cached record of the same year and volume or author that is another work is only a
    # neighbour in the index, not a proposal that failed
    rejected = [c for c in work.candidates if c.verification is not None and c.method != CACHE_CITATION]
    if rejected:
        return replace(base, status=ResolutionStatus.REJECTED, reason=_reason_for(work, ResolutionStatus.REJECTED))
    if any(c.verification is None for c in work.candidates):
        return replace(base, status=ResolutionStatus.UNVERIFIED, reason=_reason_for(work, ResolutionStatus.UNVERIFIED))
    return replace(base, reason=_reason_for(work, ResolutionStatus.UNRESOLVED))


def _verify_all(works: Sequence[_Work], proposed: dict[int, list[tuple[str, str]]],
                retriever: Retriever, *, cache_only: bool) -> None:
    """Get the proposed candidates' records (the cache only, or one batched, cache-first
    retrieval) and verify them. A cached candidate is compared as it is (no refresh,
    whatever the run's policy)."""
    wanted = list(dict.fromkeys(pmid for items in proposed.values() for pmid, _m in items))
    if not wanted:
        return
    if cache_only:
        records = {pmid: record for pmid, record in retriever.cache.get_many(wanted).items()}
        unavailable = {pmid: "not in the cache, and offline" for pmid in wanted if pmid not in records}
    else:
        got = Retriever(retriever.cache, retriever.client).get(wanted)
        records, unavailable = dict(got.records), dict(got.unavailable)
    for index, items in proposed.items():
        work = works[index]
        seen = {c.pmid for c in work.candidates}
        for pmid, method in items:
            if pmid in seen:
                continue
            seen.add(pmid)
            record = records.get(pmid)
            if record is None:
                work.candidates.append(Candidate(pmid, method, None, unavailable.get(pmid)))
            else:
                work.candidates.append(Candidate(pmid, method, verify_candidate(work.fields, record.study)))


def _service_problem(exc: Exception, what: str) -> str:
    if isinstance(exc, OfflineError):
        return f"not looked up: the network is unavailable ({exc})"
    return f"{what} failed: {exc}"


def _esearch(client: Client, work: _Work, term: str) -> tuple[SearchResult | None, bool]:
    """ESearch ``term`` for ``work`` (noted in its queries); a failure is noted in its
    failures and gives no result, with True when the network is gone."""
    work.queries.append(term)
    try:
        return client.esearch(term, max_results=MAX_CANDIDATES), False
    except FetchError as exc:
        work.failures.append(_service_problem(exc, "ESearch"))
        return None, isinstance(exc, OfflineError)


def _from_cache(works: Sequence[_Work], retriever: Retriever) -> None:
    """Step 0, no request: resolutions found online before (unless older than the run's
    ``--max-age``, when online), then the cached records that carry the DOI or the PMCID,
    or that the citation's year and volume or first author point at."""
    known = retriever.cache.known
    policy = retriever.policy
    proposed: dict[int, list[tuple[str, str]]] = {}
    for index, work in enumerate(works):
        items: list[tuple[str, str]] = []
        for key in resolution_keys(work.fields, work.fields.pmcid):
            found = known.resolution(key)
            if found is not None and (policy.offline or not older_than(found.resolved_at, policy.max_age_days)):
                items.append((found.pmid, f"{CACHE}{found.method}"))
        if work.fields.doi:
            items += [(p, CACHE_DOI) for p in known.pmids_with("doi", work.fields.doi)]
        if work.fields.pmcid:
            items += [(p, CACHE_PMCID) for p in known.pmids_with("pmcid", work.fields.pmcid)]
        items += [(p, CACHE_CITATION) for p in known.pmids_cited_as(work.fields)[:MAX_CACHED_CANDIDATES]]
        if items:
            proposed[index] = items
    _verify_all(works, proposed, retriever, cache_only=policy.offline)


def _search(works: Sequence[_Work], retriever: Retriever) -> None:
    """Steps 1–3 online, for the works the cache did not resolve: PMCID search,
    ECitMatch, then DOI and title searches."""
    client = retriever.client
    todo = [i for i, w in enumerate(works) if not w.passed()]

    # 1. a PMCID names one record: ESearch on the [pmcid] field
    proposed: dict[int, list[tuple[str, str]]] = {}
    for index in todo:
        work = works[index]
        if not work.fields.pmcid:
            continue
        result, _gone = _esearch(client, work, f"{work.fields.pmcid}[pmcid]")
        if result is not None and result.pmids:
            proposed[index] = [(p, PMCID_SEARCH) for p in result.pmids[:MAX_CANDIDATES]]
    _verify_all(works, proposed, retriever, cache_only=False)

    # 2. ECitMatch, one request for all citations that give enough to match on
    matchable = [i for i in todo if not works[i].passed() and works[i].fields.can_citmatch]
    proposed = {}
    if matchable:
        citations = [{
            "journal_title": works[i].fields.journal,
            "year": works[i].fields.year,
            "volume": works[i].fields.volume,
            "first_page": works[i].fields.first_page,
            "author_name": works[i].fields.author_name,
            "key": str(i),
        } for i in matchable]
        try:
            found = client.ecitmatch(citations)
        except (FetchError, InputError) as exc:
            for i in matchable:
                works[i].failures.append(_service_problem(exc, "ECitMatch"))
            if isinstance(exc, OfflineError):
                return
        else:
            for i in matchable:
                pmid = found.get(str(i))
                if pmid:
                    proposed.setdefault(i, []).append((pmid, "ecitmatch"))
    _verify_all(works, proposed, retriever, cache_only=False)

    # 3. ESearch for the rest: DOI, else title (+ author + year, then title alone)
    proposed = {}
    for index in todo:
        work = works[index]
        if work.passed():
            continue
        searches: list[tuple[str, str]] = []
        if work.fields.doi:
            searches.append((f'"{_phrase(work.fields.doi)}"[aid]', "doi-search"))
        searches.extend((q, "title-search") for q in _title_queries(work.fields))
        for term, method in searches:
            result, gone = _esearch(client, work, term)
            if result is None:
                if gone:
                    break
                continue
            hits = [p for p in result.pmids if p not in {c.pmid for c in work.candidates}]
            if hits:
                proposed[index] = [(p, method) for p in hits[:MAX_CANDIDATES]]
                break
            if result.count:  # hits, but all already tried
                break
    _verify_all(works, proposed, retriever, cache_only=False)


def resolve_references(
    references: Iterable[Reference],
    retriever: Retriever,
) -> dict[str, Resolution]:
    """Resolve the references that have no PMID, with ``retriever``'s cache and client
    (only the cache when its policy is offline).

    Considered: kind ``unresolved``, ``doi`` or ``pmc``, and kind ``web`` when it gives a
    PMCID or its text reads as a journal citation (a publisher link instead of a PubMed
    one). Returns label → :class:`Resolution` for each of them; references with a PMID
    and plain web pages are not in the result. Labels must be unique: call it once per
    document. The cache is asked first (:func:`_from_cache`, no request); online, the
    rest costs one ESearch per PMCID, one ECitMatch per 100 citations, at most two
    ESearches per citation left over, and one batched efetch per round for candidates
    not cached. A resolution found online is kept in the cache under every key of
    :func:`~ldn_graph.pubmed.known.resolution_keys`. Service failures never raise: they
    make the affected references ``unresolved`` with the reason.
    """
    works: list[_Work] = []
    labels: set[str] = set()
    for ref in references:
        fields = parse_citation(ref.text)
        if not _needs_resolution(ref, fields):
            continue
        if ref.label in labels:
            raise InputError(f"reference label {ref.label!r} appears twice; resolve the "
                             "references of one document at a time")
        labels.add(ref.label)
        if ref.doi and not fields.doi:
            fields = replace(fields, doi=ref.doi)
        if ref.pmcid and not fields.pmcid:
            fields = replace(fields, pmcid=ref.pmcid)
        works.append(_Work(ref, fields))
    if not works:
        return {}
    _from_cache(works, retriever)
    if retriever.policy.offline:
        for work in works:
            if not work.passed():
                work.failures.append("not in the cache; not looked up: offline")
    else:
        _search(works, retriever)
    decided = {w.ref.label: _decide(w) for w in works}
    retriever.cache.known.remember(
        (key, res.pmid, res.method)
        for work in works
        if (res := decided[work.ref.label]).pmid and res.method and not res.method.startswith(CACHE)
        for key in resolution_keys(work.fields, work.fields.pmcid)
    )
    return decided


def resolved_references(references: list[Reference], retriever: Retriever) -> list[Reference]:
    """``references`` with a verified PMID given to those that cite a study without one
    (kind ``pubmed`` from then on, ``resolution`` saying how it was found), and the reason
    recorded in ``resolution`` for those that stay unresolved."""
    resolutions = resolve_references(references, retriever)
    out = []
    for ref in references:
        res = resolutions.get(ref.label)
        if res is None:
            out.append(ref)
        elif res.status == ResolutionStatus.RESOLVED and res.pmid:
            out.append(replace(ref, kind=ReferenceKind.PUBMED, pmid=res.pmid, resolution=res.reason))
        else:
            out.append(replace(ref, resolution=f"{res.status}: {res.reason}"))
    return out
