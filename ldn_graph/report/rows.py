"""Renderers of an AuditResult: JSON (the versioned contract), terminal table, Markdown, HTML.

All renderers read the same AuditResult; none of them decides a verdict. The view
functions here (:func:`claim_rows`, :func:`record_info`, :func:`coverage`, :func:`best_evidence`)
are used by every format, so the formats cannot disagree.

``RENDERERS`` maps a format name to ``render(result, *, color: bool) -> str``; the
command line uses it for both dispatch and ``click.Choice(list(RENDERERS))``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ldn_graph.model import (
    Assessment,
    AuditResult,
    Claim,
    DocumentAudit,
    Evidence,
    Finding,
    Reference,
)
from ldn_graph.terms import Verdict as VERDICTS  # the report helper replaces this alias

SCHEMA = "ldn-graph/audit/1"

# Strongest first; used only to pick which evidence a report shows first.
LEVEL_ORDER = (
    "systematic_review",
    "rct",
    "clinical_trial",
    "observational",
    "case_report",
    "review",
    "opinion",
    "preclinical",
    "unknown",
)

# Verdicts in the order reports list them: good news first, problems last.
VERDICT_ORDER = ("supported", "inferred", "off_topic", "unverified", "unsupported")

VERDICT_MEANING = {
    "supported": "the sentence cites a study that addresses it",
    "inferred": "no inline citation, but a study in the reference list addresses it",
    "off_topic": "the cited sources do not address it",
    "unverified": "the cited sources could not be checked",
    "unsupported": "no source: nothing cited, nothing in the list addresses it",
}

ORIGIN_TEXT = {
    "entrez": "fetched from PubMed (E-utilities)",
    "imported": "imported from a PubMed XML file",
    "transcribed": "transcribed bibliographic record",
}
ORIGIN_COUNTED = {"entrez": "fetched live", "imported": "imported", "transcribed": "transcribed"}

# Findings that restate a claim's verdict; the terminal table shows them as verdicts.
VERDICT_FINDINGS = frozenset({"unsupported_claim", "unverified_claim", "off_topic_citation"})


class Renderer(Protocol):
    def __call__(self, result: AuditResult, *, color: bool = ...) -> str: ...


# --------------------------------------------------------------------------- shared view


@dataclass(frozen=True)
class ClaimRow:
    """One claim as every report shows it."""

    document: DocumentAudit
    number: int  # 1-based, per document, in document order
    claim: Claim
    assessment: Assessment
    suppressed: str | None  # reviewer's justification when the claim was accepted

    @property
    def verdict(self) -> str:
        return self.assessment.verdict

    @property
    def anchor(self) -> str:
        """An HTML id for the claim's table row (ids contain ':' which CSS dislikes)."""
        return "claim-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.claim.id)


def claim_rows(doc: DocumentAudit) -> Iterator[ClaimRow]:
    for n, claim in enumerate(doc.claims, 1):
        yield ClaimRow(doc, n, claim, doc.assessment(claim.id), doc.suppression(claim.id))


def level_rank(level: str | None) -> int:
    try:
        return LEVEL_ORDER.index(level or "unknown")
    except ValueError:
        return len(LEVEL_ORDER)


def sorted_evidence(assessment: Assessment) -> list[Evidence]:
    """Positive evidence first, then by strength of design."""
    return sorted(
        assessment.evidence, key=lambda e: (e.direction != "positive", level_rank(e.level))
    )


def best_evidence(assessment: Assessment) -> Evidence | None:
    ordered = sorted_evidence(assessment)
    return ordered[0] if ordered else None


def evidence_text(assessment: Assessment) -> str:
    """``PMID 23359310 (rct, title) +1 more`` or ``—``."""
    best = best_evidence(assessment)
    if best is None:
        return "—"
    text = f"PMID {best.pmid} ({best.level or 'unknown'}, {best.matched_on})"
    if best.direction != "positive":
        text += " [no effect reported]"
    more = len(assessment.evidence) - 1
    return text + (f" +{more} more" if more else "")


def parse_time(value: str | None) -> _dt.datetime | None:
    if not value:
        return None
    try:
        when = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=_dt.UTC)


def age_days(retrieved_at: str | None, now: str | None) -> int | None:
    """Whole days from ``retrieved_at`` to ``now`` (the run's time); never negative."""
    start, end = parse_time(retrieved_at), parse_time(now)
    if start is None or end is None:
        return None
    return max(0, (end - start).days)


