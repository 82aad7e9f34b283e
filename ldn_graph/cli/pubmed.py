"""PubMed commands: ``fetch``, ``search`` and the ``cache`` group.

Results go to stdout, notes, warnings and progress bars to stderr (bars only when stderr
is a terminal). Exit codes: 0 done; 1 ``cache verify`` found problems; 2 bad usage or an
unreadable input; 3 records asked for could not be retrieved; 4 the cache could not be
written; 130 interrupted (what was fetched is kept, a rerun resumes).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ldn_graph.cli.command import CONTEXT, EXIT_FAIL_ON, EXIT_SERVICE, EXIT_USAGE, Command, Group
from ldn_graph.cli.options import LibraryChoice, cache_dir_option, max_age_option
from ldn_graph.cli.output import echo_notes
from ldn_graph.cli.progress import progress_bars
from ldn_graph.terms import Stage

if TYPE_CHECKING:
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.eutils.api import Client
    from ldn_graph.pubmed.retrieve import Retrieval

MAX_LISTED = 20  # problems listed one per line before "... and N more"


def _directions() -> Iterable[str]:
    from ldn_graph.pubmed.expand import DIRECTIONS

    return DIRECTIONS


def _client() -> Client | None:
    """The client made by a factory put into the root context's ``obj`` (an embedding
    application, or tests), else None: the library builds an EntrezClient from the
    environment when a request is due."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, dict):
        factory = obj.get("client_factory")
        if callable(factory):
            client: Client = factory()
            return client
    return None


def _record_line(pmid: str, got: Retrieval) -> str:
    if pmid in got.unavailable:
        return f"{pmid}\tnot retrieved: {got.unavailable[pmid]}"
    record = got.records[pmid]
    if pmid in got.fetched:
        state = "fetched"
    elif pmid in got.kept:
        state = f"cached ({record.provenance.origin}; refresh failed: {got.kept[pmid]})"
    else:
        state = f"cached ({record.provenance.origin})"
    return f"{pmid}\t{state}\t{record.study.title}"


def _counts(got: Retrieval) -> str:
    return (f"{len(got.fetched)} fetched, {len(got.cached)} cached, "
            f"{len(got.unavailable)} not retrieved")


# ----------------------------------------------------------------------------- fetch


@click.command(cls=Command, context_settings=CONTEXT)
@click.argument("pmids", nargs=-1, required=True)
@click.option("--refresh", is_flag=True, help="Refetch even when cached.")
@click.option(
    "--expand",
    type=LibraryChoice(_directions),
    help="Also fetch the citation neighbourhood: what the records cite (ReferenceList, "
    "else ELink) or what cites them (ELink).",
)
@cache_dir_option
@max_age_option
def fetch(
    pmids: tuple[str, ...],
    refresh: bool,
    expand: str | None,
    cache_dir: Path | None,
    max_age: float | None,
) -> None:
    """Fill or refresh the record cache with these PubMed records.

    Cached records cost no request; the rest are fetched in batches, each stored as it
    arrives (Ctrl-C keeps them; rerun to resume). Prints one line per record.

    \b
    Example:
      ldn-graph fetch 23359310 17222320 --refresh
      ldn-graph fetch 29963580 --expand refs
    """
    from ldn_graph.ids import validate_pmid
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    wanted = list(dict.fromkeys(validate_pmid(p.strip()) for p in pmids))
    with RecordCache(cache_dir) as cache:
        retriever = Retriever(cache, _client(), Policy(refresh=refresh, max_age_days=max_age))
        with progress_bars(labels={Stage.FETCH: "fetching"}) as progress:
            got = retriever.get(wanted, progress=progress)
        echo_notes(got.notes)
        for pmid in wanted:
            click.echo(_record_line(pmid, got))
        click.echo(f"{_counts(got)} in {got.requests} request(s)", err=True)
        failed = bool(got.unavailable or got.kept)  # a refresh that failed is a fetch that failed
        if expand:
            from ldn_graph.pubmed.expand import expand_citations

            with progress_bars(labels={Stage.EXPAND: f"fetching {expand}"}) as progress:
                grown = expand_citations(retriever, wanted, got.records, expand,
                                         progress=progress)
            echo_notes(grown.notes)
            for pmid in grown.linked:
                click.echo(_record_line(pmid, grown.retrieval))
            sources = []
            if grown.from_reference_list:
                sources.append(f"ReferenceList of {len(grown.from_reference_list)} record(s)")
            if grown.from_elink:
                sources.append(f"ELink for {len(grown.from_elink)} record(s)")
            click.echo(
                f"{expand}: {len(grown.linked)} linked PMID(s)"
                + (f" from the {' and '.join(sources)}" if sources else "")
                + f"; {_counts(grown.retrieval)} in {grown.requests} request(s)",
                err=True,
            )
            failed = failed or bool(grown.retrieval.unavailable)
    if failed:
        sys.exit(EXIT_SERVICE)


