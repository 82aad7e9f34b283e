"""Load the SKOS claim vocabulary, the evidence-level mapping and the ontology from ``ontology/``.

``load_vocabulary()`` reads ``ontology/vocabulary-ldn.ttl`` (or a user file of the same
shape, ``--vocabulary FILE.ttl``) into a :class:`~ldn_graph.model.Vocabulary`;
``load_level_rules()`` reads ``ontology/evidence-levels.ttl`` into :class:`LevelRules`;
``ontology_graph()`` and ``shapes_graph()`` give the schema and the SHACL shapes as rdflib
graphs. Every problem with a file is an :class:`~ldn_graph.errors.OntologyError` whose
one-line message names the file, says what is wrong and what to do.
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
from ldn_graph.model import CLAIM_TYPES, Concept, Vocabulary
from ldn_graph.resources import ontology_dir

if TYPE_CHECKING:  # rdflib is imported inside the functions that need it
    from rdflib import Graph
    from rdflib.term import Node

ONTOLOGY_NS = "https://w3id.org/ldn-graph/ontology#"
VOCAB_NS = "https://w3id.org/ldn-graph/vocab/ldn#"
MESH_NS = "http://id.nlm.nih.gov/mesh/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

VOCABULARY_FILE = "vocabulary-ldn.ttl"
LEVELS_FILE = "evidence-levels.ttl"
SCHEMA_FILE = "ldn-graph.ttl"
SHAPES_FILE = "shapes.ttl"

#: ldng: claim-type individual -> the claim type string used in JSON and in the model.
CLAIM_TYPE_IRIS: Mapping[str, str] = MappingProxyType(
    {f"{ONTOLOGY_NS}{t.capitalize()}": t for t in CLAIM_TYPES}
)

# Mapping properties in the order their descriptors are listed in Concept.mesh.
_MATCH_PROPERTIES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
_MESH_RE = re.compile(r"^https?://id\.nlm\.nih\.gov/mesh/(D\d{6,9})$")


def mesh_ui(iri: str) -> str | None:
    """``"D005356"`` for a MeSH descriptor IRI (http or https), else ``None``."""
    m = _MESH_RE.match(str(iri))
    return m.group(1) if m else None


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` (or, without ``#``, after its last ``/``)."""
    iri = str(iri)
    if "#" in iri:
        return iri.rsplit("#", 1)[1]
    return iri.rstrip("/").rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- reading files


def _read(path: Path, what: str, hint: str) -> bytes:
    if not path.exists():
        raise OntologyError(f"{what} file not found: {path}; {hint}")
    if not path.is_file():
        raise OntologyError(f"{what} path is not a file: {path}; {hint}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise OntologyError(f"cannot read {what} file {path}: {err.strerror or err}; {hint}") from err


def _parse(data: bytes, path: Path, what: str) -> Graph:
    from rdflib import Graph

    graph = Graph()
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises BadSyntax, ValueError, … depending on the fault
        line = getattr(err, "lines", None)
        why = getattr(err, "_why", None)
        if not why:
            text = str(err).strip()
            why = text.splitlines()[0] if text else type(err).__name__
        where = f" at line {line + 1}" if isinstance(line, int) else ""
        raise OntologyError(
            f"{what} file {path} is not valid Turtle{where}: {why}; fix the syntax and try again"
        ) from err
    return graph


def _literal_text(graph: Graph, subject: Node, predicate: Node) -> list[tuple[str, str | None]]:
    from rdflib import Literal

    out = []
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal):
            out.append((str(obj), obj.language))
    return out


def _prefer_english(values: list[tuple[str, str | None]]) -> str | None:
    """The English value if there is one, else the untagged one, else the first in order."""
    for accept in (
        lambda lang: bool(lang) and lang.lower().split("-")[0] == "en",
        lambda lang: not lang,
        lambda lang: True,
    ):
        chosen = sorted(v for v, lang in values if accept(lang))
        if chosen:
            return chosen[0]
    return None


def _sorted_terms(values: list[tuple[str, str | None]]) -> list[str]:
    return sorted({v for v, _ in values}, key=lambda t: (t.casefold(), t))


