"""The evidence-level mapping: ``load_level_rules()`` reads ``ontology/evidence-levels.ttl``
(or a user file of the same shape) into :class:`LevelRules`, plain data the judge grades
records with.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ldn_graph.errors import OntologyError
from ldn_graph.ontology.turtle import (
    LEVELS_FILE,
    MESH_NS,
    ONTOLOGY_NS,
    SCHEMA_FILE,
    literal_text,
    load_turtle,
    local_name,
    mesh_ui,
    parse_turtle,
    prefer_english,
    read_file,
)
from ldn_graph.resources import ontology_dir
from ldn_graph.terms import EvidenceLevel

if TYPE_CHECKING:
    from rdflib.term import Node

_LEVELS = tuple(level.value for level in EvidenceLevel)

@dataclass(frozen=True)
class PatternRule:
    """A design-word or journal rule: a case-insensitive regex that implies ``level``."""

    level: EvidenceLevel
    pattern: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class MeshRule:
    """Implies ``level`` when every ``requires`` descriptor and no ``excludes`` one is present."""

    level: EvidenceLevel
    requires: tuple[str, ...]
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelRules:
    """The evidence-level mapping of ``ontology/evidence-levels.ttl`` as plain data."""

    source: str
    sha256: str
    levels: tuple[EvidenceLevel, ...]  # strongest first
    ranks: Mapping[EvidenceLevel, int]  # level -> rank, higher is stronger
    publication_types: Mapping[str, EvidenceLevel]  # publication-type UI -> level
    publication_type_names: Mapping[str, str]  # UI -> name, for every UI in the file
    neutral_publication_types: frozenset[str]  # UIs that imply no level
    mesh_rules: tuple[MeshRule, ...]
    journal_rules: tuple[PatternRule, ...]
    design_words: tuple[PatternRule, ...]

    def rank(self, level: str | None) -> int:
        """Rank of ``level`` (``None`` counts as unknown; a level not in the file ranks 0)."""
        if level is None:
            level = EvidenceLevel.UNKNOWN
        return self.ranks.get(EvidenceLevel(level), 0) if level in _LEVELS else 0

    def strongest(self, levels: Iterable[EvidenceLevel]) -> EvidenceLevel | None:
        """The highest-ranked of ``levels`` (``None`` for none)."""
        best: EvidenceLevel | None = None
        for level in levels:
            if best is None or self.rank(level) > self.rank(best):
                best = level
        return best

    def level_for_publication_types(self, uis: Iterable[str | None]) -> tuple[EvidenceLevel, str] | None:
        """``(level, UI that gave it)`` for the strongest mapped publication type, else ``None``."""
        hits = [(self.publication_types[ui], ui) for ui in uis if ui and ui in self.publication_types]
        if not hits:
            return None
        return max(hits, key=lambda h: (self.rank(h[0]), h[1]))

    def level_for_mesh(self, uis: Iterable[str | None]) -> EvidenceLevel | None:
        present = {ui for ui in uis if ui}
        levels = [
            r.level
            for r in self.mesh_rules
            if all(u in present for u in r.requires) and not any(u in present for u in r.excludes)
        ]
        return self.strongest(levels)

    def level_for_journal(self, *names: str | None) -> tuple[EvidenceLevel, str] | None:
        """``(level, journal name that matched)`` or ``None``."""
        for rule in self.journal_rules:
            for name in names:
                if name and rule.regex.search(name):
                    return rule.level, name
        return None

    def design_word_matches(self, text: str) -> tuple[tuple[EvidenceLevel, str], ...]:
        """Every ``(level, matched words)`` in ``text``, strongest level first."""
        hits: list[tuple[EvidenceLevel, str]] = []
        for rule in self.design_words:
            m = rule.regex.search(text)
            if m:
                hits.append((rule.level, m.group(0)))
        return tuple(sorted(hits, key=lambda h: -self.rank(h[0])))


def builtin_levels_path() -> Path:
    return ontology_dir() / LEVELS_FILE


def load_level_rules(path: str | Path | None = None) -> LevelRules:
    """Read the evidence-level mapping (the built-in one when ``path`` is ``None``)."""
    from rdflib import RDF, Literal, Namespace, URIRef
    from rdflib.namespace import SKOS

    file, data, graph = load_turtle(
        path,
        builtin_levels_path(),
        "evidence-level",
        "reinstall ldn-graph (the built-in evidence-level mapping is missing)",
        "pass an existing Turtle file with the evidence-level mapping",
    )
    # Level notations live in the schema; a user file may restate them (the notations must
    # be those of ldn_graph.terms.EvidenceLevel) and re-rank the levels.
    schema_file = ontology_dir() / SCHEMA_FILE
    graph += parse_turtle(read_file(schema_file, "ontology", "reinstall ldn-graph"), schema_file, "ontology")

    ldng = Namespace(ONTOLOGY_NS)
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

    notation: dict[str, EvidenceLevel] = {}
    for level_node in graph.subjects(RDF.type, ldng.EvidenceLevel):
        notations = sorted(str(n) for n in graph.objects(level_node, SKOS.notation))
        if not notations:
            continue
        if notations[0] not in _LEVELS:
            raise OntologyError(
                f"evidence-level file {file}: level {level_node.n3()} has the notation {notations[0]!r}, "
                "which is not an evidence level of ldn-graph; use one of " + ", ".join(_LEVELS)
            )
        notation[str(level_node)] = EvidenceLevel(notations[0])

    def level_of(node: Node, where: str) -> EvidenceLevel:
        name = notation.get(str(node))
        if name is None:
            raise OntologyError(
                f"evidence-level file {file}: {where} uses {node.n3()}, which is not an evidence "
                "level with a skos:notation; use one of "
                + ", ".join(f"ldng:{local_name(i)}" for i in sorted(notation))
            )
        return name

    ranks: dict[EvidenceLevel, int] = {}
    for iri, name in notation.items():
        values = list(graph.objects(URIRef(iri), ldng.rank))
        if len(values) != 1 or not isinstance(values[0], Literal) or not isinstance(values[0].toPython(), int):
            raise OntologyError(
                f"evidence-level file {file}: level ldng:{local_name(iri)} needs exactly one integer "
                "ldng:rank; add e.g. ldng:RCT ldng:rank 8"
            )
        ranks[name] = int(values[0].toPython())
    if len(set(ranks.values())) != len(ranks):
        raise OntologyError(
            f"evidence-level file {file}: two evidence levels share a ldng:rank; give each a different rank"
        )
    levels = tuple(sorted(ranks, key=lambda n: -ranks[n]))

    def one(rule: Node, prop: Node, kind: str) -> Node:
        values = list(graph.objects(rule, prop))
        if len(values) != 1:
            raise OntologyError(
                f"evidence-level file {file}: a {kind} has {len(values)} {prop.n3(graph.namespace_manager)} "
                "values; give it exactly one"
            )
        return values[0]

    def ui_of(node: Node, kind: str) -> str:
        ui = mesh_ui(str(node))
        if ui is None:
            raise OntologyError(
                f"evidence-level file {file}: a {kind} names {node.n3()}, not a MeSH IRI; "
                "write it as mesh:D… (http://id.nlm.nih.gov/mesh/D…)"
            )
        return ui

    def compile_rule(rule: Node, kind: str) -> PatternRule:
        level = level_of(one(rule, ldng.level, kind), kind)
        pattern = str(one(rule, ldng.pattern, kind))
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as err:
            raise OntologyError(
                f"evidence-level file {file}: {kind} pattern {pattern!r} is not a valid regular "
                f"expression ({err}); fix the pattern"
            ) from err
        return PatternRule(level=level, pattern=pattern, regex=regex)

    pub_types: dict[str, EvidenceLevel] = {}
    for rule in graph.subjects(RDF.type, ldng.PublicationTypeRule):
        ui = ui_of(one(rule, ldng.publicationType, "publication type rule"), "publication type rule")
        level = level_of(one(rule, ldng.level, "publication type rule"), "a publication type rule")
        if pub_types.get(ui, level) != level:
            raise OntologyError(
                f"evidence-level file {file}: publication type {ui} is mapped to both "
                f"{pub_types[ui]} and {level}; keep one"
            )
        pub_types[ui] = level
    neutral = frozenset(
        ui_of(one(rule, ldng.publicationType, "neutral publication type rule"), "neutral publication type rule")
        for rule in graph.subjects(RDF.type, ldng.NeutralPublicationTypeRule)
    )
    both = sorted(neutral & set(pub_types))
    if both:
        raise OntologyError(
            f"evidence-level file {file}: publication type {both[0]} is both neutral and mapped to "
            f"{pub_types[both[0]]}; keep one"
        )
    names = {}
    for ui in (*pub_types, *neutral):
        label = prefer_english(literal_text(graph, URIRef(MESH_NS + ui), rdfs_label))
        if label:
            names[ui] = label

    mesh_rules = []
    for rule in graph.subjects(RDF.type, ldng.MeshRule):
        requires = tuple(sorted(ui_of(o, "MeSH rule") for o in graph.objects(rule, ldng.requiresMesh)))
        if not requires:
            raise OntologyError(
                f"evidence-level file {file}: a MeSH rule has no ldng:requiresMesh; add the descriptor it needs"
            )
        excludes = tuple(sorted(ui_of(o, "MeSH rule") for o in graph.objects(rule, ldng.excludesMesh)))
        mesh_rules.append(MeshRule(level_of(one(rule, ldng.level, "MeSH rule"), "a MeSH rule"), requires, excludes))

    def pattern_rules(cls: Node, kind: str) -> tuple[PatternRule, ...]:
        rules = [compile_rule(r, kind) for r in graph.subjects(RDF.type, cls)]
        return tuple(sorted(rules, key=lambda r: (-ranks[r.level], r.pattern)))

    source = f"builtin:{LEVELS_FILE}" if path is None else str(file)
    return LevelRules(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        levels=levels,
        ranks=MappingProxyType(ranks),
        publication_types=MappingProxyType(dict(sorted(pub_types.items()))),
        publication_type_names=MappingProxyType(dict(sorted(names.items()))),
        neutral_publication_types=neutral,
        mesh_rules=tuple(sorted(mesh_rules, key=lambda r: (-ranks[r.level], r.requires))),
        journal_rules=pattern_rules(ldng.JournalRule, "journal rule"),
        design_words=pattern_rules(ldng.DesignWordRule, "design word rule"),
    )