# ---------------------------------------------------------------------------- search


@click.command(cls=Command, context_settings=CONTEXT)
@click.argument("query")
@click.option(
    "--max", "max_results", type=click.IntRange(min=0), default=10000, show_default=True,
    help="Retrieve at most N hits (0: all of them).",
)
@click.option("--refresh", is_flag=True, help="Refetch hits even when cached.")
@cache_dir_option
@max_age_option
def search(
    query: str,
    max_results: int,
    refresh: bool,
    cache_dir: Path | None,
    max_age: float | None,
) -> None:
    """Search PubMed and fetch the hits into the cache (to build a literature corpus).

    Pages through every hit (past 9,999 the search is split by publication date), then
    fetches the records not cached yet in batches; Ctrl-C keeps what arrived.

    \b
    Example:
      ldn-graph search "naltrexone[tiab] AND low dose[tiab]" --max 500
    """
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    with RecordCache(cache_dir) as cache, progress_bars(labels={Stage.FETCH: "fetching hits"}) as progress:
        retriever = Retriever(cache, _client(), Policy(refresh=refresh, max_age_days=max_age))
        found = retriever.search(query, max_results=max_results or None, progress=progress)
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    got = found.retrieval
    echo_notes(got.notes)
    click.echo(f"query:          {query}")
    if found.query_translation and found.query_translation != query:
        click.echo(f"translation:    {found.query_translation}")
    limit = " (limited by --max)" if found.limited else ""
    click.echo(f"hits:           {found.count}")
    click.echo(f"retrieved:      {len(found.pmids)} PMID(s){limit}")
    click.echo(f"fetched:        {len(got.fetched)}")
    click.echo(f"cached:         {len(got.cached)}")
    click.echo(f"not retrieved:  {len(got.unavailable)}")
    click.echo(f"requests:       {found.requests}")
    problems = list(got.unavailable.items())
    for pmid, reason in problems[:MAX_LISTED]:
        click.echo(f"{pmid}\tnot retrieved: {reason}", err=True)
    if len(problems) > MAX_LISTED:
        click.echo(f"... and {len(problems) - MAX_LISTED} more not retrieved", err=True)
    if got.unavailable:
        sys.exit(EXIT_SERVICE)


# ----------------------------------------------------------------------------- cache


@click.group(cls=Group, context_settings=CONTEXT)
def cache() -> None:
    """Inspect and manage the record cache.

    \b
    Example:
      ldn-graph cache info
      ldn-graph cache import pubmed25n0001.xml.gz
    """


def _size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


@cache.command(cls=Command, context_settings=CONTEXT)
@cache_dir_option
def info(cache_dir: Path | None) -> None:
    """Where the cache is and what it holds.

    \b
    Example:
      ldn-graph cache info --cache-dir ./pubmed-cache
    """
    from ldn_graph.pubmed.cache import RecordCache

    with RecordCache(cache_dir) as store:
        data = store.info()
    origins = ", ".join(f"{k} {v}" for k, v in sorted(data["origins"].items())) or "none"
    click.echo(f"cache:        {data['path']}")
    click.echo(f"database:     {data['database']} (schema {data['schema_version']})")
    click.echo(f"records:      {data['records']} ({origins})")
    click.echo(f"quarantined:  {data['quarantined']}")
    click.echo(f"resolutions:  {data['resolutions']} (PMIDs found online for a DOI, PMCID or citation)")
    click.echo(f"searches:     {data['searches']} (PubMed searches kept for suggested sources)")
    click.echo(f"size:         {_size(int(data['size_bytes']))}")
    if data["seed"]:
        click.echo(f"seed:         {data['seed']} ({data['seed_records']} records, read-only)")
    else:
        click.echo("seed:         none")


