"""Options shared by several commands, and the audit they configure.

:func:`pipeline_options` adds ``--offline``, ``--cache-dir``, ``--vocabulary``, ``--references``,
``--max-age`` and ``--no-sentence-model`` to a command (and reads ``--suppress`` where the command declares
:data:`suppress_option`) and hands the command one ``options``
(:class:`ldn_graph.audit.AuditOptions`). :func:`run_audit` runs the pipeline for a command,
with progress bars on stderr. Choice lists come from the library through
:class:`LibraryChoice`, imported only when a command needs them (``ldn-graph --help`` stays
fast).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ldn_graph.cli.inputs import collect_inputs, input_options, jobs
from ldn_graph.cli.logs import quiet
from ldn_graph.cli.progress import progress_bars

if TYPE_CHECKING:
    from ldn_graph.audit import AuditOptions
    from ldn_graph.model import AuditResult


class LibraryChoice(click.Choice):
    """A choice among the names of a library registry, which ``load`` returns (a mapping
    or a sequence of names; it imports the registry, called the first time the choices
    are needed)."""

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices

    @choices.setter
    def choices(self, value: Iterable[str]) -> None:
        self._choices = tuple(value)


paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path, dir_okay=True, allow_dash=True))
offline_option = click.option("--offline", is_flag=True, help="Never touch the network; use the cache only.")
# No envvar here: the library reads LDN_GRAPH_CACHE when the option is absent.
cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Writable record cache [env LDN_GRAPH_CACHE; default: the user cache directory].",
)
vocabulary_option = click.option(
    "--vocabulary",
    type=click.Path(path_type=Path, dir_okay=False),
    help="SKOS vocabulary (Turtle) of the claims to look for [default: the built-in LDN vocabulary].",
)
max_age_option = click.option(
    "--max-age", "max_age", type=click.FloatRange(min=0), metavar="DAYS",
    help="Refetch cached records older than DAYS (to see retractions and corrections).",
)
references_option = click.option(
    "--references", "references", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Bibliography file the documents cite from: BibTeX, RIS, CSL-JSON, EndNote XML or "
    "PubMed .nbib (repeatable; applies to every document).",
)
sentence_model_option = click.option(
    "--no-sentence-model", "no_sentence_model", is_flag=True,
    help="Find claims with the vocabulary's words and rules alone, without the learned sentence model.",
)
suppress_option = click.option(
    "--suppress",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML/JSON file of claims and findings a reviewer has accepted (with justification and reviewer).",
)


def pipeline_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the audit options to ``command``, which receives them as ``options``."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        offline: bool,
        cache_dir: Path | None,
        vocabulary: Path | None,
        max_age: float | None,
        references: tuple[Path, ...],
        no_sentence_model: bool,
        **kwargs: Any,
    ) -> Any:
        from ldn_graph.audit import AuditOptions

        options = AuditOptions(
            offline=offline,
            cache_dir=cache_dir,
            vocabulary=vocabulary,
            max_age_days=max_age,
            suppress=kwargs.pop("suppress", None),
            references=tuple(references),
            sentence_model=not no_sentence_model,
        )
        return command(*args, options=options, **kwargs)

    for option in (sentence_model_option, references_option, max_age_option, vocabulary_option, cache_dir_option,
                   offline_option):
        wrapper = option(wrapper)
    return input_options(wrapper)


def _levels() -> Iterable[str]:
    from ldn_graph.terms import EvidenceLevel

    return [level.value for level in EvidenceLevel if level != EvidenceLevel.UNKNOWN]


def suggest_options(*, always: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the options of suggested sources to a command, which receives its ``options``
    with ``suggest`` set (``always``: the ``suggest`` command; else ``audit``, where
    ``--suggest`` or any of these options asks for them)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, options: AuditOptions, max_suggestions: int | None, min_level: str | None,
                    since: int | None, humans_only: bool, max_candidates: int | None, **kwargs: Any) -> Any:
            from dataclasses import replace

            from ldn_graph.pubmed.query import SearchFilters
            from ldn_graph.suggest import (
                DEFAULT_MAX_CANDIDATES,
                DEFAULT_MAX_SUGGESTIONS,
                SuggestOptions,
            )
            from ldn_graph.terms import EvidenceLevel

            asked = kwargs.pop("suggest", False) or always or any(
                v not in (None, False) for v in (max_suggestions, min_level, since, humans_only, max_candidates))
            if asked:
                filters = SearchFilters(EvidenceLevel(min_level) if min_level else None, since, humans_only)
                options = replace(options, suggest=SuggestOptions(
                    max_suggestions if max_suggestions is not None else DEFAULT_MAX_SUGGESTIONS, filters,
                    max_candidates if max_candidates is not None else DEFAULT_MAX_CANDIDATES))
            return command(*args, options=options, **kwargs)

        decorators = [
            click.option("--max-candidates", type=click.IntRange(1, 10000), default=None, metavar="N",
                         help="Judge at most N hits of each search [default: 200]."),
            click.option("--humans-only", is_flag=True, help="Suggest only studies indexed with MeSH Humans."),
            click.option("--since", type=click.IntRange(1800, 3000), default=None, metavar="YEAR",
                         help="Suggest only studies published in YEAR or later."),
            click.option("--min-level", type=LibraryChoice(_levels), default=None, metavar="LEVEL",
                         help="Suggest only studies at least this strong (systematic_review, rct, clinical_trial, "
                         "observational, …)."),
            click.option("--max-suggestions", type=click.IntRange(1, 50), default=None, metavar="N",
                         help="Suggested sources per claim [default: 3]."),
        ]
        if not always:
            decorators.append(click.option(
                "--suggest", is_flag=True,
                help="For every claim that is unsupported, off topic, contradicted or overstated, suggest the "
                "strongest PubMed studies that would back it, or refute it (the options below imply it)."))
        for option in decorators:
            wrapper = option(wrapper)
        return wrapper

    return decorate


def run_audit(paths: Sequence[Path], options: AuditOptions) -> AuditResult:
    """Audit what ``paths`` name (:func:`~ldn_graph.cli.inputs.collect_inputs`: files,
    ``-``, folders with ``--recursive``, the examples with ``--examples``) with bars on
    stderr; echo the run's notes and every unreadable input."""
    from ldn_graph.audit import audit

    inputs = collect_inputs(paths)
    workers = jobs()
    if workers > 1 and len(inputs) > 1:  # processes, one report in input order
        from ldn_graph.parallel import audit_in_parallel

        result = audit_in_parallel(inputs, options, workers)
    else:
        with progress_bars() as progress:  # drawn on stderr only when it is a terminal
            result = audit(inputs, options, progress=progress)
    if not quiet():
        for note in result.run.notes:
            click.echo(f"note: {note}", err=True)
    for err in result.errors:
        click.echo(f"Error: {err.message}", err=True)
    return result
