"""Find the PMID of a reference that does not give one, and prove it is the right one.

A reference list entry such as ``Younger J, Noor N, ... "Low-dose naltrexone for ..."
Arthritis Rheum. 2013;65(2):529-538.`` is read into :class:`CitationFields`
(:func:`parse_citation`, pure). :func:`resolve_references` then looks for candidate PMIDs:

1. NCBI ECitMatch (journal, year, volume, first page, first author), one request for
   up to 100 citations;
2. for a DOI, ESearch ``"<doi>"[aid]``;
3. otherwise ESearch on the title: ``"<title>"[ti] AND <author>[au] AND <year>[dp]``,
   then the title alone when that finds nothing.

Every candidate's record is retrieved (cache first) and **verified** against the
citation (:func:`verify_candidate`): first author surname, publication year (exact),
title similarity (``difflib`` ratio >= 0.8 after case and punctuation are normalised),
and the DOI, volume and first page where both sides give them. A candidate that fails
any of them is *rejected* with the reason, so a near miss never becomes a silent wrong
PMID.

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

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ldn_graph.errors import FetchError, InputError, OfflineError
from ldn_graph.model import Reference, Study
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.retrieve import ClientFactory, get_records, make_client

__all__ = [
    "STATUSES",
    "TITLE_THRESHOLD",
    "Candidate",
    "CitationFields",
    "Resolution",
    "Verification",
    "normalise_title",
    "parse_citation",
    "resolve_references",
    "title_similarity",
    "verify_candidate",
]

TITLE_THRESHOLD = 0.8
STATUSES = ("resolved", "ambiguous", "rejected", "unverified", "unresolved")
METHODS = ("ecitmatch", "doi-search", "title-search")
MAX_CANDIDATES = 5  # per search

# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class CitationFields:
    """What a citation text says about the work it cites (``None``: not given)."""

    first_author: str | None = None  # surname, e.g. "Younger", "van der Berg"
    initials: str | None = None  # e.g. "J", "JP"
    authors: tuple[str, ...] = ()  # the author entries as written
    year: int | None = None
    journal: str | None = None  # as written, e.g. "Arthritis Rheum"
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    title: str | None = None
    doi: str | None = None
    pmid: str | None = None

    @property
    def author_name(self) -> str | None:
        """``"Younger J"``: the first author as ECitMatch and ``[au]`` expect it."""
        if not self.first_author:
            return None
        return f"{self.first_author} {self.initials}" if self.initials else self.first_author

    @property
    def can_citmatch(self) -> bool:
        return bool(self.journal and self.year and (self.volume or self.first_page))


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+", re.I)
_DOI_RE = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"“”<>]+)", re.I)
_PMID_RE = re.compile(r"\bPMID\s*:?\s*([1-9]\d{0,8})\b", re.I)
_PUBMED_URL_RE = re.compile(r"pubmed\.ncbi\.nlm\.nih\.gov/([1-9]\d{0,8})\b|"
                            r"ncbi\.nlm\.nih\.gov/pubmed/([1-9]\d{0,8})\b", re.I)
_IDS_RE = re.compile(r"\b(?:PMID|PMCID|doi)\s*:?\s*\S+", re.I)
_QUOTED_RE = re.compile(r"[“\"](?P<title>[^”\"]{6,}?)[”\"]")
_SEASON = r"(?:Spring|Summer|Autumn|Fall|Winter)"
_MONTH = r"(?:[A-Z][a-z]{2,8}\.?)"
# Vancouver / NLM: "2013;65(2):529-538", "2009 May-Jun;10(4):663-72", "2013;65:529"
_SOURCE_RE = re.compile(
    rf"(?P<year>(?:1[89]|20)\d\d)[a-z]?"
    rf"(?:\s+(?:{_MONTH}(?:\s*[-/–]\s*{_MONTH})?|{_SEASON})(?:\s+\d{{1,2}})?)?"
    r"\s*;\s*(?P<volume>[0-9]+[A-Za-z]?(?:\s*Suppl\s*\d*)?)?\s*"
    r"(?:\((?P<issue>[^)]{1,20})\))?\s*:\s*"
    r"(?P<first>[A-Za-z]{0,2}\d+[A-Za-z]?)(?:\s*[-–—]\s*(?P<last>[A-Za-z]{0,2}\d+[A-Za-z]?))?"
)
# APA: "Arthritis & Rheumatism, 65(2), 529–538"
_APA_SOURCE_RE = re.compile(
    r"(?P<journal>[A-Z][^,()“”\"]{2,80}?),\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]{1,20})\))?"
    r",\s*(?P<first>[A-Za-z]?\d+)(?:\s*[-–—]\s*(?P<last>[A-Za-z]?\d+))?"
)
_APA_YEAR_RE = re.compile(r"\((?P<year>(?:1[89]|20)\d\d)[a-z]?(?:,[^)]*)?\)\.?")
_YEAR_RE = re.compile(r"(?<![\d/.-])(?P<year>(?:1[89]|20)\d\d)(?![\d/])")
_ACCESS_RE = re.compile(r"\b(?:accessed|retrieved|updated|cited|viewed|visited)\b[^.;]{0,25}$", re.I)
_PARTICLES = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|dos|das|ten|ter|bin|al|el)"
_SURNAME = rf"(?:{_PARTICLES}\s+)*[A-Z][\w'’\-]*(?:[\s-](?:{_PARTICLES}\s+)*[A-Z][\w'’\-]*)?"
_VANCOUVER_AUTHOR_RE = re.compile(rf"^(?P<surname>{_SURNAME})\s+(?P<initials>[A-Z]{{1,4}})$")
_APA_AUTHOR_RE = re.compile(
    rf"^(?P<surname>{_SURNAME}),\s*(?P<initials>(?:[A-Z]\.\s?-?\s?){{1,4}})"
)
_INITIALS_END_RE = re.compile(
    r"(?:\b[A-Z]{1,4}|\b(?:Jr|Sr|II|III|IV)|\b(?i:et al))\s*\.(?!\w)|\b(?i:et al)\b"
)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split()).strip(" .,;:–—-")
    return text or None


def _split_authors(segment: str) -> list[str]:
    parts = re.split(r",\s*|\s+(?:and|&)\s+", segment)
    return [p.strip(" .") for p in parts if p.strip(" .")]


def _vancouver_authors(text: str) -> tuple[list[str], int] | None:
    """Author entries at the start of ``text`` ("Younger J, Noor N, et al.") and where
    the list ends, or None when the text does not start with one."""
    end = _INITIALS_END_RE.search(text)
    stop = end.end() if end else None
    quote = re.search(r"[“\"]", text)
    if quote is not None and (stop is None or quote.start() < stop):
        stop = quote.start()
    if stop is None:
        return None
    segment = text[:stop]
    entries = [e for e in _split_authors(re.sub(r"\bet al\.?", "", segment, flags=re.I)) if e]
    if not entries or not _VANCOUVER_AUTHOR_RE.match(entries[0]):
        return None
    return entries, stop


def _year_outside_urls(text: str) -> int | None:
    for found in _YEAR_RE.finditer(text):
        if _ACCESS_RE.search(text[: found.start()]):
            continue
        return int(found.group("year"))
    return None


def parse_citation(text: str) -> CitationFields:
    """Read the bibliographic fields of one citation (Vancouver/NLM, AMA or APA style).

    Pure and forgiving: a field the text does not give (or gives ambiguously) is
    ``None``. The title is the text between double quotes, else the sentence after the
    author list. Access dates ("accessed August 2025") are not publication years.
    """
    raw = " ".join(unicodedata.normalize("NFC", text).split())
    pmid_match = _PMID_RE.search(raw) or _PUBMED_URL_RE.search(raw)
    pmid = next((g for g in pmid_match.groups() if g), None) if pmid_match else None
    doi_match = _DOI_RE.search(raw)
    doi = doi_match.group(1).rstrip(".,;:)]}’'\"") if doi_match else None
    body = _URL_RE.sub(" ", raw)
    body = _IDS_RE.sub(" ", body)
    body = " ".join(body.split())

    first_author = initials = None
    authors: tuple[str, ...] = ()
    title = journal = volume = issue = first_page = last_page = None
    year: int | None = None
    rest = body  # the text after the authors (and title, once found)

    apa_year = _APA_YEAR_RE.search(body[:400])
    apa_author = _APA_AUTHOR_RE.match(body)
    if apa_year is not None and apa_author is not None:
        # APA: "Younger, J., Noor, N., & Mackey, S. (2013). Title. Journal, 65(2), 529–538."
        year = int(apa_year.group("year"))
        first_author, initials = apa_author.group("surname"), apa_author.group("initials")
        segment = body[: apa_year.start()]
        authors = tuple(a.strip() for a in re.split(r"(?<=\.),\s*(?:&\s*)?|\s*&\s*", segment)
                        if a.strip(" .,"))
        rest = body[apa_year.end():].strip()
        quoted = _QUOTED_RE.search(rest)
        if quoted is not None:
            title, rest = quoted.group("title"), rest[quoted.end():]
        else:
            sentence = re.match(r"(?P<t>.+?[.?!])(?:\s+|$)(?P<r>.*)", rest)
            if sentence is not None:
                title, rest = sentence.group("t"), sentence.group("r")
        source = _APA_SOURCE_RE.search(rest)
        if source is not None:
            journal = source.group("journal")
            volume, issue = source.group("volume"), source.group("issue")
            first_page, last_page = source.group("first"), source.group("last")
    else:
        found = _vancouver_authors(body)
        if found is not None:
            entries, stop = found
            authors = tuple(entries)
            match = _VANCOUVER_AUTHOR_RE.match(entries[0])
            assert match is not None
            first_author, initials = match.group("surname"), match.group("initials")
            rest = body[stop:].strip()
        quoted = _QUOTED_RE.search(rest if found is not None else body)
        source = _SOURCE_RE.search(rest)
        if quoted is not None:
            title = quoted.group("title")
            after = (rest if found is not None else body)[quoted.end():]
            source = _SOURCE_RE.search(after)
            if source is not None:
                journal = after[: source.start()]
        elif found is not None and source is not None:
            # "Title. Journal. 2013;..." : the journal is the last sentence
            before = rest[: source.start()].strip()
            pieces = [p for p in re.split(r"(?<=[.?!])\s+", before) if p.strip()]
            if len(pieces) >= 2:
                title, journal = " ".join(pieces[:-1]), pieces[-1]
            elif pieces:  # one sentence next to the year is the journal
                journal = pieces[0]
        elif found is not None:
            sentence = re.match(r"(?P<t>.+?[.?!])(?:\s|$)", rest)
            if sentence is not None and len(sentence.group("t")) > 10:
                title = sentence.group("t")
        if source is not None:
            year = int(source.group("year"))
            volume, issue = source.group("volume"), source.group("issue")
            first_page, last_page = source.group("first"), source.group("last")
        elif found is not None or quoted is not None:
            year = _year_outside_urls(rest if found is not None else body)

    return CitationFields(
        first_author=_clean(first_author),
        initials=_clean(initials.replace(".", "").replace(" ", "").replace("-", "")
                        if initials else None),
        authors=authors,
        year=year,
        journal=_clean(journal),
        volume=_clean(volume),
        issue=_clean(issue),
        first_page=_clean(first_page),
        last_page=_clean(last_page),
        title=_clean(title),
        doi=doi,
        pmid=pmid,
    )


# ---------------------------------------------------------------------- verification


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    folded = _fold(title).replace("’", "'").replace("'", "")
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def title_similarity(cited: str, recorded: str) -> float:
    """``difflib`` ratio of the two normalised titles (1.0 = identical)."""
    a, b = normalise_title(cited), normalise_title(recorded)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _surname_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(name))


def _same_surname(cited: str, recorded: str) -> bool:
    a, b = _surname_key(cited), _surname_key(recorded)
    if not a or not b:
        return False
    if a == b:
        return True
    # "van der Berg" cited as "Berg", or a compound surname cited by one part
    cited_parts = [_surname_key(p) for p in re.split(r"[\s-]+", cited) if _surname_key(p)]
    recorded_parts = [_surname_key(p) for p in re.split(r"[\s-]+", recorded) if _surname_key(p)]
    return bool(cited_parts and recorded_parts) and (
        cited_parts[-1] == recorded_parts[-1] or a in recorded_parts or b in cited_parts
    )


def _first_page(pages: str | None) -> str | None:
    if not pages:
        return None
    found = re.match(r"\s*([A-Za-z]{0,2}\d+[A-Za-z]?)", pages)
    return found.group(1).lower() if found else None


@dataclass(frozen=True)
class Verification:
    """How a candidate record compares with the citation.

    Each check is ``True``/``False``, or ``None`` when one side does not give the field.
    ``title`` is the similarity ratio (``None``: not compared). ``passed`` needs every
    made check to agree and enough of them: the DOI, or two of author, year, title,
    volume/first page.
    """

    passed: bool
    author: bool | None = None
    year: bool | None = None
    title: float | None = None
    doi: bool | None = None
    volume: bool | None = None
    first_page: bool | None = None
    problems: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        parts = []
        for name in ("author", "year", "doi", "volume", "first_page"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name.replace('_', ' ')} {'ok' if value else 'differs'}")
        if self.title is not None:
            parts.append(f"title {self.title:.2f}")
        return ", ".join(parts) or "nothing to compare"


def verify_candidate(fields: CitationFields, study: Study) -> Verification:
    """Compare a citation with a candidate record (see :class:`Verification`)."""
    problems: list[str] = []
    author = year = doi = volume = first_page = None
    title: float | None = None
    if fields.first_author:
        first = study.authors[0] if study.authors else None
        recorded = (first.last_name or first.collective_name) if first else None
        if recorded:
            author = _same_surname(fields.first_author, recorded)
            if not author:
                problems.append(f"first author {fields.first_author} ≠ record's {recorded}")
        else:
            author = False
            problems.append(f"first author {fields.first_author}: the record lists no author")
    if fields.year is not None:
        if study.year is not None:
            year = fields.year == study.year
            if not year:
                problems.append(f"year {fields.year} ≠ record's {study.year}")
        else:
            year = False
            problems.append(f"year {fields.year}: the record gives no year")
    if fields.title and study.title:
        title = title_similarity(fields.title, study.title)
        if title < TITLE_THRESHOLD:
            problems.append(f"title similarity {title:.2f} < {TITLE_THRESHOLD}")
    if fields.doi and study.doi:
        doi = fields.doi.casefold() == study.doi.casefold()
        if not doi:
            problems.append(f"DOI {fields.doi} ≠ record's {study.doi}")
    if fields.volume and study.volume:
        volume = fields.volume.strip().casefold() == study.volume.strip().casefold()
        if not volume:
            problems.append(f"volume {fields.volume} ≠ record's {study.volume}")
    recorded_page = _first_page(study.pages)
    if fields.first_page and recorded_page:
        first_page = fields.first_page.casefold() == recorded_page
        if not first_page:
            problems.append(f"first page {fields.first_page} ≠ record's {recorded_page}")
    agreeing = sum(
        1 for ok in (author, year, title is not None and title >= TITLE_THRESHOLD,
                     (volume and first_page) or None)
        if ok
    )
    passed = not problems and (bool(doi) or agreeing >= 2)
    if not problems and not passed:
        problems.append("too little in common to be sure (need the DOI, or two of "
                        "first author, year, title, volume and page)")
    return Verification(passed, author, year, title, doi, volume, first_page, tuple(problems))


# ------------------------------------------------------------------------ resolution


@dataclass(frozen=True)
class Candidate:
    """A PMID proposed for a citation; ``verification`` is None when its record could
    not be retrieved (``note`` says why)."""

    pmid: str
    method: str  # ecitmatch | doi-search | title-search
    verification: Verification | None
    note: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The outcome for one reference (see the module docstring for the statuses)."""

    label: str
    status: str
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
        return [c for c in self.candidates if c.verification is not None
                and c.verification.passed]