@cache.command(cls=Command, context_settings=CONTEXT)
@click.option("--refetch", is_flag=True, help="Fetch the damaged records again from PubMed.")
@cache_dir_option
def verify(refetch: bool, cache_dir: Path | None) -> None:
    """Check every cached record; move damaged ones to quarantine (exit 1 if any).

    \b
    Example:
      ldn-graph cache verify --refetch
    """
    from ldn_graph.pubmed.cache import RecordCache
    from ldn_graph.pubmed.quarantine import records_to_refetch, verify_cache

    failed = False
    with RecordCache(cache_dir) as store:
        found = verify_cache(store)
        for line in found.problems:
            click.echo(line)
        if not found.problems:
            click.echo("cache OK: no problems found")
        if refetch:
            pmids = records_to_refetch(store, found)
            if pmids:
                failed = _refetch(store, pmids)
            else:
                click.echo("nothing to refetch", err=True)
    if failed:
        sys.exit(EXIT_SERVICE)
    if found.problems:
        sys.exit(EXIT_FAIL_ON)


def _refetch(store: RecordCache, pmids: list[str]) -> bool:
    """Fetch ``pmids`` again and list them; True when some could not be retrieved."""
    from ldn_graph.pubmed.retrieve import Policy, Retriever

    with progress_bars(labels={Stage.FETCH: "refetching"}) as progress:
        got = Retriever(store, _client(), Policy(refresh=True)).get(pmids, progress=progress)
    echo_notes(got.notes)
    for pmid in pmids:
        click.echo(_record_line(pmid, got))
    click.echo(f"refetched {len(got.fetched)} of {len(pmids)} quarantined record(s) "
               f"in {got.requests} request(s)", err=True)
    return bool(got.unavailable)


@cache.command(name="import", cls=Command, context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@cache_dir_option
def import_(files: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Load local PubMed/MEDLINE XML (.xml or .xml.gz) files, e.g. NCBI baseline files.

    No network is used. Records are stored in batches (Ctrl-C keeps the batches done).
    A file that cannot be read, or a record whose PMID is not valid, is named on one
    line (exit 2); every other record of every file is stored.

    \b
    Example:
      ldn-graph cache import pubmed25n0001.xml.gz pubmed25n0002.xml.gz
    """
    from ldn_graph.pubmed.cache import RecordCache

    with RecordCache(cache_dir) as store, progress_bars() as progress:
        done = 0

        def parsed(records: int) -> None:  # import_files reports the running total
            nonlocal done
            progress(Stage.IMPORT, records - done, 0)  # 0: the total is not known
            done = records

        progress(Stage.IMPORT, 0, 0)  # an open-ended bar from the start
        stats = store.import_files(files, progress=parsed)
    for error in stats.errors:
        click.echo(f"Error: {error}", err=True)
    invalid = f", {stats.invalid} skipped (PMID not valid)" if stats.invalid else ""
    click.echo(f"imported {stats.records} record(s) from {stats.files} of {len(files)} file(s): "
               f"{stats.stored} stored, {stats.skipped} kept as cached (already as good)"
               f"{invalid}")
    if stats.errors:
        sys.exit(EXIT_USAGE)


@cache.command(cls=Command, context_settings=CONTEXT)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@cache_dir_option
def clear(yes: bool, cache_dir: Path | None) -> None:
    """Delete every record of the writable cache (the shipped seed records stay).

    \b
    Example:
      ldn-graph cache clear --yes
    """
    from ldn_graph.pubmed.cache import RecordCache

    with RecordCache(cache_dir) as store:
        count = store.info()["records"]
        if not yes:
            click.confirm(f"Delete the {count} record(s) cached in {store.directory}?", abort=True)
        deleted = store.clear()
    click.echo(f"deleted {deleted} record(s) from {store.directory}")
