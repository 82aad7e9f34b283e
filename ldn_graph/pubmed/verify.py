"""Whether a PubMed record is the work a citation names: the check every proposed PMID
passes before it is used (:func:`verify_candidate`), so a near miss never becomes a
silent wrong PMID.

First author surname, publication year (exact), title similarity (``difflib`` ratio >=
:data:`TITLE_THRESHOLD` after case and punctuation are normalised), and the DOI, PMCID,
volume and first page where both sides give them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ldn_graph.extract.citations import CitationFields, same_surname, title_similarity
from ldn_graph.model import Study

__all__ = ["TITLE_THRESHOLD", "Verification", "verify_candidate"]

TITLE_THRESHOLD = 0.8


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
    made check to agree and enough of them: the DOI or the PMCID, or two of author,
    year, title, volume/first page.
    """

    passed: bool
    author: bool | None = None
    year: bool | None = None
    title: float | None = None
    doi: bool | None = None
    volume: bool | None = None
    first_page: bool | None = None
    problems: tuple[str, ...] = ()
    pmcid: bool | None = None

    @property
    def names_the_work(self) -> bool:
        """Passed on the first author and year, and on the volume with the first page or
        on the title: what a citation without identifiers needs to match a cached record."""
        return self.passed and bool(self.author and self.year) and bool(
            (self.volume and self.first_page) or (self.title or 0.0) >= TITLE_THRESHOLD
        )

    @property
    def summary(self) -> str:
        parts = []
        for name in ("author", "year", "doi", "pmcid", "volume", "first_page"):
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
            author = same_surname(fields.first_author, recorded)
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
    if fields.doi and study.doi:
        doi = fields.doi.casefold() == study.doi.casefold()
        if not doi:
            problems.append(f"DOI {fields.doi} ≠ record's {study.doi}")
    pmcid = None
    if fields.pmcid and study.pmcid:
        pmcid = fields.pmcid.upper() == study.pmcid.upper()
        if not pmcid:
            problems.append(f"PMCID {fields.pmcid} ≠ record's {study.pmcid}")
    if fields.title and study.title:
        title = title_similarity(fields.title, study.title)
        # a short entry's "title" may be its journal: with the DOI or PMCID agreeing, a
        # title that differs is not held against the record
        if title < TITLE_THRESHOLD and not (doi or pmcid):
            problems.append(f"title similarity {title:.2f} < {TITLE_THRESHOLD}")
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
    passed = not problems and (bool(doi) or bool(pmcid) or agreeing >= 2)
    if not problems and not passed:
        problems.append("too little in common to be sure (need the DOI or the PMCID, or "
                        "two of first author, year, title, volume and page)")
    return Verification(passed, author, year, title, doi, volume, first_page, tuple(problems), pmcid)
