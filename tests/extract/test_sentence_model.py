"""The learned sentence model: the shipped file, what it may add, and training it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import cli
from paths import DATA, TESTS

from ldn_graph.errors import InputError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.sentence_model import (
    CHAR_SETTINGS,
    MODEL_FILE,
    WORD_SETTINGS,
    load_sentence_model,
    shipped_sentence_model,
)
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_text_document
from ldn_graph.resources import ontology_dir

CORPUS = TESTS / "corpus"
# synthetic sentences, written for these tests: paraphrases no vocabulary label covers
ADDED = [
    ("LDN was easy to take and most people stayed on it.", "Tolerability"),
    ("Most people find LDN easy to take.", "Tolerability"),
]


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()


def claims_of(text, vocab, learned=True):
    from ldn_graph.extract.references import find_references

    doc = read_text_document(text.encode("utf-8"), "synthetic.txt")
    return extract_claims(doc, vocab, *find_references(doc), learned=learned)


def with_thresholds(monkeypatch, **changed):
    """The shipped model, with some of its thresholds changed, as the extractor's model."""
    import copy

    import ldn_graph.extract.sentence_model as sentence_model

    shipped = load_sentence_model(ontology_dir() / MODEL_FILE)
    model = copy.copy(shipped)
    model.thresholds = replace(shipped.thresholds, **changed)
    monkeypatch.setattr(sentence_model, "_shipped", lambda: model)
    return model


def test_the_shipped_model_learned_from_development_documents_only():
    model = load_sentence_model(ontology_dir() / MODEL_FILE)
    splits = {}
    for gold in CORPUS.glob("*.gold.json"):
        data = json.loads(gold.read_text(encoding="utf-8"))
        splits[Path(data["document"]).name] = data.get("split")
    assert model.trained_on, "the model names the documents it learned from"
    assert {splits.get(d) for d in model.trained_on} == {"dev"}  # every one a development document of the corpus
    assert len(model.trained_on) >= 200


