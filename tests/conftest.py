"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from eutils_server import EutilsServer  # tests/ is on sys.path (rootdir conftest)

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite tests/snapshots/ from the current output (review the diff before committing).",
    )