def _needs_resolution(ref: Reference, fields: CitationFields) -> bool:
    """References without a PMID: every ``unresolved`` or ``doi`` one, and a ``web`` one
    (a publisher link) when its text reads as a journal citation."""
    if ref.pmid or ref.kind == "pubmed":
        return False
    if ref.kind in ("unresolved", "doi"):
        return True
    return ref.kind == "web" and (fields.can_citmatch or bool(fields.title and fields.first_author))


def _phrase(text: str) -> str:
    """A title fit for a quoted ESearch phrase."""
    cleaned = re.sub(r"[\"“”\[\]{}]", " ", text)
    return " ".join(cleaned.split()).rstrip(" .")


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


def _reason_for(work: _Work, status: str) -> str:
    if status == "rejected":
        parts = []
        for cand in work.candidates:
            if cand.verification is not None and not cand.verification.passed:
                parts.append(f"{cand.method} proposed PMID {cand.pmid}, rejected: "
                             + "; ".join(cand.verification.problems))
        return " | ".join(parts)
    if status == "unverified":
        parts = [f"{c.method} proposed PMID {c.pmid}, but its record could not be "
                 f"retrieved to verify it ({c.note or 'not available'})"
                 for c in work.candidates if c.verification is None]
        return " | ".join(parts)
    if work.failures:
        return "; ".join(dict.fromkeys(work.failures))
    f = work.fields
    if not (f.can_citmatch or f.title or f.doi):
        return ("the citation gives neither a title, a DOI nor journal/year/volume/page "
                "to look it up with")
    return "no PubMed record matches the citation"


