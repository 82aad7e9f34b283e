"""Find the data folders shipped with the package (ontology, seed cache, examples).

In a wheel they are installed under ``ldn_graph/_data/``; in a checkout or an editable
install they sit beside the package at the repository root.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

NAMES = ("ontology", "cache", "examples")


def data_dir(name: str) -> Path:
    if name not in NAMES:
        raise ValueError(f"unknown data folder {name!r}")
    packaged = Path(str(resources.files("ldn_graph"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def ontology_dir() -> Path:
    return data_dir("ontology")


def seed_cache_dir() -> Path:
    return data_dir("cache")


def examples_dir() -> Path:
    return data_dir("examples")


def example_paths() -> list[Path]:
    return sorted(p for p in examples_dir().iterdir() if p.suffix in {".txt", ".md", ".html"})
