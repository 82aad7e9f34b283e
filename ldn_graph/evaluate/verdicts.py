"""Scoring verdicts against hand-labelled (claim sentence, cited record) cases.

A verdict gold file (``*.verdicts.json``, schema ``ldn-graph/verdicts-gold/1``; format in
docs/gold-format.md) lists cases: a claim sentence, the concept it is about, the PMIDs it
cites, the test vocabulary of its product, and the labels — the verdict, the direction of
the deciding study, and the findings due (``contradicted_claim``, ``conflicting_evidence``,
``overstated_claim``, ``number_mismatch``). ``records`` names the files the cited records
come from (PubMed/MEDLINE XML, or JSON records named synthetic); the shipped seed records
are there too.

Each case is judged as the document "<claim>\\n\\nReferences\\n1. PMID: …" by the stages an
audit runs (read, extract, assess), with its vocabulary, its records from a cache of the
evaluation's own. Measured per split and per rule:
verdict accuracy, direction accuracy (of the deciding study's evidence), and findings
agreement (the four kinds above, as a set, exactly).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.evaluate.gold import SPLITS, read_json
from ldn_graph.evaluate.tables import Table, share_text, table_lines
from ldn_graph.model import (
    Assessment,
    Claim,
    Finding,
    Provenance,
    Record,
    Study,
    Vocabulary,
)
from ldn_graph.ontology.levels import LevelRules
from ldn_graph.terms import FindingKind, Origin

__all__ = ["VERDICT_SCHEMA", "CaseResult", "evaluate_verdicts", "is_verdict_gold", "render_verdicts", "verdict_agreement"]

VERDICT_SCHEMA = "ldn-graph/verdicts-gold/1"
#: The findings a case labels (others are not scored).
SCORED_FINDINGS = (FindingKind.CONTRADICTED_CLAIM, FindingKind.CONFLICTING_EVIDENCE,
                   FindingKind.OVERSTATED_CLAIM, FindingKind.NUMBER_MISMATCH)


def is_verdict_gold(path: str | Path) -> bool:
    """Whether ``path`` names a verdict gold file (by its name: ``*.verdicts.json``)."""
    return str(path).endswith(".verdicts.json")


@dataclass
class CaseResult:
    id: str
    split: str | None
    rule: str
    verdict: str
    got_verdict: str
    direction: str | None
    got_direction: str | None
    findings: frozenset[str]
    got_findings: frozenset[str]
    reason: str = ""

    @property
    def verdict_right(self) -> bool:
        return self.verdict == self.got_verdict

    @property
    def direction_right(self) -> bool:
        return self.direction is None or self.direction == self.got_direction

    @property
    def findings_right(self) -> bool:
        return self.findings == self.got_findings


@contextmanager
def _case_cache(path: Path, files: list[str]) -> Iterator[Path]:
    """A cache of the evaluation's own holding the cases' records (and the shipped seed)."""
    from ldn_graph.pubmed.cache import RecordCache

    with tempfile.TemporaryDirectory(prefix="ldn-graph-verdicts-") as folder:
        with RecordCache(folder) as cache:
            xml = [path.parent / f for f in files if not f.endswith(".json")]
            stats = cache.import_files(xml)
            if stats.errors:
                raise InputError(f"{path}: a record file could not be read: {stats.errors[0]}")
            for name in (f for f in files if f.endswith(".json")):
                items = json.loads((path.parent / name).read_text(encoding="utf-8"))
                when = "2026-01-01T00:00:00+00:00"
                cache.put_many((Study.from_dict(item), Provenance(Origin.TRANSCRIBED, when, name), None)
                               for item in items)
        yield Path(folder)


def _judge(text: str, name: str, vocabulary: Vocabulary, records: dict[str, Record], rules: LevelRules) -> Judged:
    """One case through the stages an audit runs (read, extract, assess), its records
    from the evaluation's cache: the claims, their assessments and the findings."""
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.references import find_references
    from ldn_graph.judge.evidence import DocumentContext, assess_document
    from ldn_graph.read.documents import read_text_document

    doc = read_text_document(text.encode("utf-8"), name)
    refs, markers = find_references(doc)
    claims = extract_claims(doc, vocabulary, refs, markers)
    missing = {r.pmid: "not among the cases' records" for r in refs if r.pmid and r.pmid not in records}
    assessments, findings = assess_document(claims, DocumentContext(refs, records, missing, markers), vocabulary, rules)
    return Judged(claims, {a.claim_id: a for a in assessments}, findings)


def evaluate_verdicts(path: str | Path) -> list[CaseResult]:
    """Judge every case of a verdict gold file and compare it with its labels."""
    from ldn_graph.ontology.levels import load_level_rules
    from ldn_graph.ontology.vocabulary import load_vocabulary
    from ldn_graph.pubmed.cache import RecordCache

    p = Path(path)
    data = read_json(p, VERDICT_SCHEMA, "verdict gold file")
    cases = data.get("cases")
    files = data.get("records") or []
    if not isinstance(cases, list) or not isinstance(files, list):
        raise InputError(f"{p}: 'cases' and 'records' must be lists")
    for n, case in enumerate(cases, 1):
        if not isinstance(case, dict) or not all(k in case for k in ("claim", "concept", "cites", "verdict")):
            raise InputError(f"{p}: case {n} needs 'claim', 'concept', 'cites' and 'verdict'")
    vocabularies: dict[str, Vocabulary] = {}
    rules = load_level_rules()
    results: list[CaseResult] = []
    with _case_cache(p, [str(f) for f in files]) as cache_dir, RecordCache(cache_dir) as cache:
        records = cache.get_many(str(pmid) for case in cases for pmid in case["cites"])
        for n, case in enumerate(cases, 1):
            name = str(case.get("vocabulary") or "")
            if name not in vocabularies:
                vocabularies[name] = load_vocabulary(p.parent / name)
            listed = "\n".join(f"{k}. PMID: {pmid}" for k, pmid in enumerate(case["cites"], 1))
            text = f"{case['claim']}\n\nReferences\n{listed}\n"
            judged = _judge(text, f"{case.get('id', n)}.txt", vocabularies[name], records, rules)
            results.append(_compare(case, judged, n))
    return results


