"""Where graphs live when they outgrow a file: an embedded pyoxigraph store, and any
SPARQL 1.1 store over HTTP.

- :func:`build_store` streams cached records and audited documents into a persistent
  pyoxigraph store (``bulk_extend`` over a generator: no graph is ever held in memory).
- :func:`query_store` / :func:`query_endpoint` run SPARQL locally or at a store's query
  endpoint and return a :class:`QueryResult`.
- :func:`push_gsp` replaces a named graph with an HTTP ``PUT`` (SPARQL 1.1 Graph Store
  HTTP Protocol: Oxigraph ``/store``, Fuseki ``/DATASET/data``); :func:`push_update`
  does the same with SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA`` in chunks)
  for stores without the protocol.

HTTP goes through :mod:`urllib` with a timeout on every request. A store that refuses a
request or cannot be reached raises :class:`~ldn_graph.errors.StoreError` (exit code 3)
with a one-line message; credentials in a URL (``http://user:pass@host/…``) are sent as
HTTP basic authentication and never appear in a message.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ldn_graph.errors import InputError, StoreError
from ldn_graph.model import AuditResult, Record, Vocabulary
from ldn_graph.rdf.graph import (
    INSTANCES,
    OxigraphTerms,
    TermFactory,
    Triple,
    activity_triples,
    audit_levels,
    audit_triples,
    concept_triples,
    record_iri,
    record_triples,
    short_hash,
)

if TYPE_CHECKING:
    from pyoxigraph import Store

DEFAULT_TIMEOUT = 60.0
UPDATE_CHUNK = 20_000  # triples per INSERT DATA request
RECORD_BATCH = 1_000  # records read from the cache at a time
_SCHEME_RE = re.compile(r"^https?://", re.I)
_GRAPH_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]+$")


# --------------------------------------------------------------------------- embedded store


def open_store(path: str | Path, *, read_only: bool = False, create: bool = False) -> Store:
    """Open the pyoxigraph store in directory ``path``.

    ``create=False`` refuses a directory that holds no store yet (a typo should not
    silently query an empty graph). ``read_only`` opens without taking the write lock.
    """
    from pyoxigraph import Store

    folder = Path(path)
    if not create and not (folder.is_dir() and any(folder.iterdir())):
        raise InputError(f"{folder}: no graph store here; build one with `ldn-graph build --from-cache --store {folder}`")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a store directory; choose a directory for --store")
    try:
        if read_only:
            return Store.read_only(str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        return Store(str(folder))
    except OSError as exc:
        text = _one_line(exc)
        if "lock" in text.lower():
            raise StoreError(f"{folder}: the store is in use by another process; wait for it to finish, then retry") from None
        raise StoreError(f"{folder}: the store could not be opened ({text}); check the directory or rebuild it") from None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def validate_graph_iri(iri: str) -> str:
    """A named-graph IRI given by the user, checked (never silently rewritten)."""
    if not _GRAPH_IRI_RE.match(iri or ""):
        raise InputError(
            f"--graph {iri!r} is not an absolute IRI; use something like https://example.org/graph/ldn"
        )
    return iri


@dataclass
class BuildStats:
    store: str
    graph: str | None
    records: int = 0
    documents: int = 0
    triples: int = 0  # statements in the store's target graph afterwards
    missing: list[str] = field(default_factory=list)  # PMIDs listed but unreadable


def record_stream(
    records: Iterable[Record],
    T: TermFactory,
    *,
    activity: Any | None = None,
    level_of: Callable[[Record], tuple[str, str | None] | None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Triple]:
    """Triples of many records, one record at a time (``progress(1)`` after each)."""
    used = T.v.used
    for record in records:
        yield from record_triples(record, T, level=level_of(record) if level_of else None)
        if activity is not None:
            yield activity, used, T.iri(record_iri(record))
        if progress is not None:
            progress(1)


def cached_records(cache: Any, pmids: Sequence[str], missing: list[str] | None = None) -> Iterator[Record]:
    """Records of ``pmids`` from a :class:`~ldn_graph.pubmed.cache.RecordCache`, read in batches."""
    for i in range(0, len(pmids), RECORD_BATCH):
        chunk = list(pmids[i : i + RECORD_BATCH])
        found = cache.get_many(chunk)
        for pmid in chunk:
            record = found.get(pmid)
            if record is None:
                if missing is not None:
                    missing.append(pmid)
                continue
            yield record


def level_function(skip: Iterable[str] = ()) -> Callable[[Record], tuple[str, str | None] | None]:
    """Evidence level of a cached record by the mapping in ``ontology/evidence-levels.ttl``
    (None for the PMIDs in ``skip``: an audit writes its own level for those)."""
    from ldn_graph.judge.levels import evidence_level
    from ldn_graph.ontology import load_level_rules

    rules = load_level_rules()
    skipped = set(skip)

    def level_of(record: Record) -> tuple[str, str | None] | None:
        if record.study.pmid in skipped:
            return None
        return evidence_level(record.study, rules, record.provenance.origin)

    return level_of


def cache_triples(
    T: TermFactory,
    cache: Any,
    pmids: Sequence[str],
    *,
    vocabulary: Vocabulary | None = None,
    level_of: Callable[[Record], tuple[str, str | None] | None] | None = None,
    progress: Callable[[int], None] | None = None,
    missing: list[str] | None = None,
    tool_version: str | None = None,
    started: str | None = None,
) -> Iterator[Triple]:
    """The triples ``build --from-cache`` writes: the build activity (PROV-O), the
    vocabulary's concepts, and every record of ``pmids`` with its provenance and level."""
    import datetime as _dt

    from ldn_graph._version import __version__

    version = tool_version or __version__
    when = started or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    activity_id = f"{INSTANCES}build/{short_hash(when, str(len(pmids)))}"
    yield from activity_triples(T, activity_id, tool_version=version, started=when, label="ldn-graph build --from-cache")
    if vocabulary is not None:
        for concept in vocabulary.concepts:
            yield from concept_triples(concept, T)
    yield from record_stream(
        cached_records(cache, pmids, missing), T, activity=T.iri(activity_id), level_of=level_of, progress=progress
    )


