"""The result of a SPARQL query, wherever it ran (an audit, an embedded store, an
endpoint), and the SPARQL 1.1 Query Results JSON form an endpoint answers with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ldn_graph.errors import StoreError
from ldn_graph.rdf.namespaces import XSD_NS
from ldn_graph.text import error_line

XSD_STRING = XSD_NS + "string"


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


def parse_results_json(body: bytes) -> QueryResult:
    """SPARQL 1.1 Query Results JSON → :class:`QueryResult`."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the endpoint answered with invalid JSON results ({error_line(exc, 300)})") from None
    if "boolean" in data:
        return QueryResult("ask", boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows: list[list[Term | None]] = []
    for binding in data.get("results", {}).get("bindings", []):
        row: list[Term | None] = []
        for var in variables:
            b = binding.get(var)
            if b is None:
                row.append(None)
                continue
            kind = b.get("type", "literal")
            if kind == "typed-literal":
                kind = "literal"
            dt = b.get("datatype")
            if dt == XSD_STRING:
                dt = None
            row.append(Term(kind, str(b.get("value", "")), dt, b.get("xml:lang")))
        rows.append(row)
    return QueryResult("select", variables, rows)
