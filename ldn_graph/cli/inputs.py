"""What a pipeline command reads: PATHS as given, ``-`` for standard input, folders with
``--recursive`` (narrowed by ``--glob``), and the bundled examples only with
``--examples``. Nothing given is a usage error, never a silent audit of something else.

:func:`input_options` adds the options to a command and keeps their values in the click
context; :func:`collect_inputs` turns PATHS into the files and documents to audit, in the
order given (a folder's files sorted), each once.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

__all__ = ["SKIPPED_FOLDERS", "Inputs", "collect_inputs", "input_options", "inputs_given", "jobs"]

#: Folders a recursive walk never enters (besides hidden ones): build output and tooling.
SKIPPED_FOLDERS = frozenset({
    "node_modules", "__pycache__", "build", "dist", "site-packages", "venv", "env", "target",
    "_build", "htmlcov",
})
_META = "ldn_graph.inputs"


@dataclass(frozen=True)
class Inputs:
    examples: bool = False
    stdin_name: str = "<stdin>"
    type: str | None = None  # txt | md | html | docx | pdf for standard input (else sniffed)
    recursive: bool = False
    glob: tuple[str, ...] = ()
    jobs: int | None = None  # processes auditing the files (None: the core count)


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--examples``, ``--stdin-name``, ``--type``, ``--recursive`` and ``--glob`` to a
    pipeline command; their values go to :func:`collect_inputs` through the context."""
    from ldn_graph.read.documents import TYPE_SUFFIXES

    @functools.wraps(command)
    def wrapper(*args: Any, examples: bool, stdin_name: str, input_type: str | None, recursive: bool,
                glob: tuple[str, ...], jobs: int | None, **kwargs: Any) -> Any:
        click.get_current_context().meta[_META] = Inputs(examples, stdin_name, input_type, recursive, glob, jobs)
        return command(*args, **kwargs)

    for option in (
        click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
                     help="Audit the files in N processes, one report in input order [default: the core count]."),
        click.option("--glob", multiple=True, metavar="PATTERN",
                     help="With --recursive: only files whose name matches (repeatable), e.g. '*.html'."),
        click.option("-r", "--recursive", is_flag=True, help="Read the supported files in folders given as PATHS."),
        click.option("--type", "input_type", type=click.Choice(sorted(TYPE_SUFFIXES)),
                     help="What standard input (-) is [default: sniffed from its first bytes]."),
        click.option("--stdin-name", default="<stdin>", show_default=True, metavar="NAME",
                     help="The name standard input (-) goes by in reports."),
        click.option("--examples", is_flag=True, help="Also audit the bundled example pages."),
    ):
        wrapper = option(wrapper)
    return wrapper


def jobs() -> int:
    """How many processes audit the files (``--jobs``, else the core count)."""
    from ldn_graph.parallel import default_jobs

    inputs: Inputs = click.get_current_context().meta.get(_META, Inputs())
    return inputs.jobs or default_jobs()


def inputs_given(paths: Sequence[Path]) -> bool:
    """Whether the command was given anything to read (PATHS or ``--examples``)."""
    inputs: Inputs = click.get_current_context().meta.get(_META, Inputs())
    return bool(paths) or inputs.examples


def _walk(folder: Path, patterns: Sequence[str]) -> Iterator[Path]:
    from ldn_graph.read.documents import SUPPORTED_SUFFIXES

    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            yield Path(root) / name


def collect_inputs(paths: Sequence[Path]) -> list[Path | Any]:
    """The files and documents PATHS name, in order: ``-`` is standard input (read once,
    as a :class:`~ldn_graph.model.Document`, or the
    :class:`~ldn_graph.model.InputProblem` that says why it could not be read), a folder its supported files with
    ``--recursive``, and the bundled examples after them with ``--examples``. A usage
    error (exit 2) when there is nothing to read or a folder is given without
    ``--recursive``."""
    inputs: Inputs = click.get_current_context().meta.get(_META, Inputs())
    if not paths and not inputs.examples:
        raise click.UsageError("give the files to read (PATHS, or - for standard input), or --examples "
                               "for the bundled example pages")
    out: list[Path | Any] = []
    seen: set[Path] = set()
    stdin_read = False
    for path in paths:
        if str(path) == "-":
            if stdin_read:
                raise click.UsageError("- (standard input) is given twice; it can be read once")
            stdin_read = True
            out.append(_stdin_document(inputs))
            continue
        if path.is_dir():
            if not inputs.recursive:
                raise click.UsageError(f"{path} is a folder: add --recursive to read the supported files in it "
                                       "(and --glob '*.html' to narrow them)")
            found = [p for p in _walk(path, inputs.glob) if p.resolve() not in seen]
            seen.update(p.resolve() for p in found)
            out.extend(found)
            continue
        out.append(path)
    if inputs.examples:
        from ldn_graph.resources import example_paths

        out.extend(example_paths())
    return out


def _stdin_document(inputs: Inputs) -> Any:
    from ldn_graph.errors import InputError
    from ldn_graph.model import InputProblem
    from ldn_graph.read.documents import TYPE_SUFFIXES, read_document_bytes, sniff_suffix

    data = sys.stdin.buffer.read()
    suffix = TYPE_SUFFIXES[inputs.type] if inputs.type else sniff_suffix(data)
    try:
        return read_document_bytes(data, inputs.stdin_name, suffix)
    except InputError as exc:  # reported like an unreadable file; the other inputs are audited
        return InputProblem(inputs.stdin_name, str(exc))