def verdict_agreement(path: str | Path, second: str | Path) -> list[CaseResult]:
    """A second labeller's labels of the same cases (``second``: a verdict file of the same
    form, the same case ids) scored against the first's, case by case, as the tool is: how
    far two careful readers agree. Cases the second file lacks are left out."""
    first = read_json(Path(path), VERDICT_SCHEMA, "verdict gold file").get("cases") or []
    other = read_json(Path(second), VERDICT_SCHEMA, "verdict gold file").get("cases") or []
    theirs = {str(c.get("id")): c for c in other if isinstance(c, dict)}
    results: list[CaseResult] = []
    for n, case in enumerate(first, 1):
        label = theirs.get(str(case.get("id", n)))
        if label is None:
            continue
        result = _labels(case, n)
        result.got_verdict = str(label.get("verdict"))
        result.got_direction = label.get("direction") if label.get("verdict") != "off_topic" else None
        result.got_findings = frozenset(str(f) for f in label.get("findings") or [])
        result.reason = str(label.get("note") or "")
        results.append(result)
    return results


def _labels(case: dict[str, Any], n: int) -> CaseResult:
    """A case's labels, with nothing got yet."""
    split = case.get("split") if case.get("split") in SPLITS else None
    return CaseResult(
        id=str(case.get("id", n)), split=split, rule=str(case.get("rule", "")),
        verdict=str(case["verdict"]), got_verdict="no claim",
        direction=case.get("direction") if case.get("verdict") != "off_topic" else None, got_direction=None,
        findings=frozenset(str(f) for f in case.get("findings") or []), got_findings=frozenset(),
    )


@dataclass(frozen=True)
class Judged:
    claims: list[Claim]
    assessments: dict[str, Assessment]
    findings: list[Finding]


def _compare(case: dict[str, Any], audited: Judged, n: int) -> CaseResult:
    result = _labels(case, n)
    claim = next((c for c in audited.claims if c.concept.name == case["concept"]), None)
    if claim is not None:
        assessment = audited.assessments[claim.id]
        result.got_verdict, result.reason = str(assessment.verdict), assessment.reason
        deciding = str(case.get("deciding_pmid") or case["cites"][0])
        ev = next((e for e in assessment.evidence if e.pmid == deciding), None)
        result.got_direction = str(ev.direction) if ev is not None else None
        result.got_findings = frozenset(str(f.kind) for f in audited.findings
                                        if f.claim == claim.id and f.kind in SCORED_FINDINGS)
    return result


def _row(name: str, group: list[CaseResult]) -> list[str]:
    return [name, str(len(group)), share_text(sum(r.verdict_right for r in group), len(group)),
            share_text(sum(r.direction_right for r in group), len(group)),
            share_text(sum(r.findings_right for r in group), len(group))]


@dataclass
class _Groups:
    by: dict[str, list[CaseResult]] = field(default_factory=dict)

    def add(self, key: str, result: CaseResult) -> None:
        self.by.setdefault(key, []).append(result)


def render_verdicts(results: list[CaseResult], fmt: str = "text", verbose: bool = False,
                    second_labeller: bool = False) -> str:
    """Per split and per rule: verdict accuracy, direction accuracy, findings agreement;
    with ``verbose``, every case that is not right; with ``second_labeller``, the results
    are one labeller's against another's (:func:`verdict_agreement`)."""
    splits, rules = _Groups(), _Groups()
    for r in results:
        splits.add(r.split or "no split", r)
        rules.add(f"{r.rule} ({r.split or '-'})", r)
    head = ["split", "cases", "verdict accuracy", "direction", "findings"]
    tables: list[Table] = [
        ("Verdicts per split", head, [_row(k, v) for k, v in splits.by.items()]),
        ("Verdicts per rule", ["rule (split)", *head[1:]], [_row(k, v) for k, v in sorted(rules.by.items())]),
    ]
    if verbose:
        wrong = [[r.id, r.split or "-", r.rule, f"{r.verdict} → {r.got_verdict}",
                  f"{r.direction} → {r.got_direction}", f"{sorted(r.findings)} → {sorted(r.got_findings)}",
                  r.reason[:160]]
                 for r in results if not (r.verdict_right and r.direction_right and r.findings_right)]
        tables.append(("Every case not right", ["case", "split", "rule", "verdict", "direction", "findings", "reason"], wrong))
    about = ("Each case is a claim sentence citing one or two real (or named synthetic) records, audited offline "
             "with its product's test vocabulary. Verdict accuracy: the verdict labelled; direction: the deciding "
             "study's direction labelled; findings: exactly the labelled set of contradicted_claim, "
             "conflicting_evidence, overstated_claim and number_mismatch.")
    if second_labeller:
        about = ("A second labeller's verdicts, directions and findings for the same cases, read from the claim and "
                 "the records alone, scored against the first labeller's as the judge is scored (the judge not run).")
    title = "# Verdicts: a second labeller against the first" if second_labeller else "# Verdicts: evaluation"
    lead = [title, "", about] if fmt == "markdown" else []
    return "\n".join(lead + table_lines(tables, fmt, title_first=True)) + "\n"
