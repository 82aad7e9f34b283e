"""Local SPARQL with a time limit: an embedded store, or the graph of an audit.

pyoxigraph cannot interrupt a query once it runs (a four-way cartesian ``COUNT(*)`` over
a few thousand triples would run for days, deaf to Ctrl-C), so :func:`run_query` runs it
in a worker process and waits for the answer until the deadline. At the deadline, on
Ctrl-C, or on any other way out, the worker is killed; if this process dies first, the
worker notices (its lifeline pipe closes) and ends itself.

The worker is started with the ``spawn`` method (the same on Linux, macOS and Windows: no
forked locks or threads), with SIGINT ignored so that Ctrl-C is handled here once. It
opens the store read-only, or loads the audit's graph from N-Triples, refuses federation
unless allowed (:mod:`ldn_graph.rdf.federation`), and sends back the
:class:`~ldn_graph.rdf.results.QueryResult` or the library error, which is raised here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ldn_graph.errors import LdnGraphError, StoreError
from ldn_graph.model import AuditResult
from ldn_graph.rdf.federation import refuse_federation
from ldn_graph.rdf.results import QueryResult
from ldn_graph.rdf.store import load_result, open_store, query_store
from ldn_graph.text import error_line

DEFAULT_TIMEOUT = 60.0
_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class LocalGraph:
    """What a local query runs on: a store directory (opened read-only), or a graph given
    as N-Triples (an audit's: :func:`audit_graph`)."""

    store: str | None = None
    ntriples: bytes | None = None


def audit_graph(result: AuditResult) -> LocalGraph:
    """The graph of an audit, vocabulary included, for :func:`run_query`."""
    from pyoxigraph import DefaultGraph, RdfFormat, Store

    store = Store()
    load_result(store, result, include_vocabulary=True)
    return LocalGraph(ntriples=bytes(store.dump(None, RdfFormat.N_TRIPLES, from_graph=DefaultGraph()) or b""))


def run_query(graph: LocalGraph, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, allow_service: bool = False) -> QueryResult:
    """Run ``sparql`` on ``graph`` in a worker process, stopped after ``timeout`` seconds
    (StoreError, exit code 3) or on Ctrl-C (KeyboardInterrupt, after the worker is gone).
    A ``SERVICE`` clause is refused (InputError) unless ``allow_service``."""
    refuse_federation(sparql, allow_service=allow_service)
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    lifeline, held = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(theirs, lifeline), name="ldn-graph query", daemon=True)
    deadline = time.monotonic() + timeout
    try:
        _start_deaf_to_ctrl_c(worker)
        theirs.close()
        lifeline.close()
        ours.send((graph, sparql, allow_service))
        if not ours.poll(max(0.0, deadline - time.monotonic())):
            raise StoreError(
                f"the query hit its time limit ({timeout:g} s) and was stopped; "
                "narrow it (LIMIT, fewer patterns) or raise --timeout"
            )
        outcome = ours.recv()
    except (EOFError, BrokenPipeError):
        worker.join(1)
        raise StoreError(f"the query worker stopped unexpectedly (exit code {worker.exitcode}); please report this") from None
    finally:
        _stop(worker)
        ours.close()
        held.close()
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "error":
        raise value
    raise StoreError(f"the query failed in its worker ({value}); please report this")


def _start_deaf_to_ctrl_c(worker: BaseProcess) -> None:
    """Start ``worker`` with SIGINT ignored: Python then installs no KeyboardInterrupt
    handler in it, and the Ctrl-C a terminal sends to the whole group is ours alone.

    SIGINT is also blocked in this thread while the worker starts (where the platform can
    block signals): a Ctrl-C that arrives meanwhile stays pending and is raised here once our
    handler is back, instead of being lost to the moment's SIG_IGN. (A Ctrl-C another thread
    of this process takes in that moment is still lost.)"""
    if threading.current_thread() is not threading.main_thread():
        worker.start()
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if hasattr(signal, "pthread_sigmask") else None
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        worker.start()
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # the caller's mask, as it was


def _stop(worker: BaseProcess) -> None:
    if worker.pid is None:  # never started
        return
    if worker.is_alive():
        worker.kill()
    worker.join()
    worker.close()


# --------------------------------------------------------------------------- the worker


def _work(conn: Connection, lifeline: Connection) -> None:
    """The worker process: answer one query, sent over ``conn``, on ``conn``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # where it was not inherited (Windows)
    threading.Thread(target=_end_with_parent, args=(lifeline,), daemon=True).start()
    try:
        graph, sparql, allow_service = conn.recv()
        outcome: tuple[str, Any] = ("ok", _answer(graph, sparql, allow_service))
    except LdnGraphError as exc:
        outcome = ("error", exc)
    except Exception as exc:  # noqa: BLE001 - sent back as one line, raised there
        outcome = ("crash", error_line(exc, _MESSAGE_LIMIT))
    conn.send(outcome)
    conn.close()


def _end_with_parent(lifeline: Connection) -> None:
    """Block until the parent closes its end of the lifeline (or dies), then exit."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(0)


def _answer(graph: LocalGraph, sparql: str, allow_service: bool) -> QueryResult:
    from pyoxigraph import RdfFormat, Store

    if graph.store is not None:
        return query_store(open_store(graph.store, read_only=True), sparql, allow_service=allow_service)
    store = Store()
    store.load(graph.ntriples or b"", RdfFormat.N_TRIPLES)
    return query_store(store, sparql, allow_service=allow_service)
