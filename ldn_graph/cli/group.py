"""The ``ldn-graph`` command line: options → one library call → a renderer → exit code.

Heavy libraries (rdflib, networkx, Bio.Entrez, rich) are imported inside the commands
so that ``ldn-graph --help`` starts fast.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ldn_graph._version import __version__
from ldn_graph.errors import LdnGraphError
from ldn_graph.judge.gate import CONDITIONS, fails
from ldn_graph.report.formats import RENDERERS

EXIT_OK, EXIT_FAIL_ON, EXIT_USAGE, EXIT_SERVICE, EXIT_OUTPUT = 0, 1, 2, 3, 4

AUDIT_FORMATS = tuple(RENDERERS)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


T = TypeVar("T")


def run_library(call: Callable[[], T]) -> T:
    """Run a library call; turn an LdnGraphError into ``Error: …`` and its exit code."""
    try:
        return call()
    except LdnGraphError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; everything fetched so far is kept in the cache — rerun to resume", 130)


# shared options -----------------------------------------------------------------------

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path, dir_okay=True))
offline_option = click.option("--offline", is_flag=True, help="Never touch the network; use the cache only.")
cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="LDN_GRAPH_CACHE",
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


def _input_paths(paths: Sequence[Path]) -> list[Path]:
    if paths:
        return list(paths)
    from ldn_graph.resources import example_paths

    return example_paths()


def _options(
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
    suppress: Path | None = None,
) -> Any:
    from ldn_graph.audit import AuditOptions

    return AuditOptions(
        offline=offline, cache_dir=cache_dir, vocabulary=vocabulary, max_age_days=max_age, suppress=suppress
    )


def _run_audit(paths: Sequence[Path], options: Any) -> Any:
    from ldn_graph.audit import audit
    from ldn_graph.cli.progress import progress_bars

    with progress_bars() as progress:  # drawn on stderr only when it is a terminal
        result = run_library(lambda: audit(_input_paths(paths), options, progress=progress))
    for note in result.run.notes:
        click.echo(f"note: {note}", err=True)
    for err in result.errors:
        click.echo(f"Error: {err.message}", err=True)
    return result


_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def write_text_output(output: Path | None, text: str) -> None:
    """Write a report to stdout, or atomically to ``output`` (exit 4 if it cannot be written)."""
    # A file name that is not UTF-8 reaches reports as lone surrogates; they cannot be encoded.
    text = _SURROGATES_RE.sub("\ufffd", text)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    from ldn_graph.files import atomic_output

    def write() -> None:
        with atomic_output(output, "w") as fh:
            fh.write(text)

    run_library(write)
    click.echo(f"wrote {output}", err=True)


# commands ---------------------------------------------------------------------------


class LazyGroup(click.Group):
    """A group whose commands defined in other modules are imported only when used."""

    lazy = {
        "fetch": "ldn_graph.cli.pubmed:fetch",
        "search": "ldn_graph.cli.pubmed:search",
        "cache": "ldn_graph.cli.pubmed:cache",
        "query": "ldn_graph.cli.graph:query",
        "push": "ldn_graph.cli.graph:push",
        "build": "ldn_graph.cli.graph:build",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            import importlib

            module, name = self.lazy[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="ldn-graph")
def main() -> None:
    """Check whether health claims are backed by the literature they cite.

    \b
    ldn-graph audit                      audit the bundled LDN examples
    ldn-graph audit page.html -o r.json --format json
    ldn-graph export page.txt --format turtle -o graph.ttl
    """


@main.command(context_settings=CONTEXT)
@paths_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(AUDIT_FORMATS),
    default="table",
    show_default=True,
    help="table (terminal), markdown (for a review ticket), json (the versioned contract), html (one self-contained page).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here (default: stdout).")
@offline_option
@cache_dir_option
@vocabulary_option
@max_age_option
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(CONDITIONS),
    multiple=True,
    default=("none",),
    show_default=True,
    help="Exit 1 when a claim has this verdict, or a finding of this kind or severity exists (repeatable).",
)
@click.option(
    "--suppress",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML/JSON file of claims and findings a reviewer has accepted (with justification and reviewer).",
)
@click.option("--no-color", is_flag=True, help="Plain table output (also when stdout is not a terminal).")
def audit(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
    fail_on: tuple[str, ...],
    suppress: Path | None,
    no_color: bool,
) -> None:
    """Audit copy: every claim, the studies that back it, or a flag that nothing does.

    PATHS are .txt, .md, .html, .docx or .pdf files; with none, the bundled examples.

    \b
    Example:
      ldn-graph audit --offline
      ldn-graph audit monograph.txt --format json -o audit.json --fail-on unsupported
      ldn-graph audit --offline --format html -o report.html
    """
    if fmt == "html" and output is None and sys.stdout.isatty():
        fail("--format html writes a whole web page: add -o report.html (or redirect stdout to a file)")
    result = _run_audit(paths, _options(offline, cache_dir, vocabulary, max_age, suppress))
    color = not no_color and output is None and sys.stdout.isatty()
    write_text_output(output, RENDERERS[fmt](result, color=color))
    if result.errors:
        sys.exit(EXIT_USAGE)
    if fails(result, fail_on):
        sys.exit(EXIT_FAIL_ON)


@main.command(context_settings=CONTEXT)
@paths_argument
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "jsonld", "graphml"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Output file, or - for stdout.")
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Export the embedded graph store made by `ldn-graph build --store DIR` instead of auditing PATHS.",
)
@offline_option
@cache_dir_option
@vocabulary_option
@max_age_option
def export(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path,
    store: Path | None,
    offline: bool,
    cache_dir: Path | None,
    vocabulary: Path | None,
    max_age: float | None,
) -> None:
    """Write the knowledge graph of the audited copy (Turtle, N-Triples, JSON-LD, GraphML).

    \b
    Example:
      ldn-graph export --offline --format graphml -o ldn.graphml
      ldn-graph export --store ldn-store --format nt -o - | gzip > ldn.nt.gz
    """
    if store is not None:
        from ldn_graph.cli.graph import export_store_command

        export_store_command(store, fmt, output, paths)
        return
    result = _run_audit(paths, _options(offline, cache_dir, vocabulary, max_age))
    from ldn_graph.rdf.export import EXPORTERS

    run_library(lambda: EXPORTERS[fmt](result, output))
    if str(output) != "-":
        click.echo(f"wrote {output}", err=True)
    if result.errors:
        sys.exit(EXIT_USAGE)


@main.command(context_settings=CONTEXT)
@vocabulary_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def vocab(vocabulary: Path | None, fmt: str) -> None:
    """List the claim vocabulary: concept, claim type, MeSH descriptors, synonyms.

    \b
    Example:
      ldn-graph vocab
      ldn-graph vocab --vocabulary my-product.ttl --format json
    """
    from ldn_graph.ontology import load_vocabulary

    v = run_library(lambda: load_vocabulary(vocabulary))
    if fmt == "json":
        import json

        data = v.to_dict()
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"# {v.source} (sha256 {v.sha256[:12]}): {len(v.concepts)} concepts about {v.subject_label}")
    click.echo("concept\ttype\tmesh\tsynonyms")
    for c in sorted(v.concepts, key=lambda c: (c.claim_type, c.label.lower())):
        click.echo(f"{c.label}\t{c.claim_type}\t{','.join(c.mesh) or '-'}\t{'; '.join(c.synonyms)}")


@main.command(context_settings=CONTEXT)
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@vocabulary_option
@click.option("--min-precision", type=click.FloatRange(0, 1), default=None, help="Exit 1 below this precision.")
@click.option("--min-recall", type=click.FloatRange(0, 1), default=None, help="Exit 1 below this recall.")
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and false negative.")
def evaluate(gold: tuple[Path, ...], vocabulary: Path | None, min_precision: float | None, min_recall: float | None, verbose: bool) -> None:
    """Precision and recall of claim extraction against hand-labelled gold files.

    The gold format is documented in docs/gold-format.md.

    \b
    Example:
      ldn-graph evaluate tests/gold/*.gold.json --min-precision 0.90 --min-recall 0.95
    """
    from ldn_graph.evaluate import evaluate_gold, summarize
    from ldn_graph.ontology import load_vocabulary

    v = run_library(lambda: load_vocabulary(vocabulary))
    results = [run_library(functools.partial(evaluate_gold, g, v)) for g in gold]
    click.echo("gold file\tpairs\tprecision\trecall\ttype agreement")
    for e in [*results, summarize(results)] if len(results) > 1 else results:
        pairs = e.true_positives + len(e.false_negatives)
        click.echo(f"{e.gold_file}\t{pairs}\t{e.precision:.3f}\t{e.recall:.3f}\t{e.type_accuracy:.3f}")
        if verbose and e.gold_file != "(all)":
            for text, concept in e.false_positives:
                click.echo(f"  false positive: {concept} in {text[:70]!r}")
            for text, concept in e.false_negatives:
                click.echo(f"  missed: {concept} in {text[:70]!r}")
    total = summarize(results)
    if (min_precision is not None and total.precision < min_precision) or (
        min_recall is not None and total.recall < min_recall
    ):
        click.echo("Error: below the required precision/recall", err=True)
        sys.exit(EXIT_FAIL_ON)


if __name__ == "__main__":  # pragma: no cover
    main()
