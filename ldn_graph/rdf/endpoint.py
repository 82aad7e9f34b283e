"""Any SPARQL 1.1 store over HTTP: queries, and replacing a named graph.

- :func:`query_endpoint` runs SPARQL at a store's query endpoint and returns a
  :class:`~ldn_graph.rdf.results.QueryResult`.
- :func:`push_gsp` replaces a named graph with an HTTP ``PUT`` (SPARQL 1.1 Graph Store
  HTTP Protocol: Oxigraph ``/store``, Fuseki ``/DATASET/data``); :func:`push_update`
  does the same with SPARQL Update (``DROP SILENT GRAPH`` + ``INSERT DATA`` in chunks)
  for stores without the protocol.

HTTP goes through :mod:`urllib` with a timeout on every request, through an opener that
speaks http(s) only and follows no redirect: credentials in a URL
(``http://user:pass@host/…``) are sent as HTTP basic authentication to that host and no
other, and a request body is never dropped on the way (a redirected ``POST`` would arrive
as a body-less ``GET``). A redirect, a refusal or a network failure raises
:class:`~ldn_graph.errors.StoreError` (exit code 3) with a one-line message, which never
carries the URL's credentials or query values (:func:`redact`), nor any the store
repeated in its error text (:func:`scrub`).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ldn_graph.errors import InputError, StoreError
from ldn_graph.rdf.backends import Triple
from ldn_graph.rdf.iris import validate_graph_iri
from ldn_graph.rdf.results import QueryResult, parse_results_json
from ldn_graph.rdf.store import open_store
from ldn_graph.text import error_line, one_line

DEFAULT_TIMEOUT = 60.0
UPDATE_CHUNK = 20_000  # triples per INSERT DATA request
_SCHEME_RE = re.compile(r"^https?://", re.I)
_MESSAGE_LIMIT = 300


def _check_endpoint(url: str, option: str = "--endpoint") -> str:
    if not _SCHEME_RE.match(url or ""):
        raise InputError(f"{option} {redact(url)!r} is not an http(s) URL; e.g. http://localhost:7878/query")
    try:
        _split_auth(url)
    except ValueError:
        raise InputError(f"{option} is not a valid URL (check its host and port; a '/' in a password is written %2F)") from None
    return url


def redact(url: str) -> str:
    """The URL without credentials or query string (for messages)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError:
        return "<invalid URL>"
    # an '@' left in the path is most likely a password holding a '/': show no path
    path = "/…" if "@" in parts.path else parts.path
    return urllib.parse.urlunsplit((parts.scheme, host, path, "", ""))


_URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"'()]+")
_QUERY_VALUE = re.compile(r"(?i)\b(\w*(?:token|key|secret|password|passwd|pwd|auth|sig|signature|session|code))(=|%3D)[^\s&;,\"'<>()]+")
_AUTH_VALUE = re.compile(r"(?i)\b(basic|bearer|digest)\s+[A-Za-z0-9+/=._~-]{6,}")


def _secrets_of(url: str) -> list[str]:
    """What in ``url`` must not be repeated: its userinfo, its query values, the basic
    token made of them (each as written, decoded and re-encoded), longest first."""
    try:
        parts = urllib.parse.urlsplit(url)
        found = [parts.username or "", parts.password or ""]
        found += [value for _name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)]
        found += [raw.partition("=")[2] for raw in re.split(r"[&;]", parts.query)]
        if parts.username is not None:
            found.append(_split_auth(url)[1]["Authorization"].split(" ", 1)[1])
    except (ValueError, KeyError, IndexError):
        return []
    forms = {form for value in found for form in (value, urllib.parse.unquote(value), urllib.parse.unquote_plus(value),
                                                  urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value))}
    return sorted((form for form in forms if len(form) >= 3), key=len, reverse=True)


def scrub(text: str, url: str = "") -> str:
    """``text`` (a store's error text, a message) without the secrets of ``url``, without
    any URL's userinfo and query values, without token-like ``name=value`` pairs and
    ``Basic``/``Bearer`` credentials."""
    for secret in _secrets_of(url):
        text = text.replace(secret, "***")
    text = _URL_IN_TEXT.sub(lambda m: redact(m.group()) + ("?…" if "?" in m.group() else ""), text)
    text = _QUERY_VALUE.sub(r"\1\2***", text)
    return _AUTH_VALUE.sub(lambda m: f"{m.group(1)} ***", text)


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only, no redirects (3xx arrives as an HTTPError), proxies from the environment."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _split_auth(url: str) -> tuple[str, dict[str, str]]:
    """The URL without userinfo, and the basic-authentication header made of it; a URL
    whose port is not a number (a password holding a '/') is a ValueError."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port
    if parts.username is None:
        return url, {}
    token = base64.b64encode(
        f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}".encode()
    ).decode("ascii")
    host = parts.hostname or ""
    if port:
        host = f"{host}:{port}"
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
    """One HTTP request; a redirect, a refusal or a network failure is a one-line StoreError."""
    shown = redact(url)
    try:
        target, auth = _split_auth(url)
        all_headers = {"User-Agent": "ldn-graph", **auth, **(headers or {})}
        if length is not None:
            all_headers["Content-Length"] = str(length)
        request = urllib.request.Request(target, data=data, method=method, headers=all_headers)
    except ValueError:
        raise StoreError(f"{shown} is not a valid URL; check the host, port and any credentials in it") from None
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = response.read()
            return Response(response.status, response.headers.get("Content-Type", ""), body)
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            location = urllib.parse.urljoin(target, exc.headers.get("Location") or "")
            message = (
                f"{shown} redirected the request (HTTP {exc.code}) to {one_line(redact(location), 200)}; ldn-graph follows no "
                "redirect for a SPARQL store (credentials and the request would not arrive intact): "
                "give the URL it names if you trust it"
            )
            raise StoreError(scrub(message, url)) from None
        detail = ""
        with contextlib.suppress(Exception):
            text = exc.read(4000).decode("utf-8", "replace")
            line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
            detail = f": {scrub(line, url)[:200]}" if line and not line.startswith("<") else ""
        raise StoreError(scrub(f"{shown} refused the request (HTTP {exc.code} {exc.reason}{detail})", url)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        why = error_line(reason, _MESSAGE_LIMIT) if isinstance(reason, BaseException) else str(reason)
        if isinstance(reason, TimeoutError):
            why = f"no answer within {timeout:g} s"
        message = f"{shown} cannot be reached ({why}); check the URL and that the SPARQL store is running"
        raise StoreError(scrub(message, url)) from None
    except TimeoutError:
        raise StoreError(f"{shown} did not answer within {timeout:g} s; retry later or raise the timeout") from None
    except (http.client.HTTPException, ConnectionError, OSError, ValueError) as exc:
        message = f"{shown} broke off the connection ({error_line(exc, _MESSAGE_LIMIT)}); retry, and check the store's logs"
        raise StoreError(scrub(message, url)) from None


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
        raise StoreError(f"the endpoint answered with invalid RDF ({error_line(exc, _MESSAGE_LIMIT)})") from None


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
            raise StoreError(f"the graph could not be serialized ({error_line(exc, _MESSAGE_LIMIT)}); please report this") from None
        size = fh.tell()
        fh.seek(0)
        lines = sum(1 for _ in fh)
        fh.seek(0)
        yield fh, size, lines


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
