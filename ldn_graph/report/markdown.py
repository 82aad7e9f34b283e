"""The Markdown report: one to paste into a review ticket (GitHub/GitLab-flavoured)."""

from __future__ import annotations

import re

from ldn_graph.ids import is_pmid
from ldn_graph.model import AuditResult, DocumentAudit, Reference
from ldn_graph.report.rows import (
    SUGGESTION_DIRECTION,
    VERDICT_FINDINGS,
    VERDICT_MEANING,
    VERDICT_ORDER,
    ClaimRow,
    best_evidence,
    claim_rows,
    counts_text,
    evidence_text,
    finding_order,
    matching_text,
    provenance_lines,
    reference_status,
    suggestion_facts,
    suggestion_quote,
    suggestion_rows,
    summary_line,
    verdict_counts,
)
from ldn_graph.text import one_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell or list item: no markup, no raw HTML, one line."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_code(text: str) -> str:
    """An inline code span (file paths, hashes), or escaped text if it holds a backtick."""
    line = one_line(text)
    return f"`{line}`" if "`" not in line else md_escape(line)


def _md_verdict(row: ClaimRow) -> str:
    text = f"**{row.verdict}**"
    if row.suppressed:
        text += " (accepted)"
    return text


def render_markdown(result: AuditResult, *, color: bool = False) -> str:
    """A report to paste into a review ticket (``color`` is accepted for a uniform signature and ignored)."""
    out: list[str] = ["# ldn-graph audit", ""]
    out.append(f"**{summary_line(result)}.**")
    out.append("")
    for label, value in provenance_lines(result):
        shown = md_code(value) if label in ("Vocabulary", "Vocabulary sha256") else md_escape(value)
        out.append(f"- {label}: {shown}")
    for note in result.run.notes:
        out.append(f"- Note: {md_escape(note)}")
    for err in result.errors:
        out.append(f"- **Could not read** {md_code(err.path)}: {md_escape(err.message)}")
    out += ["", "Verdicts: " + "; ".join(f"**{v}** — {VERDICT_MEANING[v]}" for v in VERDICT_ORDER) + "."]
    for d in result.documents:
        out += ["", f"## {md_code(d.document.path)}", ""]
        out.append(f"sha256 `{d.document.sha256}` · {counts_text(verdict_counts(d))}.")
        out += ["", "| # | Claim | Concept | Verdict | Best evidence | Reason |", "|---:|---|---|---|---|---|"]
        for row in claim_rows(d):
            c = row.claim
            concept = c.concept.label + f" ({c.type}{', hedged' if c.hedged else ''}{', negated' if c.negated else ''})"
            reason = row.assessment.reason
            if row.suppressed:
                reason += f" — accepted: {row.suppressed}"
            best = best_evidence(row.assessment)
            evidence = evidence_text(row.assessment)
            if best is not None and best.rationale:
                evidence += f": “{best.rationale}”"
            out.append(
                f"| {row.number} | {md_escape(c.text)} | {md_escape(concept)} | {_md_verdict(row)} "
                f"| {md_escape(evidence)} | {md_escape(reason)} |"
            )
        if d.findings:
            out += ["", "### Findings", ""]
            out += _md_findings(d)
        suggested = suggestion_rows(d)
        if suggested:
            out += ["", "### Suggested sources", "",
                    "Advice for the writer, not evidence for this document: the verdicts above do not change.", ""]
            for row, found in suggested:
                out.append(f"- **Claim #{row.number}** {md_escape(row.claim.concept.label)} ({row.verdict}) — "
                           f"query {md_code(found.query)} ({md_escape(matching_text(found))})")
                for s in found.suggestions:
                    quote = suggestion_quote(s)
                    out.append(f"  1. [PMID {s.pmid}](https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/) "
                               f"({md_escape(suggestion_facts(s))}), {SUGGESTION_DIRECTION[s.direction]}"
                               + (f" (caveat: {md_escape(s.caveat)})" if s.caveat else "") + ": "
                               f"{md_escape(s.title)}" + (f" — “{md_escape(quote)}”" if quote else ""))
        if d.references:
            out += ["", "### References", "", "| Ref | Source | Record checked |", "|---|---|---|"]
            for r in d.references:
                out.append(f"| {md_escape(r.label)} | {_md_reference(r)} | {md_escape(reference_status(result, r))} |")
    return "\n".join(out) + "\n"


def _md_findings(d: DocumentAudit) -> list[str]:
    """Findings as a list: those that restate a verdict grouped per kind, the rest one by one."""
    out: list[str] = []
    numbers = {row.claim.id: row.number for row in claim_rows(d)}
    grouped: dict[tuple[str, str], list[str]] = {}
    for f in finding_order(d.findings):
        if f.kind in VERDICT_FINDINGS and not f.suppressed and f.claim in numbers:
            grouped.setdefault((f.severity, f.kind), []).append(f"#{numbers[f.claim]}")
            continue
        where = []
        if f.claim in numbers:
            where.append(f"claim #{numbers[f.claim]}")
        if f.reference:
            where.append(f"reference [{md_escape(f.reference)}]")
        loc = f" ({', '.join(where)})" if where else ""
        line = f"**{f.severity}** `{f.kind}`{loc}: {md_escape(f.message)}"
        out.append(f"- ~~{line}~~ — accepted: {md_escape(f.suppressed)}" if f.suppressed else f"- {line}")
    head = [
        f"- **{sev}** `{kind}` on {len(claims)} claim{'s' if len(claims) != 1 else ''} "
        f"(see the table): {', '.join(dict.fromkeys(claims))}"
        for (sev, kind), claims in grouped.items()
    ]
    return head + out


def _md_reference(r: Reference) -> str:
    text = md_escape(r.text)
    if r.pmid and is_pmid(r.pmid) and f"pubmed.ncbi.nlm.nih.gov/{r.pmid}" not in r.text:
        text += f" <https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/>"
    return text
