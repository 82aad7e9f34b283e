"""How a command ends: exit codes, the ``Error: …`` line, and the one error boundary.

Every ``ldn-graph`` command is a :class:`Command` (groups are :class:`Group`), whose
``invoke`` runs inside :func:`error_boundary`: a library error (an
:class:`~ldn_graph.errors.LdnGraphError`) becomes ``Error: <message>`` on stderr and its
``exit_code``; Ctrl-C becomes the interrupt message and exit 130, and SIGTERM (``kill``,
a CI runner's timeout) is handled the same way with exit 143: it is raised as a
``KeyboardInterrupt`` inside the command, so every clean-up the library does on Ctrl-C — the
temp file of an output removed, the batches fetched so far kept — runs. Commands therefore call
the library directly. The boundary sits on the command, not only on the ``ldn-graph``
group, so a command invoked on its own (an embedding application, a test) ends the same.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from ldn_graph.errors import LdnGraphError

# 0 done; 1 a --fail-on gate (or a check) failed; 2 bad usage or input; 3 a service failed or
# a query hit its time limit; 4 an output or the cache could not be written (those come with
# the library's errors); 130 Ctrl-C; 143 SIGTERM
EXIT_FAIL_ON, EXIT_USAGE, EXIT_SERVICE, EXIT_INTERRUPTED = 1, 2, 3, 130
EXIT_TERMINATED = 128 + signal.SIGTERM

INTERRUPTED = "interrupted; everything fetched so far is kept in the cache — rerun to resume"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C, so clean-ups on ``KeyboardInterrupt`` run."""


def _raise_terminated(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM never cuts the clean-up
    raise Terminated


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (main thread only, where
    Python runs signal handlers; an outer block already doing so is left in charge)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous is _raise_terminated:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn a library error, Ctrl-C or SIGTERM inside the block into its message and exit
    code."""
    try:
        with _sigterm_as_interrupt():
            yield
    except LdnGraphError as exc:
        fail(str(exc), exc.exit_code)
    except Terminated:
        fail(INTERRUPTED.replace("interrupted", "terminated", 1), EXIT_TERMINATED)
    except KeyboardInterrupt:
        fail(INTERRUPTED, EXIT_INTERRUPTED)


class Command(click.Command):
    """A command that runs inside the error boundary."""

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)


class Group(click.Group):
    """A group that runs inside the error boundary (its commands are :class:`Command`
    too, so that each ends the same when invoked on its own)."""

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)
