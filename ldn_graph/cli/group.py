"""The ``ldn-graph`` command line: options → one library call → a renderer → exit code.

``main`` is the group; each command lives in the module of its concept (``cli.audit``,
``cli.graph``, ``cli.pubmed``) and is imported only when used, so ``ldn-graph --help``
starts fast. Every command runs inside the one error boundary (``cli.command``).
"""

from __future__ import annotations

import importlib

import click

from ldn_graph._version import __version__
from ldn_graph.cli.command import CONTEXT, Group


class LazyGroup(Group):
    """A group whose commands are imported only when used."""

    lazy = {
        "audit": "ldn_graph.cli.audit:audit",
        "export": "ldn_graph.cli.audit:export",
        "vocab": "ldn_graph.cli.audit:vocab",
        "evaluate": "ldn_graph.cli.audit:evaluate",
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


if __name__ == "__main__":  # pragma: no cover
    main()
