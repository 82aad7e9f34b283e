"""``python -m ldn_graph``: the same as the ``ldn-graph`` command."""

from ldn_graph.cli import main

main()
