"""A saved ``--suppress`` file keeps matching after unrelated edits of the document; an
id in the older offset form is matched once more by offset, with a note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli as run

from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.judge.suppress import apply_suppressions, load_suppressions
from ldn_graph.model import Claim, Document, DocumentAudit, Finding, Vocabulary
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_html_document, read_text_document
from ldn_graph.terms import FindingKind

COPY = (
    "About the pharmacy\n\n"
    "We compound low dose naltrexone in capsules and creams.\n\n"
    "Low dose naltrexone may ease fibromyalgia pain in some patients.\n\n"
    "Low dose naltrexone is thought to calm microglia.\n\n"
    "Our opening hours are Monday to Friday.\n"
)
SENTENCE = "Low dose naltrexone may ease fibromyalgia pain in some patients."


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary()


def audit_of(doc: Document, vocab: Vocabulary, finding_on: str | None = None) -> DocumentAudit:
    """``doc``'s claims (no assessments), with an unsupported-claim finding on each claim
    about ``finding_on``."""
    claims = tuple(extract_claims(doc, vocab, *find_references(doc)))
    findings = tuple(
        Finding.of(FindingKind.UNSUPPORTED_CLAIM, f"{c.concept.label} has no source", c.id)
        for c in claims
        if c.concept.name == finding_on
    )
    return DocumentAudit(doc, (), (), claims, (), findings)


def text_doc(text: str) -> Document:
    return read_text_document(text.encode(), "pharmacy.txt")


def fibromyalgia(d: DocumentAudit) -> Claim:
    (claim,) = [c for c in d.claims if c.concept.name == "Fibromyalgia"]
    return claim


def suppress_file(tmp_path: Path, *claim_ids: str, finding: str | None = None) -> Path:
    path = tmp_path / "accepted.yaml"
    entries = "".join(
        f"  - claim: '{cid}'\n"
        + (f"    finding: {finding}\n" if finding else "")
        + "    justification: covered by the leaflet\n    reviewer: A. Reviewer\n"
        for cid in claim_ids
    )
    path.write_text("suppressions:\n" + entries, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: t.replace("Monday to Friday", "Monday to Saturday"), id="another-paragraph"),
        pytest.param(lambda t: t.replace("About the pharmacy\n\n", "About the pharmacy\n\nWe opened in 1998.\n\n"),
                     id="a-paragraph-before"),
        pytest.param(lambda t: t.replace(SENTENCE, "Ask us about it. " + SENTENCE), id="a-sentence-before"),
        pytest.param(lambda t: t.replace("calm microglia", "calm the microglia"), id="another-claim"),
    ],
)
def test_a_saved_suppression_matches_after_an_unrelated_edit(tmp_path: Path, vocab: Vocabulary, edit) -> None:
    before = audit_of(text_doc(COPY), vocab)
    accepted = fibromyalgia(before).id
    after = audit_of(text_doc(edit(COPY)), vocab)
    assert after.document.sha256 != before.document.sha256
    (marked,), notes = apply_suppressions([after], load_suppressions(suppress_file(tmp_path, accepted)))
    assert notes == []
    assert marked.suppression(accepted) == "covered by the leaflet — A. Reviewer"
    assert [c.concept.name for c in marked.claims if marked.suppression(c.id)] == ["Fibromyalgia"]


def test_a_saved_suppression_matches_after_re_wrapping(tmp_path: Path, vocab: Vocabulary) -> None:
    page = "<html><body><h1>LDN</h1><p>We compound it.</p><p>{}</p></body></html>"
    before = audit_of(read_html_document(page.format(SENTENCE).encode(), "p.html"), vocab)
    wrapped = SENTENCE.replace("ease ", "ease\n  ").replace("in some", "in\nsome")
    after = audit_of(read_html_document(page.format(wrapped).encode(), "p.html"), vocab)
    accepted = fibromyalgia(before).id
    (marked,), notes = apply_suppressions([after], load_suppressions(suppress_file(tmp_path, accepted)))
    assert notes == [] and marked.suppression(accepted)


def test_a_changed_sentence_no_longer_matches(tmp_path: Path, vocab: Vocabulary) -> None:
    before = audit_of(text_doc(COPY), vocab)
    accepted = fibromyalgia(before).id
    after = audit_of(text_doc(COPY.replace("may ease", "cures")), vocab)
    (marked,), notes = apply_suppressions([after], load_suppressions(suppress_file(tmp_path, accepted)))
    assert not marked.suppressed_claims
    assert notes == [f"suppression for {accepted!r} matched nothing (unknown claim id or finding); check the file"]


def test_a_finding_restricted_to_a_claim_matches_after_an_edit(tmp_path: Path, vocab: Vocabulary) -> None:
    accepted = fibromyalgia(audit_of(text_doc(COPY), vocab)).id
    after = audit_of(text_doc("Welcome!\n\n" + COPY), vocab, finding_on="Fibromyalgia")
    supp = suppress_file(tmp_path, accepted, finding="unsupported_claim")
    (marked,), notes = apply_suppressions([after], load_suppressions(supp))
    assert notes == []
    assert [f.suppressed for f in marked.findings] == ["covered by the leaflet — A. Reviewer"]
    assert not marked.suppressed_claims  # a finding entry accepts the finding, not the claim


# --------------------------------------------------------------------------- offset-style ids


def offset_id(doc: Document, claim: Claim) -> str:
    """The id the claim had when ids were offsets."""
    return f"{doc.sha256[:12]}:{claim.start}-{claim.end}:{claim.concept.name}"


def test_an_offset_style_id_is_matched_once_more_with_a_note(tmp_path: Path, vocab: Vocabulary) -> None:
    d = audit_of(text_doc(COPY), vocab, finding_on="Fibromyalgia")
    claim = fibromyalgia(d)
    old = offset_id(d.document, claim)
    # a span from an older segmentation still names the sentence it overlaps
    older = f"{d.document.sha256[:12]}:{claim.start - 3}-{claim.start + 10}:Fibromyalgia"
    (marked,), notes = apply_suppressions([d], load_suppressions(suppress_file(tmp_path, old, older)))
    assert marked.suppression(claim.id) == "covered by the leaflet — A. Reviewer"
    assert len(notes) == 2
    for note, written in zip(notes, (old, older), strict=True):
        assert note.startswith(f"suppression for {written!r} in pharmacy.txt: the claim id is in the old offset-style form")
        assert f"save {claim.id!r} instead" in note
    # a finding entry restricted to an old id
    (marked,), _ = apply_suppressions([d], load_suppressions(suppress_file(tmp_path, old, finding="unsupported_claim")))
    assert [f.suppressed for f in marked.findings] == ["covered by the leaflet — A. Reviewer"]


def test_an_offset_style_id_needs_its_document_and_concept(tmp_path: Path, vocab: Vocabulary) -> None:
    d = audit_of(text_doc(COPY), vocab)
    claim = fibromyalgia(d)
    other_concept = f"{d.document.sha256[:12]}:{claim.start}-{claim.end}:Lupus"
    edited = audit_of(text_doc(COPY + "\nCall us.\n"), vocab)
    stale = offset_id(d.document, claim)
    (marked,), notes = apply_suppressions([edited], load_suppressions(suppress_file(tmp_path, stale, other_concept)))
    assert not marked.suppressed_claims
    assert len(notes) == 2 and all("matched nothing: it is an offset-style claim id" in n for n in notes)
    assert all("save its id instead" in n for n in notes)


# --------------------------------------------------------------------------- the command line


def audit_json(path: Path, *args: str) -> tuple[int, dict, str]:
    result = run("audit", "--offline", "--format", "json", *args, str(path))
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_cli_a_saved_suppress_file_keeps_matching_across_an_edit(tmp_path: Path) -> None:
    copy = tmp_path / "pharmacy.html"
    page = "<html><body><h1>LDN at our pharmacy</h1><p>{}</p><p>{}</p><p>Open {}.</p></body></html>"
    copy.write_text(page.format("We compound it.", SENTENCE, "Monday to Friday"), encoding="utf-8")
    code, out, _ = audit_json(copy, "--fail-on", "unsupported")
    claims = out["documents"][0]["claims"]
    assert code == 1 and {c["verdict"] for c in claims} == {"unsupported"}
    supp = suppress_file(tmp_path, *(c["id"] for c in claims))
    # edited: another paragraph, a sentence before, the claim's own paragraph re-wrapped
    wrapped = "Ask us about it. " + SENTENCE.replace("ease ", "ease\n    ")
    copy.write_text(page.format("We compound it in capsules.", wrapped, "Monday to Saturday"), encoding="utf-8")
    code, out, stderr = audit_json(copy, "--fail-on", "unsupported", "--suppress", str(supp))
    assert code == 0, stderr
    assert "matched nothing" not in stderr and out["provenance"]["notes"] == []
    got = out["documents"][0]["claims"]
    assert {c["id"] for c in got} >= {c["id"] for c in claims}
    assert all(c["suppressed"] for c in got if c["id"] in {c["id"] for c in claims})


def test_cli_an_offset_style_id_matches_with_a_note_giving_the_new_id(tmp_path: Path) -> None:
    copy = tmp_path / "pharmacy.txt"
    copy.write_text(COPY, encoding="utf-8")
    _, out, _ = audit_json(copy)
    doc = out["documents"][0]
    (claim,) = [c for c in doc["claims"] if c["concept"].endswith("#Fibromyalgia")]
    old = f"{doc['sha256'][:12]}:{claim['start']}-{claim['end']}:Fibromyalgia"
    _, out, stderr = audit_json(copy, "--suppress", str(suppress_file(tmp_path, old)))
    (marked,) = [c for c in out["documents"][0]["claims"] if c["id"] == claim["id"]]
    assert marked["suppressed"] == "covered by the leaflet — A. Reviewer"
    (note,) = out["provenance"]["notes"]
    assert old in note and f"save {claim['id']!r} instead" in note
    assert f"save {claim['id']!r} instead" in " ".join(stderr.split())
