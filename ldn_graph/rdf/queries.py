"""Built-in SPARQL queries over the audit graph, and renderers for query results.

The queries are data (``QUERIES``): each is plain SPARQL 1.1 over the pattern in
``ontology/ldn-graph.ttl``, so it runs unchanged on an audit, an embedded store, or any
SPARQL endpoint holding a pushed graph. ``ldn-graph query --list`` shows them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.rdf.namespaces import PREFIXES, compact
from ldn_graph.rdf.results import QueryResult, Term
from ldn_graph.terms import EvidenceLevel, Severity, Verdict
from ldn_graph.text import one_line

_PREFIX_NAMES = ("rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "foaf", "mp", "oa", "cito", "fabio", "biro", "bibo", "ldng", "ldnv", "mesh")
PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in _PREFIX_NAMES)


def _values(variables: str, rows: list[str]) -> str:
    """A SPARQL ``VALUES`` block, three rows a line."""
    lines = ["    " + " ".join(rows[i : i + 3]) for i in range(0, len(rows), 3)]
    return f"VALUES ({variables}) {{\n" + "\n".join(lines) + " }"


# The ldng individual, the report's name and (levels) the rank of each term of ldn_graph.terms.
_VERDICTS = _values("?v ?verdict", [f'(ldng:{v.ontology_name} "{v.value}")' for v in Verdict])
_LEVELS = _values("?lv ?level ?rank", [f'(ldng:{lv.ontology_name} "{lv.value}" {lv.rank})' for lv in EvidenceLevel])
_SEVERITIES = _values("?s ?severity ?order", [f'(ldng:{s.ontology_name} "{s.value}" {n})' for n, s in enumerate(Severity, 1)])


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    body: str  # SPARQL without the PREFIX prologue

    @property
    def text(self) -> str:
        return PROLOGUE + self.body.strip() + "\n"


QUERIES: dict[str, NamedQuery] = {
    q.name: q
    for q in (
        NamedQuery(
            "unsupported-claims",
            "Claims with no source: no inline citation, and nothing in the reference list addresses them.",
            """
SELECT ?document ?concept ?claim ?text WHERE {
  ?assessment ldng:assesses ?c ; ldng:verdict ldng:Unsupported .
  ?c ldng:inDocument ?d ; ldng:aboutConcept ?k ; dcterms:identifier ?claim ; rdfs:label ?text .
  ?d rdfs:label ?document .
  OPTIONAL { ?k skos:prefLabel ?conceptLabel }
  OPTIONAL { ?annotation oa:hasBody ?c ; oa:hasTarget/oa:hasSelector ?position .
             ?position a oa:TextPositionSelector ; oa:start ?start . }
  BIND(COALESCE(STR(?conceptLabel), STR(?k)) AS ?concept)
}
ORDER BY ?document ?start ?concept
""",
        ),
        NamedQuery(
            "suggested-sources",
            "Studies a PubMed search suggested for claims without support (audit or export with --suggest), "
            "strongest first.",
            """
SELECT ?document ?concept ?claim ?rank ?pmid ?direction ?sentence ?query WHERE {
  ?c ldng:hasSuggestion ?s ; ldng:inDocument ?d ; ldng:aboutConcept ?k ; dcterms:identifier ?claim .
  ?s ldng:suggestionRank ?rank ; ldng:direction ?direction ; ldng:rationale ?sentence ;
     ldng:searchQuery ?query ; prov:wasDerivedFrom ?study .
  ?study fabio:hasPubMedId ?pmid .
  ?d rdfs:label ?document .
  OPTIONAL { ?k skos:prefLabel ?conceptLabel }
  BIND(COALESCE(STR(?conceptLabel), STR(?k)) AS ?concept)
}
ORDER BY ?document ?claim ?rank
""",
        ),
        NamedQuery(
            "contradicted-claims",
            "Claims a cited study contradicts: it addresses them and found no effect or the opposite.",
            """
SELECT ?document ?concept ?claim ?text ?pmid ?direction ?sentence WHERE {
  ?assessment ldng:assesses ?c ; ldng:verdict ldng:Contradicted ; ldng:hasEvidence ?e .
  ?e ldng:direction ?direction ; ldng:rationale ?sentence ; prov:wasDerivedFrom ?study .
  FILTER(?direction IN ("null", "negative"))
  ?study fabio:hasPubMedId ?pmid .
  ?c ldng:inDocument ?d ; ldng:aboutConcept ?k ; dcterms:identifier ?claim ; rdfs:label ?text .
  ?d rdfs:label ?document .
  OPTIONAL { ?k skos:prefLabel ?conceptLabel }
  BIND(COALESCE(STR(?conceptLabel), STR(?k)) AS ?concept)
}
ORDER BY ?document ?claim ?pmid
""",
        ),
        NamedQuery(
            "claims-per-study",
            "For each PubMed study: how many claims cite it, how many it supports, and their verdicts.",
            f"""
SELECT ?pmid (SAMPLE(?t) AS ?title) (COUNT(DISTINCT ?citing) AS ?cited_by)
       (COUNT(DISTINCT ?supported) AS ?supports) (GROUP_CONCAT(DISTINCT ?verdict; separator=" ") AS ?verdicts)
WHERE {{
  ?study fabio:hasPubMedId ?pmid .
  {{ ?citing cito:citesAsEvidence ?study . BIND(?citing AS ?c) }}
  UNION
  {{ ?study mp:supports ?supported . BIND(?supported AS ?c) }}
  OPTIONAL {{ ?a ldng:assesses ?c ; ldng:verdict ?v . {_VERDICTS} }}
  OPTIONAL {{ ?study dcterms:title ?t }}
}}
GROUP BY ?pmid
ORDER BY DESC(?cited_by) DESC(?supports) ?pmid
""",
        ),
        NamedQuery(
            "studies-per-concept",
            "For each vocabulary concept: the studies about it, strongest evidence level first "
            "(via the audit's evidence, or via the study's MeSH headings matching the concept's).",
            f"""
