"""The ``ldn-graph`` command line: options → one library call → a renderer → exit code.

``main`` is the group; each command lives in the module of its concept (``cli.audit``,
``cli.graph``, ``cli.pubmed``) and is imported only when used, so ``ldn-graph --help``
starts fast. Every command runs inside the one error boundary (``cli.command``).
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from ldn_graph._version import __version__
from ldn_graph.cli.command import CONTEXT, Group


class LazyGroup(Group):
    """A group whose commands are imported only when used.

    ``ldn-graph --help`` lists every command with its summary from :attr:`lazy`, so it
    imports none of them (a test checks each summary against the command's own help).
    """

    #: name -> ("module:attribute", the first paragraph of the command's help)
    lazy: dict[str, tuple[str, str]] = {
        "audit": ("ldn_graph.cli.audit:audit",
                  "Audit copy: every claim, the studies that back it, or a flag that nothing does."),
        "suggest": ("ldn_graph.cli.audit:suggest",
                    "Suggest the strongest PubMed studies for every claim without support."),
        "export": ("ldn_graph.cli.audit:export",
                   "Write the knowledge graph of the audited copy (Turtle, N-Triples, JSON-LD, GraphML)."),
        "vocab": ("ldn_graph.cli.audit:vocab",
                  "List the claim vocabulary: concept, claim type, MeSH descriptors, synonyms."),
        "evaluate": ("ldn_graph.cli.audit:evaluate",
                     "Precision and recall of claim extraction against hand-labelled gold files."),
        "train-model": ("ldn_graph.cli.train:train_model",
                        "Train the sentence model on the development half of hand-labelled gold files."),
        "fetch": ("ldn_graph.cli.pubmed:fetch", "Fill or refresh the record cache with these PubMed records."),
        "search": ("ldn_graph.cli.pubmed:search",
                   "Search PubMed and fetch the hits into the cache (to build a literature corpus)."),
        "cache": ("ldn_graph.cli.pubmed:cache", "Inspect and manage the record cache."),
        "query": ("ldn_graph.cli.graph:query",
                  "Run a SPARQL query (or a built-in one, see --list) on the knowledge graph."),
        "push": ("ldn_graph.cli.graph:push",
                 "Load the knowledge graph into a SPARQL 1.1 store, replacing one named graph."),
        "config": ("ldn_graph.cli.settings:config", "Show the effective settings and where each came from."),
        "build": ("ldn_graph.cli.graph:build",
                  "Build one graph of cached records and audited documents in an embedded store."),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module, name = self.lazy[cmd_name][0].split(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, as Click writes it, from the summaries in :attr:`lazy`."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in self.lazy and name not in self.commands:
                summary = click.Command(name, help=self.lazy[name][1]).get_short_help_str(limit)
            else:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(limit) if command is not None else ""
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="ldn-graph")
@click.option("-q", "--quiet", "quiet_flag", is_flag=True, help="Say nothing on stderr but errors.")
@click.option("-v", "--verbose", count=True, help="Say more on stderr: -v retries and notes, -vv every request.")
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Configuration file (TOML) [default: config.toml in the user configuration folder].")
@click.pass_context
def main(ctx: click.Context, quiet_flag: bool, verbose: int, config_file: Path | None) -> None:
    """Check whether health claims are backed by the literature they cite.

    \b
    ldn-graph audit --examples           audit the bundled LDN examples
    ldn-graph audit page.html -o r.json --format json
    ldn-graph export page.txt --format turtle -o graph.ttl
    """
    from ldn_graph import settings
    from ldn_graph.cli.config import load_config
    from ldn_graph.cli.logs import configure_logging

    configure_logging(quiet_flag, verbose)
    config = load_config(config_file, main, ctx)
    ctx.default_map = config.default_map
    settings.use_configured_email(config.email)
    ctx.meta["ldn_graph.config"] = config


if __name__ == "__main__":  # pragma: no cover
    main()
