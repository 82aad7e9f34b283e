"""Round 2, the SPARQL items (issue 13, items 5, 6, 7 and 9; docs/reliability.md).

5. SPARQL over HTTP never follows a redirect: credentials in the endpoint URL reach the
   host named there and no other, a redirected ``push --update-endpoint`` fails instead of
   reporting triples it never sent, and a store's error text is scrubbed of the URL's
   userinfo, query values and Basic token before it reaches a message.
6. A redirect to another scheme (``ftp://``, ``file://``) is refused unopened.
7. Local SPARQL refuses ``SERVICE`` (federation) unless ``--allow-service`` is given.
9. Local SPARQL runs in a worker process, stopped at ``--timeout`` and on Ctrl-C.

Every server is real HTTP on loopback (``http.server`` in a thread); the time-limit tests
run the console script in a subprocess and assert only that it ends within a generous
limit, never how fast.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli_helpers import cli, console_script, python_env
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_helpers import citing_page

SECRET = "S3CRET-pw-5c1e"
TOKEN = "TOK-77f1-query-value"
EMPTY_RESULTS = b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}'


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Loopback:
    """A real HTTP server on loopback; ``answer(handler, seen)`` writes each reply."""

    answer: Callable[[http.server.BaseHTTPRequestHandler, Seen], None]
    host: str = "127.0.0.1"
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                record = Seen(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                owner.seen.append(record)
                owner.answer(self, record)

            do_GET = do_POST = _any  # noqa: N815 - http.server naming

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
                pass

        setattr(Handler, "do_PUT", Handler._any)  # noqa: B010 - the Graph Store PUT of `push --endpoint`
        self.server = http.server.ThreadingHTTPServer((self.host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def reply(handler: http.server.BaseHTTPRequestHandler, status: int, body: bytes = b"",
          media: str = "text/plain", **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", media)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def redirect_to(location: str, status: int = 302) -> Callable[[http.server.BaseHTTPRequestHandler, Seen], None]:
    return lambda handler, _seen: reply(handler, status, Location=location)


def other_host() -> str:
    """A second loopback address (another host to urllib), or 127.0.0.1 if it cannot bind."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
        return "127.0.0.2"
    except OSError:
        return "127.0.0.1"


@pytest.fixture
def servers() -> Iterator[list[Loopback]]:
    started: list[Loopback] = []
    yield started
    for server in started:
        server.close()


def start(servers: list[Loopback], answer: Callable[[http.server.BaseHTTPRequestHandler, Seen], None],
          host: str = "127.0.0.1") -> Loopback:
    server = Loopback(answer, host)
    servers.append(server)
    return server


def with_credentials(url: str) -> str:
    return url.replace("http://", f"http://alice:{SECRET}@", 1)


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    return lines[0]


# --------------------------------------------------------------------------- item 5


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_item_05_credentials_never_cross_a_redirect(servers: list[Loopback], status: int) -> None:
    thief = start(servers, lambda h, _s: reply(h, 200, EMPTY_RESULTS, "application/sparql-results+json"), other_host())
    first = start(servers, redirect_to(f"{thief.base}/query?from=redirect", status))
    res = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint",
              with_credentials(f"{first.base}/query?token={TOKEN}"))
    assert res.exit_code == 3, res.output
    line = one_error_line(res.stderr)
    assert "redirect" in line and f"{thief.base}/query" in line
    assert SECRET not in res.output and TOKEN not in res.output and "alice" not in res.output
    assert len(first.seen) == 1 and first.seen[0].headers.get("Authorization", "").startswith("Basic ")
    assert thief.seen == []  # nothing at all went to the other host, credentials least of all


@pytest.mark.parametrize("status", [301, 302, 303])
def test_item_05_a_redirected_update_push_fails_and_never_says_pushed(servers: list[Loopback], tmp_path: Path,
                                                                       status: int) -> None:
    sink = start(servers, lambda h, _s: reply(h, 200, b"ok"))
    first = start(servers, redirect_to(f"{sink.base}/update", status))
    page = citing_page(tmp_path / "page.txt", ["12091962"])
    res = cli("push", page, "--offline", "--cache-dir", tmp_path / "cache", "--update-endpoint", f"{first.base}/update")
    assert res.exit_code == 3, res.output
    one_error_line(res.stderr)
    assert "pushed" not in res.output and res.stdout == ""
    assert [seen.method for seen in first.seen] == ["POST"] and b"INSERT DATA" in first.seen[0].body
    assert sink.seen == []


