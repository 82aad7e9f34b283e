"""Reading a reference-list entry: the bibliographic fields a citation text gives.

A reference list entry such as ``Younger J, Noor N, ... "Low-dose naltrexone for ..."
Arthritis Rheum. 2013;65(2):529-538.`` is read into :class:`CitationFields`
(:func:`parse_citation`: Vancouver/NLM, AMA or APA style; pure, no network). Titles and
surnames are compared the way a citation writes them with :func:`normalise_title`,
:func:`title_similarity` and :func:`same_surname`.

Finding the PubMed record a citation names is :mod:`ldn_graph.pubmed.resolve`'s work.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from ldn_graph.ids import (
    DOI_RE,
    ID_LABEL_RE,
    PMID_LABEL_RE,
    PUBMED_URL_RE,
    clean_doi,
    identifiers_in,
)
from ldn_graph.text import one_line

__all__ = [
    "CitationFields",
    "normalise_title",
    "parse_citation",
    "same_surname",
    "surname_key",
    "title_similarity",
]


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
    pmcid: str | None = None  # "PMC4951901"

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
    text = one_line(text).strip(" .,;:–—-")
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
    raw = one_line(unicodedata.normalize("NFC", text))
    pmid_match = PMID_LABEL_RE.search(raw) or PUBMED_URL_RE.search(raw)
    pmid = pmid_match.group("pmid") if pmid_match else None
    doi_match = DOI_RE.search(raw)
    doi = clean_doi(doi_match.group("doi")) if doi_match else None
    pmcid = next((value for kind, value, _s, _e in identifiers_in(raw) if kind == "pmcid"), None)
    body = _URL_RE.sub(" ", raw)
    body = ID_LABEL_RE.sub(" ", body)
    body = one_line(body)

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
        pmcid=pmcid,
    )


# ------------------------------------------------------------------------ comparison


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise_title(title: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    folded = _fold(title).replace("’", "'").replace("'", "")
    return one_line(re.sub(r"[^\w]+", " ", folded))


def title_similarity(cited: str, recorded: str) -> float:
    """``difflib`` ratio of the two normalised titles (1.0 = identical)."""
    a, b = normalise_title(cited), normalise_title(recorded)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def surname_key(name: str) -> str:
    """A surname as a citation and a record both give it: accents, case and punctuation
    aside ("Ó Súilleabháin" → "osuilleabhain")."""
    return re.sub(r"[^a-z]", "", _fold(name))


def same_surname(cited: str, recorded: str) -> bool:
    """True when a cited surname names the recorded one (case, accents and punctuation
    aside; a compound or particle surname may be cited by its last part)."""
    a, b = surname_key(cited), surname_key(recorded)
    if not a or not b:
        return False
    if a == b:
        return True
    # "van der Berg" cited as "Berg", or a compound surname cited by one part
    cited_parts = [surname_key(p) for p in re.split(r"[\s-]+", cited) if surname_key(p)]
    recorded_parts = [surname_key(p) for p in re.split(r"[\s-]+", recorded) if surname_key(p)]
    return bool(cited_parts and recorded_parts) and (
        cited_parts[-1] == recorded_parts[-1] or a in recorded_parts or b in cited_parts
    )
