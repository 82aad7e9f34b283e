"""The audit commands: ``audit``, ``suggest``, ``export``, ``vocab`` and ``evaluate``.

Options → one library call → a renderer → exit code. Reports go to stdout (or ``-o``),
messages and progress to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ldn_graph.cli.command import CONTEXT, EXIT_FAIL_ON, EXIT_USAGE, Command, fail
from ldn_graph.cli.options import (
    LibraryChoice,
    paths_argument,
    pipeline_options,
    run_audit,
    sentence_model_option,
    suggest_options,
    suppress_option,
    vocabulary_option,
)
from ldn_graph.cli.output import COLOR_CHOICES, use_color, write_text_output

if TYPE_CHECKING:
    from ldn_graph.audit import AuditOptions
    from ldn_graph.model import AuditResult, Vocabulary


def _report_formats() -> Iterable[str]:
    from ldn_graph.report.formats import RENDERERS

    return RENDERERS


def _conditions() -> Iterable[str]:
    from ldn_graph.judge.gate import CONDITIONS

    return CONDITIONS


def _export_formats() -> Iterable[str]:
    from ldn_graph.rdf.export import EXPORTERS

    return EXPORTERS


def _report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a command that writes an audit report (``audit``, ``suggest``)."""
    for option in reversed((
        paths_argument,
        click.option(
            "--format", "fmt", type=LibraryChoice(_report_formats), default="table", show_default=True,
            help="table (terminal), markdown (for a review ticket), json (the versioned contract), jsonl (one JSON "
            "line per document), html (one self-contained page).",
        ),
        click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                     help="Write the report here (default: stdout)."),
        pipeline_options,
        click.option(
            "--fail-on", "fail_on", type=LibraryChoice(_conditions), multiple=True, default=("none",),
            show_default=True,
            help="Exit 1 when a claim has this verdict, or a finding of this kind or severity exists (repeatable).",
        ),
        suppress_option,
        click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), metavar="REPORT.json",
                     help="An earlier JSON report: mark claims and findings new, changed or unchanged, list the "
                     "resolved ones, and let --fail-on count only what is new or changed."),
        click.option("--color", "color_choice", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
                     help="Colour the table: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), "
                     "always (e.g. for `| less -R`), never."),
        click.option("--no-color", is_flag=True, help="The same as --color never."),
    )):
        command = option(command)
    return command


@click.command(cls=Command, context_settings=CONTEXT)
@_report_options
@suggest_options(always=False)
def audit(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    options: AuditOptions,
    fail_on: tuple[str, ...],
    baseline: Path | None,
    color_choice: str,
    no_color: bool,
) -> None:
    """Audit copy: every claim, the studies that back it, or a flag that nothing does.

    PATHS are .txt, .md, .html, .docx or .pdf files, - for standard input, or folders
    with --recursive; --examples audits the bundled example pages.

    \b
    Example:
      ldn-graph audit --offline --examples
      cat page.html | ldn-graph audit - --stdin-name page.html
      ldn-graph audit -r --glob '*.html' site/ --format json -o audit.json
      ldn-graph audit monograph.txt --format json -o audit.json --fail-on unsupported
      ldn-graph audit --offline --examples --format html -o report.html
      ldn-graph audit draft.docx --suggest --min-level rct
    """
    _write_report(paths, fmt, output, options, fail_on, baseline, color_choice, no_color)


@click.command(cls=Command, context_settings=CONTEXT)
@_report_options
@suggest_options(always=True)
def suggest(**report: Any) -> None:
    """Suggest the strongest PubMed studies for every claim without support.

    Audits PATHS as `audit` does; for every claim that is unsupported, off topic,
    contradicted or overstated, one PubMed search per concept (built from the
    vocabulary's MeSH descriptors and names; the query is shown) finds studies, judged
    with the audit's rules and ranked by level, sample size and year. When the strongest
    finds no effect, evidence_contradicts_claim (an error) says so. --offline judges the
    cached records instead of searching. The verdicts do not change.

    \b
    Example:
      ldn-graph suggest draft.md
      ldn-graph suggest --offline --examples --format markdown
      ldn-graph suggest page.html --min-level rct --since 2015 --humans-only --format json -o s.json
    """
    _write_report(**report)  # the audit's options and report, with suggestions always on