def test_reading_builds_the_features_scikit_learn_trained_on():
    """The model reads with numpy alone; its numbers are scikit-learn's, to rounding."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    from ldn_graph.read.documents import read_document

    path = ontology_dir() / MODEL_FILE
    model = load_sentence_model(path)
    data = np.load(path)
    word = TfidfVectorizer(**WORD_SETTINGS, vocabulary={t: i for i, t in enumerate(data["word_terms"])})
    word.idf_ = data["word_idf"]
    char = TfidfVectorizer(**CHAR_SETTINGS, vocabulary={t: i for i, t in enumerate(data["char_terms"])})
    char.idf_ = data["char_idf"]
    shape = (len(model.concepts) + 1, len(data["word_terms"]) + len(data["char_terms"]))
    coef = csr_matrix((data["coef_data"], data["coef_indices"], data["coef_indptr"]), shape=shape)
    texts = ["", "a", "I\u00a0am  fine\tnow", "Ünïcödé wörds — and 4.5mg!", "LDN eased my pain [2]."]
    for doc_path in sorted(CORPUS.glob("1[0-2]*_*.md")):
        doc = read_document(doc_path)
        texts += [doc.text[s.start : s.end] for s in doc.segments]
    expected = 1 / (1 + np.exp(-((hstack([word.transform(texts), char.transform(texts)]) @ coef.T).toarray()
                                 + data["intercept"])))
    got = model.read(texts)
    assert len(texts) > 300
    assert np.allclose([r.claims for r in got], expected[:, 0], atol=1e-9)
    for reading, row in zip(got, expected, strict=True):
        assert reading.concepts == pytest.approx({c: q for c, q in zip(model.concepts, row[1:], strict=True) if q >= 0.05},
                                                 abs=1e-9)


def test_an_added_claim_says_so_in_the_json_report():
    from ldn_graph import audit_text
    from ldn_graph.audit import AuditOptions
    from ldn_graph.report.json import to_json_dict

    text, concept = ADDED[1]
    claims = to_json_dict(audit_text(text, AuditOptions(offline=True)))["documents"][0]["claims"]
    added = [c for c in claims if c["concept"].endswith(concept)]
    assert [c["recognised_by"] for c in added] == ["sentence model"] and 0 < added[0]["model_probability"] <= 1
    assert all(c["recognised_by"] == "vocabulary" and c["model_probability"] is None for c in claims if c not in added)
    plain = to_json_dict(audit_text(text, AuditOptions(offline=True, sentence_model=False)))["documents"][0]["claims"]
    assert not any(c["concept"].endswith(concept) for c in plain)


def test_the_words_a_claim_rests_on_are_whole_words():
    model = load_sentence_model(ontology_dir() / MODEL_FILE)
    for text in ("Most people find LDN easy to take.", "Queasy? All find LDN easy to take."):  # not "qu[easy]"
        cue = model.cue(text, "Tolerability")
        assert cue is not None
        start, end = cue
        assert (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())
    assert model.cue("", "Tolerability") is None


def test_the_shipped_model_is_the_ldn_vocabularys_and_no_other(vocab):
    assert shipped_sentence_model(vocab) is not None
    assert shipped_sentence_model(load_vocabulary(DATA / "vocabulary-synthetic-metformin.ttl")) is None
    text = "Most people find metformin easy to take."
    metformin = load_vocabulary(DATA / "vocabulary-synthetic-metformin.ttl")
    assert all(c.learned is None for c in claims_of(text, metformin))


@pytest.mark.parametrize(("sentence", "concept"), ADDED)
def test_the_model_adds_a_paraphrase_the_vocabulary_misses(sentence, concept, vocab):
    assert concept not in {c.concept.name for c in claims_of(sentence, vocab, learned=False)}
    added = [c for c in claims_of(sentence, vocab) if c.concept.name == concept]
    assert len(added) == 1
    claim = added[0]
    assert claim.learned is not None and 0.0 < claim.learned <= 1.0
    cue = sentence[claim.match_start - claim.start : claim.match_end - claim.start]
    assert cue.strip() and re.search(r"\w", cue)  # the words it rests on, not the whole sentence
    assert claim.match_end - claim.match_start < len(sentence)


def test_the_files_thresholds_decide_what_is_added(vocab, monkeypatch):
    text, concept = ADDED[1]
    for changed, expected in (({"add": 0.0, "gate": 1.0}, False), ({"add": 1.0, "gate": 0.0}, False), ({}, True)):
        with_thresholds(monkeypatch, **changed)
        assert any(c.concept.name == concept and c.learned for c in claims_of(text, vocab)) is expected, changed


@pytest.mark.parametrize("text", [
    "Most people don't find LDN easy to take.",  # a negation: the model reads words, not their scope
    "Most people find LDN not easy to take.",
    "# Most people tolerate LDN with hardly any trouble",  # a heading
    "LDN at our clinic:\n\n- Most people tolerate LDN with hardly any trouble",  # a list item: its lead-in is unseen
    "These people find it easy to take.",  # points back
    "LDN plan:\n\n| Week | Dose at night |\n|---|---|\n| 1–2 | 1 mg |",  # a schedule's header row names columns
    "Most people find amitriptyline easy to take.",  # another drug's
])
def test_the_model_adds_nothing_where_it_cannot_read_the_sense(text, vocab):
    assert [c for c in claims_of(text, vocab) if c.learned is not None] == []


def test_the_model_keeps_plain_claims_and_never_overrules_a_rule(vocab):
    text = ("Side effects of LDN include fatigue and headache.\n\n"
            "LDN can cause vivid dreams.\n\n"
            "On LDN, many patients were able to reduce their opioid use.\n\n"
            "I never had a single headache on LDN.\n")
    with_model = [(c.concept.name, c.type) for c in claims_of(text, vocab) if c.learned is None]
    without = [(c.concept.name, c.type) for c in claims_of(text, vocab, learned=False)]
    assert with_model == without  # nothing of the rules' dropped
    added = {c.concept.name for c in claims_of(text, vocab) if c.learned is not None}
    assert "OpioidUse" not in added  # "opioid use" was read as opioid-sparing by a rule
    assert "Headache" not in added  # denied


# synthetic: words the vocabulary knows, in segments that claim nothing about the product
DROPPED = [
    ("Our consultation looks at your diet, sleep habits and stress.", "Sleep"),
    ("Your first appointment is an hour-long review of your history, from old infections to sleep habits.", "Sleep"),
    ("It is seldom prescribed by the NHS for pain, so most people pay privately.", "PainRelief"),
]


@pytest.mark.parametrize(("sentence", "concept"), DROPPED)
def test_the_model_drops_a_rule_s_claim_in_a_segment_that_claims_nothing(sentence, concept, vocab, monkeypatch):
    text = f"Low dose naltrexone (LDN) is a small dose of naltrexone.\n\n{sentence}\n"
    assert concept in {c.concept.name for c in claims_of(text, vocab, learned=False)}
    assert concept not in {c.concept.name for c in claims_of(text, vocab)}
    shipped = load_sentence_model(ontology_dir() / MODEL_FILE)
    reading = shipped.read([sentence])[0]
    assert reading.claims < shipped.thresholds.drop_claim
    # both conditions: the segment claims nothing, and the concept is unlikely there
    for changed in ({"drop_claim": reading.claims}, {"drop_concept": reading.concepts.get(concept, 0.0)}):
        with_thresholds(monkeypatch, **changed)
        assert concept in {c.concept.name for c in claims_of(text, vocab)}, changed


def test_a_broken_model_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(InputError, match="not a readable sentence model"):
        load_sentence_model(bad)
    np.savez(bad, format=np.array("something else"))
    with pytest.raises(InputError):
        load_sentence_model(bad)


def _dev_and_test(count):
    dev, test = [], []
    for gold in sorted(CORPUS.glob("*.gold.json")):
        split = json.loads(gold.read_text(encoding="utf-8")).get("split")
        (dev if split == "dev" else test).append(gold)
    return dev[:count], test[:1]


def test_train_model_learns_from_development_files_and_skips_the_test_half(tmp_path):
    dev, test = _dev_and_test(6)
    out = tmp_path / "model.npz"
    result = cli("train-model", *dev, *test, "-o", out, "--add", "0.4", "--gate", "0.6")
    assert result.exit_code == 0, result.stderr
    assert "trained on 6 documents" in result.stderr
    model = load_sentence_model(out)
    assert len(model.trained_on) == 6 and model.product == "naltrexone"
    assert (model.thresholds.add, model.thresholds.gate) == (0.4, 0.6)
    reading = model.read(["LDN eased my pain.", "Call us to order."])
    assert len(reading) == 2 and all(0.0 <= r.claims <= 1.0 for r in reading)
    assert all(set(r.concepts) <= set(model.concepts) for r in reading)
    assert model.read([]) == []


def test_train_model_with_no_development_file_is_a_one_line_error(tmp_path):
    _, test = _dev_and_test(0)
    result = cli("train-model", *test, "-o", tmp_path / "model.npz")
    assert result.exit_code != 0
    assert "no development gold files" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "model.npz").exists()


def test_cross_validation_scores_each_development_file_with_a_model_that_never_read_it():
    from ldn_graph.evaluate.crossval import fold_models
    from ldn_graph.extract.sentence_model import CHOSEN

    dev, test = _dev_and_test(3)
    models = fold_models([*dev, *test], load_vocabulary(), 3, CHOSEN)
    for gold in dev:
        document = json.loads(gold.read_text(encoding="utf-8"))["document"]
        assert Path(document).name not in models[gold].trained_on and len(models[gold].trained_on) == 2
    assert len(models[test[0]].trained_on) == 3  # the rest: a model trained on every development file given
    assert models[test[0]].thresholds == CHOSEN


def test_evaluate_cross_validate_reports_both_halves_and_refuses_too_few_files():
    dev, test = _dev_and_test(2)
    result = cli("evaluate", *dev, *test, "--cross-validate", "2")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^dev\t2\t", result.stdout, re.M) and re.search(r"^test\t1\t", result.stdout, re.M)
    few = cli("evaluate", *dev, *test, "--cross-validate", "3")
    assert few.exit_code != 0 and "cross-validation needs at least 3 development gold files" in few.stderr
    assert "Traceback" not in few.stderr and len(few.stderr.strip().splitlines()) == 1
    for extra in (["--no-sentence-model"], ["--against", str(CORPUS / "second-labelling")]):
        refused = cli("evaluate", *dev, "--cross-validate", "2", *extra)
        assert refused.exit_code == 2 and "cannot be combined" in refused.stderr, extra
        assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_harms_warnings_cited_claims_product_sentences_and_presupposing_questions_are_never_dropped(vocab, monkeypatch):
    """At thresholds that drop every claim it may drop, these stay."""
    # none but the cited claim and the third names the product: the product guard keeps none of the others
    text = ("# Low dose naltrexone (LDN)\n\n"
            "Side effects include fatigue and headache.\n\n"
            "Do not take it with codeine or other opioid painkillers.\n\n"
            "Could it be the answer for your fatigue?\n\n"
            "Low dose naltrexone improves sleep quality.\n\n"  # names the product
            "Fibromyalgia pain eased in a small trial [1].\n\n"  # cited
            "Many people take it for pain.\n\n"
            "What people tell us:\n\n- Improves sleep and mood\n\n"  # a list item: its sense is its lead-in's
            "## References\n\n1. Younger J, et al. Arthritis Rheum. 2013;65(2):529-38.\n")
    before = {(c.concept.name, c.type.value) for c in claims_of(text, vocab, learned=False)}
    assert {("Fatigue", "safety"), ("Headache", "safety"), ("OpioidUse", "contraindication"),
            ("Fatigue", "benefit"), ("Sleep", "benefit"), ("Fibromyalgia", "indication"), ("PainRelief", "benefit"),
            ("Mood", "benefit")} <= before
    with_thresholds(monkeypatch, add=1.01, drop_claim=1.01, drop_concept=1.01)
    after = [(c.concept.name, c.type.value, c.text) for c in claims_of(text, vocab)]
    dropped = [(name, kind, t) for name, kind, t in
               [(c.concept.name, c.type.value, c.text) for c in claims_of(text, vocab, learned=False)] if (name, kind, t) not in after]
    assert dropped == [("PainRelief", "benefit", "Many people take it for pain.")]


@pytest.mark.xfail(strict=True, reason="a known misreading: the model takes 'less … painkillers' for opioid-sparing")
def test_known_misreading_less_addictive_than_painkillers_is_no_opioid_sparing_claim(vocab):
    """Kept as a record: it fails while the shipped model makes this mistake, and starts to
    pass (so the strict xfail fails) once a retrained model stops making it; then it becomes
    a plain test."""
    assert "OpioidSparing" not in {c.concept.name for c in claims_of("LDN is less addictive than painkillers.", vocab)}


@pytest.mark.xfail(strict=True, reason="a known misreading: the model takes a titration's 'as tolerated' for tolerability")
def test_known_misreading_as_tolerated_is_no_tolerability_claim(vocab):
    """The models trained on 287, 301 and 307 development documents take "as tolerated" for
    the product's tolerability (0.31–0.34), the one trained on 295 did not: the reading sits
    near the model's threshold. The rules never claim it (tests/extract/test_claims.py)."""
    text = "Raise the LDN dose every week or two as tolerated."
    assert "Tolerability" not in {c.concept.name for c in claims_of(text, vocab)}