@dataclass(frozen=True)
class RecordInfo:
    """What a report says about the PubMed record behind a reference."""

    pmid: str
    origin: str | None  # entrez | imported | transcribed | None (not retrieved)
    retrieved_at: str | None
    age_days: int | None
    title_only: bool  # no abstract, MeSH headings or publication types to check against
    unavailable: str | None  # why it could not be retrieved
    title: str | None = None
    title_markup: str | None = None
    citation: str | None = None  # "Younger J et al. Arthritis Rheum 2013"

    @property
    def checked(self) -> bool:
        return self.origin is not None

    @property
    def summary(self) -> str:
        """``transcribed bibliographic record, title only; retrieved 2026-11-22 (3 days old)``."""
        if not self.checked:
            return f"not retrieved: {self.unavailable or 'unknown reason'}"
        text = ORIGIN_TEXT.get(self.origin or "", self.origin or "")
        if self.title_only:
            text += ", title only (no abstract, MeSH or publication types)"
        if self.retrieved_at:
            text += f"; retrieved {self.retrieved_at[:10]}"
        if self.age_days is not None:
            text += f" ({self.age_days} day{'s' if self.age_days != 1 else ''} old)"
        return text


def record_info(result: AuditResult, pmid: str) -> RecordInfo:
    record = result.records.get(pmid)
    if record is None:
        return RecordInfo(pmid, None, None, None, False, result.unavailable.get(pmid))
    study = record.study
    title_only = not study.abstract and not study.mesh and not study.publication_types
    first = study.authors[0].display if study.authors else None
    who = (first + (" et al." if len(study.authors) > 1 else "")) if first else None
    where = " ".join(p for p in (study.journal_abbrev or study.journal, str(study.year) if study.year else None) if p)
    return RecordInfo(
        pmid=pmid,
        origin=record.provenance.origin,
        retrieved_at=record.provenance.retrieved_at,
        age_days=age_days(record.provenance.retrieved_at, result.run.generated_at),
        title_only=title_only,
        unavailable=None,
        title=study.title or None,
        title_markup=study.title_markup,
        citation=" · ".join(p for p in (who, where) if p) or None,
    )


@dataclass(frozen=True)
class Coverage:
    """How much was actually checked: the cited PubMed records and where they came from."""

    pubmed: int  # distinct PMIDs cited by the documents
    by_origin: dict[str, int]
    title_only: int
    not_retrieved: int
    other_sources: int  # DOIs, websites, labels: reported, not checked
    oldest_days: int | None

    def sentence(self) -> str:
        if not self.pubmed:
            text = "The documents cite no PubMed study"
        else:
            got = self.pubmed - self.not_retrieved
            text = f"{got} of {self.pubmed} cited PubMed record(s) checked"
            parts = [f"{n} {ORIGIN_COUNTED.get(o, o)}" for o, n in sorted(self.by_origin.items()) if n]
            if parts:
                text += " (" + ", ".join(parts) + ")"
            if self.title_only:
                text += f"; {self.title_only} of them title only, so claims were matched against titles alone"
            if self.not_retrieved:
                text += f"; {self.not_retrieved} could not be retrieved"
            if self.oldest_days is not None:
                text += f"; oldest record {self.oldest_days} day(s) old"
        if self.other_sources:
            text += f". {self.other_sources} other source(s) (DOI, web, unresolved) listed but not checked"
        return text + "."

    def to_dict(self) -> dict[str, Any]:
        return {
            "pubmed_references": self.pubmed,
            "records_by_origin": dict(sorted(self.by_origin.items())),
            "title_only": self.title_only,
            "not_retrieved": self.not_retrieved,
            "other_sources": self.other_sources,
            "oldest_record_days": self.oldest_days,
        }


def cited_pmids(result: AuditResult) -> list[str]:
    seen: dict[str, None] = {}
    for d in result.documents:
        for r in d.references:
            if r.kind == "pubmed" and r.pmid:
                seen.setdefault(r.pmid, None)
    return list(seen)


def coverage(result: AuditResult) -> Coverage:
    pmids = cited_pmids(result)
    infos = [record_info(result, p) for p in pmids]
    by_origin: dict[str, int] = {}
    for info in infos:
        if info.origin:
            by_origin[info.origin] = by_origin.get(info.origin, 0) + 1
    ages = [i.age_days for i in infos if i.age_days is not None]
    other = sum(1 for d in result.documents for r in d.references if r.kind != "pubmed" and r.in_list)
    return Coverage(
        pubmed=len(pmids),
        by_origin=by_origin,
        title_only=sum(1 for i in infos if i.checked and i.title_only),
        not_retrieved=sum(1 for i in infos if not i.checked),
        other_sources=other,
        oldest_days=max(ages) if ages else None,
    )


def verdict_counts(doc: DocumentAudit) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for a in doc.assessments:
        counts[a.verdict] = counts.get(a.verdict, 0) + 1
    return counts


def counts_text(counts: dict[str, int], total: int | None = None) -> str:
    n = sum(counts.get(v, 0) for v in VERDICTS) if total is None else total
    parts = [f"{counts.get(v, 0)} {v.replace('_', '-')}" for v in VERDICT_ORDER]
    return f"{n} claim{'s' if n != 1 else ''}: " + ", ".join(parts)


