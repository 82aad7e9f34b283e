"""How a command ends: exit codes, the ``Error: …`` line, and the one error boundary.

Every ``ldn-graph`` command is a :class:`Command` (groups are :class:`Group`), whose
``invoke`` runs inside :func:`error_boundary`: a library error (an
:class:`~ldn_graph.errors.LdnGraphError`) becomes ``Error: <message>`` on stderr and its
``exit_code``; Ctrl-C becomes the interrupt message and exit 130. Commands therefore call
the library directly. The boundary sits on the command, not only on the ``ldn-graph``
group, so a command invoked on its own (an embedding application, a test) ends the same.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from ldn_graph.errors import LdnGraphError

# 0 done; 1 a --fail-on gate (or a check) failed; 2 bad usage or input; 3 a service failed;
# 4 an output or the cache could not be written (those come with the library's errors)
EXIT_FAIL_ON, EXIT_USAGE, EXIT_SERVICE, EXIT_INTERRUPTED = 1, 2, 3, 130

INTERRUPTED = "interrupted; everything fetched so far is kept in the cache — rerun to resume"

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``Error: message`` on stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn a library error or Ctrl-C inside the block into its message and exit code."""
    try:
        yield
    except LdnGraphError as exc:
        fail(str(exc), exc.exit_code)
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
