"""Fast E-utilities clients for tests against the loopback stand-in: tiny backoff, and
sleeps recorded instead of slept."""

from __future__ import annotations

from collections.abc import Callable

from ldn_graph.pubmed.entrez import EntrezClient


class Sleeps(list[float]):
    """A ``sleep`` that records the delays asked for instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def quick_client(**kwargs: object) -> Callable[[], EntrezClient]:
    """A client factory for tests; keyword arguments override the fast defaults."""
    options: dict[str, object] = {"backoff": 0.01, "sleep": Sleeps(), "timeout": 0.5}
    options.update(kwargs)
    return lambda: EntrezClient(**options)  # type: ignore[arg-type]
