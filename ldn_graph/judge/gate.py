"""The ``--fail-on`` decision: does an audit meet a condition a CI job gates on?

A condition names a verdict (of :data:`~ldn_graph.terms.GATE_VERDICTS`), a finding
severity or a finding kind; ``none`` names nothing. Suppressed claims and findings never
trip a gate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ldn_graph.terms import GATE_VERDICTS, FindingKind, Severity

if TYPE_CHECKING:  # the choices load for `--help`; the model's dataclasses need not
    from ldn_graph.model import AuditResult

NONE = "none"
#: Every condition, in the order ``--help`` lists them.
CONDITIONS: tuple[str, ...] = (
    NONE,
    *(v.value for v in GATE_VERDICTS),
    *(s.value for s in Severity),
    *(k.value for k in FindingKind),
)


def fails(result: AuditResult, conditions: Iterable[str]) -> bool:
    """True when any of ``conditions`` is met by an unsuppressed claim or finding (with a
    baseline, only by one that is new or changed)."""
    wanted = {c for c in conditions if c != NONE}
    if not wanted:
        return False
    base = result.baseline
    for doc in result.documents:
        for a in doc.assessments:
            if base is not None and base.claims.get(a.claim_id) == "unchanged":
                continue
            if a.verdict in wanted and not doc.suppression(a.claim_id):
                return True
        for f in doc.findings:
            if f.suppressed:
                continue
            if base is not None and base.findings.get((str(f.kind), f.claim or "", f.reference or "")) == "unchanged":
                continue
            if f.kind in wanted or f.severity in wanted:
                return True
    return False