def _decide(work: _Work) -> Resolution:
    passed = work.passed()
    pmids = list(dict.fromkeys(c.pmid for c in passed))
    base = Resolution(label=work.ref.label, status="unresolved", reason="",
                      fields=work.fields, candidates=tuple(work.candidates),
                      queries=tuple(work.queries))
    if len(pmids) == 1:
        best = passed[0]
        assert best.verification is not None
        return replace(base, status="resolved", pmid=best.pmid, method=best.method,
                       verification=best.verification,
                       reason=f"{best.method}: {best.verification.summary}")
    if len(pmids) > 1:
        return replace(base, status="ambiguous",
                       reason="several PubMed records match: " + ", ".join(pmids))
    if any(c.verification is not None for c in work.candidates):
        return replace(base, status="rejected", reason=_reason_for(work, "rejected"))
    if work.candidates:
        return replace(base, status="unverified", reason=_reason_for(work, "unverified"))
    return replace(base, reason=_reason_for(work, "unresolved"))


def _verify_all(works: Sequence[_Work], proposed: dict[int, list[tuple[str, str]]],
                cache: RecordCache, client: Any) -> None:
    """Retrieve the proposed candidates (one batched, cache-first call) and verify them."""
    wanted = [pmid for items in proposed.values() for pmid, _m in items]
    if not wanted:
        return
    got = get_records(wanted, cache, client_factory=lambda: client)
    for index, items in proposed.items():
        work = works[index]
        seen = {c.pmid for c in work.candidates}
        for pmid, method in items:
            if pmid in seen:
                continue
            seen.add(pmid)
            record = got.records.get(pmid)
            if record is None:
                work.candidates.append(Candidate(pmid, method, None,
                                                 got.unavailable.get(pmid)))
            else:
                work.candidates.append(
                    Candidate(pmid, method, verify_candidate(work.fields, record.study)))


