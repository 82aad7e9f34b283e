"""How much the command line says on stderr: ``-q`` only errors, default warnings (and
the one-time notes: NCBI_EMAIL unset when the network is used), ``-v`` also retries and
what the library notes on the way, ``-vv`` every request with its size and time.

The library logs under the ``ldn_graph`` logger and never configures logging; the
command line gives that logger one stderr handler here.
"""

from __future__ import annotations

import logging
import sys

import click

__all__ = ["configure_logging", "quiet"]

_QUIET = "ldn_graph.quiet"


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        prefix = "debug" if record.levelno < logging.INFO else "note" if record.levelno < logging.ERROR else "error"
        return f"{prefix}: {record.getMessage()}"


def configure_logging(quiet_flag: bool, verbose: int) -> None:
    """Set the ``ldn_graph`` logger's level and stderr handler for this run."""
    if quiet_flag:
        level = logging.ERROR
    else:
        level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logger = logging.getLogger("ldn_graph")
    logger.setLevel(level)
    logger.handlers = [h for h in logger.handlers if not getattr(h, "_ldn_graph", False)]
    handler: logging.Handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
    handler._ldn_graph = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.propagate = False
    click.get_current_context().meta[_QUIET] = quiet_flag


def quiet() -> bool:
    """Whether ``-q`` was given: notes are not echoed."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_QUIET))