SELECT ?concept ?pmid ?level ?via (COUNT(DISTINCT ?claim) AS ?claims) (SAMPLE(?t) AS ?title)
WHERE {{
  ?k a skos:Concept ; skos:prefLabel ?label .
  {{
    ?claim ldng:aboutConcept ?k . ?a ldng:assesses ?claim ; ldng:hasEvidence ?e .
    ?e prov:wasDerivedFrom ?study .
    OPTIONAL {{ ?e ldng:evidenceLevel ?elevel }}
    BIND("evidence" AS ?via)
  }} UNION {{
    ?k skos:closeMatch ?descriptor . ?study dcterms:subject ?descriptor .
    BIND("mesh" AS ?via)
  }}
  ?study fabio:hasPubMedId ?pmid .
  OPTIONAL {{ ?study ldng:evidenceLevel ?slevel }}
  BIND(COALESCE(?elevel, ?slevel, ldng:{EvidenceLevel.UNKNOWN.ontology_name}) AS ?lv)
  {_LEVELS}
  OPTIONAL {{ ?study dcterms:title ?t }}
  BIND(STR(?label) AS ?concept)
}}
GROUP BY ?concept ?pmid ?level ?rank ?via
ORDER BY ?concept DESC(?rank) ?via ?pmid
""",
        ),
        NamedQuery(
            "verdicts",
            "How many claims got each verdict, per document.",
            f"""
SELECT ?document ?verdict (COUNT(DISTINCT ?c) AS ?claims) WHERE {{
  ?a ldng:assesses ?c ; ldng:verdict ?v .
  ?c ldng:inDocument ?d .
  ?d rdfs:label ?document .
  {_VERDICTS}
}}
GROUP BY ?document ?verdict
ORDER BY ?document DESC(?claims)
""",
        ),
        NamedQuery(
            "findings",
            "Every finding: kind, severity, message, and what it concerns.",
            f"""
SELECT ?document ?severity ?kind ?message ?concerns WHERE {{
  ?f a ldng:Finding ; ldng:findingKind ?kind ; ldng:severity ?s ; rdfs:comment ?message .
  OPTIONAL {{ ?f prov:wasDerivedFrom ?d . ?d rdfs:label ?document }}
  OPTIONAL {{ ?f ldng:concerns ?concerns }}
  {_SEVERITIES}
}}
ORDER BY ?document ?order ?kind
""",
        ),
        NamedQuery(
            "most-cited",
            "The citation network: studies most often cited by other records in the graph (cito:cites).",
            """
SELECT ?pmid (COUNT(DISTINCT ?citing) AS ?cited_by) (SAMPLE(?t) AS ?title) WHERE {
  ?citing cito:cites ?study .
  ?citing a fabio:JournalArticle .
  ?study fabio:hasPubMedId ?pmid .
  OPTIONAL { ?study dcterms:title ?t }
}
GROUP BY ?pmid
ORDER BY DESC(?cited_by) ?pmid
LIMIT 50
""",
        ),
    )
}

_SPARQL_WORD = re.compile(r"\b(select|ask|construct|describe|prefix|base)\b", re.I)


def resolve_query(query: str) -> str:
    """SPARQL text for ``query``: a built-in name, a ``.rq``/``.sparql`` file, or SPARQL itself."""
    name = query.strip()
    if name in QUERIES:
        return QUERIES[name].text
    if name.endswith((".rq", ".sparql")):
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: the query file cannot be read ({exc}); check the path") from None
    if not _SPARQL_WORD.search(name):
        raise InputError(f"{name!r} is neither SPARQL nor a built-in query; `ldn-graph query --list` shows the built-in ones")
    return query


# --------------------------------------------------------------------------- rendering

FORMATS = ("table", "tsv", "csv", "json")


def _plain(term: Term | None) -> str:
    return "" if term is None else term.value


def _short(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return compact(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def render_table(result: QueryResult, *, max_width: int = 70) -> str:
    """Aligned columns with compact IRIs (``ldng:Supported``, ``mesh:D005356``)."""
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return (result.graph or b"").decode("utf-8")
    header = list(result.variables)
    rows = [[one_line(_short(t), max_width) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _tsv_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def render_tsv(result: QueryResult) -> str:
    """Plain values, one row per line; backslash, tab and newline escaped as ``\\\\ \\t \\n``."""
    if result.kind != "select":
        return render_table(result)
    lines = ["\t".join(result.variables)]
    lines += ["\t".join(_tsv_cell(_plain(t)) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def render_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: plain values, RFC 4180 quoting."""
    if result.kind != "select":
        return render_table(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(t) for t in row])
    return buffer.getvalue()


def render_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
    if result.kind == "graph":
        return render_table(result)
    bindings = []
    for row in result.rows:
        binding = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            entry: dict[str, str] = {"type": term.kind, "value": term.value}
            if term.datatype:
                entry["datatype"] = term.datatype
            if term.language:
                entry["xml:lang"] = term.language
            binding[var] = entry
        bindings.append(binding)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


RENDERERS = {"table": render_table, "tsv": render_tsv, "csv": render_csv, "json": render_json}


def render(result: QueryResult, fmt: str = "table") -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise InputError(f"unknown result format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(result)


def list_queries() -> str:
    width = max(len(n) for n in QUERIES)
    return "".join(f"{q.name.ljust(width)}  {q.description}\n" for q in QUERIES.values())