def _write_report(paths: tuple[Path, ...], fmt: str, output: Path | None, options: AuditOptions,
                  fail_on: tuple[str, ...], baseline: Path | None, color_choice: str, no_color: bool) -> None:
    if fmt == "html" and output is None and sys.stdout.isatty():
        fail("--format html writes a whole web page: add -o report.html (or redirect stdout to a file)")
    earlier = None
    if baseline is not None:  # read before the audit: a bad file costs no work
        from ldn_graph.judge.baseline import read_baseline

        earlier = read_baseline(baseline)
    result = run_audit(paths, options)
    if earlier is not None:
        result = _compared(result, earlier, str(baseline))
    from ldn_graph.judge.gate import fails
    from ldn_graph.report.formats import RENDERERS

    color = use_color("never" if no_color else color_choice, output)
    write_text_output(output, RENDERERS[fmt](result, color=color), color=color)
    if result.errors:
        sys.exit(EXIT_USAGE)
    if fails(result, fail_on):
        sys.exit(EXIT_FAIL_ON)


def _compared(result: AuditResult, earlier: dict[str, Any], path: str) -> AuditResult:
    """``result`` with its comparison to an earlier report, summed up on stderr."""
    from dataclasses import replace

    from ldn_graph.cli.logs import quiet
    from ldn_graph.judge.baseline import compare

    base = compare(result, earlier, path)
    if not quiet():
        counts = {s: sum(1 for v in base.claims.values() if v == s) for s in ("new", "changed", "unchanged")}
        click.echo(f"baseline {path}: claims {counts['new']} new, {counts['changed']} changed, "
                   f"{counts['unchanged']} unchanged, {len(base.resolved_claims)} resolved; findings "
                   f"{sum(1 for v in base.findings.values() if v != 'unchanged')} new or changed, "
                   f"{len(base.resolved_findings)} resolved", err=True)
    return replace(result, baseline=base)