def _service_problem(exc: Exception, what: str) -> str:
    if isinstance(exc, OfflineError):
        return f"not looked up: the network is unavailable ({exc})"
    return f"{what} failed: {exc}"


def resolve_references(
    references: Iterable[Reference],
    cache: RecordCache,
    client_factory: ClientFactory | None = None,
    offline: bool = False,
) -> dict[str, Resolution]:
    """Resolve the references that have no PMID.

    Considered: kind ``unresolved`` or ``doi``, and kind ``web`` when the text reads as
    a journal citation (a publisher link instead of a PubMed one). Returns label →
    :class:`Resolution` for each of them; references with a PMID and plain web pages are
    not in the result. Labels must be unique: call it once per document. Requests: one ECitMatch per 100 citations, at most two ESearches per
    citation left over, and one batched efetch per round for candidates not cached.
    Service failures never raise: they make the affected references ``unresolved``
    with the reason.
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
        works.append(_Work(ref, fields))
    if not works:
        return {}
    if offline:
        for work in works:
            work.failures.append("not looked up: offline")
        return {w.ref.label: _decide(w) for w in works}
    client = make_client(client_factory)

    # 1. ECitMatch, one request for all citations that give enough to match on
    matchable = [i for i, w in enumerate(works) if w.fields.can_citmatch]
    proposed: dict[int, list[tuple[str, str]]] = {}
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
                return {w.ref.label: _decide(w) for w in works}
        else:
            for i in matchable:
                pmid = found.get(str(i))
                if pmid:
                    proposed.setdefault(i, []).append((pmid, "ecitmatch"))
    _verify_all(works, proposed, cache, client)

    # 2. ESearch for the rest: DOI, else title (+ author + year, then title alone)
    proposed = {}
    for index, work in enumerate(works):
        if work.passed():
            continue
        searches: list[tuple[str, str]] = []
        if work.fields.doi:
            searches.append((f'"{_phrase(work.fields.doi)}"[aid]', "doi-search"))
        searches.extend((q, "title-search") for q in _title_queries(work.fields))
        for term, method in searches:
            work.queries.append(term)
            try:
                result = client.esearch(term, max_results=MAX_CANDIDATES)
            except OfflineError as exc:
                work.failures.append(_service_problem(exc, "ESearch"))
                break
            except FetchError as exc:
                work.failures.append(_service_problem(exc, "ESearch"))
                continue
            hits = [p for p in result.pmids if p not in {c.pmid for c in work.candidates}]
            if hits:
                proposed[index] = [(p, method) for p in hits[:MAX_CANDIDATES]]
                break
            if result.count:  # hits, but all already tried
                break
    _verify_all(works, proposed, cache, client)
    return {w.ref.label: _decide(w) for w in works}
