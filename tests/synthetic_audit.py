"""The two hand-made (synthetic) AuditResults the tests render, export and query.

* :func:`build_synthetic_result` - for the reports (table, Markdown, JSON, HTML, SVG): two
  documents, every verdict, findings of each severity, a suppressed claim, and hostile
  markup (:data:`HOSTILE`, ``<script>``) in paths, claims, reasons and references. The
  PubMed records are real: the transcribed seed records shipped in ``cache/pubmed`` and one
  record from NCBI's efetch output whose title carries ``<i>`` markup
  (``tests/data/eutils/title_with_html_tags.xml``).
* :func:`synthetic_result` - for the graph, export, store and query tests: one document
  full of hostile text (:data:`HOSTILE_CONTROLS`: NUL, ESC, a lone surrogate,
  IRI-breaking characters in concept names and URLs). Its PubMed records are real: parsed
  from ``tests/data/medline/medline16n0902.xml.gz`` (:func:`medline_records`); the
  "rationale" of the one supporting evidence item is that record's real title.

The documents, claims, concepts, assessments and findings of both are invented.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ldn_graph.extract.claim_ids import claim_id
from ldn_graph.model import (
    Assessment,
    AuditResult,
    Claim,
    Concept,
    Document,
    DocumentAudit,
    Evidence,
    Finding,
    InputProblem,
    Provenance,
    Record,
    Reference,
    RunInfo,
    Segment,
    Study,
    Vocabulary,
)
from ldn_graph.pubmed.parse import iter_records, parse_records
from ldn_graph.terms import ClaimType, EvidenceLevel, FindingKind, Origin, SegmentRole, Verdict

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MEDLINE = DATA / "medline" / "medline16n0902.xml.gz"
LDNV = "https://w3id.org/ldn-graph/vocab/ldn#"

HOSTILE = "<script>alert(1)</script>"
HOSTILE_CONTROLS = "NUL\x00 ESC\x1b VT\x0b lone\ud800surrogate BEL\x07 DEL\x7f <tag> \"quote\" back\\slash {x}|^`"
RUN_AT = "2026-12-02T00:00:00+00:00"


# ---------------------------------------------------------------- the report scenario

def seed_record(pmid: str) -> Record:
    data = json.loads((ROOT / "cache" / "pubmed" / f"{pmid}.json").read_text(encoding="utf-8"))
    return Record(Study.from_dict(data["study"]), Provenance(**data["provenance"]))


def markup_record() -> Record:
    (study,) = parse_records(DATA / "eutils" / "title_with_html_tags.xml")
    return Record(study, Provenance("imported", "2026-10-03T08:00:00+00:00", "title_with_html_tags.xml"))


def concept(name: str, label: str, claim_type: str, mesh: tuple[str, ...] = ()) -> Concept:
    return Concept(LDNV + name, name, label, claim_type, mesh)


FIBRO = concept("Fibromyalgia", "Fibromyalgia", "indication", ("D005356",))
CROHN = concept("CrohnDisease", "Crohn's disease & colitis", "indication", ("D003424",))
MS = concept("MultipleSclerosis", "Multiple sclerosis", "indication", ("D009103",))
SLEEP = concept("Sleep", "Sleep", "benefit")
FATIGUE = concept("Fatigue", "Fatigue", "benefit", ("D005221",))


def _document(path: str, sentences: list[str], tail: str = "") -> tuple[Document, list[tuple[int, int]]]:
    spans, text = [], ""
    for s in sentences:
        start = len(text)
        text += s
        spans.append((start, len(text)))
        text += " "
    text += tail
    sha = hashlib.sha256(text.encode()).hexdigest()
    segments = tuple(Segment(a, b, SegmentRole.SENTENCE, i) for i, (a, b) in enumerate(spans))
    return Document(path, sha, text, segments, "text/html"), spans


def _claim(doc: Document, span: tuple[int, int], c: Concept, words: str, cited: tuple[str, ...] = (), **kw: object) -> Claim:
    start, end = span
    text = doc.text[start:end]
    at = text.index(words) + start
    return Claim(claim_id(text, c), doc.path, text, start, end, c, at, at + len(words), cited=cited, **kw)  # type: ignore[arg-type]


def page_audit() -> DocumentAudit:
    sentences = [
        "LDN eases fibromyalgia pain [1].",
        f"{HOSTILE} LDN calms Crohn's disease & colitis <b>fast</b> [2].",
        "LDN treats multiple sclerosis.",
        "LDN improves sleep [3][4].",
        "LDN may reduce fatigue.",
    ]
    refs_text = (
        "1. Younger J, et al. Arthritis Rheum 2013. PMID 23359310\n"
        "2. Telomeres & cancer. PMID 27797938\n"
        "3. A sleep study. PMID 29768149\n"
        "4. LDN & sleep <em>blog</em> javascript:alert(2)\n"
        "5. Brown N, Panksepp J. Med Hypotheses 2009. PMID 19041189\n"
    )
    doc, spans = _document(f"pages/synthetic {HOSTILE}.html", sentences, "References\n" + refs_text)
    base = doc.text.index("References")
    refs = (
        Reference("1", "pubmed", "Younger J, et al. Arthritis Rheum 2013. PMID 23359310", base, base + 10, pmid="23359310"),
        Reference("2", "pubmed", "Telomeres & cancer. PMID 27797938", base, base + 10, pmid="27797938"),
        Reference("3", "pubmed", "A sleep study. PMID 29768149", base, base + 10, pmid="29768149"),
        Reference("4", "web", "LDN & sleep <em>blog</em> javascript:alert(2)", base, base + 10, url="javascript:alert(2)"),
        Reference("5", "pubmed", "Brown N, Panksepp J. Med Hypotheses 2009. PMID 19041189", base, base + 10, pmid="19041189"),
    )
    claims = (
        _claim(doc, spans[0], FIBRO, "fibromyalgia", ("1",), hedged=False),
        _claim(doc, spans[1], CROHN, "Crohn's disease & colitis", ("2",), hedged=False),
        _claim(doc, spans[2], MS, "multiple sclerosis", hedged=False),
        _claim(doc, spans[3], SLEEP, "sleep", ("3", "4"), hedged=False),
        _claim(doc, spans[4], FATIGUE, "fatigue", hedged=True),
    )
    younger_title = seed_record("23359310").study.title
    brown_title = seed_record("19041189").study.title
    assessments = (
        Assessment(
            claims[0].id, "supported",
            "[1] (PMID 23359310) — title mentions Fibromyalgia; evidence level rct: design words in the title",
            (Evidence("23359310", "1", "title", younger_title, "title", level="rct",
                      level_reason="title: randomized, double-blind, placebo-controlled", sample_size=31),),
        ),
        Assessment(claims[1].id, "off_topic", f"cited sources do not address it: [2] (PMID 27797938): not about naltrexone {HOSTILE}"),
        Assessment(claims[2].id, "unsupported", "no inline citation, and none of the 4 PubMed reference(s) in the list addresses Multiple sclerosis"),
        Assessment(claims[3].id, "unverified", "cites sources that could not be checked: [3] (PMID 29768149): offline and not in the cache; [4] is a website"),
        Assessment(
            claims[4].id, "inferred",
            "no inline citation; the reference list has [5] (PMID 19041189) — title mentions quality of life; evidence level opinion",
            (Evidence("19041189", "5", "title", brown_title, "title", level="opinion",
                      level_reason="journal Med Hypotheses publishes hypotheses"),),
        ),
    )
    findings = (
        Finding("off_topic_citation", "error", f"[2] does not address Crohn's & colitis {HOSTILE}", claims[1].id, "2"),
        Finding("unsupported_claim", "error", "Multiple sclerosis (indication) has no source", claims[2].id),
        Finding("unverified_claim", "warning", "Sleep: cited sources could not be checked", claims[3].id),
        Finding("weak_evidence", "warning", "the best support for Fatigue (PMID 19041189) is opinion", claims[4].id, "5",
                suppressed="Accepted by the medical reviewer: hedged wording <ok>"),
        Finding("non_pubmed_source", "info", "[4] is a web source, not a PubMed study", None, "4"),
    )
    return DocumentAudit(doc, refs, (), claims, assessments, findings,
                         suppressed_claims=((claims[4].id, "Hedged FAQ answer, approved in review #12"),))


def monograph_audit() -> DocumentAudit:
    sentences = [
        "Low-dose naltrexone improves active Crohn's disease.",
        "LDN is used for fibromyalgia.",
        "LDN reverses multiple sclerosis.",
    ]
    doc, spans = _document("monograph-synthetic.txt", sentences, "References\n1. Smith JP et al. PMID 17222320\n")
    base = doc.text.index("References")
    refs = (Reference("1", "pubmed", "Smith JP et al. PMID 17222320", base, base + 10, pmid="17222320"),)
    claims = (
        _claim(doc, spans[0], CROHN, "Crohn's disease"),
        _claim(doc, spans[1], FIBRO, "fibromyalgia"),
        _claim(doc, spans[2], MS, "multiple sclerosis"),
    )
    crohn_title = seed_record("17222320").study.title
    assessments = (
        Assessment(claims[0].id, "inferred", "no inline citation; the reference list has [1] (PMID 17222320)",
                   (Evidence("17222320", "1", "title", crohn_title, "title", level="clinical_trial",
                             level_reason="open-label pilot"),)),
        Assessment(claims[1].id, "unsupported", "no inline citation, and none of the 1 PubMed reference(s) in the list addresses Fibromyalgia"),
        Assessment(claims[2].id, "unsupported", "no inline citation, and none of the 1 PubMed reference(s) in the list addresses Multiple sclerosis"),
    )
    findings = (
        Finding("unsupported_claim", "error", "Fibromyalgia (indication) has no source", claims[1].id),
        Finding("unsupported_claim", "error", "Multiple sclerosis (indication) has no source", claims[2].id),
    )
    return DocumentAudit(doc, refs, (), claims, assessments, findings)


def build_synthetic_result() -> AuditResult:
    records = {p: seed_record(p) for p in ("23359310", "19041189", "17222320")}
    records["27797938"] = markup_record()
    run = RunInfo(
        tool_version="0.1.0",
        generated_at=RUN_AT,
        vocabulary_source="builtin:ontology/ldn-vocabulary.ttl",
        vocabulary_sha256="0" * 63 + "1",
        offline=True,
        notes=("network unavailable: used the cache only",),
    )
    return AuditResult(
        run,
        (page_audit(), monograph_audit()),
        (InputProblem(f"missing {HOSTILE}.docx", "cannot read missing.docx: no such file; check the path"),),
        records,
        {"29768149": "offline and not in the cache"},
    )


# ----------------------------------------------------- the graph, export and store scenario


@lru_cache(maxsize=1)
def medline_records() -> tuple[Record, ...]:
    """All 604 real records of the 2016 MEDLINE test file, as if imported into the cache."""
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
        f"Synthetic copy. LDN helps fibromyalgia [1]. It is weird {HOSTILE_CONTROLS} [2]. "
        "It acts relatively. References: [1] A study. [2] A web page."
    )
    doc = Document(
        path=f"synthetic {HOSTILE_CONTROLS}.txt",
        sha256=sha,
        text=text,
        segments=(Segment(0, len(text), SegmentRole.SENTENCE, 0),),
    )
    refs = (
        Reference("1", "pubmed", f"[1] {supporting.study.title}", 0, 10, pmid=pmid),
        Reference("2", "web", f"[2] web page {HOSTILE_CONTROLS}", 10, 20, url=f"https://example.org/a b\"c<d>\x00{HOSTILE_CONTROLS}"),
        Reference("3", "pubmed", "[3] not retrieved", 20, 30, pmid=other_pmid),
        Reference("4", "unresolved", "[4] something unresolvable", 30, 40),
    )
    c1 = Claim(claim_id("LDN helps fibromyalgia [1].", normal), doc.path, "LDN helps fibromyalgia [1].", 16, 44, normal, 26, 38, hedged=False, negated=False, cited=("1",))
    c2 = Claim(
        claim_id(f"It is weird {HOSTILE_CONTROLS} [2].", weird), doc.path, f"It is weird {HOSTILE_CONTROLS} [2].", 45, 120, weird, 51, 56, hedged=True, cited=("2",), location="page 2\x00"
    )
    c3 = Claim(claim_id("It acts relatively.", relative), doc.path, "It acts relatively.", 121, 140, relative, 121, 125)
    title = supporting.study.title
    assessments = (
        Assessment(
            c1.id,
            Verdict.SUPPORTED,
            f"PMID {pmid} addresses Fibromyalgia (title)",
            (Evidence(pmid, "1", "title", title, "title", 0, len(title), level=EvidenceLevel.RCT, level_reason="publication type", sample_size=31),),
        ),
        Assessment(c2.id, Verdict.UNVERIFIED, f"cites only a web page {HOSTILE_CONTROLS}"),
        Assessment(c3.id, Verdict.UNSUPPORTED, "no inline citation and nothing in the list addresses it"),
    )
    findings = (
        Finding.of(FindingKind.UNVERIFIED_CLAIM, f"unverified {HOSTILE_CONTROLS}", claim=c2.id),
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
