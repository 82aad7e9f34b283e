from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from ldn_graph.cli.group import main
from ldn_graph.errors import InputError
from ldn_graph.evaluate.score import evaluate_gold, summarize
from ldn_graph.evaluate.tables import render
from ldn_graph.ontology.vocabulary import load_vocabulary

GOLD = sorted((Path(__file__).parent / "gold").glob("*.gold.json"))


def test_gold_set_covers_both_example_pages():
    documents = {json.loads(p.read_text())["document"].rsplit("/", 1)[1] for p in GOLD}
    assert documents == {"000_672ef885818ac143.txt", "001_4aaa9d78fd1a3130.txt"}


def test_extraction_meets_the_thresholds_on_the_gold_set():
    vocab = load_vocabulary()
    results = [evaluate_gold(p, vocab) for p in GOLD]
    total = summarize(results)
    detail = [(e.gold_file, e.false_positives, e.false_negatives) for e in results]
    assert total.recall >= 0.95, detail
    assert total.precision >= 0.90, detail
    for e in results:
        assert e.recall >= 0.95 and e.precision >= 0.90, (e.gold_file, e.false_positives, e.false_negatives)


def test_evaluation_counts_misses_and_extras(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("LDN helps fibromyalgia and lupus.\nIt improves sleep.\n", encoding="utf-8")
    gold = tmp_path / "page.gold.json"
    gold.write_text(
        json.dumps(
            {
                "schema": "ldn-graph/gold/1",
                "document": "page.txt",
                "annotations": [
                    {"text": "LDN helps fibromyalgia and lupus.", "claims": [{"concept": "Fibromyalgia"}, {"concept": "CrohnDisease"}]},
                ],
            }
        )
    )
    e = evaluate_gold(gold, load_vocabulary())
    assert e.true_positives == 1
    assert sorted(c for _, c in e.false_positives) == ["Lupus", "Sleep"]
    assert e.false_negatives == [("LDN helps fibromyalgia and lupus.", "CrohnDisease")]
    assert e.precision == pytest.approx(1 / 3) and e.recall == pytest.approx(1 / 2)


def test_cli_prints_scores_and_gates_on_thresholds(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["evaluate", *map(str, GOLD), "--min-precision", "0.9", "--min-recall", "0.95"])
    assert ok.exit_code == 0, ok.output
    assert "(all)\t108\t" in ok.output
    page = tmp_path / "p.txt"
    page.write_text("LDN helps lupus.\n")
    gold = tmp_path / "p.gold.json"
    gold.write_text(json.dumps({"schema": "ldn-graph/gold/1", "document": "p.txt", "annotations": [{"text": "LDN helps lupus.", "claims": [{"concept": "Fibromyalgia"}]}]}))
    bad = runner.invoke(main, ["evaluate", str(gold), "--min-recall", "0.95"])
    assert bad.exit_code == 1


def test_gold_file_errors_are_one_line(tmp_path):
    gold = tmp_path / "g.json"
    gold.write_text("{}")
    with pytest.raises(InputError, match="not a gold file"):
        evaluate_gold(gold, load_vocabulary())
    gold.write_text(json.dumps({"schema": "ldn-graph/gold/1", "document": "missing.txt", "annotations": []}))
    with pytest.raises(InputError, match="was not found"):
        evaluate_gold(gold, load_vocabulary())


# --------------------------------------------------------------------------- evaluation corpus

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.gold.json"))


def _gold(folder: Path, name: str, text: str, annotations: list, **extra) -> Path:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    gold = folder / f"{name}.gold.json"
    gold.write_text(json.dumps({"schema": "ldn-graph/gold/1", "document": f"{name}.txt", "annotations": annotations, **extra}))
    return gold


def test_extra_keys_are_read_and_unknown_keys_ignored(tmp_path):
    gold = _gold(
        tmp_path,
        "a",
        "LDN helps lupus.\n\nIt is cheap.\n",
        [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus", "type": "indication"}]}],
        genre="clinic-page",
        split="dev",
        synthetic="written for a test",
        whatever={"ignored": True},
        unmapped_claims=[{"text": "It is cheap.", "claim": "LDN is cheap", "type": "benefit", "proposed_concept": "LowCost"}],
        non_claims=[],
    )
    e = evaluate_gold(gold, load_vocabulary())
    assert (e.genre, e.split) == ("clinic-page", "dev")
    assert e.true_positives == 1 and not e.false_positives and not e.false_negatives
    assert e.unmapped == [("It is cheap.", "LowCost")]
    assert e.labelled_pairs == 1  # the unmapped claim is not counted in recall


def test_a_claim_on_a_non_claim_sentence_is_a_false_positive_with_its_reason(tmp_path):
    gold = _gold(
        tmp_path,
        "b",
        "LDN never helps lupus.\n\nLDN helps fibromyalgia.\n",
        [{"text": "LDN helps fibromyalgia.", "claims": [{"concept": "Fibromyalgia"}]}],
        split="test",
        non_claims=[{"text": "LDN never helps lupus.", "why": "negation"}],
    )
    e = evaluate_gold(gold, load_vocabulary())
    assert e.true_positives == 1
    assert ("LDN never helps lupus.", "Lupus", "negation") in e.non_claim_hits
    assert len(e.non_claim_hits) == len(e.false_positives)
    out = render([e])
    assert "test\tnegation\t" in out


def test_a_second_labelling_is_scored_against_the_first(tmp_path):
    text = "LDN helps lupus.\n\nLDN may cause vivid dreams.\n\nIt is cheap.\n"
    first = _gold(tmp_path, "d", text, [
        {"text": "LDN helps lupus.", "claims": [{"concept": "Lupus", "type": "indication"}]},
        {"text": "LDN may cause vivid dreams.", "claims": [{"concept": "VividDreams", "type": "safety"}]},
    ], split="dev", non_claims=[{"text": "It is cheap.", "why": "price"}])
    second = tmp_path / "second"
    second.mkdir()
    (second / first.name).write_text(json.dumps({
        "schema": "ldn-graph/gold/1", "document": str(tmp_path / "d.txt"), "split": "dev",
        "annotations": [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus", "type": "benefit"}]},
                        {"text": "It is cheap.", "claims": [{"concept": "GeneralSafety"}]}]}))
    e = evaluate_gold(first, load_vocabulary(), second / first.name)
    # one label in common (typed apart), one the first has not (on its non-claim), one missed
    assert (e.true_positives, e.type_agreement) == (1, 0)
    assert e.non_claim_hits == [("It is cheap.", "GeneralSafety", "price")]
    assert e.false_negatives == [("LDN may cause vivid dreams.", "VividDreams")]
    result = CliRunner().invoke(main, ["evaluate", str(first), str(tmp_path / "d.gold.json"), "--against", str(second)])
    assert result.exit_code == 0, result.output
    assert "0.500\t0.500" in result.output  # precision and recall of the second against the first
    # a second labelling of another document, or none at all, is a one-line error
    other = _gold(tmp_path, "e", "LDN helps lupus.\n", [])
    (second / other.name).write_text((second / first.name).read_text())
    with pytest.raises(InputError, match="labels d.txt, not e.txt"):
        evaluate_gold(other, load_vocabulary(), second / other.name)
    (tmp_path / "empty").mkdir()
    none = CliRunner().invoke(main, ["evaluate", str(first), "--against", str(tmp_path / "empty")])
    assert none.exit_code == 2 and "no gold file given has a second labelling" in none.output


def test_the_second_labelling_of_the_corpus_is_scored():
    second = Path(__file__).parent / "corpus" / "second-labelling"
    names = sorted(p.name for p in second.glob("*.gold.json"))
    assert names and all((second.parent / n).is_file() for n in names)  # each labels a corpus document again
    result = CliRunner().invoke(main, ["evaluate", *map(str, CORPUS), "--against", str(second), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Agreement between two labellers")
    rows = [line for line in result.output.split("## Per split")[0].splitlines() if line.startswith("| ") and ".gold.json |" in line]
    assert len(rows) == len(names)  # only the documents labelled twice are scored


def test_a_document_with_nothing_to_find_says_n_a(tmp_path):
    gold = _gold(tmp_path, "c", "Nothing here.\n", [], split="dev", non_claims=[{"text": "Nothing here.", "why": "filler"}])
    e = evaluate_gold(gold, load_vocabulary())
    line = next(row for row in render([e]).splitlines() if row.startswith(str(gold)))
    assert line.split("\t")[1:5] == ["0", "n/a", "n/a", "n/a"]


def test_per_genre_scores_need_30_labelled_pairs_in_the_split(tmp_path):
    vocab = load_vocabulary()
    many = " ".join(f"LDN helps lupus {i}." for i in range(30))
    big = _gold(
        tmp_path,
        "big",
        many + "\n",
        [{"text": f"LDN helps lupus {i}.", "claims": [{"concept": "Lupus"}]} for i in range(30)],
        genre="blog",
        split="dev",
    )
    small = _gold(
        tmp_path, "small", "LDN helps lupus.\n", [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus"}]}], genre="faq", split="dev"
    )
    out = render([evaluate_gold(big, vocab), evaluate_gold(small, vocab)], by_genre=True)
    genre_rows = out.split("# Per genre")[1].split("\n\n")[0].splitlines()
    blog = next(r for r in genre_rows if "\tblog\t" in r).split("\t")
    faq = next(r for r in genre_rows if "\tfaq\t" in r).split("\t")
    assert blog[3] == "30" and "n/a" not in blog[4]
    assert faq[4] == "n/a (< 30 labels)"


def test_split_filter_keeps_gold_files_without_a_split(tmp_path):
    examples = tmp_path / "examples"
    corpus = tmp_path / "corpus"
    examples.mkdir()
    corpus.mkdir()
    ann = [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus"}]}]
    plain = _gold(examples, "plain", "LDN helps lupus.\n", ann)
    dev = _gold(corpus, "dev", "LDN helps lupus.\n", ann, split="dev", genre="g")
    test = _gold(corpus, "test", "LDN helps lupus.\n", ann, split="test", genre="g")
    result = CliRunner().invoke(main, ["evaluate", str(plain), str(dev), str(test), "--split", "test"])
    assert result.exit_code == 0, result.output
    assert str(test) in result.output and str(plain) in result.output and str(dev) not in result.output
    per_split = result.output.split("# Per split")[1].split("\n\n")[0]
    assert "\ntest\t1\t" in per_split and "examples (no split)\t1\t" in per_split and "\ndev\t" not in per_split


def test_segmentation_agreement_counts_every_labelled_sentence(tmp_path):
    gold = _gold(
        tmp_path,
        "d",
        "LDN helps lupus.\nIt is cheap and\nwell liked.\n",
        [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus"}]}],
        split="dev",
        unmapped_claims=[
            {"text": "It is cheap and well liked.", "proposed_concept": "LowCost"},
            {"text": "A claim the reader lost.", "proposed_concept": "Lost"},
        ],
        non_claims=[{"text": "Not in the document at all.", "why": "script"}],
    )
    e = evaluate_gold(gold, load_vocabulary())
    assert e.sentences == 4
    # the hard-wrapped sentence is one segment (the reader joins its lines); a non-claim the
    # reader left out agrees, a claim it lost does not
    assert (e.segmented, e.dropped) == (3, 1)
    assert e.missed_segments == [("A claim the reader lost.", "unmapped claim")]
    assert "(3/4; 1 non-claims left out or hidden)" in render([e])


def test_whitespace_differences_still_locate_a_label(tmp_path):
    gold = _gold(tmp_path, "e", "LDN   helps\nlupus.\n", [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus"}]}])
    from ldn_graph.evaluate.gold import read_gold

    pair = read_gold(gold).pairs[0]
    assert (pair.start, pair.end) == (0, len("LDN   helps\nlupus."))


def test_markdown_output_and_verbose_listing(tmp_path):
    gold = _gold(
        tmp_path,
        "f",
        "LDN helps lupus | and sleep.\n",
        [{"text": "LDN helps lupus | and sleep.", "claims": [{"concept": "Lupus"}, {"concept": "CrohnDisease"}]}],
        split="test",
        genre="g",
    )
    result = CliRunner().invoke(main, ["evaluate", str(gold), "--format", "markdown", "-v", "--by-genre"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# Claim extraction: evaluation")
    assert "## Per split" in out and "## Per genre" in out and "| group | documents | pairs |" in out
    assert "| f.gold.json | missed | CrohnDisease | LDN helps lupus \\| and sleep. |" in out
    assert "| f.gold.json | false positive | Sleep |" in out


def test_the_corpus_evaluates(tmp_path):
    assert len(CORPUS) >= 14
    result = CliRunner().invoke(main, ["evaluate", *map(str, CORPUS), *map(str, GOLD), "--by-genre", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "| dev |" in result.output and "| test |" in result.output and "| gold (no split) |" in result.output


def test_a_menu_labelled_whole_and_read_link_by_link_agrees_but_prose_cut_in_two_does_not(tmp_path):
    # the plain-text reader knows no links, so the menu is written in Markdown
    text = "[Home](/) | [About](/about) | [Shop](/shop) | [Contact](/contact)\n\nCancel anytime. It is cheap.\n"
    (tmp_path / "m.md").write_text(text, encoding="utf-8")
    gold = tmp_path / "m.gold.json"
    gold.write_text(
        json.dumps(
            {
                "schema": "ldn-graph/gold/1",
                "document": "m.md",
                "annotations": [],
                "non_claims": [
                    {"text": "[Home](/) | [About](/about) | [Shop](/shop) | [Contact](/contact)", "why": "navigation"},
                    {"text": "Cancel anytime. It is cheap.", "why": "not about the product"},
                ],
            }
        )
    )
    e = evaluate_gold(gold, load_vocabulary())
    assert (e.sentences, e.segmented, e.tiled) == (2, 1, 1)
    assert e.missed_segments == [("Cancel anytime. It is cheap.", "non-claim: not about the product")]
    assert "1 non-claims cut finer into non-prose pieces" in render([e])


def test_a_label_typed_with_plain_digits_finds_a_superscript_marker():
    from ldn_graph.evaluate.gold import Locator

    text = "Pain fell on LDN.¹ Sleep improved."
    assert Locator(text).find("Pain fell on LDN.1") == (0, len("Pain fell on LDN.¹"))
    # a tag read as a space ("LDN.<sup>1</sup> Sleep" labelled "LDN. 1 Sleep"), a range's
    # superscript minus typed as a dash, and a link's hidden address skipped
    assert Locator(text).find("LDN. 1 Sleep") == (13, len("Pain fell on LDN.¹ Sleep"))
    assert Locator("It fades.¹⁻³ Then").find("fades. 1–3") == (3, len("It fades.¹⁻³"))
    linked = "See the trial <https://pubmed.ncbi.nlm.nih.gov/1/> today."
    hidden = [(linked.index(" <"), linked.index("> ") + 1)]
    assert Locator(linked, hidden).find("See the trial today.") == (0, len(linked))


@pytest.mark.parametrize("marker", ["1. ", "1) ", "(1) ", "[1] ", "3.2 ", "- ", "**", "> "])
def test_a_list_number_or_markup_at_a_labels_edge_does_not_move_its_boundary(marker: str) -> None:
    from ldn_graph.evaluate.score import _boundary_form

    entry = "Younger J, et al. Arthritis Rheum. 2013;65(2):529-38."
    assert _boundary_form(marker + entry) == _boundary_form(entry)


def test_link_text_inside_a_sentence_agrees_when_the_reader_kept_it_as_a_link(tmp_path):
    ann = [{"text": "LDN helps lupus.", "claims": [{"concept": "Lupus"}]}]
    link_text = [{"text": "MS Trust", "why": "link text"}]
    md = tmp_path / "m.md"
    md.write_text("LDN helps lupus. See the [MS Trust](https://mstrust.org.uk) for more.\n", encoding="utf-8")
    gold = tmp_path / "m.gold.json"
    gold.write_text(json.dumps({"schema": "ldn-graph/gold/1", "document": "m.md", "annotations": ann, "non_claims": link_text}))
    e = evaluate_gold(gold, load_vocabulary())
    assert (e.sentences, e.segmented, e.dropped) == (2, 2, 1)
    # the same words in plain text are no link: the reader cannot know them, so they disagree
    plain = _gold(tmp_path, "p", "LDN helps lupus. See the MS Trust for more.\n", ann, non_claims=link_text)
    e = evaluate_gold(plain, load_vocabulary())
    assert e.missed_segments == [("MS Trust", "non-claim: link text")]


def test_a_claim_label_is_found_where_the_reader_shows_a_links_address(tmp_path):
    # an HTML link inside the labelled sentence: the reader shows its address, the labeller
    # typed the sentence as the page reads
    page = tmp_path / "p.html"
    page.write_text('<html><body><h1>Low dose naltrexone</h1><p>LDN eased pain in a <a href="https://pubmed.ncbi.nlm.nih.gov/23359310/">'
                    "small 2013 trial</a> of women with fibromyalgia.</p></body></html>\n", encoding="utf-8")
    ann = [{"text": "LDN eased pain in a small 2013 trial of women with fibromyalgia.",
            "claims": [{"concept": "PainRelief"}, {"concept": "Fibromyalgia"}]}]
    gold = tmp_path / "p.gold.json"
    gold.write_text(json.dumps({"schema": "ldn-graph/gold/1", "document": "p.html", "annotations": ann}))
    e = evaluate_gold(gold, load_vocabulary())
    assert (e.true_positives, e.false_negatives, e.false_positives) == (2, [], [])


def test_citation_gold_scores_references_and_marker_links(tmp_path):
    doc = tmp_path / "c.txt"
    doc.write_text(
        "LDN eased pain [1]. Sleep improved [2]. A late note [9].\n\nReferences\n"
        "[1] Younger J, Noor N. Low-dose naltrexone. Arthritis Rheum. 2013;65(2):529-38.\n"
        "[2] Smith JP. LDN therapy. Am J Gastroenterol. 2007;102(4):820-8.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "c.cite.json"
    gold.write_text(json.dumps({
        "schema": "ldn-graph/citations-gold/1", "document": "c.txt", "split": "dev",
        "references": [
            {"key": "1", "text": "Younger J, Noor N. Low-dose naltrexone. Arthritis Rheum. 2013;65(2):529-38."},
            {"key": "2", "text": "Smith JP. LDN therapy. Am J Gastroenterol. 2007;102(4):820-8."},
        ],
        "markers": [
            {"text": "[1]", "context": "eased pain [1]", "refs": ["1"]},
            {"text": "[2]", "context": "improved [2]", "refs": ["1"]},  # labelled wrong on purpose
            {"text": "[9]", "context": "late note [9]", "refs": []},
        ],
    }))
    from ldn_graph.evaluate.citations import evaluate_citations, render_citations

    e = evaluate_citations(gold)
    assert (e.works, e.works_found, e.invented, e.twice) == (2, 2, [], 0)
    assert (e.markers, e.markers_right) == (3, 2)  # the dangling [9] is right: found, pointing at nothing
    assert e.problems == ["marker '[2]' in 'improved [2]' links to 2, labelled 1"]
    assert "dev\t1\t1.000 (2/2)\t0\t0\t0.667 (2/3)" in render_citations([e])
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 0 and "# References and markers" in result.output


def test_verdict_cases_are_judged_and_scored(tmp_path):
    """A two-case verdict file with synthetic records: one labelled right, one labelled
    wrong on purpose, so the scorer must tell them apart."""
    import json as _json

    from ldn_graph.evaluate.verdicts import evaluate_verdicts, render_verdicts

    records = [{"pmid": "99000101", "title": "Synthetic record: low-dose naltrexone for fatigue, a randomized trial",
                "abstract": [{"label": "RESULTS", "text": "Fatigue did not differ between low-dose naltrexone and placebo."}],
                "mesh": [{"ui": "D009271", "name": "Naltrexone"}], "year": 2020}]
    (tmp_path / "records.json").write_text(_json.dumps(records), encoding="utf-8")
    vocabulary = ROOT / "ontology" / "vocabulary-ldn.ttl"
    (tmp_path / "ldn.ttl").write_text(vocabulary.read_text(encoding="utf-8"), encoding="utf-8")
    case = {"vocabulary": "ldn.ttl", "claim": "Low dose naltrexone reduces fatigue [1].", "concept": "Fatigue",
            "cites": ["99000101"], "direction": "null", "rule": "null result"}
    gold = {"schema": "ldn-graph/verdicts-gold/1", "records": ["records.json"], "cases": [
        {**case, "id": "right", "split": "dev", "verdict": "contradicted", "findings": ["contradicted_claim"]},
        {**case, "id": "wrong", "split": "test", "verdict": "supported", "findings": []},
    ]}
    path = tmp_path / "cases.verdicts.json"
    path.write_text(_json.dumps(gold), encoding="utf-8")
    right, wrong = evaluate_verdicts(path)
    assert right.verdict_right and right.direction_right and right.findings_right
    assert not wrong.verdict_right and not wrong.findings_right and wrong.got_verdict == "contradicted"
    text = render_verdicts([right, wrong], verbose=True)
    assert "dev\t1\t1.000 (1/1)" in text and "test\t1\t0.000 (0/1)" in text and "supported → contradicted" in text


def test_a_second_labelling_of_verdicts_is_scored_against_the_first(tmp_path):
    """Two labellers of the same verdict cases: `--against` compares their labels case by
    case (the judge is not run); one disagreement on the verdict and findings shows."""
    import json as _json

    case = {"vocabulary": "none.ttl", "claim": "Low dose naltrexone reduces fatigue [1].", "concept": "Fatigue",
            "cites": ["99000101"], "direction": "null", "rule": "null result", "split": "test"}
    first = {"schema": "ldn-graph/verdicts-gold/1", "records": [], "cases": [
        {**case, "id": "a", "verdict": "contradicted", "findings": ["contradicted_claim"]},
        {**case, "id": "b", "verdict": "contradicted", "findings": ["contradicted_claim"]},
        {**case, "id": "c", "verdict": "off_topic", "direction": None, "findings": []},
    ]}
    second = {**first, "cases": [
        {**first["cases"][0]},
        {**first["cases"][1], "verdict": "supported", "direction": "positive", "findings": []},
    ]}  # case c has no second label: left out
    (tmp_path / "second").mkdir()
    (tmp_path / "x.verdicts.json").write_text(_json.dumps(first), encoding="utf-8")
    (tmp_path / "second" / "x.verdicts.json").write_text(_json.dumps(second), encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path / "x.verdicts.json"), "--against", str(tmp_path / "second")])
    assert result.exit_code == 0, result.output
    assert "test\t2\t0.500 (1/2)\t0.500 (1/2)\t0.500 (1/2)" in result.output
    markdown = CliRunner().invoke(main, ["evaluate", str(tmp_path / "x.verdicts.json"), "--against",
                                         str(tmp_path / "second"), "--format", "markdown"])
    assert "# Verdicts: a second labeller against the first" in markdown.output
    none = CliRunner().invoke(main, ["evaluate", str(tmp_path / "x.verdicts.json"), "--against", str(tmp_path)])
    assert none.exit_code == 0 and "test\t3\t1.000 (3/3)" in none.output  # against itself
