"""An audit against an earlier one (``--baseline REPORT.json``): what a revision
introduced.

Claims are matched by their stable ids (the concept and the words of the sentence), a
claim is ``changed`` when its verdict differs; findings by (kind, claim id, reference),
``changed`` when the severity differs. What the earlier report had and this one has not
is ``resolved``. A gate (``--fail-on``) then counts only what is new or changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import AuditResult, Finding

__all__ = ["CHANGED", "NEW", "UNCHANGED", "Baseline", "compare", "finding_key", "read_baseline"]

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
_SCHEMAS = ("ldn-graph/audit/1", "ldn-graph/audit/2")


@dataclass(frozen=True)
class Baseline:
    """An audit compared with an earlier report (``--baseline``): each claim's and finding's
    status (``new``, ``changed``, ``unchanged``) by its key, and what the earlier report
    had that this one does not (``resolved``)."""

    path: str
    claims: dict[str, str]  # claim id -> status
    findings: dict[tuple[str, str, str], str]  # (kind, claim id, reference) -> status
    resolved_claims: tuple[dict[str, Any], ...] = ()
    resolved_findings: tuple[dict[str, Any], ...] = ()


def finding_key(finding: Finding | dict[str, Any]) -> tuple[str, str, str]:
    if isinstance(finding, Finding):
        return str(finding.kind), finding.claim or "", finding.reference or ""
    return str(finding.get("kind")), str(finding.get("claim") or ""), str(finding.get("reference") or "")


def read_baseline(path: str | Path) -> dict[str, Any]:
    """An earlier JSON report; :class:`InputError` (one line) when it is not one."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{p}: cannot read the baseline report ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: the baseline is not a JSON report ({exc}); give an audit --format json output") from None
    if not isinstance(data, dict) or data.get("schema") not in _SCHEMAS or not isinstance(data.get("documents"), list):
        raise InputError(f"{p}: not an ldn-graph JSON report (schema {', '.join(_SCHEMAS)}); "
                         "give an audit --format json output")
    return data


def compare(result: AuditResult, earlier: dict[str, Any], path: str) -> Baseline:
    """Each claim's and finding's status against ``earlier`` (a JSON report)."""
    then_claims = {c["id"]: c for d in earlier["documents"] for c in d.get("claims", []) if isinstance(c, dict)}
    then_findings = {finding_key(f): f for d in earlier["documents"] for f in d.get("findings", []) if isinstance(f, dict)}
    claims: dict[str, str] = {}
    findings: dict[tuple[str, str, str], str] = {}
    for doc in result.documents:
        for a in doc.assessments:
            before = then_claims.get(a.claim_id)
            claims[a.claim_id] = NEW if before is None else UNCHANGED if before.get("verdict") == a.verdict else CHANGED
        for f in doc.findings:
            key = finding_key(f)
            before_f = then_findings.get(key)
            findings[key] = NEW if before_f is None else UNCHANGED if before_f.get("severity") == f.severity else CHANGED
    resolved_claims = tuple({"id": cid, "verdict": c.get("verdict"), "text": c.get("text")}
                            for cid, c in then_claims.items() if cid not in claims)
    resolved_findings = tuple({"kind": f.get("kind"), "claim": f.get("claim"), "reference": f.get("reference"),
                               "message": f.get("message")}
                              for key, f in then_findings.items() if key not in findings)
    return Baseline(path, claims, findings, resolved_claims, resolved_findings)
