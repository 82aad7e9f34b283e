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
