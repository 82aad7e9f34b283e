"""The terminal report: a rich table per document, then its references and findings.

With ``color=False`` the output has no ANSI escape sequences at all (for pipes, files and
``--no-color``); the layout is the same.
"""

from __future__ import annotations

import shutil
from io import StringIO

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ldn_graph.model import AuditResult
from ldn_graph.report.rows import (
    VERDICT_FINDINGS,
    claim_rows,
    counts_text,
    evidence_text,
    finding_order,
    provenance_lines,
    reference_status,
    searched_text,
    suggestion_quote,
    suggestion_rows,
    suggestion_text,
    summary_line,
    verdict_counts,
)
from ldn_graph.terms import Severity, Verdict

VERDICT_STYLE: dict[Verdict, str] = {
    Verdict.SUPPORTED: "bold green",
    Verdict.CONTRADICTED: "bold dark_orange",
    Verdict.INFERRED: "cyan",
    Verdict.OFF_TOPIC: "magenta",
    Verdict.UNVERIFIED: "yellow",
    Verdict.UNSUPPORTED: "bold red",
}
SEVERITY_STYLE: dict[str, str] = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render_table(result: AuditResult, *, color: bool = True, width: int | None = None) -> str:
    """A rich table per document, then references and findings; plain text when ``color`` is False."""
    buf = StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or max(100, shutil.get_terminal_size((160, 40)).columns),
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )

    def styled(text: str, style: str) -> Text:
        return Text(text, style=style if color else "")

    console.print(styled("ldn-graph audit", "bold"))
    for label, value in provenance_lines(result):
        console.print(Text(f"{label}: ", style="dim" if color else "") + Text(value))
    for note in result.run.notes:
        console.print(Text(f"note: {note}"))
    for err in result.errors:
        console.print(styled(f"could not read {err.path}: {err.message}", "red"))
    for d in result.documents:
        console.print()
        table = Table(
            title=Text(f"{d.document.path} — {counts_text(verdict_counts(d))}", style="bold" if color else ""),
            title_justify="left",
            box=box.SQUARE,
            show_lines=True,
            expand=False,
        )
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Claim", overflow="fold", ratio=4, min_width=24)
        table.add_column("Concept", overflow="fold", ratio=1, min_width=12)
        table.add_column("Verdict", no_wrap=True, min_width=11)
        table.add_column("Best evidence", overflow="fold", ratio=2, min_width=14)
        table.add_column("Reason", overflow="fold", ratio=4, min_width=20)
        for row in claim_rows(d):
            c = row.claim
            concept = f"{c.concept.label}\n{c.type}{' · hedged' if c.hedged else ''}"
            verdict = styled(row.verdict, VERDICT_STYLE[row.verdict])
            if row.suppressed:
                verdict += Text("\n(accepted)")
            reason = row.assessment.reason + (f"\naccepted: {row.suppressed}" if row.suppressed else "")
            table.add_row(str(row.number), Text(c.text), Text(concept), verdict, Text(evidence_text(row.assessment)), Text(reason))
        console.print(table)
        if d.references:
            refs = Table(title="References", title_justify="left", box=box.SIMPLE, expand=False)
            refs.add_column("Ref", no_wrap=True)
            refs.add_column("Kind", no_wrap=True)
            refs.add_column("Record checked", overflow="fold")
            for r in d.references:
                refs.add_row(escape(r.label), r.kind, Text(reference_status(result, r)))
            console.print(refs)
        if d.findings:
            counts: dict[str, int] = {}
            for f in d.findings:
                if not f.suppressed:
                    counts[f.kind] = counts.get(f.kind, 0) + 1
            if counts:
                console.print("findings: " + ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items())))
            numbers = {row.claim.id: row.number for row in claim_rows(d)}
            for f in finding_order(d.findings):
                if f.kind in VERDICT_FINDINGS and not f.suppressed:
                    continue  # shown as the claim's verdict above
                where = f" (claim #{numbers[f.claim]})" if f.claim in numbers else ""
                if f.reference:
                    where += f" [ref {f.reference}]"
                line = styled(f"  {f.severity:<7}", SEVERITY_STYLE.get(f.severity, "")) + Text(f" {f.kind}{where}: {f.message}")
                if f.suppressed:
                    line = Text(f"  accepted {f.kind}{where}: {f.message} — justification: {f.suppressed}", style="dim" if color else "")
                console.print(line)
        suggested = suggestion_rows(d)
        if suggested:
            console.print(styled("Suggested sources (advice for the writer: not evidence for this document)", "bold"))
            for row, found in suggested:
                console.print(Text(f"  claim #{row.number} {row.claim.concept.label} ({row.verdict}) — "
                                   f"{searched_text(found)}"))
                for k, s in enumerate(found.suggestions, 1):
                    console.print(Text(f"    {k}. {suggestion_text(s)} — {s.title}"))
                    if (quote := suggestion_quote(s)) is not None:
                        console.print(Text(f"       “{quote}”", style="dim" if color else ""))
    console.print()
    console.print(styled(summary_line(result), "bold"))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
