"""The PubMed record as the pipeline holds it: a :class:`Study` (the article's
bibliographic facts, abstract, MeSH, publication types, corrections and cited
references), its :class:`Provenance` and the cached :class:`Record` of both.

Frozen dataclasses; ``to_dict``/``from_dict`` give the JSON the cache stores. Re-exported
by :mod:`ldn_graph.model`, so the rest of the package imports them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from ldn_graph.terms import Origin


@dataclass(frozen=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None

    @property
    def display(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.last_name, self.initials) if p)


@dataclass(frozen=True)
class Qualifier:
    ui: str | None
    name: str
    major: bool = False


@dataclass(frozen=True)
class MeshHeading:
    ui: str | None
    name: str
    major: bool = False
    qualifiers: tuple[Qualifier, ...] = ()


@dataclass(frozen=True)
class AbstractSection:
    text: str
    label: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class PublicationType:
    ui: str | None
    name: str


@dataclass(frozen=True)
class Chemical:
    ui: str | None
    name: str
    registry_number: str | None = None


@dataclass(frozen=True)
class CommentCorrection:
    ref_type: str  # RetractionIn, ErratumIn, CommentIn, Cites …
    pmid: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class CitedReference:
    citation: str
    pmid: str | None = None
    doi: str | None = None


# Study fields holding tuples of flat dataclasses (``mesh`` nests qualifiers: see to_dict)
_STUDY_NESTED = ("abstract", "other_abstracts", "authors", "publication_types", "chemicals",
                 "comments_corrections", "references")


@dataclass(frozen=True)
class Study:
    pmid: str
    title: str = ""
    title_markup: str | None = None  # raw inline markup when it differs from ``title``
    abstract: tuple[AbstractSection, ...] = ()
    other_abstracts: tuple[AbstractSection, ...] = ()
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_abbrev: str | None = None
    year: int | None = None
    pub_date: str | None = None  # raw date text, e.g. "1998 Dec-1999 Jan"
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmcid: str | None = None
    language: str | None = None
    publication_types: tuple[PublicationType, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    chemicals: tuple[Chemical, ...] = ()
    comments_corrections: tuple[CommentCorrection, ...] = ()
    references: tuple[CitedReference, ...] = ()

    @property
    def abstract_text(self) -> str:
        return " ".join(s.text for s in self.abstract)

    def to_dict(self) -> dict[str, Any]:
        """The same as ``dataclasses.asdict(self)``, about ten times faster (an import of
        a MEDLINE baseline file calls it once per record)."""
        data = dict(self.__dict__)
        for key in _STUDY_NESTED:
            data[key] = tuple([dict(item.__dict__) for item in data[key]])
        data["mesh"] = tuple([
            {**m.__dict__, "qualifiers": tuple([dict(q.__dict__) for q in m.qualifiers])}
            for m in self.mesh
        ])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Study:
        nested: dict[str, type] = {
            "abstract": AbstractSection,
            "other_abstracts": AbstractSection,
            "authors": Author,
            "publication_types": PublicationType,
            "chemicals": Chemical,
            "comments_corrections": CommentCorrection,
            "references": CitedReference,
        }
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue  # newer cache fields are ignored, never fatal
            if key in nested:
                value = tuple(nested[key](**item) for item in value or ())
            elif key == "mesh":
                value = tuple(
                    MeshHeading(
                        ui=m.get("ui"),
                        name=m["name"],
                        major=bool(m.get("major")),
                        qualifiers=tuple(Qualifier(**q) for q in m.get("qualifiers") or ()),
                    )
                    for m in value or ()
                )
            elif key == "keywords":
                value = tuple(value or ())
            kwargs[key] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class Provenance:
    """Where a cached record came from."""

    origin: Origin
    retrieved_at: str  # ISO 8601 UTC
    source: str | None = None  # DTD / file name / transcription source
    sha256: str | None = None  # of the raw record text


@dataclass(frozen=True)
class Record:
    study: Study
    provenance: Provenance


