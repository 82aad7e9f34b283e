"""The HTML report: one self-contained file (inline CSS and SVG; no scripts, fonts or other
network assets), readable offline and safe to open whatever the audited copy contains.

Every piece of text that comes from a document, a record, a vocabulary or a file path is
escaped. The only markup kept from a record is a balanced set of inline tags
(``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<u>``, ``<em>``, ``<strong>``) in PubMed titles.
Links are built from PMIDs and PMCIDs (as ``ldn_graph.ids`` defines them), DOIs (quoted) and
http(s) URLs only.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ldn_graph.ids import is_pmid, parse_pmcid
from ldn_graph.model import (
    AuditResult,
    ClaimSuggestions,
    DocumentAudit,
    Evidence,
    Finding,
    Reference,
)
from ldn_graph.report.rows import (
    DIRECTION_NOTE,
    ORIGIN_TEXT,
    OTHER_SOURCE_TEXT,
    SUGGESTION_DIRECTION,
    VERDICT_FINDINGS,
    VERDICT_MEANING,
    VERDICT_ORDER,
    ClaimRow,
    claim_rows,
    counts_text,
    days_old,
    esc,
    file_name,
    finding_order,
    provenance_lines,
    record_info,
    reference_source,
    searched_text,
    sorted_evidence,
    suggestion_facts,
    suggestion_quote,
    suggestion_rows,
    summary_line,
    verdict_counts,
)
from ldn_graph.report.svg import EDGE_LEGEND, EDGE_STYLE, VERDICT_COLORS, render_claim_map
from ldn_graph.terms import Direction, EvidenceLevel, ReferenceKind, Verdict

_INLINE_TAG = re.compile(r"&lt;(/?)(i|b|u|em|strong|sup|sub)&gt;")
_URL_OK = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


def safe_inline_markup(markup: str) -> str | None:
    """Escaped ``markup`` with balanced simple inline tags restored, or None if unbalanced."""
    escaped = esc(markup)
    stack: list[str] = []
    for m in _INLINE_TAG.finditer(escaped):
        closing, tag = m.group(1) == "/", m.group(2)
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            return None
    if stack:
        return None
    return _INLINE_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", escaped)


def safe_url(url: str | None) -> str | None:
    if url and _URL_OK.match(url.strip()):
        return url.strip()
    return None


def pubmed_url(pmid: str) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if is_pmid(pmid) else None


def _link(url: str | None, text: str) -> str:
    if not url:
        return esc(text)
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'


CSS = """
:root { --fg:#1f2328; --muted:#57606a; --line:#d0d7de; --bg:#ffffff; --soft:#f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f4; color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
        "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 40px; }
header.top { background: #24292f; color: #fff; }
header.top .inner { max-width: 1240px; margin: 0 auto; padding: 18px 20px 16px; }
header.top h1 { margin: 0 0 2px; font-size: 22px; font-weight: 650; letter-spacing: .01em; }
header.top p { margin: 0; color: #c9d1d9; }
section.card { background: var(--bg); border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 20px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(31,35,40,.05); }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12px; }
a { color: #0969da; text-decoration: none; }
a:hover { text-decoration: underline; }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 0 0 12px; }
.count { border-radius: 8px; padding: 10px 12px; border: 1px solid var(--line); background: var(--soft); }
.count b { display: block; font-size: 28px; line-height: 1.1; }
.count span { font-weight: 600; }
.count small { display: block; color: var(--muted); font-size: 12px; line-height: 1.3; margin-top: 2px; }
.bar { display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: var(--line); margin: 4px 0 14px; }
.bar i { display: block; height: 100%; }
.notes { margin: 10px 0 0; padding-left: 18px; }
.notes li.error { color: #a40e26; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.chip { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 11.5px; background: var(--soft);
  border: 1px solid var(--line); color: var(--muted); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 7px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: var(--soft);
  position: sticky; top: 0; }
table.claims td.num { color: var(--muted); text-align: right; width: 3ch; }
table.claims td.claim { width: 30%; }
table.claims td.concept { width: 12%; }
table.claims td.verdict { width: 9%; }
table.claims td.evidence { width: 21%; font-size: 13px; }
table.claims td.reason { font-size: 13px; color: #32383f; }
table.claims tr { border-left: 4px solid transparent; }
table.claims tr.v-unsupported td { background: #fff6f5; }
table.claims tr:target td { background: #fff8c5; }
mark { background: none; color: inherit; font-weight: 650; border-bottom: 2px solid #d4a72c; }
.cited { color: var(--muted); font-size: 12px; white-space: nowrap; }
.accepted { display: block; margin-top: 4px; font-size: 12px; color: #57606a; }
.accepted::before { content: "accepted: "; font-weight: 600; }
ul.ev { list-style: none; margin: 0; padding: 0; }
ul.ev li + li { margin-top: 6px; padding-top: 6px; border-top: 1px dashed var(--line); }
blockquote { margin: 3px 0 0; padding: 2px 0 2px 8px; border-left: 3px solid var(--line); color: #32383f;
  font-style: italic; }
table.findings td.sev { width: 9%; }
table.findings td.kind { width: 18%; }
table.findings td.where { width: 12%; white-space: nowrap; }
table.findings tr.suppressed td { color: var(--muted); }
table.findings tr.suppressed .msg { text-decoration: line-through; }
details.restated { margin-top: 8px; }
details.restated summary { cursor: pointer; color: var(--muted); padding: 4px 0; }
.rtitle { margin-bottom: 3px; }
.rstatus { font-size: 12.5px; }
.sev-error { color: #cf222e; } .sev-warning { color: #9a6700; } .sev-info { color: #0969da; }
table.refs td.label { width: 4ch; font-weight: 600; }
table.refs td.rec { width: 30%; font-size: 13px; }
.origin-entrez { color: #1a7f37; } .origin-imported { color: #0969da; } .origin-transcribed { color: #9a6700; }
.origin-none { color: #cf222e; }
.map { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; background: #fff; padding: 6px; }
.map svg { display: block; max-width: 100%; height: auto; margin: 0 auto;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
.map svg .col-title { font-size: 12px; font-weight: 650; fill: #57606a; text-transform: uppercase; letter-spacing: .05em; }
.map svg a:hover rect { stroke-width: 2.2; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 10px; font-size: 13px; color: var(--muted); }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend svg { flex: none; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media (max-width: 900px) { .cards { grid-template-columns: repeat(3, 1fr); } }
@media print {
  body { background: #fff; } section.card { box-shadow: none; break-inside: auto; }
  tr { break-inside: avoid; } th { position: static; } a { color: inherit; }
}
"""


def _verdict_css() -> str:
    rules = []
    for verdict, (stroke, fill) in VERDICT_COLORS.items():
        rules.append(f".v-{verdict} .badge, .badge.v-{verdict} {{ color: {stroke}; background: {fill}; }}")
        rules.append(f"table.claims tr.v-{verdict} {{ border-left-color: {stroke}; }}")
        rules.append(f".count.v-{verdict} {{ background: {fill}; border-color: {stroke}; }}")
        rules.append(f".count.v-{verdict} b, .count.v-{verdict} span {{ color: {stroke}; }}")
        rules.append(f".bar i.v-{verdict} {{ background: {stroke}; }}")
    return "\n".join(rules)


def _badge(verdict: Verdict) -> str:
    return f'<span class="badge v-{esc(verdict)}">{esc(verdict.replace("_", "-"))}</span>'


def _claim_text(row: ClaimRow) -> str:
    c = row.claim
    start, end = c.match_start - c.start, c.match_end - c.start
    if 0 <= start < end <= len(c.text):
        body = f"{esc(c.text[:start])}<mark>{esc(c.text[start:end])}</mark>{esc(c.text[end:])}"
    else:
        body = esc(c.text)
    if c.cited:
        body += f' <span class="cited">cites [{esc(", ".join(c.cited))}]</span>'
    if c.location:
        body += f' <span class="cited">{esc(c.location)}</span>'
    return body


def _evidence_item(ev: Evidence) -> str:
    url = pubmed_url(ev.pmid)
    parts = [f"<b>{_link(url, 'PMID ' + ev.pmid)}</b>"]
    if ev.reference:
        parts.append(f'<span class="muted">[{esc(ev.reference)}]</span>')
    parts.append(f'<span class="chip" title="{esc(ev.level_reason or "")}">{esc(ev.level or EvidenceLevel.UNKNOWN)}</span>')
    parts.append(f'<span class="chip">matched on {esc(ev.matched_on)}</span>')
    if ev.sample_size:
        parts.append(f'<span class="chip">n={esc(ev.sample_size)}</span>')
    note = DIRECTION_NOTE.get(Direction(ev.direction))
    if note:
        style = "sev-error" if Direction(ev.direction).contradicts else "muted"
        parts.append(f'<span class="chip {style}">{esc(note.strip(" []"))}</span>')
    quote_ = f"<blockquote>{esc(ev.rationale)}</blockquote>" if ev.rationale else ""
    reason = f'<div class="muted" style="font-size:12px">{esc(ev.level_reason)}</div>' if ev.level_reason else ""
    return f"<li>{' '.join(parts)}{quote_}{reason}</li>"


def _suggestions_list(suggested: list[tuple[ClaimRow, ClaimSuggestions]]) -> str:
    out = ['<ul class="suggested">']
    for row, found in suggested:
        items = "".join(
            f"<li><b>{_link(pubmed_url(s.pmid), 'PMID ' + s.pmid)}</b> "
            f'<span class="chip">{esc(suggestion_facts(s))}</span> '
            f'<span class="chip{" sev-error" if Direction(s.direction).contradicts else ""}">'
            f"{esc(SUGGESTION_DIRECTION[Direction(s.direction)])}</span>"
            + (f' <span class="chip sev-warning">{esc(s.caveat)}</span>' if s.caveat else "") + f" {esc(s.title)}"
            + (f"<blockquote>{esc(q)}</blockquote>" if (q := suggestion_quote(s)) else "") + "</li>"
            for s in found.suggestions)
        out.append(f'<li data-claim-id="{esc(row.claim.id)}"><a href="#{esc(row.anchor)}">claim #{row.number}</a> '
                   f"<b>{esc(row.claim.concept.label)}</b> ({esc(row.verdict)}) "
                   f'<div class="muted mono" style="font-size:12px">{esc(searched_text(found))}</div>'
                   f'<ol class="ev">{items}</ol></li>')
    out.append("</ul>")
    return "".join(out)


def _claims_table(doc: DocumentAudit) -> str:
    out = [
        '<table class="claims"><thead><tr><th>#</th><th>Claim</th><th>Concept</th><th>Verdict</th>'
        "<th>Evidence and rationale</th><th>Reason</th></tr></thead><tbody>"
    ]
    for row in claim_rows(doc):
        c = row.claim
        flags: list[str] = [c.type]
        if c.hedged:
            flags.append("hedged")
        if c.negated:
            flags.append("negated")
        evidence = sorted_evidence(row.assessment)
        ev_html = '<ul class="ev">' + "".join(_evidence_item(e) for e in evidence) + "</ul>" if evidence else '<span class="muted">—</span>'
        accepted = f'<span class="accepted">{esc(row.suppressed)}</span>' if row.suppressed else ""
        mesh = f'<br><span class="muted mono">MeSH {esc(" ".join(c.concept.mesh))}</span>' if c.concept.mesh else ""
        out.append(
            f'<tr id="{esc(row.anchor)}" class="v-{esc(row.verdict)}" data-claim-id="{esc(c.id)}" '
            f'data-verdict="{esc(row.verdict)}"{" data-suppressed" if row.suppressed else ""}>'
            f'<td class="num">{row.number}</td>'
            f'<td class="claim">{_claim_text(row)}</td>'
            f'<td class="concept" title="{esc(c.concept.iri)}"><b>{esc(c.concept.label)}</b><br>'
            f'<span class="muted">{esc(", ".join(flags))}</span>{mesh}</td>'
            f'<td class="verdict">{_badge(row.verdict)}{accepted}</td>'
            f'<td class="evidence">{ev_html}</td>'
            f'<td class="reason">{esc(row.assessment.reason)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _findings_table(doc: DocumentAudit) -> str:
    """Findings: the ones that restate a verdict folded away (they repeat the claims table)."""
    rows = {row.claim.id: row for row in claim_rows(doc)}
    head = (
        '<table class="findings"><thead><tr><th>Severity</th><th>Kind</th><th>Where</th><th>Message</th>'
        "</tr></thead><tbody>"
    )
    ordered = finding_order(doc.findings)
    restated = [f for f in ordered if f.kind in VERDICT_FINDINGS and not f.suppressed and f.claim in rows]
    others = [f for f in ordered if f not in restated]
    out = []
    if others:
        out += [head, *(_finding_row(f, rows) for f in others), "</tbody></table>"]
    if restated:
        kinds: dict[str, int] = {}
        for f in restated:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        label = ", ".join(f"{k} ×{n}" for k, n in kinds.items())
        out += [
            f'<details class="restated"><summary>{len(restated)} finding(s) that restate a claim\'s verdict '
            f'({esc(label)})</summary>',
            head,
            *(_finding_row(f, rows) for f in restated),
            "</tbody></table></details>",
        ]
    return "\n".join(out)


def _finding_row(f: Finding, rows: dict[str, ClaimRow]) -> str:
    where = []
    row = rows.get(f.claim or "")
    if row is not None:
        where.append(f'<a href="#{esc(row.anchor)}">claim #{row.number}</a>')
    if f.reference:
        where.append(f"ref [{esc(f.reference)}]")
    status = f'<span class="accepted">{esc(f.suppressed)}</span>' if f.suppressed else ""
    return (
        f'<tr class="{"suppressed" if f.suppressed else "open"}" data-kind="{esc(f.kind)}" '
        f'data-severity="{esc(f.severity)}"{" data-suppressed" if f.suppressed else ""}>'
        f'<td class="sev"><span class="badge sev-{esc(f.severity)}">{esc(f.severity)}</span></td>'
        f'<td class="kind"><code>{esc(f.kind)}</code></td>'
        f'<td class="where">{" ".join(where) or "—"}</td>'
        f'<td><span class="msg">{esc(f.message)}</span>{status}</td></tr>'
    )


def _reference_row(result: AuditResult, r: Reference, seen: set[str]) -> str:
    links = []
    anchor = ""
    if r.pmid:
        url = pubmed_url(r.pmid)
        links.append(_link(url, f"PubMed {r.pmid}"))
        if r.pmid not in seen and url:
            anchor = f' id="ref-pmid-{esc(r.pmid)}"'
            seen.add(r.pmid)
    if r.doi:
        links.append(_link("https://doi.org/" + quote(r.doi, safe="/:;()._-"), f"doi:{r.doi}"))
    if r.pmcid:
        pmc = r.pmcid if r.pmcid.upper().startswith("PMC") else "PMC" + r.pmcid
        ok = parse_pmcid(pmc) is not None
        links.append(_link(f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc}/" if ok else None, pmc))
    if r.url and not r.pmid:
        links.append(_link(safe_url(r.url), r.url))
    if r.kind == ReferenceKind.PUBMED and r.pmid:
        info = record_info(result, r.pmid)
        origin = info.origin or "none"
        title = ""
        if info.title:
            shown = safe_inline_markup(info.title_markup) if info.title_markup else None
            title = f'<div class="rtitle">{shown if shown is not None else esc(info.title)}</div>'
        if info.checked:
            details = [f'<b class="origin-{esc(origin)}">{esc(ORIGIN_TEXT.get(origin, origin))}</b>']
            if info.title_only:
                details.append('<span class="chip" title="no abstract, MeSH headings or publication types">title only</span>')
            if info.retrieved_at:
                age = f" · {days_old(info.age_days)}" if info.age_days is not None else ""
                details.append(f'<span class="muted">retrieved {esc(info.retrieved_at[:10])}{esc(age)}</span>')
        else:
            details = [f'<b class="origin-none">not retrieved</b> <span class="muted">{esc(info.unavailable or "")}</span>']
        rec = title + f'<div class="rstatus">{" ".join(details)}</div>'
    else:
        style = "origin-none" if r.kind == ReferenceKind.UNRESOLVED else "muted"
        rec = f'<span class="{style}">{esc(OTHER_SOURCE_TEXT.get(r.kind, f"{r.kind}: not checked"))}</span>'
    if r.source != "list":
        rec += f'<div class="muted">{esc(reference_source(r))}</div>'
    return (
        f'<tr{anchor} data-ref="{esc(r.label)}" data-kind="{esc(r.kind)}" data-source="{esc(r.source)}">'
        f'<td class="label">{esc(r.label)}</td>'
        f'<td>{esc(r.text)}<div>{" · ".join(links)}</div></td>'
        f'<td class="rec">{rec}</td></tr>'
    )


def _summary(result: AuditResult) -> str:
    s = result.summary()
    total = s["claims"] or 1
    cards = [
        f'<div class="count"><b>{s["claims"]}</b><span>claims</span><small>in {len(result.documents)} document(s)</small></div>'
    ]
    bar = []
    for v in VERDICT_ORDER:
        cards.append(
            f'<div class="count v-{v}" data-verdict="{v}" data-count="{s[v]}"><b>{s[v]}</b>'
            f'<span>{esc(v.replace("_", "-"))}</span><small>{esc(VERDICT_MEANING[v])}</small></div>'
        )
        if s[v]:
            bar.append(f'<i class="v-{v}" style="width:{100 * s[v] / total:.2f}%" title="{s[v]} {v}"></i>')
    meta = "".join(
        f"<dt>{esc(label)}</dt><dd>{('<code>' + esc(value) + '</code>') if label.startswith('Vocabulary') else esc(value)}</dd>"
        for label, value in provenance_lines(result)
    )
    notes = [f"<li>{esc(n)}</li>" for n in result.run.notes]
    notes += [f'<li class="error"><b>Could not read</b> <code>{esc(e.path)}</code>: {esc(e.message)}</li>' for e in result.errors]
    return (
        '<section class="card" id="summary"><h2>Summary</h2>'
        f'<div class="cards">{"".join(cards)}</div>'
        f'<div class="bar" aria-hidden="true">{"".join(bar)}</div>'
        f'<dl class="meta">{meta}</dl>'
        + (f'<ul class="notes">{"".join(notes)}</ul>' if notes else "")
        + "</section>"
    )


def _legend() -> str:
    items = []
    for v in VERDICT_ORDER:
        stroke, fill = VERDICT_COLORS[v]
        items.append(
            f'<span><svg width="22" height="12" aria-hidden="true"><rect x="0.5" y="0.5" width="21" height="11" rx="2" '
            f'fill="{fill}" stroke="{stroke}"/><rect x="0.5" y="0.5" width="4" height="11" fill="{stroke}"/></svg>'
            f"{esc(v.replace('_', '-'))} claim</span>"
        )
    for kind, label in EDGE_LEGEND.items():
        colour, dash, width = EDGE_STYLE[kind]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        items.append(
            f'<span><svg width="26" height="10" aria-hidden="true"><path d="M1,5 H25" stroke="{colour}" '
            f'stroke-width="{width}"{dash_attr}/></svg>{esc(label)}</span>'
        )
    return f'<div class="legend">{"".join(items)}</div>'


def render_html(result: AuditResult, *, color: bool = True) -> str:
    """The audit as one self-contained HTML page (``color`` is accepted for a uniform
    signature and ignored)."""
    s = result.summary()
    docs = []
    seen: set[str] = set()  # PMIDs that already have an anchor on the page
    for i, d in enumerate(result.documents, 1):
        body = [
            f'<section class="card document" id="doc-{i}" data-path="{esc(d.document.path)}">',
            f"<h2>{esc(d.document.path)}</h2>",
            f'<p class="muted">{esc(counts_text(verdict_counts(d)))} · sha256 <code>{esc(d.document.sha256)}</code>'
            f" · {esc(d.document.media_type)}</p>",
            "<h3>Claims</h3>",
            _claims_table(d) if d.claims else '<p class="muted">No claims found in this document.</p>',
        ]
        if d.findings:
            open_n = sum(1 for f in d.findings if not f.suppressed)
            body += [
                f"<h3>Findings <span class=\"muted\">({open_n} open, {len(d.findings) - open_n} accepted)</span></h3>",
                _findings_table(d),
            ]
        suggested = suggestion_rows(d)
        if suggested:
            body += ["<h3>Suggested sources</h3>",
                     '<p class="muted">Advice for the writer, not evidence for this document: the verdicts above '
                     "do not change.</p>", _suggestions_list(suggested)]
        if d.references:
            body += [
                "<h3>References</h3>",
                '<table class="refs"><thead><tr><th>Ref</th><th>Source as cited</th><th>Record checked</th></tr></thead><tbody>',
                *(_reference_row(result, r, seen) for r in d.references),
                "</tbody></table>",
            ]
        body.append("</section>")
        docs.append("\n".join(body))
    paths = ", ".join(file_name(d) for d in result.documents)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ldn-graph {esc(result.run.tool_version)}">
<title>ldn-graph audit — {s["claims"]} claims, {s[Verdict.UNSUPPORTED]} unsupported</title>
<style>{CSS}
{_verdict_css()}
</style>
</head>
<body>
<header class="top"><div class="inner">
<h1>Claim audit</h1>
<p>{esc(summary_line(result))} · {esc(paths)}</p>
</div></header>
<main>
{_summary(result)}
<section class="card" id="map"><h2>Claim map</h2>
<p class="muted">Each claim (a sentence or list item naming a concept) is linked to its concept, and each concept
to the cited PubMed studies checked for it. Hover a box for its text and reason; click it to jump to its row.</p>
{_legend()}
<div class="map">
{render_claim_map(result)}
</div>
</section>
{"".join(docs)}
<footer>ldn-graph {esc(result.run.tool_version)} · run at {esc(result.run.generated_at)} ·
vocabulary sha256 <code>{esc(result.run.vocabulary_sha256)}</code> · a self-contained file: no scripts, no external assets.</footer>
</main>
</body>
</html>
"""
