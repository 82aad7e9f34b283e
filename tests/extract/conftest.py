"""Fixtures shared by the extraction tests."""

from __future__ import annotations

import pytest

from ldn_graph.ontology.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def vocab():
    return load_vocabulary()
