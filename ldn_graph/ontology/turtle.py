"""Reading the Turtle files of ``ontology/``: namespaces, file reading and parsing with
one-line :class:`~ldn_graph.errors.OntologyError` messages, literal helpers, MeSH IRIs,
and the schema and SHACL shapes as rdflib graphs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ldn_graph.errors import OntologyError
from ldn_graph.resources import ontology_dir

if TYPE_CHECKING:  # rdflib is imported inside the functions that need it
    from rdflib import Graph
    from rdflib.term import Node

ONTOLOGY_NS = "https://w3id.org/ldn-graph/ontology#"
VOCAB_NS = "https://w3id.org/ldn-graph/vocab/ldn#"
MESH_NS = "http://id.nlm.nih.gov/mesh/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"

VOCABULARY_FILE = "vocabulary-ldn.ttl"
LEVELS_FILE = "evidence-levels.ttl"
SCHEMA_FILE = "ldn-graph.ttl"
SHAPES_FILE = "shapes.ttl"

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


def read_file(path: Path, what: str, hint: str) -> bytes:
    if not path.exists():
        raise OntologyError(f"{what} file not found: {path}; {hint}")
    if not path.is_file():
        raise OntologyError(f"{what} path is not a file: {path}; {hint}")
    try:
        return path.read_bytes()
    except OSError as err:
        raise OntologyError(f"cannot read {what} file {path}: {err.strerror or err}; {hint}") from err


def parse_turtle(data: bytes, path: Path, what: str) -> Graph:
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


def literal_text(graph: Graph, subject: Node, predicate: Node) -> list[tuple[str, str | None]]:
    from rdflib import Literal

    out = []
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal):
            out.append((str(obj), obj.language))
    return out


def prefer_english(values: list[tuple[str, str | None]]) -> str | None:
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


def sorted_terms(values: list[tuple[str, str | None]]) -> list[str]:
    return sorted({v for v, _ in values}, key=lambda t: (t.casefold(), t))


def load_turtle(
    path: str | Path | None, builtin: Path, what: str, builtin_hint: str, user_hint: str
) -> tuple[Path, bytes, Graph]:
    """Read and parse a user's Turtle file, or the built-in one when ``path`` is None."""
    file = builtin if path is None else Path(path)
    data = read_file(file, what, builtin_hint if path is None else user_hint)
    return file, data, parse_turtle(data, file, what)


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
        graph += parse_turtle(read_file(file, "ontology", "reinstall ldn-graph"), file, "ontology")
    _bind(graph)
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes every produced graph must pass, as a new rdflib graph."""
    file = ontology_dir() / SHAPES_FILE
    graph = parse_turtle(read_file(file, "shapes", "reinstall ldn-graph"), file, "shapes")
    _bind(graph)
    return graph


def _bind(graph: Graph) -> None:
    graph.bind("ldng", ONTOLOGY_NS)
    graph.bind("ldnv", VOCAB_NS)
    graph.bind("mesh", MESH_NS)