@click.command(cls=Command, context_settings=CONTEXT)
@paths_argument
@click.option("--format", "fmt", type=LibraryChoice(_export_formats), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Output file, or - for stdout.")
@click.option(
    "--store",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Export the embedded graph store made by `ldn-graph build --store DIR` instead of auditing PATHS.",
)
@pipeline_options
@suggest_options(always=False)
def export(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path,
    store: Path | None,
    options: AuditOptions,
) -> None:
    """Write the knowledge graph of the audited copy (Turtle, N-Triples, JSON-LD, GraphML).

    \b
    Example:
      ldn-graph export --offline --format graphml -o ldn.graphml
      ldn-graph export --store ldn-store --format nt -o - | gzip > ldn.nt.gz
      ldn-graph export draft.md --suggest --format turtle -o draft.ttl
    """
    if store is not None:
        from ldn_graph.rdf.export import export_store

        if paths:
            fail("--store exports the store; leave out PATHS (or drop --store to audit them)")
        count = export_store(store, fmt, output)
        if str(output) != "-":
            click.echo(f"wrote {output} ({count} triples from {store})", err=True)
        return
    result = run_audit(paths, options)
    from ldn_graph.rdf.export import EXPORTERS

    EXPORTERS[fmt](result, output)
    if str(output) != "-":
        click.echo(f"wrote {output}", err=True)
    if result.errors:
        sys.exit(EXIT_USAGE)


def _vocab_table(v: Vocabulary) -> None:
    click.echo(f"# {v.source} (sha256 {v.sha256[:12]}): {len(v.concepts)} concepts about {v.subject_label}")
    click.echo("concept\ttype\tmesh\tsynonyms")
    for c in sorted(v.concepts, key=lambda c: (c.claim_type, c.label.lower())):
        click.echo(f"{c.label}\t{c.claim_type}\t{','.join(c.mesh) or '-'}\t{'; '.join(c.synonyms)}")


def _vocab_json(v: Vocabulary) -> None:
    import json

    click.echo(json.dumps(v.to_dict(), indent=2, ensure_ascii=False))


VOCAB_FORMATS = {"table": _vocab_table, "json": _vocab_json}


@click.command(cls=Command, context_settings=CONTEXT)
@vocabulary_option
@click.option("--format", "fmt", type=click.Choice(list(VOCAB_FORMATS)), default="table", show_default=True)
def vocab(vocabulary: Path | None, fmt: str) -> None:
    """List the claim vocabulary: concept, claim type, MeSH descriptors, synonyms.

    \b
    Example:
      ldn-graph vocab
      ldn-graph vocab --vocabulary my-product.ttl --format json
    """
    from ldn_graph.ontology.vocabulary import load_vocabulary

    VOCAB_FORMATS[fmt](load_vocabulary(vocabulary))


@click.command(cls=Command, context_settings=CONTEXT)
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@vocabulary_option
@click.option(
    "--split",
    type=click.Choice(["dev", "test", "all"]),
    default="all",
    show_default=True,
    help="Score only this half of the corpus (gold files without a split are always scored, on their own).",
)
@click.option("--by-genre", is_flag=True, help="Scores per genre (where a genre has at least 30 labelled pairs in its split).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@click.option("--min-precision", type=click.FloatRange(0, 1), default=None, help="Exit 1 below this precision.")
@click.option("--min-recall", type=click.FloatRange(0, 1), default=None, help="Exit 1 below this recall.")
@click.option("-v", "--verbose", is_flag=True, help="List every miss, false positive and segmentation disagreement.")
@click.option(
    "--against",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    help="Score a second labeller instead of the extractor (or, for verdict files, the judge): each gold file "
         "against the file of the same name in this folder (agreement between two labellers; gold files with no "
         "such file are left out).",
)
@click.option("--cross-validate", "folds", type=click.IntRange(2), default=None, metavar="K",
              help="Score each development file with a sentence model trained on the other development files "
                   "(K folds), and the rest with one trained on them all: the model's numbers on copy it never read.")
@sentence_model_option
def evaluate(
    gold: tuple[Path, ...],
    vocabulary: Path | None,
    split: str,
    by_genre: bool,
    fmt: str,
    min_precision: float | None,
    min_recall: float | None,
    verbose: bool,
    against: Path | None,
    folds: int | None,
    no_sentence_model: bool,
) -> None:
    """Precision and recall of claim extraction against hand-labelled gold files.

    Reported per file, per split (dev, test; gold files without a split on their own),
    optionally per genre, with false positives on labelled non-claims counted by reason,
    the claims the vocabulary has no concept for, and segmentation agreement.
    The gold format is documented in docs/gold-format.md.

    \b
    Example:
      ldn-graph evaluate tests/gold/*.gold.json --min-precision 0.90 --min-recall 0.95
      ldn-graph evaluate tests/corpus/*.gold.json --by-genre --format markdown > docs/evaluation.md
      ldn-graph evaluate tests/corpus/*.gold.json --against second-labeller/
      ldn-graph evaluate tests/corpus/*.gold.json --cross-validate 5
    """
    from ldn_graph.evaluate.citations import (
        CITATION_SCHEMA,
        evaluate_citations,
        is_citation_gold,
        render_citations,
        seed_resolver,
    )
    from ldn_graph.evaluate.gold import split_of
    from ldn_graph.evaluate.score import evaluate_gold, summarize
    from ldn_graph.evaluate.tables import render
    from ldn_graph.evaluate.verdicts import (
        evaluate_verdicts,
        is_verdict_gold,
        render_verdicts,
        verdict_agreement,
    )
    from ldn_graph.ontology.vocabulary import load_vocabulary

    v = load_vocabulary(vocabulary)
    judged = [g for g in gold if is_verdict_gold(g)]
    citing = [g for g in gold if is_citation_gold(g)]
    chosen = [g for g in gold if not is_citation_gold(g) and not is_verdict_gold(g)
              and (split == "all" or split_of(g) in (None, split))]
    if folds is not None and (against is not None or no_sentence_model):
        fail("--cross-validate trains sentence models: it cannot be combined with --against or --no-sentence-model",
             EXIT_USAGE)
    if against is not None:
        chosen = [g for g in chosen if (against / g.name).is_file()]
        judged = [g for g in judged if (against / g.name).is_file()]
        citing = []
        if not chosen and not judged:
            fail(f"no gold file given has a second labelling of the same name in {against}", EXIT_USAGE)
    models = {}
    if folds is not None and chosen:
        from ldn_graph.evaluate.crossval import fold_models
        from ldn_graph.extract.sentence_model import CHOSEN, shipped_sentence_model

        shipped = shipped_sentence_model(v)
        models = fold_models(chosen, v, folds, shipped.thresholds if shipped else CHOSEN)
    results = [evaluate_gold(g, v, against / g.name if against is not None else None, not no_sentence_model,
                             models.get(g)) for g in chosen]
    if chosen or not (citing or judged):
        click.echo(render(results, by_genre=by_genre, verbose=verbose, fmt=fmt, second_labeller=against is not None), nl=False)
    if citing:
        chosen_citing = [g for g in citing if split == "all" or split_of(g, CITATION_SCHEMA) in (None, split)]
        with seed_resolver() as resolver:  # references as an offline first audit reports them
            cited = [evaluate_citations(g, resolver=resolver) for g in chosen_citing]
        click.echo(("\n" if chosen else "") + render_citations(cited, fmt=fmt, verbose=verbose), nl=False)
    if judged:
        cases = [c for g in judged for c in (evaluate_verdicts(g) if against is None else verdict_agreement(g, against / g.name))
                 if split == "all" or c.split in (None, split)]
        click.echo(("\n" if chosen or citing else "") + render_verdicts(cases, fmt=fmt, verbose=verbose,
                                                                     second_labeller=against is not None), nl=False)
    total = summarize(results)
    if (min_precision is not None and total.precision < min_precision) or (
        min_recall is not None and total.recall < min_recall
    ):
        fail("below the required precision/recall", EXIT_FAIL_ON)
