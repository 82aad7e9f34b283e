"""Where command output goes: reports to stdout or a file, notes to stderr."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import click

_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def write_text_output(output: Path | None, text: str) -> None:
    """Write a report to stdout, or atomically to ``output`` (an ExportError if it cannot
    be written)."""
    # A file name that is not UTF-8 reaches reports as lone surrogates; they cannot be encoded.
    text = _SURROGATES_RE.sub("\ufffd", text)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from ldn_graph.files import atomic_output

    with atomic_output(output, "w") as fh:
        fh.write(text)
    click.echo(f"wrote {output}", err=True)


def echo_notes(notes: Iterable[str]) -> None:
    """Each distinct note once, as ``note: …`` on stderr."""
    for note in dict.fromkeys(notes):
        click.echo(f"note: {note}", err=True)
