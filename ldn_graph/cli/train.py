"""``ldn-graph train-model``: train the sentence model from development gold files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ldn_graph.cli.command import CONTEXT, Command
from ldn_graph.cli.options import vocabulary_option
from ldn_graph.errors import InputError
from ldn_graph.extract.sentence_model import CHOSEN

F = TypeVar("F", bound=Callable[..., Any])


def threshold_option(name: str, description: str) -> Callable[[F], F]:
    """``--<name>``: one of the model's thresholds (``Thresholds``), 1.01 to turn it off;
    its default is the one chosen (``CHOSEN``)."""
    return click.option(f"--{name.replace('_', '-')}", name, type=click.FloatRange(0, 1.01),
                        default=getattr(CHOSEN, name), show_default=True, help=description)


@click.command(cls=Command, context_settings=CONTEXT)
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@vocabulary_option
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Where to write the model (ontology/sentence-model.npz ships with the package).")
@threshold_option("add", "Add a concept no rule proposed at this probability or more …")
@threshold_option("gate", "… in a sentence whose claim probability is at least this.")
@threshold_option("drop_claim", "Drop a rule's claim where the sentence's claim probability is under this …")
@threshold_option("drop_concept", "… and its concept's probability under this.")
@threshold_option("aside_add", "Add one to a sentence the rules read as an aside at this probability or more …")
@threshold_option("aside_gate", "… where its claim probability is at least this.")
def train_model(gold: tuple[Path, ...], vocabulary: Path | None, output: Path, add: float, gate: float,
                drop_claim: float, drop_concept: float, aside_add: float, aside_gate: float) -> None:
    """Train the sentence model on the development half of hand-labelled gold files.

    Test-half gold files among GOLD are skipped: the model never sees the labels it is
    scored on. The thresholds' defaults were chosen by five-fold cross-validation on the
    development half (docs/evaluation-history.md).

    \b
    Example:
      ldn-graph train-model tests/corpus/*.gold.json -o ontology/sentence-model.npz
    """
    import numpy as np

    from ldn_graph.evaluate.train import train_sentence_model, training_examples
    from ldn_graph.extract.sentence_model import Thresholds
    from ldn_graph.files import atomic_output
    from ldn_graph.ontology.vocabulary import load_vocabulary

    examples = training_examples(gold)
    if not examples.documents:
        raise InputError("no development gold files among the arguments")
    vocab = load_vocabulary(vocabulary)
    known = {c.name for c in vocab.concepts}
    unknown = sorted({c for named in examples.concepts for c in named} - known)
    if unknown:
        raise InputError(f"concepts not in the vocabulary: {', '.join(unknown)}")
    arrays = train_sentence_model(examples, vocab.subject_label, Thresholds(add, gate, drop_claim, drop_concept, aside_add, aside_gate))
    with atomic_output(output) as out:
        np.savez_compressed(out, **arrays)
    click.echo(f"{output}: trained on {len(examples.documents)} documents, {len(examples.texts)} labelled sentences, "
               f"{len(arrays['concepts'])} concepts", err=True)
