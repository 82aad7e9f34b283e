"""PubMed commands: ``fetch``, ``search`` and ``cache``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import CONTEXT, EXIT_SERVICE, cache_dir_option, max_age_option, run_library


@click.command(context_settings=CONTEXT)
@click.argument("pmids", nargs=-1, required=True)
@click.option("--refresh", is_flag=True, help="Refetch even when cached.")
@cache_dir_option
@max_age_option
def fetch(pmids: tuple[str, ...], refresh: bool, cache_dir: Path | None, max_age: float | None) -> None:
    """Fill or refresh the record cache with these PubMed records.

    \b
    Example:
      ldn-graph fetch 23359310 17222320 --refresh
    """
    from .pubmed.cache import RecordCache, validate_pmid
    from .pubmed.retrieve import get_records

    wanted = [run_library(lambda p=p: validate_pmid(p)) for p in pmids]
    cache = run_library(lambda: RecordCache(cache_dir))
    got = run_library(lambda: get_records(wanted, cache, refresh=refresh, max_age_days=max_age))
    for note in got.notes:
        click.echo(f"note: {note}", err=True)
    for pmid in wanted:
        if pmid in got.unavailable:
            click.echo(f"{pmid}\tnot retrieved: {got.unavailable[pmid]}")
        else:
            record = got.records[pmid]
            state = "fetched" if pmid in got.fetched else f"cached ({record.provenance.origin})"
            click.echo(f"{pmid}\t{state}\t{record.study.title}")
    click.echo(f"{len(got.fetched)} fetched in {got.requests} request(s); {len(got.unavailable)} not retrieved", err=True)
    if got.unavailable:
        sys.exit(EXIT_SERVICE)


@click.command(context_settings=CONTEXT)
@click.argument("query")
def search(query: str) -> None:
    """Search PubMed and fetch the hits into the cache (not yet available)."""
    raise click.UsageError("search is not available in this version")


@click.group(context_settings=CONTEXT)
def cache() -> None:
    """Inspect and manage the record cache."""

