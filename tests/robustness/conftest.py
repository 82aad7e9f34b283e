"""Fixtures of the robustness tests; tests/conftest.py (stand-in, isolation) applies too."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # robust_helpers

from robust_helpers import FastEntrez  # noqa: E402


@pytest.fixture
def fast_entrez(monkeypatch: pytest.MonkeyPatch) -> FastEntrez:
    """Every EntrezClient built by the library (CLI commands included) records its waits
    instead of sleeping, so retries and rate limits cost no wall time; the client itself
    (retries, parsing, validation) is the real one, talking HTTP to the stand-in.
    ``options`` overrides constructor defaults (``batch_size``, ``max_tries``, ``timeout``)."""
    from ldn_graph.pubmed import entrez

    state = FastEntrez()
    real = entrez.EntrezClient

    class RecordingClient(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("backoff", 0.01)
            kwargs.setdefault("sleep", state.sleeps)
            kwargs.setdefault("timeout", 5.0)
            kwargs.update(state.options)
            super().__init__(*args, **kwargs)
            state.clients.append(self)

    monkeypatch.setattr(entrez, "EntrezClient", RecordingClient)
    return state