def test_item_05_a_redirected_graph_store_put_fails(servers: list[Loopback], tmp_path: Path) -> None:
    sink = start(servers, lambda h, _s: reply(h, 204))
    first = start(servers, redirect_to(f"{sink.base}/store", 307))
    page = citing_page(tmp_path / "page.txt", ["12091962"])
    res = cli("push", page, "--offline", "--cache-dir", tmp_path / "cache", "--endpoint", with_credentials(f"{first.base}/store"))
    assert res.exit_code == 3, res.output
    one_error_line(res.stderr)
    assert "pushed" not in res.output and SECRET not in res.output
    assert sink.seen == []


def test_item_05_a_store_error_body_is_scrubbed_of_credentials_and_query_values(servers: list[Loopback]) -> None:
    basic = base64.b64encode(f"alice:{SECRET}".encode()).decode()

    def echo(handler: http.server.BaseHTTPRequestHandler, seen: Seen) -> None:
        # a store that repeats what it was sent: the full URL (as a proxy would log it),
        # the query string percent-encoded, and the Authorization header
        url = with_credentials(f"http://127.0.0.1:{handler.server.server_address[1]}{seen.path}")
        text = (f"Bad request for {url} (token={TOKEN}; api_key=KEY-{TOKEN}; "
                f"access_token%3D{TOKEN}; auth {seen.headers.get('Authorization')})")
        reply(handler, 400, text.encode())

    store = start(servers, echo)
    endpoint = with_credentials(f"{store.base}/query?token={TOKEN}&access_token=A{TOKEN}&key=K{TOKEN}")
    res = cli("query", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", endpoint)
    assert res.exit_code == 3, res.output
    line = one_error_line(res.stderr)
    assert "HTTP 400" in line and "Bad request for" in line  # the store's words stay
    for secret in (SECRET, TOKEN, basic, "alice"):
        assert secret not in res.output, secret


def test_item_05_a_password_with_a_slash_is_a_usage_error_that_shows_none_of_it() -> None:
    # unencoded '/' in the password: urllib reads "alice:pa" as host and port
    res = cli("query", "ASK {}", "--endpoint", "http://alice:pa/ss-S3CRET@127.0.0.1:9/query")
    assert res.exit_code == 2, res.output
    one_error_line(res.stderr)
    assert "S3CRET" not in res.output and "'pa'" not in res.output and "alice" not in res.output


# --------------------------------------------------------------------------- item 6


class ConnectionCounter:
    """A TCP listener that counts connections (an FTP server would be greeted here)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.mark.parametrize("scheme", ["ftp", "file"])
def test_item_06_a_redirect_to_another_scheme_is_refused_unopened(servers: list[Loopback], tmp_path: Path,
                                                                   scheme: str) -> None:
    listener = ConnectionCounter()
    secret_file = tmp_path / "secret.json"
    secret_file.write_bytes(EMPTY_RESULTS)
    target = f"ftp://anonymous:x@127.0.0.1:{listener.sock.getsockname()[1]}/results.json" if scheme == "ftp" else secret_file.as_uri()
    try:
        first = start(servers, redirect_to(target))
        res = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", f"{first.base}/query")
    finally:
        listener.close()
    assert res.exit_code == 3, res.output
    line = one_error_line(res.stderr)
    assert "redirect" in line
    assert listener.connections == 0
    assert "anonymous" not in line and ":x@" not in line


# --------------------------------------------------------------------------- item 7


FEDERATED = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE {\n  ?a ?b ?c .\n  SeRvIcE?endpoint{ ?s ?p ?o }\n}",
    "PREFIX s: <http://example.org/>\nSELECT * WHERE { ?x s:p \"a # not a comment\" . SERVICE<http://x>{?s ?p ?o} }",
    "SELECT * WHERE { FILTER(?a<?b) SERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p '''a ' SERVICE b''' . SERVICE <http://x> { } }",
]
NOT_FEDERATED = [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x> { }",
    "SELECT * WHERE { ?s ?p \"SERVICE <http://x> { }\" }",
    "SELECT * WHERE { ?s ?p 'it''s \\' SERVICE' }",
    "SELECT * WHERE { ?s ?p \"\"\"multi\nline SERVICE <http://x> { }\"\"\" }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX service: <http://example.org/>\nSELECT ?service WHERE { ?service service:SERVICE :service ; a ex:service . _:service ?p $service }",
    "SELECT * WHERE { ?s ?p \"x\"@service }",
]


@pytest.mark.parametrize("sparql", FEDERATED)
def test_item_07_federation_is_found_past_comments_strings_and_iris(sparql: str) -> None:
    from ldn_graph.rdf.federation import uses_service

    assert uses_service(sparql)


@pytest.mark.parametrize("sparql", NOT_FEDERATED)
def test_item_07_service_in_comments_strings_iris_and_names_is_not_federation(sparql: str) -> None:
    from ldn_graph.rdf.federation import uses_service

    assert not uses_service(sparql)


# Pieces of SPARQL around the places a scan could lose its way: quotes, escapes,
# comments, IRIs against less-than, prefixed names, blank nodes, language tags.
PIECES = ["SERVICE", "service", "SERVICESILENT", "SILENT", "<U>", "?svc", "{", "}", "{ }", " ", "\n", "\r", "#",
          "'", '"', "'''", '"""', "\\", "\\'", "e:", "e:a", "_:b", "@en", "-", ".", ";", "?s ?p ?o", "?x", "FILTER(1<2)",
          "FILTER(?x<?y)", "<", ">", "a", "1", "1e1", "true", "OPTIONAL", "BIND(1 AS ?b)", "\\u0053", "%41"]


