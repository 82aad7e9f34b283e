"""Reviewer suppressions: accepted claims and findings, each with a justification.

A suppressions file (YAML or JSON) lists entries such as::

    suppressions:
      - claim: "4aaa9d78fd1a:1020-1090:ComplexRegionalPainSyndrome"
        justification: "Covered by the prescriber information leaflet"
        reviewer: "A. Reviewer"
      - finding: non_pubmed_source
        justification: "Web sources are acceptable for the dosing table"
        reviewer: "A. Reviewer"
      - finding: weak_evidence          # a kind, restricted to one claim or reference
        claim: "4aaa9d78fd1a:…"
        justification: "…"
        reviewer: "…"

Suppressed items still appear in every report, marked with the justification, and no
longer trigger ``--fail-on``. Entries that match nothing are reported. YAML aliases
(``*name``) are refused: nested ones expand exponentially (a "billion laughs").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import DocumentAudit
from ldn_graph.terms import FindingKind

_KINDS = tuple(kind.value for kind in FindingKind)


@dataclass(frozen=True)
class Suppression:
    justification: str
    reviewer: str
    claim: str | None = None
    finding: FindingKind | None = None
    reference: str | None = None

    @property
    def note(self) -> str:
        return f"{self.justification} — {self.reviewer}"


def _load_yaml(text: str, path: str | Path) -> Any:
    """``yaml.safe_load`` that refuses an alias (``*name``) before anything is built."""
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise InputError(
                    f"{path}: refused: YAML alias at line {mark.line + 1} (aliases can expand "
                    "without bound); write every entry out in full"
                )
            return super().compose_node(parent, index)

    return yaml.load(text, Loader=NoAliasLoader)  # a SafeLoader: builds plain data only


def load_suppressions(path: str | Path) -> list[Suppression]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the suppressions file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: the suppressions file is not UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from None
    data: Any
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else _load_yaml(text, path)
    except InputError:
        raise
    except Exception as exc:  # json.JSONDecodeError / yaml.YAMLError
        raise InputError(f"{path}: not valid {'JSON' if p.suffix.lower() == '.json' else 'YAML'} ({exc})".replace("\n", " ")) from None
    entries = data.get("suppressions") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a list under 'suppressions'")
    out: list[Suppression] = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise InputError(f"{path}: entry {n} is not a mapping")
        justification = str(entry.get("justification") or "").strip()
        reviewer = str(entry.get("reviewer") or "").strip()
        if not justification or not reviewer:
            raise InputError(f"{path}: entry {n} needs both 'justification' and 'reviewer'")
        claim, finding, reference = entry.get("claim"), entry.get("finding"), entry.get("reference")
        if not claim and not finding:
            raise InputError(f"{path}: entry {n} names neither a 'claim' id nor a 'finding' kind")
        if finding and finding not in _KINDS:
            raise InputError(f"{path}: entry {n}: unknown finding kind {finding!r}; known: {', '.join(_KINDS)}")
        out.append(
            Suppression(
                justification,
                reviewer,
                str(claim) if claim else None,
                FindingKind(finding) if finding else None,
                str(reference) if reference else None,
            )
        )
    return out


def apply_suppressions(
    audits: list[DocumentAudit], suppressions: list[Suppression]
) -> tuple[list[DocumentAudit], list[str]]:
    """Mark suppressed claims and findings; return the audits and notes on unmatched entries."""
    used: set[int] = set()
    out: list[DocumentAudit] = []
    for d in audits:
        claim_ids = {c.id for c in d.claims}
        suppressed_claims: list[tuple[str, str]] = []
        for i, s in enumerate(suppressions):
            if s.claim and not s.finding and s.claim in claim_ids:
                suppressed_claims.append((s.claim, s.note))
                used.add(i)
        findings = []
        for f in d.findings:
            note = None
            for i, s in enumerate(suppressions):
                if s.finding and s.finding != f.kind:
                    continue
                if s.claim and s.claim != f.claim:
                    continue
                if s.reference and s.reference != f.reference:
                    continue
                note = s.note
                used.add(i)
                break
            findings.append(replace(f, suppressed=note) if note else f)
        out.append(replace(d, findings=tuple(findings), suppressed_claims=tuple(suppressed_claims)))
    notes = []
    for i, s in enumerate(suppressions):
        if i not in used:
            what = s.claim or s.finding
            notes.append(f"suppression for {what!r} matched nothing (unknown claim id or finding); check the file")
    return out, notes
