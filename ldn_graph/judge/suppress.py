"""Reviewer suppressions: accepted claims and findings, each with a justification.

A suppressions file (YAML or JSON) lists entries such as::

    suppressions:
      - claim: "ComplexRegionalPainSyndrome:3f9a0c1b2d4e"
        justification: "Covered by the prescriber information leaflet"
        reviewer: "A. Reviewer"
      - finding: non_pubmed_source
        justification: "Web sources are acceptable for the dosing table"
        reviewer: "A. Reviewer"
      - finding: weak_evidence          # a kind, restricted to one claim or reference
        claim: "Fatigue:…"
        justification: "…"
        reviewer: "…"

Suppressed items still appear in every report, marked with the justification, and no
longer trigger ``--fail-on``. Entries that match nothing are reported. A claim id names
the claim's sentence and concept (see :mod:`ldn_graph.extract.claim_ids`), so an entry
keeps matching after unrelated edits, in every document that makes the claim. An id in
the older offset form (``<12 hex of the document's sha256>:<start>-<end>:<concept>``) is
matched once more by offset while its document is unchanged, with a note giving the id
to save instead. YAML aliases
(``*name``) are refused: nested ones expand exponentially (a "billion laughs").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.extract.claim_ids import offset_matches, parse_offset_id
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
    """Mark suppressed claims and findings; return the audits and notes on entries that
    matched nothing or matched by an offset-style id (with the id to save instead)."""
    used: set[int] = set()
    notes: list[str] = []
    out: list[DocumentAudit] = []
    for d in audits:
        named = _claims_named(d, suppressions, notes)
        suppressed_claims: list[tuple[str, str]] = []
        for i, s in enumerate(suppressions):
            if s.claim and not s.finding and named[i]:
                suppressed_claims.extend((cid, s.note) for cid in named[i])
                used.add(i)
        findings = []
        for f in d.findings:
            note = None
            for i, s in enumerate(suppressions):
                if s.finding and s.finding != f.kind:
                    continue
                if s.claim and f.claim not in named[i]:
                    continue
                if s.reference and s.reference != f.reference:
                    continue
                note = s.note
                used.add(i)
                break
            findings.append(replace(f, suppressed=note) if note else f)
        out.append(replace(d, findings=tuple(findings), suppressed_claims=tuple(suppressed_claims)))
    for i, s in enumerate(suppressions):
        if i in used:
            continue
        what = s.claim or s.finding
        if s.claim and parse_offset_id(s.claim):
            notes.append(
                f"suppression for {what!r} matched nothing: it is an offset-style claim id, which "
                "matches only the unchanged document it was written for; find the claim in this "
                "report and save its id instead (ids now survive unrelated edits)"
            )
        else:
            notes.append(f"suppression for {what!r} matched nothing (unknown claim id or finding); check the file")
    return out, notes


def _claims_named(d: DocumentAudit, suppressions: list[Suppression], notes: list[str]) -> list[set[str]]:
    """For each suppression, the ids of the claims of ``d`` it names: the one with its id,
    or, for an offset-style id written for this very document, the claims of its concept
    whose sentence overlaps its span (a note then gives the ids to save instead)."""
    ids = {c.id for c in d.claims}
    named: list[set[str]] = []
    for s in suppressions:
        if not s.claim:
            named.append(set())
        elif s.claim in ids:
            named.append({s.claim})
        elif (old := parse_offset_id(s.claim)) is None:
            named.append(set())
        else:
            found = [c.id for c in offset_matches(old, d.document, d.claims)]
            named.append(set(found))
            if found:
                new = ", ".join(repr(cid) for cid in found)
                notes.append(
                    f"suppression for {s.claim!r} in {d.document.path}: the claim id is in the old "
                    f"offset-style form, matched by offset this time; save {new} instead (the new "
                    "id names the sentence, not its place, and survives unrelated edits)"
                )
    return named
