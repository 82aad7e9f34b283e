"""The result of a SPARQL query, wherever it ran (an audit, an embedded store, an
endpoint): :class:`QueryResult` of :class:`Term` values, made from pyoxigraph's answer
(:func:`query_result_of`) or from the SPARQL 1.1 Query Results JSON an endpoint answers
with (:func:`parse_results_json`, read by pyoxigraph's parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ldn_graph.errors import StoreError
from ldn_graph.rdf.namespaces import XSD_NS
from ldn_graph.text import error_line

XSD_STRING = XSD_NS + "string"
_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Term:
    """One value in a query result (the SPARQL 1.1 JSON results shape)."""

    kind: str  # uri | literal | bnode | triple
    value: str
    datatype: str | None = None
    language: str | None = None


@dataclass
class QueryResult:
    kind: str  # select | ask | graph
    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: bytes | None = None  # N-Triples of a CONSTRUCT / DESCRIBE result


def term_of(node: Any) -> Term | None:
    """A pyoxigraph term (or None: unbound) as a :class:`Term`; a plain literal has no
    datatype (``xsd:string`` is left out, as in SPARQL JSON results)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if node is None:
        return None
    if isinstance(node, NamedNode):
        return Term("uri", node.value)
    if isinstance(node, BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, Literal):
        dt: str | None = node.datatype.value if node.datatype is not None else None
        if node.language or dt == XSD_STRING:
            dt = None
        return Term("literal", node.value, dt, node.language)
    return Term("triple", str(node))


def query_result_of(answer: Any) -> QueryResult:
    """pyoxigraph's ``QueryBoolean`` or ``QuerySolutions`` as a :class:`QueryResult`
    (the solutions are read here; a syntax error in them propagates)."""
    from pyoxigraph import QueryBoolean

    if isinstance(answer, QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    variables = [v.value for v in answer.variables]
    rows = [[term_of(solution[i]) for i in range(len(variables))] for solution in answer]
    return QueryResult("select", variables, rows)


def parse_results_json(body: bytes) -> QueryResult:
    """SPARQL 1.1 Query Results JSON → :class:`QueryResult` (pyoxigraph's parser)."""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    try:
        return query_result_of(parse_query_results(body, QueryResultsFormat.JSON))
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"the endpoint answered with invalid JSON results ({error_line(exc, _MESSAGE_LIMIT)})") from None