def _fold_key(term: str) -> str:
    return term.replace("’", "'").replace("‘", "'").casefold().strip()


# --------------------------------------------------------------------------- vocabulary


def _load_turtle(
    path: str | Path | None, builtin: Path, what: str, builtin_hint: str, user_hint: str
) -> tuple[Path, bytes, Graph]:
    """Read and parse a user's Turtle file, or the built-in one when ``path`` is None."""
    file = builtin if path is None else Path(path)
    data = _read(file, what, builtin_hint if path is None else user_hint)
    return file, data, _parse(data, file, what)


def builtin_vocabulary_path() -> Path:
    return ontology_dir() / VOCABULARY_FILE


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """Read a SKOS claim vocabulary (the built-in LDN one when ``path`` is ``None``)."""
    from rdflib import RDF, Literal, Namespace, URIRef

    file, data, graph = _load_turtle(
        path,
        builtin_vocabulary_path(),
        "vocabulary",
        "reinstall ldn-graph (the built-in vocabulary is missing)",
        "pass an existing Turtle file to --vocabulary, or omit it to use the built-in LDN vocabulary",
    )

    skos = Namespace(SKOS_NS)
    ldng = Namespace(ONTOLOGY_NS)

    schemes = sorted(set(graph.subjects(RDF.type, skos.ConceptScheme)), key=str)
    if not schemes:
        raise OntologyError(
            f"vocabulary file {file} declares no skos:ConceptScheme; add one with "
            "ldng:productLabel (the product's name) and the concepts' skos:inScheme"
        )
    if len(schemes) > 1:
        raise OntologyError(
            f"vocabulary file {file} declares {len(schemes)} skos:ConceptSchemes "
            f"({', '.join(str(s) for s in schemes)}); keep one scheme per vocabulary file"
        )
    scheme = schemes[0]

    product_label = _prefer_english(_literal_text(graph, scheme, ldng.productLabel))
    if not product_label:
        raise OntologyError(
            f"vocabulary file {file}: the concept scheme <{scheme}> has no ldng:productLabel; "
            "add the product's name, e.g. ldng:productLabel \"naltrexone\""
        )
    terms = sorted({t for t, _ in _literal_text(graph, scheme, ldng.productTerm)} - {product_label})
    product_terms = (product_label, *terms)
    product_mesh = tuple(
        sorted({ui for o in graph.objects(scheme, ldng.productMesh) if (ui := mesh_ui(str(o)))})
    )
    max_dose: float | None = None
    doses = [o for o in graph.objects(scheme, ldng.maxDoseMg)]
    if len(doses) > 1:
        raise OntologyError(
            f"vocabulary file {file}: the concept scheme has {len(doses)} ldng:maxDoseMg values; keep one"
        )
    if doses:
        dose = doses[0]
        try:
            max_dose = float(dose.toPython() if isinstance(dose, Literal) else "nan")
        except (TypeError, ValueError):
            max_dose = float("nan")
        if not max_dose > 0:
            raise OntologyError(
                f"vocabulary file {file}: ldng:maxDoseMg {str(dose)!r} is not a positive number of "
                "milligrams; write e.g. ldng:maxDoseMg 5.0"
            )

    subjects = sorted(set(graph.subjects(RDF.type, skos.Concept)), key=str)
    if not subjects:
        raise OntologyError(
            f"vocabulary file {file} has no skos:Concept; add concepts (a skos:Concept with "
            "skos:prefLabel and ldng:claimType)"
        )

    concepts: list[Concept] = []
    names: dict[str, str] = {}
    owners: dict[str, str] = {}
    for subject in subjects:
        if not isinstance(subject, URIRef):
            raise OntologyError(
                f"vocabulary file {file} has a skos:Concept without an IRI (a blank node); "
                "give every concept an IRI"
            )
        iri = str(subject)
        name = local_name(iri)
        if not name:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no local name; end its IRI with a name"
            )
        if name in names:
            raise OntologyError(
                f"vocabulary file {file}: concepts <{names[name]}> and <{iri}> share the local name "
                f"{name!r}; rename one (claim ids use the local name)"
            )
        names[name] = iri

        label = _prefer_english(_literal_text(graph, subject, skos.prefLabel))
        if not label:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no skos:prefLabel; add one"
            )

        types = list(graph.objects(subject, ldng.claimType))
        if not types:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has no ldng:claimType; add one of "
                + ", ".join(f"ldng:{local_name(t)}" for t in CLAIM_TYPE_IRIS)
            )
        if len(types) > 1:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has {len(types)} ldng:claimType values; keep one"
            )
        claim_type = CLAIM_TYPE_IRIS.get(str(types[0]))
        if claim_type is None:
            raise OntologyError(
                f"vocabulary file {file}: concept <{iri}> has unknown claim type {types[0].n3()}; "
                "use one of " + ", ".join(f"ldng:{local_name(t)}" for t in CLAIM_TYPE_IRIS)
            )

        alt = _sorted_terms(_literal_text(graph, subject, skos.altLabel))
        hidden = _sorted_terms(_literal_text(graph, subject, skos.hiddenLabel))
        sensitive = _sorted_terms(_literal_text(graph, subject, ldng.caseSensitiveLabel))
        synonyms = tuple(dict.fromkeys(t for t in (*alt, *hidden, *sensitive) if t != label))

        for term in (label, *synonyms):
            key = term if term in sensitive else _fold_key(term)
            if not key.strip():
                raise OntologyError(
                    f"vocabulary file {file}: concept <{iri}> has an empty label; remove it"
                )
            other = owners.setdefault(key, iri)
            if other != iri:
                raise OntologyError(
                    f"vocabulary file {file}: the label {term!r} names both <{other}> and <{iri}>; "
                    "a label must name one concept"
                )

        mesh: list[str] = []
        for prop in _MATCH_PROPERTIES:
            found = sorted(ui for o in graph.objects(subject, skos[prop]) if (ui := mesh_ui(str(o))))
            mesh.extend(ui for ui in found if ui not in mesh)

        definition = _prefer_english(_literal_text(graph, subject, skos.definition))
        concepts.append(
            Concept(
                iri=iri,
                name=name,
                label=label,
                claim_type=claim_type,
                mesh=tuple(mesh),
                synonyms=synonyms,
                definition=definition,
                case_sensitive=tuple(sensitive),
            )
        )

    source = f"builtin:{VOCABULARY_FILE}" if path is None else str(file)
    return Vocabulary(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        concepts=tuple(concepts),
        subject_label=product_label,
        subject_terms=product_terms,
        subject_mesh=product_mesh,
        max_dose_mg=max_dose,
    )


