"""The JSON report: the versioned contract ``ldn-graph/audit/2`` (2: the ``contradicted``
verdict, evidence ``direction`` positive | null | negative | unknown; added within 2: a
claim's ``suggestions`` and ``suggestion_search``).

Every claim with its verdict and evidence (and the markers it carries that point at
nothing, ``dangling``), every reference with its identifiers, the places the text names
it and the record behind it,
every finding, and the run's provenance and coverage. Fields are added, never renamed or
removed, within a schema version.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ldn_graph.model import AuditResult, Claim, ClaimSuggestions, DocumentAudit, Evidence
from ldn_graph.report.rows import age_days, coverage

SCHEMA = "ldn-graph/audit/2"


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


def _suggestions(found: ClaimSuggestions | None) -> list[dict[str, Any]]:
    if found is None:
        return []
    return [{"pmid": s.pmid, "title": s.title, "year": s.year, "level": s.level, "direction": s.direction,
             "n": s.n, "uncontrolled": s.uncontrolled, "caveat": s.caveat, "rationale": s.rationale, "rationale_field": s.rationale_field,
             "rationale_start": s.rationale_start, "rationale_end": s.rationale_end, "query": found.query}
            for s in found.suggestions]


def _claim_dict(claim: Claim, doc_audit: DocumentAudit, base: Any = None) -> dict[str, Any]:
    a = doc_audit.assessment(claim.id)
    found = doc_audit.suggested(claim.id)
    return {
        "id": claim.id,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "match": {"start": claim.match_start, "end": claim.match_end},
        # how the concept was recognised: the vocabulary's words, or the sentence model (with its probability)
        "recognised_by": "vocabulary" if claim.learned is None else "sentence model",
        "model_probability": claim.learned,
        "location": claim.location,
        "role": claim.role,
        "concept": claim.concept.iri,
        "label": claim.concept.label,
        "mesh": list(claim.concept.mesh),
        "type": claim.type,
        "hedged": claim.hedged,
        "negated": claim.negated,
        "cited": list(claim.cited),
        "dangling": list(claim.dangling),
        "verdict": a.verdict,
        "reason": a.reason,
        "evidence": [_evidence_dict(e) for e in a.evidence],
        "suppressed": doc_audit.suppression(claim.id),
        # suggested sources (advice, never evidence): [] when none; the search, or null when none was made
        "suggestions": _suggestions(found),
        "suggestion_search": ({"query": found.query, "considered": found.considered, "note": found.note}
                              if found is not None else None),
        **({"baseline": base.claims.get(claim.id)} if base is not None else {}),
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
                    # every identifier of the work (found in the text or by resolution),
                    # and every place the text names it: an identifier ("doi:…") or an entry
                    "ids": {k: v for k, v in (("pmid", r.pmid), ("doi", r.doi), ("pmcid", r.pmcid)) if v},
                    "places": [{"identifier": k, "start": s, "end": e} for k, s, e in r.places],
                    "duplicates": list(r.duplicates),
                    "source": r.source,
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
                "claims": [_claim_dict(c, d, result.baseline) for c in d.claims],
                "findings": [
                    {
                        "kind": f.kind,
                        "severity": f.severity,
                        "message": f.message,
                        "claim": f.claim,
                        "reference": f.reference,
                        "suppressed": f.suppressed,
                        **({"baseline": result.baseline.findings.get((str(f.kind), f.claim or "", f.reference or ""))}
                           if result.baseline is not None else {}),
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
        **({"baseline": {"path": result.baseline.path,
                         "resolved_claims": list(result.baseline.resolved_claims),
                         "resolved_findings": list(result.baseline.resolved_findings)}}
           if result.baseline is not None else {}),
    }


def render_json(result: AuditResult, *, color: bool = False) -> str:
    """The versioned JSON contract (``color`` is accepted for a uniform signature and ignored)."""
    return json.dumps(to_json_dict(result), indent=2, ensure_ascii=False) + "\n"


def render_jsonl(result: AuditResult, *, color: bool = False) -> str:
    """One line per document, each the audit JSON of that one document alone (schema,
    provenance, the document, its summary), in input order; then one line per input that
    could not be read (its ``errors``, no document). For tools that read a line at a time."""
    lines = []
    for doc in result.documents:
        one = replace(result, documents=(doc,), errors=())
        lines.append(json.dumps(to_json_dict(one), ensure_ascii=False, separators=(",", ":")))
    for problem in result.errors:
        one = replace(result, documents=(), errors=(problem,))
        lines.append(json.dumps(to_json_dict(one), ensure_ascii=False, separators=(",", ":")))
    return "".join(line + "\n" for line in lines)
