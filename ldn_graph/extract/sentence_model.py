"""The learned sentence model: how likely a sentence is to claim something about the
product, and how likely it is to claim each concept.

A logistic regression over word (1–2) and character (3–5, within words) n-grams, one
output for "claims anything" and one per concept, trained on the development half of the
evaluation corpus only (``ldn_graph.evaluate.train``, ``make sentence-model``). It is
data: the n-gram vocabularies, their idf weights and the coefficients sit in
``ontology/sentence-model.npz`` beside the vocabulary it was trained for, with the
thresholds chosen on development documents it was not trained on. Training uses
scikit-learn; reading uses numpy alone, building the same features (``word_grams``,
``char_grams``); only numpy arrays are stored (no pickle), so nothing in the file runs.

It applies to one product's vocabulary: ``shipped_sentence_model`` gives it only where
the vocabulary's product and concepts are the ones it was trained on, so another
product's vocabulary keeps the matcher alone.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import Vocabulary
from ldn_graph.resources import ontology_dir

MODEL_FILE = "sentence-model.npz"
FORMAT = "ldn-graph/sentence-model/2"
# the vectorizers' settings: part of the format, the same at training and at use
WORD_SETTINGS: dict[str, Any] = {"ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True}
CHAR_SETTINGS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True, "lowercase": True}
_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def word_grams(text: str) -> list[str]:
    """The word 1- and 2-grams scikit-learn's word analyzer makes of ``text`` (lower case,
    words of two or more word characters)."""
    tokens = _TOKEN_RE.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_grams(text: str) -> list[str]:
    """The character 3- to 5-grams of its ``char_wb`` analyzer: within each word padded with
    a space; a word no longer than n gives itself once and no longer grams."""
    out: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(3, 6):
            out.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:
                break
    return out


@dataclass(frozen=True)
class Thresholds:
    """How the model revises the rules' claims in a sentence (``extract.learned``). It adds a
    concept no rule proposed at probability ``add`` or more where the sentence's "claims
    anything" probability is at least ``gate`` (``aside_add`` and ``aside_gate`` in a
    sentence the rules read as an aside); it drops a rule's claim where that probability is
    under ``drop_claim`` and the claim's concept's under ``drop_concept``."""

    add: float
    gate: float
    drop_claim: float = 0.0  # below any probability: nothing dropped
    drop_concept: float = 0.0
    aside_add: float = 1.01  # above any probability: nothing added to an aside
    aside_gate: float = 1.01


# chosen by five-fold cross-validation on the development half (docs/evaluation-history.md, round 40)
CHOSEN = Thresholds(add=0.3, gate=0.5, drop_claim=0.3, drop_concept=0.1, aside_add=0.5, aside_gate=0.8)


@dataclass(frozen=True)
class Reading:
    """What the model makes of one sentence: the probability it claims anything about the
    product, and each concept's probability (those at 0.05 or more)."""

    claims: float
    concepts: dict[str, float]


class SentenceModel:
    """A trained sentence model (see the module docstring); ``read`` scores sentences.

    Reading needs numpy alone: the features are built here the way scikit-learn's
    vectorizers build them at training (``WORD_SETTINGS``, ``CHAR_SETTINGS``; a test holds
    the two to the same numbers), so an audit does not import scikit-learn and SciPy (1.7 s
    and 115 MB on this machine) to read a few sentences."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        import numpy as np

        if str(arrays.get("format", "")) != FORMAT:
            raise InputError(f"not a {FORMAT} file")
        self.product = str(arrays["product"])
        self.concepts = tuple(str(c) for c in arrays["concepts"])
        self.trained_on = tuple(str(d) for d in arrays["trained_on"])
        self.thresholds = Thresholds(*(float(x) for x in arrays["thresholds"]))
        self._word_terms = [str(t) for t in arrays["word_terms"]]
        self._word = {t: i for i, t in enumerate(self._word_terms)}
        offset = len(self._word_terms)
        self._char = {str(t): offset + i for i, t in enumerate(arrays["char_terms"])}
        self._idf = np.concatenate([arrays["word_idf"], arrays["char_idf"]])
        rows = len(self.concepts) + 1  # output 0: "claims anything"
        indptr = arrays["coef_indptr"]
        # one row of weights per feature (feature-major, so a sentence's features gather their rows)
        self._weights = np.zeros((offset + len(self._char), rows), dtype=np.float32)
        self._weights[arrays["coef_indices"], np.repeat(np.arange(rows), np.diff(indptr))] = arrays["coef_data"]
        self._intercept = np.asarray(arrays["intercept"], dtype=np.float64)

    def _part(self, grams: list[str], index: dict[str, int]) -> tuple[list[int], Any]:
        """One vectorizer's features of a text: sublinear term frequency times idf, L2-normed."""
        import numpy as np

        counts = Counter(index[g] for g in grams if g in index)
        columns = list(counts)
        values = (np.log(np.array([counts[c] for c in columns], dtype=np.float64)) + 1.0) * self._idf[columns]
        norm = float(np.sqrt(np.dot(values, values)))
        return columns, values / norm if norm else values

    def features(self, text: str) -> tuple[list[int], Any]:
        """The feature columns of ``text`` and their values (words, then characters)."""
        import numpy as np

        word_columns, word_values = self._part(word_grams(text), self._word)
        char_columns, char_values = self._part(char_grams(text), self._char)
        return word_columns + char_columns, np.concatenate([word_values, char_values])

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """One reading per text, in order."""
        import numpy as np

        readings = []
        for text in texts:
            columns, values = self.features(text)
            scores = values @ self._weights[columns] + self._intercept
            p = 1.0 / (1.0 + np.exp(-scores))
            readings.append(Reading(float(p[0]), {c: float(q) for c, q in zip(self.concepts, p[1:], strict=True)
                                                  if q >= 0.05}))
        return readings

    def cue(self, text: str, concept: str) -> tuple[int, int] | None:
        """The span of the word or word pair in ``text`` that weighs most toward ``concept``:
        the words the claim is shown as resting on; None when no word of it weighs for it."""
        columns, values = self._part(word_grams(text), self._word)
        if not columns:
            return None
        contributions = values * self._weights[columns, self.concepts.index(concept) + 1]
        best = int(contributions.argmax())
        if contributions[best] <= 0:
            return None
        tokens = self._word_terms[columns[best]].split()
        found = re.search(r"\b" + r"\W+".join(re.escape(t) for t in tokens) + r"\b", text, re.I)
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
