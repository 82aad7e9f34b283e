"""The PubMed query that looks for studies of a claim's concept, built from the
vocabulary, never from strings in code.

The query is ``(<product>) AND (<concept>)`` with optional filters:

* product: its MeSH descriptors as ``[mh]`` (by the names the vocabulary file gives them)
  and its names as ``[tiab]``;
* concept: the descriptors it is mapped to by ``exactMatch``, ``closeMatch`` or
  ``narrowMatch`` as ``[mh]``, by ``broadMatch`` as ``[majr]`` (a broad heading counts only
  as a major topic, where it sharpens), never by ``relatedMatch``; its label and synonyms as
  ``[tiab]`` phrases;
* filters (off by default): the publication types of every evidence level at least as
  strong as ``min_level`` (from the evidence-level rules), a first year, and ``humans[mh]``.

The same filters are applied again to the records themselves (:func:`passes`), so a cache
searched offline gives what a search would have kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from ldn_graph.model import Concept, Study, Vocabulary
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import EvidenceLevel

__all__ = ["HUMANS_UI", "SearchFilters", "concept_query", "passes"]

#: MeSH descriptor Humans: the check tag PubMed's "Humans" filter searches.
HUMANS_UI = "D006801"
#: At most this many words of a concept (label first, then synonyms) go into its query.
MAX_CONCEPT_TERMS = 20
_SEARCHED_BY = {"exactMatch": "mh", "closeMatch": "mh", "narrowMatch": "mh", "broadMatch": "majr"}


@dataclass(frozen=True)
class SearchFilters:
    """Optional limits on the studies a search looks for (all off by default)."""

    min_level: EvidenceLevel | None = None
    since: int | None = None  # first publication year
    humans_only: bool = False


def _phrase(term: str, tag: str) -> str:
    clean = " ".join(term.replace('"', " ").split())
    return f'"{clean}"[{tag}]'


def _any(parts: list[str]) -> str:
    unique = list(dict.fromkeys(p for p in parts if p))
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def product_query(vocabulary: Vocabulary) -> str:
    """The product: its MeSH descriptors and its names."""
    headings = [_phrase(name, "mh") for ui in vocabulary.subject_mesh if (name := vocabulary.mesh_label(ui))]
    return _any(headings + [_phrase(t, "tiab") for t in vocabulary.subject_terms])


def concept_query(vocabulary: Vocabulary, concept: Concept, rules: LevelRules,
                  filters: SearchFilters = SearchFilters()) -> str:
    """The whole query for studies of the product and ``concept``, with ``filters``."""
    headings = [_phrase(name, _SEARCHED_BY[prop]) for ui, prop in concept.mesh_matches
                if prop in _SEARCHED_BY and (name := vocabulary.mesh_label(ui))]
    words = list(dict.fromkeys(t for t in concept.terms if t.strip()))[:MAX_CONCEPT_TERMS]
    query = f"{product_query(vocabulary)} AND {_any(headings + [_phrase(w, 'tiab') for w in words])}"
    if filters.min_level is not None:
        floor = rules.rank(filters.min_level)
        types = sorted(rules.publication_type_names[ui] for ui, level in rules.publication_types.items()
                       if rules.rank(level) >= floor and ui in rules.publication_type_names)
        if types:
            query += f" AND {_any([_phrase(t, 'pt') for t in types])}"
    if filters.since is not None:
        query += f' AND ("{filters.since}"[dp] : "3000"[dp])'
    if filters.humans_only:
        query += f" AND {_phrase('humans', 'mh')}"
    return query


def passes(study: Study, level: EvidenceLevel | None, rules: LevelRules, filters: SearchFilters) -> bool:
    """Whether a record (graded ``level``) is within ``filters``."""
    if filters.min_level is not None and rules.rank(level) < rules.rank(filters.min_level):
        return False
    if filters.since is not None and (study.year is None or study.year < filters.since):
        return False
    return not filters.humans_only or any(m.ui == HUMANS_UI for m in study.mesh)
