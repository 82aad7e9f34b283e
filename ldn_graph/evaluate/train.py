"""Train the sentence model (``extract.sentence_model``) from gold files' labels.

Every located label of a development gold file is one example: its text, whether it
claims something about the product (an annotation or an unmapped claim, not a non-claim)
and the concepts its annotation gives. Test-half gold files are never read: training
keeps the test half for scoring only. The model is one logistic regression per output
over TF-IDF word and character n-grams; near-zero coefficients are dropped so the file
stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from ldn_graph.evaluate.gold import document_path, read_gold, read_json, split_of
from ldn_graph.extract.sentence_model import CHAR_SETTINGS, FORMAT, WORD_SETTINGS, Thresholds

# non-claims of kinds the reader makes headings, navigation, metadata or reference entries
# of: segments the model is never given (``extract.learned`` reads sentences only),
# left out so that "claims anything" is learned against the sentences it will read
# ("Low dose naltrexone for pain" as a title would teach it that "LDN for pain" claims nothing)
NOT_READ = frozenset({"title", "navigation", "metadata", "byline", "link text", "url", "keywords", "reference entry"})
# regularisation (inverse strength) and the smallest coefficient kept in the file
C = 4.0
SMALLEST_COEFFICIENT = 0.1


@dataclass
class Examples:
    texts: list[str] = field(default_factory=list)
    claims: list[bool] = field(default_factory=list)
    concepts: list[list[str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def training_examples(gold_files: Sequence[str | Path]) -> Examples:
    """The examples of the development gold files among ``gold_files`` (others are skipped)."""
    from ldn_graph.read.documents import read_document

    out = Examples()
    for path in gold_files:
        p = Path(path)
        if split_of(p) != "dev":
            continue
        gold = read_gold(p, read_document(document_path(p, read_json(p))))
        out.documents.append(gold.document.name)
        for label in gold.labelled:
            if label.start is None or label.end is None or (label.kind == "non-claim" and label.why in NOT_READ):
                continue
            named = sorted({g.concept for g in gold.pairs if g.start < label.end and label.start < g.end}) if (
                label.kind == "claim") else []
            out.texts.append(label.text)
            out.claims.append(label.kind != "non-claim")
            out.concepts.append(named)
    return out


def train_sentence_model(examples: Examples, product: str, thresholds: Thresholds) -> dict[str, Any]:
    """The arrays of a model trained on ``examples`` (``numpy.savez_compressed`` writes them)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack, vstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(**WORD_SETTINGS, min_df=2)
    char = TfidfVectorizer(**CHAR_SETTINGS, min_df=3)
    x = hstack([word.fit_transform(examples.texts), char.fit_transform(examples.texts)]).tocsr()
    x.sort_indices()
    concepts = sorted({c for named in examples.concepts for c in named})
    targets = [np.array(examples.claims)] + [np.array([c in named for named in examples.concepts]) for c in concepts]
    coefs, intercepts = [], []
    for y in targets:
        fit = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=0).fit(x, y)
        w = fit.coef_[0].copy()
        w[np.abs(w) < SMALLEST_COEFFICIENT] = 0.0
        coefs.append(csr_matrix(w.astype(np.float32)))
        intercepts.append(float(fit.intercept_[0]))
    coef = vstack(coefs).tocsr()
    return {
        "format": np.array(FORMAT),
        "product": np.array(product),
        "concepts": np.array(concepts, dtype=str),
        "trained_on": np.array(sorted(examples.documents)),
        "thresholds": np.array(astuple(thresholds)),
        "word_terms": np.array(word.get_feature_names_out(), dtype=str),
        "word_idf": word.idf_,
        "char_terms": np.array(char.get_feature_names_out(), dtype=str),
        "char_idf": char.idf_,
        "coef_data": coef.data,
        "coef_indices": coef.indices,
        "coef_indptr": coef.indptr,
        "intercept": np.array(intercepts),
    }
