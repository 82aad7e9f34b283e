"""Where command output goes: reports to stdout or a file, notes to stderr."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import click

_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def write_text_output(output: Path | None, text: str, *, color: bool = False) -> None:
    """Write a report to stdout (its colour kept only with ``color``), or atomically to
    ``output`` (an ExportError if it cannot be written)."""
    # A file name that is not UTF-8 reaches reports as lone surrogates; they cannot be encoded.
    text = _SURROGATES_RE.sub("\ufffd", text)
    if output is None or str(output) == "-":
        click.echo(text, nl=False, color=True if color else None)
        return
    from ldn_graph.files import atomic_output

    with atomic_output(output, "w") as fh:
        fh.write(text)
    from ldn_graph.cli.logs import quiet

    if not quiet():
        click.echo(f"wrote {output}", err=True)


def echo_notes(notes: Iterable[str]) -> None:
    """Each distinct note once, as ``note: …`` on stderr (nothing with ``-q``)."""
    from ldn_graph.cli.logs import quiet

    if quiet():
        return
    for note in dict.fromkeys(notes):
        click.echo(f"note: {note}", err=True)


#: What ``--color`` takes.
COLOR_CHOICES = ("auto", "always", "never")


def use_color(choice: str, output: Path | None) -> bool:
    """Whether a report is coloured: ``never`` and ``always`` as said; ``auto`` follows
    ``NO_COLOR`` (set and not empty: no colour), then ``FORCE_COLOR`` (set and not empty
    or "0": colour), then whether it goes to a terminal (never into a file)."""
    from ldn_graph import settings

    if choice != "auto":
        return choice == "always"
    from_env = settings.color_from_env()
    if from_env is not None:
        return from_env
    return output is None and sys.stdout.isatty()
