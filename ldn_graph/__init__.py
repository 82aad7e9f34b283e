"""ldn-graph: check whether health claims are backed by the literature they cite.

The public API, loaded on first use so that ``import ldn_graph`` stays cheap::

    from ldn_graph import AuditOptions, audit
    result = audit(["page.html"], AuditOptions(offline=True))

No module inside the package imports from here: this file only re-exports.
"""

from __future__ import annotations

from ldn_graph._version import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (mypy knows the name)

if TYPE_CHECKING:
    from ldn_graph.audit import AuditOptions, audit, audit_text
    from ldn_graph.model import AuditResult
    from ldn_graph.ontology.vocabulary import load_vocabulary
    from ldn_graph.pubmed.cache import RecordCache

_LAZY = {
    "audit": "ldn_graph.audit",
    "audit_text": "ldn_graph.audit",
    "AuditOptions": "ldn_graph.audit",
    "AuditResult": "ldn_graph.model",
    "load_vocabulary": "ldn_graph.ontology.vocabulary",
    "RecordCache": "ldn_graph.pubmed.cache",
}

__all__ = ["AuditOptions", "AuditResult", "RecordCache", "__version__", "audit", "audit_text", "load_vocabulary"]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ldn_graph' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