# synthetic: a testimonial that never names the drug, after a sentence about the condition
ASIDE_PAGE = ("# Low dose naltrexone (LDN) for Hashimoto's\n\n"
              "Our clinic prescribes LDN for autoimmune thyroid disease.\n\n"
              "Hashimoto's is an autoimmune condition of the thyroid. "
              "Now my brain fog has lifted and my antibody numbers dropped at my last check.\n")


def test_the_model_finds_claims_in_a_sentence_the_rules_read_as_an_aside(vocab):
    aside = "Now my brain fog has lifted and my antibody numbers dropped at my last check."
    assert all(c.text != aside for c in claims_of(ASIDE_PAGE, vocab, learned=False))
    found = {(c.concept.name, c.text) for c in claims_of(ASIDE_PAGE, vocab) if c.learned is not None}
    assert {("Cognition", aside), ("ThyroidAntibodies", aside)} <= found
    assert all(text == aside for _, text in found)  # not the sentence about the condition


def test_an_aside_gets_nothing_in_a_page_about_another_drug(vocab):
    page = ASIDE_PAGE.replace("Low dose naltrexone (LDN)", "Selenium").replace("prescribes LDN", "recommends selenium")
    assert [c for c in claims_of(page, vocab) if c.learned is not None] == []
    full_dose = ("# Naltrexone 50 mg for alcohol dependence\n\n"
                 "Naltrexone 50 mg tablets are taken once a day to help people stay off alcohol.\n\n"
                 "Alcohol dependence is a long-term condition. Patients tell us their cravings ease and they sleep better.\n")
    assert [c for c in claims_of(full_dose, vocab) if c.learned is not None] == []


def test_an_aside_needs_the_files_aside_thresholds(vocab, monkeypatch):
    with_thresholds(monkeypatch, aside_gate=1.01)
    assert [c for c in claims_of(ASIDE_PAGE, vocab) if c.learned is not None] == []
