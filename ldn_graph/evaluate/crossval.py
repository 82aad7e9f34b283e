"""Cross-validated sentence models: scoring the development half with models that never
read the documents they are scored on.

The shipped model learned from every development document, so scoring the development
half with it measures what it memorised. ``fold_models`` splits the development gold files
into ``k`` folds and trains one model per fold on the others; each development file is
scored with its fold's model, and every other file (the test half, gold files without a
split) with a model trained on all the development files given, which is the shipped
model when they are the whole development half. Thresholds are chosen this way
(docs/evaluation-history.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ldn_graph.errors import InputError
from ldn_graph.evaluate.gold import split_of
from ldn_graph.evaluate.train import train_sentence_model, training_examples
from ldn_graph.extract.sentence_model import SentenceModel, Thresholds
from ldn_graph.model import Vocabulary


def fold_models(gold_files: Sequence[Path], vocabulary: Vocabulary, k: int,
                thresholds: Thresholds) -> dict[Path, SentenceModel]:
    """The model to score each of ``gold_files`` with (see the module docstring)."""
    dev = sorted((p for p in gold_files if split_of(p) == "dev"), key=str)
    if len(dev) < k or k < 2:
        raise InputError(f"cross-validation needs at least {max(k, 2)} development gold files and k >= 2, "
                         f"not {len(dev)} and k = {k}")

    def trained(files: Sequence[Path]) -> SentenceModel:
        return SentenceModel(train_sentence_model(training_examples(files), vocabulary.subject_label, thresholds))

    models: dict[Path, SentenceModel] = {}
    for i in range(k):
        held_out = dev[i::k]
        model = trained([p for p in dev if p not in held_out])
        models.update(dict.fromkeys(held_out, model))
    others = [p for p in gold_files if p not in models]
    if others:
        models.update(dict.fromkeys(others, trained(dev)))
    return models
