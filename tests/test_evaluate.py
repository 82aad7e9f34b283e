from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ldn_graph.cli.group import main
from ldn_graph.errors import InputError
from ldn_graph.evaluate import evaluate_gold, summarize
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
    assert "(all)\t107\t" in ok.output
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
