"""The report formats by name: ``RENDERERS`` maps each to ``render(result, *, color) -> str``.

The command line takes its ``--format`` choices and its dispatch from here. Each renderer
module is imported when its format is asked for, so that listing the formats (``ldn-graph
--help``) loads neither rich nor the renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ldn_graph.model import AuditResult


class Renderer(Protocol):
    def __call__(self, result: AuditResult, *, color: bool = ...) -> str: ...


def _table(result: AuditResult, *, color: bool = True) -> str:
    from ldn_graph.report.table import render_table

    return render_table(result, color=color)


def _markdown(result: AuditResult, *, color: bool = False) -> str:
    from ldn_graph.report.markdown import render_markdown

    return render_markdown(result, color=color)


def _json(result: AuditResult, *, color: bool = False) -> str:
    from ldn_graph.report.json import render_json

    return render_json(result, color=color)


def _jsonl(result: AuditResult, *, color: bool = False) -> str:
    from ldn_graph.report.json import render_jsonl

    return render_jsonl(result, color=color)


def _html(result: AuditResult, *, color: bool = True) -> str:
    from ldn_graph.report.html import render_html

    return render_html(result, color=color)


RENDERERS: dict[str, Renderer] = {
    "table": _table,
    "markdown": _markdown,
    "json": _json,
    "jsonl": _jsonl,
    "html": _html,
}
"""Format name → ``render(result, *, color) -> str``."""
