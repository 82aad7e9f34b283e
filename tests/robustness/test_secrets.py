"""Item 36: the NCBI API key goes to NCBI and nowhere else.

A sentinel key is set in the environment; audits, exports, fetches (including failures
and a rejected key) run against the stand-in; then every byte the tool produced — the
reports in every format, the exported graphs, the cache and state folders, stdout,
stderr and the log records — is searched for it.
"""

from __future__ import annotations

import logging
import os
import traceback
import urllib.error
from pathlib import Path

import pytest
from cli_helpers import cli
from entrez_helpers import FastEntrez
from eutils_server import EutilsServer, Fault
from robust_helpers import citing_page, files_under

from ldn_graph.errors import FetchError
from ldn_graph.pubmed.eutils.client import EntrezClient

SENTINEL = "SENTINEL0api0key0c0ffee5f3a9"


def chain(error: BaseException) -> list[BaseException]:
    """The error and every exception reachable from it (cause and context)."""
    out: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop()
        if current is None or any(current is seen for seen in out):
            continue
        out.append(current)
        todo.extend([current.__cause__, current.__context__])
    return out


def carries(error: BaseException, secret: str) -> list[str]:
    """Where ``secret`` hides in the error chain: messages, reprs, URL attributes, the
    wrapped HTTP response, the formatted traceback."""
    found = []
    for exc in chain(error):
        holders = [exc, getattr(exc, "fp", None), getattr(exc, "file", None)]
        for holder in holders:
            if holder is None:
                continue
            for name in ("url", "filename"):
                if secret in str(getattr(holder, name, "") or ""):
                    found.append(f"{type(holder).__name__}.{name}")
        if secret in str(exc) or secret in repr(exc) or secret in repr(exc.args):
            found.append(f"{type(exc).__name__} message")
    if secret in "".join(traceback.format_exception(error)):
        found.append("traceback")
    return found


def test_item_36_the_api_key_is_in_no_output_file_log_or_message(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("NCBI_API_KEY", SENTINEL)
    cache_dir = tmp_path / "cache"
    out = tmp_path / "out"
    out.mkdir()
    page = citing_page(tmp_path / "page.txt", ["12091962", "9997", "11748933", "999999997"])
    texts: list[str] = []

    def run(*args: object, code: int | None = 0) -> None:
        result = cli(*args)  # type: ignore[arg-type]
        texts.extend([result.stdout, result.stderr])
        if code is not None:
            assert result.exit_code == code, result.stderr

    # failures first: a 503 storm, a rejected key (403 JSON), a refused batch (400)
    eutils_env.add_fault("efetch", "503", times=5)
    run("fetch", "11748933", "--cache-dir", cache_dir, code=3)
    eutils_env.add_fault("efetch", Fault("body", status=403, content_type="application/json",
                                         body=b'{"error":"API key invalid"}'))
    run("fetch", "11748933", "--cache-dir", cache_dir, code=3)
    eutils_env.add_fault("esearch", Fault("body", status=400, content_type="text/xml",
                                          body=b"<eSearchResult><ERROR>bad</ERROR></eSearchResult>"))
    run("search", "abcXYZ", "--cache-dir", cache_dir, code=3)
    # then a normal audit (fetching), every report format, every export format
    for fmt in ("json", "markdown", "table", "html"):
        run("audit", page, "--cache-dir", cache_dir, "--format", fmt, "-o", out / f"r.{fmt}")
    for fmt in ("turtle", "nt", "jsonld", "graphml"):
        run("export", page, "--cache-dir", cache_dir, "--format", fmt, "-o", out / f"g.{fmt}")
    run("fetch", *eutils_env.known_pmids[:210], "--cache-dir", cache_dir)  # POST: key in body
    run("search", "abcXYZ", "--cache-dir", cache_dir)
    run("cache", "info", "--cache-dir", cache_dir)

    # the key did go to NCBI, on every request, GET and POST
    assert eutils_env.log and all(r.params.get("api_key") == [SENTINEL] for r in eutils_env.log)
    assert any("api_key" in r.body_params for r in eutils_env.log)
    # and nowhere else
    produced = files_under(out, cache_dir, Path(os.environ["LDN_GRAPH_STATE"]))
    assert len(produced) >= 9
    leaks = [str(p) for p in produced if SENTINEL.encode() in p.read_bytes()]
    assert leaks == []
    assert all(SENTINEL not in text for text in texts)
    assert SENTINEL not in caplog.text
    assert any("NCBI_API_KEY" in text for text in texts)  # the 403 said which setting to check


@pytest.mark.parametrize("status", [400, 403, 503])
def test_item_36_http_errors_never_carry_the_key(
    eutils_env: EutilsServer, status: int
) -> None:
    """Biopython raises urllib's HTTPError, whose ``url``/``filename`` (and the wrapped
    response's ``url``) hold the GET query string with ``api_key=``. Whatever we raise
    keeps that error as ``__context__``: it must be scrubbed."""
    fault = Fault("503") if status == 503 else Fault("body", status=status, content_type="text/xml",
                                            body=b"<eFetchResult><ERROR>x</ERROR></eFetchResult>")
    eutils_env.add_fault("efetch", fault, times=2)
    client = EntrezClient(api_key=SENTINEL, max_tries=2, backoff=0.01, sleep=lambda s: None)
    if status == 400:  # a one-id batch refused: a per-id error, not an exception
        [batch] = list(client.fetch_pubmed_xml(["9997"]))
        assert SENTINEL not in repr(batch) and SENTINEL not in repr(client.last_errors)
        return
    with pytest.raises(FetchError) as info:
        list(client.fetch_pubmed_xml(["9997"]))
    assert carries(info.value, SENTINEL) == []
    if status == 403:  # the HTTPError is still reachable as context: scrubbed, not gone
        assert any(isinstance(e, urllib.error.HTTPError) for e in chain(info.value))
    assert SENTINEL not in repr(client)