@pytest.fixture(scope="module")
def service_target() -> Iterator[Loopback]:
    server = Loopback(lambda h, _s: reply(h, 200, EMPTY_RESULTS, "application/sparql-results+json"))
    yield server
    server.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(st.sampled_from(PIECES), max_size=10), after=st.lists(st.sampled_from(PIECES), max_size=6),
       clause=st.sampled_from(["SERVICE <U> { }", "SERVICE<U>{?s ?p ?o}", "service silent <U> { }", "SERVICESILENT<U>{}", ""]))
def test_item_07_the_scan_misses_no_service_that_pyoxigraph_runs(service_target: Loopback, before: list[str],
                                                                  after: list[str], clause: str) -> None:
    """Differential: whenever pyoxigraph itself sends the SERVICE request, the scan saw it
    (a SERVICE clause among random pieces: about one query in eight is valid and runs it)."""
    from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, Store

    from ldn_graph.rdf.federation import uses_service

    body = "".join([*before, clause, *after]).replace("<U>", f"<{service_target.base}/sparql>")
    sparql = f"PREFIX e: <http://example.org/>\nSELECT * WHERE {{ ?x ?y ?z . {body}\n}}"
    store = Store()
    store.add(Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("o")))
    sent = len(service_target.seen)
    answer = None
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
        answer = store.query(sparql)
        if not isinstance(answer, QueryBoolean):
            list(answer)
    answer = None  # pyoxigraph's solutions must be dropped on this thread
    if len(service_target.seen) > sent:
        assert uses_service(sparql), sparql


def _tiny_store(folder: Path) -> Path:
    from pyoxigraph import Literal, NamedNode, Quad, Store

    store = Store(str(folder))
    store.add(Quad(NamedNode("http://example.org/s"), NamedNode("http://example.org/p"), Literal("o")))
    store.flush()
    del store
    return folder


def test_item_07_local_sparql_refuses_service_unless_allowed(servers: list[Loopback], tmp_path: Path) -> None:
    remote = start(servers, lambda h, _s: reply(h, 200, EMPTY_RESULTS, "application/sparql-results+json"))
    sparql = f"SELECT * WHERE {{ SERVICE <{remote.base}/sparql> {{ ?s ?p ?o }} }}"
    rq = tmp_path / "shared.rq"
    rq.write_text(f"# a shared query file\n{sparql}\n", encoding="utf-8")
    store = _tiny_store(tmp_path / "db")
    offline = ["--offline", "--cache-dir", str(tmp_path / "cache")]
    for args in ([sparql, *offline], [str(rq), *offline], [sparql, "--store", str(store)]):
        res = cli("query", *args)
        assert res.exit_code == 2, res.output
        assert "--allow-service" in one_error_line(res.stderr)
    assert remote.seen == []
    res = cli("query", sparql, "--store", str(store), "--allow-service")
    assert res.exit_code == 0, res.output
    assert len(remote.seen) == 1  # asked for, federation works


