"""Concept matching: sentences per second, before and after word-family matching.

    python bench/bench_matching.py                    # the corpus's sentences, 1x and 4x
    python bench/bench_matching.py --write-docs docs/performance.md

Input: every sentence and list item the reader finds in the evaluation corpus
(tests/corpus), repeated to the size asked for. Timed, CPU time, after a warm-up run:

- ``labels as written``: the previous matcher, one case-insensitive alternation of every
  label (an optional plural "s") and the case-sensitive abbreviations; built here from
  the same helpers the matcher uses for that path;
- ``TermMatcher.find``: the current matcher (labels as written, plus word families in any
  order, doses, coordinated numbers, the product's name and web addresses blocked);
- ``word keys alone``: the stemming step on every word, with no cache (what each new
  word costs), with snowballstemmer's pure-Python English stemmer and, beside it,
  PyStemmer (the same Snowball algorithm in C, the faster one a user could pick; the
  ``bench`` extra installs it, and snowballstemmer then uses it by itself);
- ``sentence model``: the learned model reading every sentence in one batch, and claim
  extraction over every corpus document with the rules alone and as the model revises
  them (what ``--no-sentence-model`` saves); its load time once.

Linear growth shows as a steady number of sentences per second across sizes.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from docs_section import publish

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "corpus"
MARK_START, MARK_END = "<!-- matching:start -->", "<!-- matching:end -->"
SCALES = (1, 4)


def corpus_sentences() -> list[str]:
    from ldn_graph.read.documents import read_document

    out: list[str] = []
    for path in sorted(CORPUS.iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".docx", ".pdf"):
            doc = read_document(path)
            out.extend(doc.text[s.start : s.end] for s in doc.segments)
    return out


def as_written(concepts) -> Callable[[str], int]:
    """The previous matcher: every label as written, in one alternation."""
    from ldn_graph.matching import _alternation
    from ldn_graph.text import fold, term_key

    folded = sorted({term_key(t) for c in concepts for t in c.terms if t not in c.case_sensitive}, key=len, reverse=True)
    exact = sorted({fold(t).strip() for c in concepts for t in c.case_sensitive}, key=len, reverse=True)
    insensitive = re.compile(r"(?<![\w])(?:" + _alternation(folded, re.I)[0] + r")(?![\w])", re.I)
    sensitive = re.compile(r"(?<![\w/])(?:" + _alternation(exact, 0)[0] + r")(?![\w])")

    def find(text: str) -> int:
        text = fold(text)
        return sum(1 for _ in insensitive.finditer(text)) + sum(1 for _ in sensitive.finditer(text))

    return find


def _cpu(fn: Callable[[], object]) -> float:
    fn()  # warm-up
    start = time.process_time()
    fn()
    return time.process_time() - start


def run() -> list[tuple[str, int, float]]:
    from ldn_graph.matching import TermMatcher
    from ldn_graph.ontology.vocabulary import load_vocabulary
    from ldn_graph.word_keys import DERIVATIONS, american

    vocabulary = load_vocabulary()
    sentences = corpus_sentences()
    old = as_written(vocabulary.concepts)
    new = TermMatcher(vocabulary.concepts, vocabulary.subject_terms)
    words = [w.lower() for s in sentences for w in re.findall(r"[^\W\d_]+", s)]
    rows: list[tuple[str, int, float]] = []
    for scale in SCALES:
        batch = sentences * scale
        rows.append(("labels as written (before)", len(batch), _cpu(lambda batch=batch: [old(s) for s in batch])))
        rows.append(("TermMatcher.find (after)", len(batch), _cpu(lambda batch=batch: [new.find(s) for s in batch])))
    # snowballstemmer.stemmer() hands back PyStemmer's C stemmer when that is installed;
    # the pure-Python class is asked for by name here
    from snowballstemmer.english_stemmer import EnglishStemmer

    pure = EnglishStemmer()

    def keys(stem: Callable[[str], str]) -> Callable[[], object]:
        def go() -> object:
            out = []
            for w in words:
                root = stem(american(w))
                for ending, keep in DERIVATIONS:
                    if root.endswith(ending) and len(root) - len(ending) >= keep:
                        root = root[: -len(ending)]
                        break
                out.append(root)
            return out

        return go

    rows += sentence_model_rows(vocabulary, sentences)
    rows.append(("word keys, snowballstemmer (uncached)", len(words), _cpu(keys(pure.stemWord))))
    try:
        import Stemmer  # PyStemmer

        fast = Stemmer.Stemmer("english")
        rows.append(("word keys, PyStemmer (uncached)", len(words), _cpu(keys(fast.stemWord))))
    except ImportError:
        pass
    return rows


def sentence_model_rows(vocabulary, sentences: list[str]) -> list[tuple[str, int, float]]:
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.sentence_model import (
        MODEL_FILE,
        load_sentence_model,
        shipped_sentence_model,
    )
    from ldn_graph.read.documents import read_document
    from ldn_graph.resources import ontology_dir

    if shipped_sentence_model(vocabulary) is None:
        return []
    start = time.process_time()
    model = load_sentence_model(ontology_dir() / MODEL_FILE)
    loaded = time.process_time() - start
    docs = [read_document(p) for p in sorted(CORPUS.iterdir()) if p.suffix in (".txt", ".md", ".html")]
    segments = sum(len(d.segments) for d in docs)
    return [
        ("sentence model: load", 1, loaded),
        ("sentence model: read, one batch", len(sentences), _cpu(lambda: model.read(sentences))),
        ("claims of every corpus document, rules alone", segments,
         _cpu(lambda: [extract_claims(d, vocabulary, learned=False) for d in docs])),
        ("claims of every corpus document, with the sentence model", segments,
         _cpu(lambda: [extract_claims(d, vocabulary) for d in docs])),
    ]


def section(rows: list[tuple[str, int, float]]) -> str:
    lines = [
        MARK_START,
        "## Concept matching",
        "",
        "`python bench/bench_matching.py`: every sentence and list item of the evaluation corpus "
        "through the matcher, CPU time after a warm-up, on "
        f"{platform.python_implementation()} {platform.python_version()} ({platform.machine()}). "
        "The word-key rows count words, not sentences.",
        "",
        "| what | items | CPU s | items per second |",
        "|---|---:|---:|---:|",
    ]
    for name, n, seconds in rows:
        rate = f"{n / seconds:,.0f}" if seconds > 0 else "n/a"
        lines.append(f"| {name} | {n:,} | {seconds:.3f} | {rate} |")
    lines += ["", MARK_END]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write-docs", type=Path, help="replace the matching section of this Markdown file")
    opts = ap.parse_args()
    text = section(run())
    publish(text, opts.write_docs)


if __name__ == "__main__":
    main()