def summary_line(result: AuditResult) -> str:
    s = result.summary()
    parts = [f"{s[v]} {v.replace('_', '-')}" for v in VERDICT_ORDER]
    return f"{s['claims']} claims in {len(result.documents)} document(s): " + ", ".join(parts)


def provenance_lines(result: AuditResult) -> list[tuple[str, str]]:
    """(label, value) pairs every report prints in its header."""
    run = result.run
    return [
        ("Tool", f"ldn-graph {run.tool_version}"),
        ("Run at", run.generated_at + (" (offline: cache only)" if run.offline else "")),
        ("Vocabulary", run.vocabulary_source),
        ("Vocabulary sha256", run.vocabulary_sha256),
        ("Records", coverage(result).sentence()),
    ]


def reference_by_label(doc: DocumentAudit) -> dict[str, Reference]:
    return {r.label: r for r in doc.references}


def finding_order(findings: tuple[Finding, ...]) -> list[Finding]:
    """Unsuppressed first, then by severity (error, warning, info), keeping document order."""
    sev = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (f.suppressed is not None, sev.get(f.severity, 3)))


# --------------------------------------------------------------------------- JSON


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
        "uncontrolled": ev.uncontrolled,
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
        "suppressed": doc_audit.suppression(claim.id),
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
                    "resolution": r.resolution,
                    "record_origin": record.provenance.origin if record else None,
                    "retrieved_at": record.provenance.retrieved_at if record else None,
                    "record_age_days": (
                        age_days(record.provenance.retrieved_at, result.run.generated_at) if record else None
                    ),
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
            "coverage": coverage(result).to_dict(),
        },
        "errors": [{"path": e.path, "message": e.message} for e in result.errors],
        "documents": docs,
        "summary": result.summary(),
    }


def render_json(result: AuditResult, *, color: bool = False) -> str:
    """The versioned JSON contract (``color`` is accepted for a uniform signature and ignored)."""
    return json.dumps(to_json_dict(result), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell or list item: no markup, no raw HTML, one line."""
    text = " ".join(text.split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_verdict(row: ClaimRow) -> str:
    text = f"**{row.verdict}**"
    if row.suppressed:
        text += " (accepted)"
    return text


def render_markdown(result: AuditResult, *, color: bool = False) -> str:
    """A report to paste into a review ticket (GitHub/GitLab-flavoured Markdown)."""
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
        if d.references:
            out += ["", "### References", "", "| Ref | Source | Record checked |", "|---|---|---|"]
            for r in d.references:
                out.append(f"| {md_escape(r.label)} | {_md_reference(r)} | {md_escape(_reference_status(result, r))} |")
    return "\n".join(out) + "\n"


def md_code(text: str) -> str:
    """An inline code span (file paths, hashes), or escaped text if it holds a backtick."""
    one_line = " ".join(text.split())
    return f"`{one_line}`" if "`" not in one_line else md_escape(one_line)


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
    if r.pmid and r.pmid.isdigit() and f"pubmed.ncbi.nlm.nih.gov/{r.pmid}" not in r.text:
        text += f" <https://pubmed.ncbi.nlm.nih.gov/{r.pmid}/>"
    return text


def _reference_status(result: AuditResult, r: Reference) -> str:
    if r.kind == "pubmed" and r.pmid:
        return f"PMID {r.pmid}: " + record_info(result, r.pmid).summary
    return {
        "doi": "DOI only: not a PubMed record, not checked",
        "web": "web source: reported, not used as evidence",
        "unresolved": "could not be resolved to a record",
    }.get(r.kind, f"{r.kind}: not checked")


# --------------------------------------------------------------------------- terminal

VERDICT_STYLE = {
    "supported": "bold green",
    "inferred": "cyan",
    "off_topic": "magenta",
    "unverified": "yellow",
    "unsupported": "bold red",
}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}


def render_table(result: AuditResult, *, color: bool = True, width: int | None = None) -> str:
    """A rich table per document, then references and findings; plain text when ``color`` is False.

    With ``color=False`` the output has no ANSI escape sequences at all (for pipes, files
    and ``--no-color``); the layout is the same.
    """
    import shutil
    from io import StringIO

    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

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
            verdict = styled(row.verdict, VERDICT_STYLE.get(row.verdict, ""))
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
                refs.add_row(escape(r.label), r.kind, Text(_reference_status(result, r)))
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
    console.print()
    console.print(styled(summary_line(result), "bold"))
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"


# --------------------------------------------------------------------------- HTML


def render_html(result: AuditResult, *, color: bool = True) -> str:
    """One self-contained HTML file (inline CSS and SVG, no scripts, no network assets)."""
    from ldn_graph.report.html import render_html as _render

    return _render(result)


RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}
"""Format name → ``render(result, *, color) -> str``."""

FILE_FORMATS = frozenset({"html"})
"""Formats meant for ``-o FILE`` rather than a terminal."""