def build_store(
    store_dir: str | Path,
    *,
    result: AuditResult | None = None,
    cache: Any | None = None,
    pmids: Sequence[str] | None = None,
    vocabulary: Vocabulary | None = None,
    graph: str | None = None,
    replace: bool = True,
    levels: bool = True,
    progress: Callable[[int], None] | None = None,
    tool_version: str | None = None,
    started: str | None = None,
) -> BuildStats:
    """Stream records (``pmids`` from ``cache``, default: every cached PMID) and an audit
    ``result`` into the store at ``store_dir``.

    ``graph`` is the named graph to fill (default: the store's default graph); with
    ``replace`` it is emptied first. ``levels`` adds each record's evidence level (the
    mapping in ``ontology/evidence-levels.ttl``). ``progress(n)`` is called as records
    are written. Returns what was written.
    """
    from pyoxigraph import DefaultGraph, NamedNode, Quad

    target = NamedNode(validate_graph_iri(graph)) if graph else DefaultGraph()
    store = open_store(store_dir, create=True)
    stats = BuildStats(store=str(store_dir), graph=graph)
    T = OxigraphTerms()
    judged = audit_levels(result) if result is not None else {}

    def counted(n: int) -> None:
        stats.records += n
        if progress is not None:
            progress(n)

    def triples() -> Iterator[Triple]:
        if cache is not None:
            yield from cache_triples(
                T,
                cache,
                list(pmids) if pmids is not None else list(cache.pmids()),
                vocabulary=vocabulary,
                level_of=level_function(skip=judged) if levels else None,
                progress=counted,
                missing=stats.missing,
                tool_version=tool_version,
                started=started,
            )
        if result is not None:
            stats.documents = len(result.documents)
            yield from audit_triples(result, T, include_vocabulary=vocabulary is None, levels=judged)

    try:
        if replace:
            store.clear_graph(target)
        # a CacheError raised while reading records propagates unchanged
        store.bulk_extend(Quad(s, p, o, target) for s, p, o in triples())
        store.flush()
        stats.triples = count_triples(store, graph)
    except OSError as exc:
        raise StoreError(f"{store_dir}: writing the store failed ({_one_line(exc)}); check free space, then rerun build") from None
    finally:
        del store
    return stats


def count_triples(store: Store, graph: str | None = None) -> int:
    """Statements in the store's default graph, or in named graph ``graph``."""
    where = f"GRAPH <{validate_graph_iri(graph)}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    for solution in answer:  # type: ignore[union-attr]
        return int(solution[0].value)
    return 0


def load_result(store: Store, result: AuditResult, *, include_vocabulary: bool = False) -> int:
    """Add an audit's triples to ``store``'s default graph; returns the store size."""
    from pyoxigraph import DefaultGraph, Quad

    g = DefaultGraph()
    store.bulk_extend(Quad(s, p, o, g) for s, p, o in audit_triples(result, OxigraphTerms(), include_vocabulary=include_vocabulary))
    return len(store)


# --------------------------------------------------------------------------- query results


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


def _term(node: Any) -> Term | None:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if node is None:
        return None
    if isinstance(node, NamedNode):
        return Term("uri", node.value)
    if isinstance(node, BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, Literal):
        dt: str | None = node.datatype.value if node.datatype is not None else None
        if node.language or dt == "http://www.w3.org/2001/XMLSchema#string":
            dt = None
        return Term("literal", node.value, dt, node.language)
    return Term("triple", str(node))


