"""``python -m ldn_graph``: the same as the ``ldn-graph`` command."""

from ldn_graph.cli.group import main

main()
