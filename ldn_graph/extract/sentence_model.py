"""The learned sentence model: how likely a sentence is to claim something about the
product, and how likely it is to claim each concept.

A logistic regression over word (1–2) and character (3–5, within words) n-grams, one
output for "claims anything" and one per concept, trained on the development half of the
evaluation corpus only (``ldn_graph.evaluate.train``, ``make sentence-model``). It is
data: the n-gram vocabularies, their idf weights and the coefficients sit in
``ontology/sentence-model.npz`` beside the vocabulary it was trained for, with the
thresholds chosen on development documents it was not trained on. scikit-learn's own
vectorizers read the text, so training and use tokenise alike; only numpy arrays are
stored (no pickle), so the file loads under any scikit-learn release.

It applies to one product's vocabulary: ``shipped_sentence_model`` gives it only where
the vocabulary's product and concepts are the ones it was trained on, so another
product's vocabulary keeps the matcher alone.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import Vocabulary
from ldn_graph.resources import ontology_dir

MODEL_FILE = "sentence-model.npz"
FORMAT = "ldn-graph/sentence-model/1"
# the vectorizers' settings: part of the format, the same at training and at use
WORD_SETTINGS: dict[str, Any] = {"ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True}
CHAR_SETTINGS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True, "lowercase": True}


@dataclass(frozen=True)
class Thresholds:
    """When the model adds a claim: a concept no rule proposed in a sentence, at probability
    ``add`` or more, in a sentence whose "claims anything" probability is at least ``gate``."""

    add: float
    gate: float


@dataclass(frozen=True)
class Reading:
    """What the model makes of one sentence: the probability it claims anything about the
    product, and each concept's probability (those at 0.05 or more)."""

    claims: float
    concepts: dict[str, float]


class SentenceModel:
    """A trained sentence model (see the module docstring); ``read`` scores sentences."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import TfidfVectorizer

        if str(arrays.get("format", "")) != FORMAT:
            raise InputError(f"not a {FORMAT} file")
        self.product = str(arrays["product"])
        self.concepts = tuple(str(c) for c in arrays["concepts"])
        self.trained_on = tuple(str(d) for d in arrays["trained_on"])
        self.thresholds = Thresholds(*(float(x) for x in arrays["thresholds"]))
        self._word = TfidfVectorizer(**WORD_SETTINGS, vocabulary={t: i for i, t in enumerate(arrays["word_terms"])})
        self._word.idf_ = arrays["word_idf"]
        self._char = TfidfVectorizer(**CHAR_SETTINGS, vocabulary={t: i for i, t in enumerate(arrays["char_terms"])})
        self._char.idf_ = arrays["char_idf"]
        self._word_terms = [str(t) for t in arrays["word_terms"]]
        rows = len(self.concepts) + 1  # row 0: "claims anything"
        columns = len(self._word_terms) + len(arrays["char_terms"])
        self._coef = csr_matrix((arrays["coef_data"], arrays["coef_indices"], arrays["coef_indptr"]), shape=(rows, columns))
        self._intercept = arrays["intercept"]

    def _features(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        return hstack([self._word.transform(texts), self._char.transform(texts)]).tocsr()

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """One reading per text, in order."""
        if not texts:
            return []
        scores = (self._features(texts) @ self._coef.T).toarray() + self._intercept
        readings = []
        for row in scores:
            p = [1.0 / (1.0 + math.exp(-float(z))) for z in row]
            readings.append(Reading(p[0], {c: q for c, q in zip(self.concepts, p[1:], strict=True) if q >= 0.05}))
        return readings

    def cue(self, text: str, concept: str) -> tuple[int, int] | None:
        """The span of the word or word pair in ``text`` that weighs most toward ``concept``:
        the words the claim is shown as resting on; None when no word of it weighs for it."""
        row = self._coef.getrow(self.concepts.index(concept) + 1)
        words = self._word.transform([text])
        weights = dict(zip(row.indices, row.data, strict=True))
        best = max(((weights.get(i, 0.0) * v, i) for i, v in zip(words.indices, words.data, strict=True)), default=None)
        if best is None or best[0] <= 0:
            return None
        tokens = self._word_terms[best[1]].split()
        found = re.search(r"\W+".join(re.escape(t) for t in tokens), text, re.I)
        return (found.start(), found.end()) if found else None


def load_sentence_model(path: str | Path) -> SentenceModel:
    """The model in the file ``path``; InputError when it is not one."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            return SentenceModel({k: data[k] for k in data.files})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable sentence model ({exc})") from None


@functools.cache
def _shipped() -> SentenceModel | None:
    path = ontology_dir() / MODEL_FILE
    return load_sentence_model(path) if path.is_file() else None


def shipped_sentence_model(vocabulary: Vocabulary) -> SentenceModel | None:
    """The shipped model when it was trained for ``vocabulary`` (same product, every concept
    it knows still in the vocabulary), else None."""
    model = _shipped()
    if model is None or model.product != vocabulary.subject_label:
        return None
    names = {c.name for c in vocabulary.concepts}
    return model if all(c in names for c in model.concepts) else None
