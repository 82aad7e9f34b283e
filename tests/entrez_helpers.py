"""Fast E-utilities clients for tests against the loopback stand-in (tests/eutils_server.py):
a tiny backoff, and sleeps recorded instead of slept, so retry delays are asserted as
values, never timed.

* :func:`make_client` - one real client and the waits it asked for;
* :func:`quick_client` - a client factory (``obj={"client_factory": ...}`` of a CLI
  command; call it for the ``client`` of a ``Retriever``);
* :class:`FastEntrez` - what the ``fast_entrez`` fixture (tests/conftest.py) recorded: it
  makes every client the library builds, CLI commands included, a fast one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ldn_graph.pubmed.eutils.client import EntrezClient


class Sleeps(list[float]):
    """A ``sleep`` that records the delays asked for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(**kwargs: object) -> tuple[EntrezClient, Sleeps]:
    """A real client with a tiny backoff and recorded waits; keyword arguments override."""
    sleeps = Sleeps()
    options: dict[str, object] = {"backoff": 0.01, "sleep": sleeps}
    options.update(kwargs)
    return EntrezClient(**options), sleeps  # type: ignore[arg-type]


def quick_client(**kwargs: object) -> Callable[[], EntrezClient]:
    """A client factory for tests; keyword arguments override the fast defaults."""
    options: dict[str, object] = {"backoff": 0.01, "sleep": Sleeps(), "timeout": 0.5}
    options.update(kwargs)
    return lambda: EntrezClient(**options)  # type: ignore[arg-type]


@dataclass
class FastEntrez:
    """What the ``fast_entrez`` fixture's clients recorded: waits asked for, constructor
    options to force, clients made."""

    sleeps: Sleeps = field(default_factory=Sleeps)
    options: dict[str, Any] = field(default_factory=dict)
    clients: list[Any] = field(default_factory=list)
