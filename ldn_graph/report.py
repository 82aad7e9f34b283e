"""Renderers of an AuditResult: JSON (the versioned contract), terminal table, Markdown.

All renderers read the same AuditResult; none of them decides a verdict.
"""

from __future__ import annotations

import json
from typing import Any

from .model import AuditResult, Claim, DocumentAudit, Evidence

SCHEMA = "ldn-graph/audit/1"


def _evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "pmid": ev.pmid,
        "level": ev.level,
        "level_reason": ev.level_reason,
        "matched_on": ev.matched_on,
        "rationale": ev.rationale,
        "rationale_field": ev.rationale_field,
        "rationale_start": ev.rationale_start,
        "rationale_end": ev.rationale_end,
        "sample_size": ev.sample_size,
        "direction": ev.direction,
        "reference": ev.reference,
    }


def _claim_dict(claim: Claim, doc_audit: DocumentAudit) -> dict[str, Any]:
    a = doc_audit.assessment(claim.id)
    return {
        "id": claim.id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "match": {"start": claim.match_start, "end": claim.match_end},
        "location": claim.location,
        "concept": claim.concept.iri,
        "label": claim.concept.label,
        "mesh": list(claim.concept.mesh),
        "type": claim.type,
        "hedged": claim.hedged,
        "negated": claim.negated,
        "cited": list(claim.cited),
        "verdict": a.verdict,
        "reason": a.reason,
        "evidence": [_evidence_dict(e) for e in a.evidence],
    }


def to_json_dict(result: AuditResult) -> dict[str, Any]:
    docs = []
    for d in result.documents:
        refs = []
        for r in d.references:
            record = result.records.get(r.pmid) if r.pmid else None
            refs.append(
                {
                    "label": r.label,
                    "kind": r.kind,
                    "pmid": r.pmid,
                    "doi": r.doi,
                    "url": r.url,
                    "pmcid": r.pmcid,
                    "text": r.text,
                    "start": r.start,
                    "end": r.end,
                    "in_list": r.in_list,
                    "record_origin": record.provenance.origin if record else None,
                    "retrieved_at": record.provenance.retrieved_at if record else None,
                    "unavailable": result.unavailable.get(r.pmid) if r.pmid and not record else None,
                }
            )
        docs.append(
            {
                "path": d.document.path,
                "sha256": d.document.sha256,
                "media_type": d.document.media_type,
                "references": refs,
                "claims": [_claim_dict(c, d) for c in d.claims],
                "findings": [
                    {
                        "kind": f.kind,
                        "severity": f.severity,
                        "message": f.message,
                        "claim": f.claim,
                        "reference": f.reference,
                        "suppressed": f.suppressed,
                    }
                    for f in d.findings
                ],
            }
        )
    return {
        "schema": SCHEMA,
        "provenance": {
            "tool_version": result.run.tool_version,
            "vocabulary": {"path": result.run.vocabulary_source, "sha256": result.run.vocabulary_sha256},
            "generated_at": result.run.generated_at,
            "offline": result.run.offline,
            "notes": list(result.run.notes),
        },
        "errors": [{"path": e.path, "message": e.message} for e in result.errors],
        "documents": docs,
        "summary": result.summary(),
    }


def render_json(result: AuditResult) -> str:
    return json.dumps(to_json_dict(result), indent=2, ensure_ascii=False) + "\n"


def _best(evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return "—"
    return ", ".join(f"PMID {e.pmid} ({e.level or 'unknown'})" for e in evidence)


def _summary_line(result: AuditResult) -> str:
    s = result.summary()
    parts = [f"{s[v]} {v.replace('_', '-')}" for v in ("supported", "inferred", "off_topic", "unverified", "unsupported")]
    return f"{s['claims']} claims in {len(result.documents)} document(s): " + ", ".join(parts)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(result: AuditResult) -> str:
    lines = ["# ldn-graph audit", ""]
    lines.append(_summary_line(result) + ".")
    lines.append("")
    lines.append(
        f"Tool ldn-graph {result.run.tool_version}; vocabulary `{result.run.vocabulary_source}` "
        f"(sha256 `{result.run.vocabulary_sha256[:12]}`); run at {result.run.generated_at}"
        + ("; offline" if result.run.offline else "")
        + "."
    )
    for note in result.run.notes:
        lines.append(f"\n> {note}")
    for err in result.errors:
        lines.append(f"\n> **Could not read** `{err.path}`: {err.message}")
    for d in result.documents:
        lines += ["", f"## {d.document.path}", ""]
        lines.append("| Claim | Concept | Type | Verdict | Evidence | Reason |")
        lines.append("|---|---|---|---|---|---|")
        for c in d.claims:
            a = d.assessment(c.id)
            lines.append(
                f"| {_md_cell(c.text)} | {_md_cell(c.concept.label)} | {c.type}{' (hedged)' if c.hedged else ''} "
                f"| **{a.verdict}** | {_md_cell(_best(a.evidence))} | {_md_cell(a.reason)} |"
            )
        if d.findings:
            lines += ["", "### Findings", ""]
            for f in d.findings:
                suppressed = f" _(accepted: {f.suppressed})_" if f.suppressed else ""
                lines.append(f"- **{f.severity}** `{f.kind}`: {_md_cell(f.message)}{suppressed}")
        if d.references:
            lines += ["", "### References", ""]
            for r in d.references:
                record = result.records.get(r.pmid) if r.pmid else None
                origin = (
                    f" — record: {record.provenance.origin}, retrieved {record.provenance.retrieved_at}"
                    if record
                    else (f" — not retrieved: {result.unavailable.get(r.pmid, '')}" if r.pmid else "")
                )
                link = f" <https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/>" if r.pmid else ""
                lines.append(f"- [{r.label}] ({r.kind}) {_md_cell(r.text)}{link}{origin}")
    return "\n".join(lines) + "\n"


VERDICT_STYLE = {
    "supported": "green",
    "inferred": "cyan",
    "off_topic": "magenta",
    "unverified": "yellow",
    "unsupported": "bold red",
}


def render_table(result: AuditResult, *, color: bool = True, width: int | None = None) -> str:
    """A terminal table per document (rich), plain text when ``color`` is False."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buf = StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or 160,
        highlight=False,
    )
    for err in result.errors:
        console.print(f"could not read {err.path}: {err.message}")
    for d in result.documents:
        table = Table(title=d.document.path, show_lines=False, expand=False)
        table.add_column("Claim", overflow="fold", max_width=48)
        table.add_column("Concept", overflow="fold")
        table.add_column("Type")
        table.add_column("Verdict")
        table.add_column("Best evidence", overflow="fold")
        table.add_column("Reason", overflow="fold", max_width=60)
        for c in d.claims:
            a = d.assessment(c.id)
            verdict = f"[{VERDICT_STYLE[a.verdict]}]{a.verdict}[/]" if color else a.verdict
            table.add_row(c.text, c.concept.label, c.type, verdict, _best(a.evidence), a.reason)
        console.print(table)
        counts: dict[str, int] = {}
        for f in d.findings:
            counts[f.kind] = counts.get(f.kind, 0) + 1
        if counts:
            console.print("findings: " + ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items())))
    console.print(_summary_line(result))
    return buf.getvalue()


RENDERERS = {"table": render_table, "markdown": render_markdown, "json": render_json}