def query_store(store: Store, sparql: str) -> QueryResult:
    """Run a SPARQL query on a pyoxigraph store; the default graph is the union of all graphs."""
    from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, serialize

    try:
        answer = store.query(sparql, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise InputError(f"the query is not valid SPARQL: {_one_line(exc)}") from None
    except OSError as exc:
        raise StoreError(f"the store could not answer the query ({_one_line(exc)})") from None
    if isinstance(answer, QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [[_term(solution[i]) for i in range(len(variables))] for solution in answer]
        return QueryResult("select", variables, rows)
    data = serialize(answer, None, RdfFormat.N_TRIPLES)
    return QueryResult("graph", graph=bytes(data or b""))


def query_result(result: AuditResult, sparql: str) -> QueryResult:
    """Run a SPARQL query on the graph of an audit (in an in-memory store)."""
    from pyoxigraph import Store

    store = Store()
    load_result(store, result, include_vocabulary=True)
    return query_store(store, sparql)


# --------------------------------------------------------------------------- HTTP


def _check_endpoint(url: str, option: str = "--endpoint") -> str:
    if not _SCHEME_RE.match(url or ""):
        raise InputError(f"{option} {redact(url)!r} is not an http(s) URL; e.g. http://localhost:7878/query")
    return url


def redact(url: str) -> str:
    """The URL without credentials or query string (for messages)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _split_auth(url: str) -> tuple[str, dict[str, str]]:
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, {}
    token = base64.b64encode(
        f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}".encode()
    ).decode("ascii")
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return clean, {"Authorization": f"Basic {token}"}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes


def http_request(
    method: str,
    url: str,
    *,
    data: bytes | IO[bytes] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    length: int | None = None,
) -> Response:
    """One HTTP request; any refusal or network failure is a one-line StoreError."""
    target, auth = _split_auth(url)
    all_headers = {"User-Agent": "ldn-graph", **auth, **(headers or {})}
    if length is not None:
        all_headers["Content-Length"] = str(length)
    request = urllib.request.Request(target, data=data, method=method, headers=all_headers)
    shown = redact(url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return Response(response.status, response.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(Exception):
            text = exc.read(4000).decode("utf-8", "replace")
            line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
            detail = f": {line[:200]}" if line and not line.startswith("<") else ""
        raise StoreError(f"{shown} refused the request (HTTP {exc.code} {exc.reason}{detail})") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        why = _one_line(reason) if isinstance(reason, BaseException) else str(reason)
        if isinstance(reason, TimeoutError):
            why = f"no answer within {timeout:g} s"
        raise StoreError(f"{shown} cannot be reached ({why}); check the URL and that the SPARQL store is running") from None
    except TimeoutError:
        raise StoreError(f"{shown} did not answer within {timeout:g} s; retry later or raise the timeout") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        raise StoreError(f"{shown} broke off the connection ({_one_line(exc)}); retry, and check the store's logs") from None


def parse_results_json(body: bytes) -> QueryResult:
    """SPARQL 1.1 Query Results JSON → :class:`QueryResult`."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the endpoint answered with invalid JSON results ({_one_line(exc)})") from None
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
            if dt == "http://www.w3.org/2001/XMLSchema#string":
                dt = None
            row.append(Term(kind, str(b.get("value", "")), dt, b.get("xml:lang")))
        rows.append(row)
    return QueryResult("select", variables, rows)


def query_endpoint(
    endpoint: str,
    sparql: str,
    *,
    default_graphs: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run ``sparql`` at a SPARQL 1.1 query endpoint (Oxigraph ``/query``, Fuseki
    ``/DATASET/sparql``). ``default_graphs`` become ``default-graph-uri`` parameters."""
    _check_endpoint(endpoint)
    form = [("query", sparql)] + [("default-graph-uri", validate_graph_iri(g)) for g in default_graphs]
    response = http_request(
        "POST",
        endpoint,
        data=urllib.parse.urlencode(form).encode("utf-8"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
        },
        timeout=timeout,
    )
    media = response.content_type.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        return parse_results_json(response.body)
    if media in ("application/n-triples", "text/plain", "text/turtle", "application/n-quads"):
        return QueryResult("graph", graph=_as_ntriples(response.body, media))
    raise StoreError(f"{redact(endpoint)} answered with {media or 'no content type'}, not SPARQL results; is this the query endpoint?")


def _as_ntriples(body: bytes, media: str) -> bytes:
    if media in ("application/n-triples", "text/plain"):
        return body
    from pyoxigraph import RdfFormat, parse, serialize

    fmt = RdfFormat.TURTLE if media == "text/turtle" else RdfFormat.N_QUADS
    try:
        return bytes(serialize((q.triple for q in parse(body, fmt)), None, RdfFormat.N_TRIPLES) or b"")
    except SyntaxError as exc:
        raise StoreError(f"the endpoint answered with invalid RDF ({_one_line(exc)})") from None


# --------------------------------------------------------------------------- push


@dataclass
class PushStats:
    graph: str
    triples: int
    method: str  # gsp | update
    requests: int


@dataclass(frozen=True)
class StoreDump:
    """An embedded store as the source of a push: dumped straight to N-Triples."""

    path: str | Path


GraphSource = Iterable[Triple] | StoreDump


@contextlib.contextmanager
def ntriples_file(source: GraphSource) -> Iterator[tuple[IO[bytes], int, int]]:
    """``source`` (pyoxigraph-term triples, or a :class:`StoreDump`) as an N-Triples temp
    file: ``(file, bytes, lines)``. A store's graphs are all written, as one graph."""
    from pyoxigraph import DefaultGraph, RdfFormat, Triple, serialize

    with tempfile.TemporaryFile() as fh:
        try:
            if isinstance(source, StoreDump):
                store = open_store(source.path, read_only=True)
                for g in [DefaultGraph(), *store.named_graphs()]:
                    store.dump(fh, RdfFormat.N_TRIPLES, from_graph=g)
                del store
            else:
                serialize((Triple(s, p, o) for s, p, o in source), fh, RdfFormat.N_TRIPLES)
        except (ValueError, OSError) as exc:
            raise StoreError(f"the graph could not be serialized ({_one_line(exc)}); please report this") from None
        size = fh.tell()
        fh.seek(0)
        lines = sum(1 for _ in fh)
        fh.seek(0)
        yield fh, size, lines


def audit_graph_triples(result: AuditResult) -> list[Triple]:
    """The distinct triples of an audit (pyoxigraph terms)."""
    return list(dict.fromkeys(audit_triples(result, OxigraphTerms(), include_vocabulary=False)))


def push_gsp(endpoint: str, graph: str, triples: GraphSource, *, timeout: float = DEFAULT_TIMEOUT) -> PushStats:
    """Replace named graph ``graph`` at a Graph Store HTTP Protocol endpoint with ``triples``
    (one streamed ``PUT ?graph=…`` of N-Triples: atomic on the store's side)."""
    _check_endpoint(endpoint)
    validate_graph_iri(graph)
    sep = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    url = f"{endpoint}{sep}graph={urllib.parse.quote(graph, safe='')}"
    with ntriples_file(triples) as (fh, size, lines):
        http_request(
            "PUT",
            url,
            data=fh,
            length=size,
            headers={"Content-Type": "application/n-triples"},
            timeout=max(timeout, size / 5_000_000),
        )
    return PushStats(graph, lines, "gsp", 1)


def push_update(
    update_endpoint: str,
    graph: str,
    triples: GraphSource,
    *,
    chunk: int = UPDATE_CHUNK,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushStats:
    """Replace named graph ``graph`` with SPARQL 1.1 Update: ``DROP SILENT GRAPH`` then
    ``INSERT DATA`` in chunks of ``chunk`` triples. A graph that fits in one chunk is
    replaced in a single request; a larger one is incomplete until the last request
    succeeds (the error says so)."""
    _check_endpoint(update_endpoint, "--update-endpoint")
    validate_graph_iri(graph)
    chunk = max(1, int(chunk))
    headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
    drop = f"DROP SILENT GRAPH <{graph}>"
    requests = 0
    sent = 0
    with ntriples_file(triples) as (fh, _size, lines):

        def send(body: str) -> None:
            nonlocal requests
            try:
                http_request("POST", update_endpoint, data=body.encode("utf-8"), headers=headers, timeout=timeout)
            except StoreError as exc:
                if requests and sent < lines:
                    raise StoreError(f"{exc} — graph <{graph}> now holds {sent} of {lines} triples; rerun push") from None
                raise
            requests += 1

        batch: list[str] = []
        first = True
        for raw in fh:
            line = raw.decode("utf-8").strip()
            if line:
                batch.append(line)
            if len(batch) >= chunk:
                body = f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(batch) + "\n} }"
                send(f"{drop} ;\n{body}" if first else body)
                sent += len(batch)
                first = False
                batch = []
        if batch or first:
            body = f"INSERT DATA {{ GRAPH <{graph}> {{\n" + "\n".join(batch) + "\n} }"
            send(f"{drop} ;\n{body}" if first else body)
            sent += len(batch)
    return PushStats(graph, lines, "update", requests)