# --------------------------------------------------------------------------- evidence levels


@dataclass(frozen=True)
class PatternRule:
    """A design-word or journal rule: a case-insensitive regex that implies ``level``."""

    level: str
    pattern: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class MeshRule:
    """Implies ``level`` when every ``requires`` descriptor and no ``excludes`` one is present."""

    level: str
    requires: tuple[str, ...]
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LevelRules:
    """The evidence-level mapping of ``ontology/evidence-levels.ttl`` as plain data."""

    source: str
    sha256: str
    levels: tuple[str, ...]  # strongest first
    ranks: Mapping[str, int]  # level -> rank, higher is stronger
    publication_types: Mapping[str, str]  # publication-type UI -> level
    publication_type_names: Mapping[str, str]  # UI -> name, for every UI in the file
    neutral_publication_types: frozenset[str]  # UIs that imply no level
    mesh_rules: tuple[MeshRule, ...]
    journal_rules: tuple[PatternRule, ...]
    design_words: tuple[PatternRule, ...]

    def rank(self, level: str | None) -> int:
        """Rank of ``level`` (``None`` counts as unknown; a level not in the file ranks 0)."""
        return self.ranks.get(level or "unknown", 0)

    # The same data under the names ldn_graph.judge.evidence reads.
    @property
    def pubtype_levels(self) -> Mapping[str, str]:
        return self.publication_types

    @property
    def pubtype_names(self) -> Mapping[str, str]:
        return self.publication_type_names

    @property
    def design_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """``(level, regex)`` pairs, strongest level first."""
        return tuple((r.level, r.regex) for r in self.design_words)

    @property
    def journal_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((r.level, r.regex) for r in self.journal_rules)

    def strongest(self, levels: Iterable[str]) -> str | None:
        """The highest-ranked of ``levels`` (``None`` for none)."""
        best: str | None = None
        for level in levels:
            if best is None or self.rank(level) > self.rank(best):
                best = level
        return best

    def level_for_publication_types(self, uis: Iterable[str | None]) -> tuple[str, str] | None:
        """``(level, UI that gave it)`` for the strongest mapped publication type, else ``None``."""
        hits = [(self.publication_types[ui], ui) for ui in uis if ui and ui in self.publication_types]
        if not hits:
            return None
        return max(hits, key=lambda h: (self.rank(h[0]), h[1]))

    def level_for_mesh(self, uis: Iterable[str | None]) -> str | None:
        present = {ui for ui in uis if ui}
        levels = [
            r.level
            for r in self.mesh_rules
            if all(u in present for u in r.requires) and not any(u in present for u in r.excludes)
        ]
        return self.strongest(levels)

    def level_for_journal(self, *names: str | None) -> tuple[str, str] | None:
        """``(level, journal name that matched)`` or ``None``."""
        for rule in self.journal_rules:
            for name in names:
                if name and rule.regex.search(name):
                    return rule.level, name
        return None

    def design_word_matches(self, text: str) -> tuple[tuple[str, str], ...]:
        """Every ``(level, matched words)`` in ``text``, strongest level first."""
        hits: list[tuple[str, str]] = []
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

    file, data, graph = _load_turtle(
        path,
        builtin_levels_path(),
        "evidence-level",
        "reinstall ldn-graph (the built-in evidence-level mapping is missing)",
        "pass an existing Turtle file with the evidence-level mapping",
    )
    # Level notations live in the schema; a user file may restate or extend them.
    schema_file = ontology_dir() / SCHEMA_FILE
    graph += _parse(_read(schema_file, "ontology", "reinstall ldn-graph"), schema_file, "ontology")

    ldng = Namespace(ONTOLOGY_NS)
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

    notation: dict[str, str] = {}
    for level_node in graph.subjects(RDF.type, ldng.EvidenceLevel):
        notations = sorted(str(n) for n in graph.objects(level_node, SKOS.notation))
        if notations:
            notation[str(level_node)] = notations[0]

    def level_of(node: Node, where: str) -> str:
        name = notation.get(str(node))
        if name is None:
            raise OntologyError(
                f"evidence-level file {file}: {where} uses {node.n3()}, which is not an evidence "
                "level with a skos:notation; use one of "
                + ", ".join(f"ldng:{local_name(i)}" for i in sorted(notation))
            )
        return name

    ranks: dict[str, int] = {}
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

    pub_types: dict[str, str] = {}
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
        label = _prefer_english(_literal_text(graph, URIRef(MESH_NS + ui), rdfs_label))
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


# --------------------------------------------------------------------------- graphs


def ontology_files() -> list[Path]:
    """The Turtle files that make up the ontology (schema, vocabulary, levels), not the shapes."""
    folder = ontology_dir()
    return sorted(p for p in folder.glob("*.ttl") if p.name != SHAPES_FILE)


def ontology_graph() -> Graph:
    """Schema + LDN vocabulary + evidence-level mapping in one new rdflib graph."""
    from rdflib import Graph

    graph = Graph()
    files = ontology_files()
    if not files:
        raise OntologyError(f"no ontology files in {ontology_dir()}; reinstall ldn-graph")
    for file in files:
        graph += _parse(_read(file, "ontology", "reinstall ldn-graph"), file, "ontology")
    _bind(graph)
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes every produced graph must pass, as a new rdflib graph."""
    file = ontology_dir() / SHAPES_FILE
    graph = _parse(_read(file, "shapes", "reinstall ldn-graph"), file, "shapes")
    _bind(graph)
    return graph


def _bind(graph: Graph) -> None:
    graph.bind("ldng", ONTOLOGY_NS)
    graph.bind("ldnv", VOCAB_NS)
    graph.bind("mesh", MESH_NS)
