"""Shared pytest fixtures: the E-utilities stand-in, fast clients, isolation.

Helpers live in one module each (tests/ is on sys.path, as the rootdir conftest's folder):
eutils_server.py (the loopback stand-in, free ports), entrez_helpers.py (fast clients),
cli_helpers.py (running the CLI), synthetic_audit.py (hand-made AuditResults),
judgement_helpers.py (synthetic records and the offline audit of one claim over them),
fs_helpers.py (read-only folders).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from entrez_helpers import FastEntrez
from eutils_server import EutilsServer

# ---- E-utilities stand-in (tests/eutils_server.py) ------------------------------------


@pytest.fixture
def eutils_server() -> Iterator[EutilsServer]:
    """A loopback E-utilities stand-in serving the recorded responses in tests/data."""
    with EutilsServer() as server:
        yield server


@pytest.fixture
def eutils_env(eutils_server: EutilsServer, monkeypatch: pytest.MonkeyPatch,
               tmp_path: Path) -> EutilsServer:
    """The stand-in, with LDN_GRAPH_EUTILS_URL pointing at it, a private state directory
    (rate-limit file) and no API key from the environment."""
    monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", eutils_server.url)
    monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path / "ldn-graph-state"))
    monkeypatch.setenv("NCBI_EMAIL", "tests@example.org")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    return eutils_server


@pytest.fixture
def fast_entrez(monkeypatch: pytest.MonkeyPatch) -> FastEntrez:
    """Every EntrezClient built by the library (CLI commands included) records its waits
    instead of sleeping, so retries and rate limits cost no wall time; the client itself
    (retries, parsing, validation) is the real one, talking HTTP to the stand-in.
    ``options`` overrides constructor defaults (``batch_size``, ``max_tries``, ``timeout``)."""
    from ldn_graph.pubmed.eutils import client

    state = FastEntrez()
    real = client.EntrezClient

    class RecordingClient(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("backoff", 0.01)
            kwargs.setdefault("sleep", state.sleeps)
            kwargs.setdefault("timeout", 5.0)
            kwargs.update(state.options)
            super().__init__(*args, **kwargs)
            state.clients.append(self)

    monkeypatch.setattr(client, "EntrezClient", RecordingClient)
    return state


# ---- end of E-utilities stand-in fixtures ---------------------------------------------


# ---- isolation: no test reaches NCBI or the user's cache ------------------------------


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test gets its own writable cache and an E-utilities URL on a closed loopback
    port, so nothing reaches NCBI by accident (tests that need the stand-in use eutils_env)."""
    monkeypatch.setenv("LDN_GRAPH_CACHE", str(tmp_path_factory.mktemp("ldn-cache")))
    monkeypatch.setenv("LDN_GRAPH_EUTILS_URL", "http://127.0.0.1:9/entrez/eutils/")
    monkeypatch.setenv("LDN_GRAPH_STATE", str(tmp_path_factory.mktemp("ldn-state")))
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    # one process: what a test patches in this process is what the audit runs with (the
    # parallel path is tested on its own, with --jobs)
    monkeypatch.setenv("LDN_GRAPH_JOBS", "1")
    # no user configuration file: an empty configuration folder of the test's own
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("ldn-config")))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite tests/snapshots/ from the current output (review the diff before committing).",
    )