# --------------------------------------------------------------------------- item 9

# Four-way cartesian product over the examples' graph (~4,000 triples: ~2.7e14 rows).
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _marked(marker: str) -> list[int]:
    """Live (not zombie) processes whose environment carries ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _gone(marker: str, wait: float = 15.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if not _marked(marker):
            return True
        time.sleep(0.1)
    return False


def _run_cartesian(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    marker = f"LDN_TEST_MARK_{uuid.uuid4().hex}"
    env = python_env(**{marker: "1"})
    process = subprocess.Popen(
        [str(console_script()), "query", CARTESIAN, "--examples", "--offline", "--cache-dir", str(tmp_path / "cache"), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # as a terminal starts it: a suite run as a background job inherits SIGINT ignored
        preexec_fn=_sigint_default,
    )
    return process, marker


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_worker(process: subprocess.Popen[str], marker: str, limit: float = 60.0) -> list[int]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        workers = [pid for pid in _marked(marker) if pid != process.pid]
        if workers:
            return workers
        time.sleep(0.05)
    return []


needs_proc = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the worker through /proc")


@needs_proc
def test_item_09_a_local_query_stops_at_its_time_limit_and_leaves_no_worker(tmp_path: Path) -> None:
    process, marker = _run_cartesian(tmp_path, "--timeout", "2")
    try:
        workers = _wait_for_worker(process, marker)
        _out, err = process.communicate(timeout=120)  # generous: only a query that ignores its limit gets here
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert workers, "the query ran in no worker process"
    assert process.returncode == 3, err
    line = one_error_line(err)
    assert "time limit" in line and "--timeout" in line
    assert _gone(marker), "a query worker outlived the command"


@needs_proc
def test_item_09_ctrl_c_stops_a_local_query_and_its_worker(tmp_path: Path) -> None:
    process, marker = _run_cartesian(tmp_path, "--timeout", "600")
    try:
        workers = _wait_for_worker(process, marker)
        time.sleep(0.5)  # let the worker start on the query
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=60)  # generous: only a query that ignores Ctrl-C gets here
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert one_error_line(err).startswith("Error: interrupted")
    assert workers, "the query ran in no worker process"
    assert _gone(marker), "a query worker outlived the command"


def test_item_09_local_results_come_back_from_the_worker_unchanged(tmp_path: Path) -> None:
    """The worker answers like the in-process query did: the examples' verdicts, and
    CONSTRUCT, ASK and query errors."""
    offline = ["--examples", "--offline", "--cache-dir", str(tmp_path / "cache")]
    res = cli("query", "verdicts", *offline, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["results"]["bindings"]
    assert rows and {"document", "verdict", "claims"} <= set(rows[0])
    res = cli("query", "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3", *offline)
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 3
    res = cli("query", "SELECT WHERE {", *offline)
    assert res.exit_code == 2 and one_error_line(res.stderr).startswith("Error: the query is not valid SPARQL")


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="blocks signals with pthread_sigmask")
def test_item_09_ctrl_c_while_the_worker_starts_is_not_lost() -> None:
    """Under load the worker may take a while to start; a Ctrl-C in that moment is raised
    once it has started, not swallowed by the SIG_IGN the worker is started under."""
    from ldn_graph.rdf.local import _start_deaf_to_ctrl_c

    class Starting:
        def start(self) -> None:
            # Ctrl-C lands while the worker starts; sent to this thread, as the kernel hands a
            # terminal's Ctrl-C to the main thread (the suite's own threads could take a
            # process-wide one)
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)

    # as in a terminal's foreground process (a suite run as a background job has SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            _start_deaf_to_ctrl_c(Starting())  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGINT, previous)
