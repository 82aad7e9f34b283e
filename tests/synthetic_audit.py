"""A hand-made (synthetic) audit result for graph, export, store and query tests.

The document, its claims, concepts, assessments and findings are invented and full of
hostile text (NUL, ESC, a lone surrogate, IRI-breaking characters in concept names and
URLs). The PubMed records are real: they are parsed from
``tests/data/medline/medline16n0902.xml.gz``; the "rationale" of the one supporting
evidence item is that record's real title.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ldn_graph.model import (
    Assessment,
    AuditResult,
    Claim,
    Concept,
    Document,
    DocumentAudit,
    Evidence,
    Finding,
    Provenance,
    Record,
    Reference,
    RunInfo,
    Segment,
    Vocabulary,
)
from ldn_graph.terms import ClaimType, EvidenceLevel, FindingKind, Origin, Verdict

DATA = Path(__file__).parent / "data"
MEDLINE = DATA / "medline" / "medline16n0902.xml.gz"

HOSTILE = "NUL\x00 ESC\x1b VT\x0b lone\ud800surrogate BEL\x07 DEL\x7f <tag> \"quote\" back\\slash {x}|^`"


@lru_cache(maxsize=1)
def medline_records() -> tuple[Record, ...]:
    """All 604 real records of the 2016 MEDLINE test file, as if imported into the cache."""
    from ldn_graph.pubmed.parse import iter_records

    return tuple(
        Record(r.study, Provenance(Origin.IMPORTED, "2024-05-01T12:00:00+00:00", source=MEDLINE.name))
        for r in iter_records(MEDLINE, with_raw=False)
    )


def _record_with_title() -> Record:
    return next(r for r in medline_records() if r.study.title and r.study.mesh)


def synthetic_result(*, sha: str = "5" * 64, generated_at: str = "2024-05-01T12:00:00+00:00") -> AuditResult:
    supporting = _record_with_title()
    other = next(r for r in medline_records() if r.study.pmid != supporting.study.pmid and r.study.title)
    pmid, other_pmid = supporting.study.pmid, other.study.pmid
    weird = Concept(
        iri="https://w3id.org/ldn-graph/vocab/ldn#Weird Name<\"x\">{|}",
        name="Weird Name/With:Colons & <angle> \"quotes\" \x00\ud800",
        label="Weird \x1b concept",
        claim_type=ClaimType.BENEFIT,
        mesh=("D005356", "X; DROP"),
        synonyms=("weird\x00thing",),
    )
    relative = Concept(iri="not an iri at all", name="Relative", label="Relative concept", claim_type=ClaimType.MECHANISM)
    normal = Concept(
        iri="https://w3id.org/ldn-graph/vocab/ldn#Fibromyalgia",
        name="Fibromyalgia",
        label="Fibromyalgia",
        claim_type=ClaimType.INDICATION,
        mesh=("D005356",),
    )
    text = (
        f"Synthetic copy. LDN helps fibromyalgia [1]. It is weird {HOSTILE} [2]. "
        "It acts relatively. References: [1] A study. [2] A web page."
    )
    doc = Document(
        path=f"synthetic {HOSTILE}.txt",
        sha256=sha,
        text=text,
        segments=(Segment(0, len(text), "sentence", 0),),
    )
    refs = (
        Reference("1", "pubmed", f"[1] {supporting.study.title}", 0, 10, pmid=pmid),
        Reference("2", "web", f"[2] web page {HOSTILE}", 10, 20, url=f"https://example.org/a b\"c<d>\x00{HOSTILE}"),
        Reference("3", "pubmed", "[3] not retrieved", 20, 30, pmid=other_pmid),
        Reference("4", "unresolved", "[4] something unresolvable", 30, 40),
    )
    short = sha[:12]
    c1 = Claim(f"{short}:16-44:Fibromyalgia", doc.path, "LDN helps fibromyalgia [1].", 16, 44, normal, 26, 38, hedged=False, negated=False, cited=("1",))
    c2 = Claim(
        f"{short}:45-120:{weird.name}", doc.path, f"It is weird {HOSTILE} [2].", 45, 120, weird, 51, 56, hedged=True, cited=("2",), location="page 2\x00"
    )
    c3 = Claim(f"{short}:121-140:Relative", doc.path, "It acts relatively.", 121, 140, relative, 121, 125)
    title = supporting.study.title
    assessments = (
        Assessment(
            c1.id,
            Verdict.SUPPORTED,
            f"PMID {pmid} addresses Fibromyalgia (title)",
            (Evidence(pmid, "1", "title", title, "title", 0, len(title), level=EvidenceLevel.RCT, level_reason="publication type", sample_size=31),),
        ),
        Assessment(c2.id, Verdict.UNVERIFIED, f"cites only a web page {HOSTILE}"),
        Assessment(c3.id, Verdict.UNSUPPORTED, "no inline citation and nothing in the list addresses it"),
    )
    findings = (
        Finding.of(FindingKind.UNVERIFIED_CLAIM, f"unverified {HOSTILE}", claim=c2.id),
        Finding.of(FindingKind.NON_PUBMED_SOURCE, "[2] is a web page", reference="2"),
        replace(
            Finding.of(FindingKind.UNSUPPORTED_CLAIM, "Relative concept has no source", claim=c3.id),
            suppressed="accepted by the reviewer",
        ),
    )
    audit = DocumentAudit(doc, refs, (), (c1, c2, c3), assessments, findings)
    run = RunInfo("0.1.0", generated_at, "synthetic vocabulary", "a" * 64, offline=True)
    vocab = Vocabulary("synthetic vocabulary", "a" * 64, (normal, weird, relative), "naltrexone", ("naltrexone",), ("D009271",))
    return AuditResult(
        run,
        (audit,),
        (),
        records={pmid: supporting},
        unavailable={other_pmid: "offline and not cached"},
        vocabulary=vocab,
    )
