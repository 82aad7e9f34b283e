"""Serializations of the graph, each written atomically (temp file + ``os.replace``).

``EXPORTERS`` feeds both dispatch and the CLI's ``--format`` choice. A failed export
never leaves a torn or 0-byte file behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import ExportError
from .graph import build_networkx, build_rdf, clean_text
from .model import AuditResult

if TYPE_CHECKING:
    import networkx as nx


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Write to a temp file beside ``path`` and move it into place only on success.

    ``path == "-"`` writes to standard output instead.
    """
    if str(path) == "-":
        stream = sys.stdout.buffer if "b" in mode else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write here ({exc.strerror or exc}); choose another -o path") from None
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ExportError(f"{path}: could not be written ({exc.strerror or exc})") from None
        raise


def _rdf_writer(fmt: str) -> Callable[[AuditResult, str | Path], None]:
    def write(result: AuditResult, path: str | Path) -> None:
        graph = build_rdf(result)
        data = graph.serialize(format=fmt, encoding="utf-8")
        with atomic_output(path) as fh:
            fh.write(data)

    write.__name__ = f"write_{fmt.replace('-', '_')}"
    return write


write_turtle = _rdf_writer("turtle")
write_ntriples = _rdf_writer("nt")
write_jsonld = _rdf_writer("json-ld")


def graphml_safe(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML can hold: scalars only, one type per key, clean text."""
    import networkx as nx

    def value(v: Any) -> Any:
        if isinstance(v, bool | int | float):
            return v
        if isinstance(v, list | tuple | dict | set):
            return clean_text(json.dumps(sorted(v) if isinstance(v, set) else v, ensure_ascii=False))
        return clean_text(str(v))

    H = nx.MultiDiGraph()
    types: dict[tuple[str, str], type] = {}

    def attrs(scope: str, data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in data.items():
            if v is None:
                continue
            v = value(v)
            seen = types.setdefault((scope, k), type(v))
            if type(v) is not seen:
                v = str(v) if seen is str else v
                if type(v) is not seen:
                    types[(scope, k)] = str
            out[clean_text(str(k))] = v
        return out

    for n, d in G.nodes(data=True):
        H.add_node(clean_text(str(n)), **attrs("node", d))
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(clean_text(str(u)), clean_text(str(v)), key=clean_text(str(k)), **attrs("edge", d))
    # second pass: keys that ended up with mixed types are written as strings
    for (scope, key), kind in types.items():
        if kind is not str:
            continue
        items = H.nodes(data=True) if scope == "node" else (d for *_, d in H.edges(keys=True, data=True))
        for entry in items:
            data = entry[1] if scope == "node" else entry
            if key in data and not isinstance(data[key], str):
                data[key] = str(data[key])
    return H


def write_graphml(result: AuditResult, path: str | Path) -> None:
    import networkx as nx

    G = graphml_safe(build_networkx(result))
    with atomic_output(path) as fh:
        nx.write_graphml(G, fh, encoding="utf-8", prettyprint=True)


EXPORTERS: dict[str, Callable[[AuditResult, str | Path], None]] = {
    "turtle": write_turtle,
    "nt": write_ntriples,
    "jsonld": write_jsonld,
    "graphml": write_graphml,
}
EXTENSIONS = {"turtle": ".ttl", "nt": ".nt", "jsonld": ".jsonld", "graphml": ".graphml"}
