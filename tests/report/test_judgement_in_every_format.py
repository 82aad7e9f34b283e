"""Every report format shows a contradicted claim, an overstated one and a number the
study does not bear out, each with the sentence of the study that decided it. The records
are synthetic (PMIDs 9000004xx, "Synthetic J")."""

from __future__ import annotations

import html
import json

import pytest
from judgement_helpers import cache_with, synthetic_study

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.model import MeshHeading, PublicationType
from ldn_graph.report.formats import RENDERERS

RCT = (PublicationType("D016449", "Randomized Controlled Trial"),)
NALTREXONE = (MeshHeading("D009271", "Naltrexone"),)
NULL_SENTENCE = "Sleep quality did not differ between low-dose naltrexone and placebo (p=0.48)."
PILOT_SENTENCE = "Low-dose naltrexone was followed by less pain in this open-label, single-arm pilot."
COUNT_SENTENCE = "Fatigue fell by 31% with low-dose naltrexone against 12% with placebo (p=0.01)."
RECORDS = (
    synthetic_study("900000401", "low-dose naltrexone for sleep, a randomized trial",
                    ("METHODS", "We randomized 64 adults to low-dose naltrexone or placebo for 10 weeks."),
                    ("RESULTS", NULL_SENTENCE), mesh=NALTREXONE, publication_types=RCT),
    synthetic_study("900000402", "low-dose naltrexone for pain, an open-label pilot",
                    ("METHODS", "Fourteen adults took low-dose naltrexone for 8 weeks; there was no control group."),
                    ("CONCLUSIONS", PILOT_SENTENCE), mesh=NALTREXONE),
    synthetic_study("900000403", "low-dose naltrexone for fatigue, a randomized trial",
                    ("METHODS", "We randomized 90 adults to low-dose naltrexone or placebo for 12 weeks."),
                    ("RESULTS", COUNT_SENTENCE), mesh=NALTREXONE, publication_types=RCT),
)
PAGE = ("Low-dose naltrexone improves sleep quality [1]. Low-dose naltrexone relieves pain [2]. "
        "Low-dose naltrexone cut fatigue by 70% in trials [3].\n\n"
        "References\n1. PMID: 900000401\n2. PMID: 900000402\n3. PMID: 900000403\n")


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> object:
    folder = tmp_path_factory.mktemp("judged")
    cache = cache_with(folder, *RECORDS)
    page = folder / "copy.txt"
    page.write_text(PAGE, encoding="utf-8")
    return audit([page], AuditOptions(offline=True, cache_dir=cache))


def test_the_audit_finds_all_three(result: object) -> None:
    [doc] = result.documents  # type: ignore[attr-defined]
    kinds = {f.kind for f in doc.findings}
    assert {"contradicted_claim", "overstated_claim", "number_mismatch"} <= kinds
    verdicts = {c.concept.name: str(doc.assessment(c.id).verdict) for c in doc.claims}
    assert verdicts["Sleep"] == "contradicted" and verdicts["PainRelief"] == "supported"


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_every_format_shows_each_with_the_sentence_that_decided_it(result: object, name: str) -> None:
    out = RENDERERS[name](result, color=False)  # type: ignore[arg-type]
    text = html.unescape(out) if name == "html" else out
    if name in ("json", "jsonl"):
        text = " ".join(json.dumps(json.loads(line), ensure_ascii=False) for line in out.splitlines() if line.strip()) \
            if name == "jsonl" else json.dumps(json.loads(out), ensure_ascii=False)
    flat = " ".join(text.replace("│", " ").split())  # a table's cells wrap their lines
    for word in ("contradicted", "overstated_claim", "number_mismatch"):
        assert word in flat, (name, word)
    for sentence in (NULL_SENTENCE, PILOT_SENTENCE, COUNT_SENTENCE):
        assert sentence in flat, (name, sentence)
