"""Items 27-30 (and the export side of 33): a hostile document through ``ldn-graph export``.

The document's file name is not UTF-8 and holds an ESC, a newline and every character an
IRI may not contain; its reference list has URLs and DOIs full of them, and its text a
stray NUL. Every format must be written, parse back in rdflib and in Oxigraph (which is
stricter about IRIs), and never leave a torn or 0-byte file behind.
"""

from __future__ import annotations

import errno
import json
import os
import re
import time
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from cli_helpers import cli
from lxml import etree

from ldn_graph import files as export_module

IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff]")
HOSTILE_NAME = b"copy \xff esc\x1b nl\nq\"<>{}|^`\\ space.txt"  # not UTF-8: a lone surrogate
OX_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
              "jsonld": pyoxigraph.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / os.fsdecode(HOSTILE_NAME)
    path.write_text(
        "Low dose naltrexone may help fibromyalgia [1]. A stray NUL\x00 and ESC\x1b here.\n"
        'It may ease Crohn\'s disease [2] and "lupus" [3] \\ back {x}|^`.\n\n'
        "References\n"
        "1. Younger J, et al. 2013. https://example.org/a{b}|c^d`e\\f\"g PMID: 23359310\n"
        "2. Smith A. Title. J Synth. 2014;1:1. doi:10.1234/x{y}|z^w`v\\u\n"
        "3. LDN Research Trust, 2020. https://example.org/web{page}|x^y`z\\w?q=a b\n",
        encoding="utf-8",
    )
    return path


def export(path: Path, fmt: str, out: Path) -> None:
    result = cli("export", path, "--offline", "--format", fmt, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0


def iris(graph: rdflib.Graph) -> set[str]:
    return {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_item_27_28_iris_are_minted_never_taken_from_user_text(
    hostile: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"graph.{fmt}"
    export(hostile, fmt, out)
    graph = rdflib.Graph().parse(out, format=RDFLIB_FORMATS[fmt])
    quads = list(pyoxigraph.parse(out.read_bytes(), OX_FORMATS[fmt]))  # strict IRIs
    assert len(quads) == len(graph) > 50
    bad = sorted(i for i in iris(graph) if IRI_FORBIDDEN.search(i))
    assert bad == []
    # the user's text is kept as literals: the file name as the document's label
    labels = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    expected = os.fsdecode(HOSTILE_NAME).replace("\udcff", "\ufffd").replace("\x1b", "\ufffd")
    assert str(hostile.parent / expected) in labels or expected in " ".join(labels)
    literals = " ".join(str(o) for o in graph.objects() if isinstance(o, rdflib.Literal))
    assert "https://example.org/web{page}|x^y`z\\w?q=a" in literals  # kept, as a literal
    assert not re.search(r"[\x00\x1b\ud800-\udfff]", literals)  # cleaned, not dropped as "?"
    assert "esc\ufffd" in literals


def test_item_29_graphml_has_one_type_per_key_and_reads_back(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "graph.graphml"
    export(hostile, "graphml", out)
    root = etree.parse(str(out)).getroot()
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    seen: dict[tuple[str | None, str | None], list[str | None]] = {}
    for key in root.iter(f"{ns}key"):
        seen.setdefault((key.get("for"), key.get("attr.name")), []).append(key.get("attr.type"))
    assert seen and all(len(types) == 1 for types in seen.values()), seen
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() > 5
    for _, data in graph.nodes(data=True):
        for value in data.values():
            assert not (isinstance(value, str) and re.search(r"[\x00\x1b\ud800-\udfff]", value))
    for _, _, data in graph.edges(data=True):
        assert None not in data.values()


@pytest.mark.parametrize("fmt", ["turtle", "graphml"])
def test_item_30_a_failed_export_leaves_the_old_file_and_no_partial_one(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out = tmp_path / f"graph.{fmt}"
    out.write_bytes(b"the previous export\n")
    if fmt == "graphml":  # the writer dies half-way through the file
        def torn(graph: object, handle: object, **kwargs: object) -> None:
            handle.write(b'<?xml version="1.0"?><graphml><graph>')  # type: ignore[attr-defined]
            raise ValueError("synthetic failure half-way through")

        monkeypatch.setattr(nx, "write_graphml", torn)
    else:  # the disk fills up as the file is flushed
        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(export_module.os, "fsync", full)
    result = cli("export", hostile, "--offline", "--format", fmt, "-o", out)
    assert result.exit_code == 4
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("Error: ") and "graph." in ln]
    assert str(out) in line
    assert out.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_item_33_a_temp_file_left_by_a_killed_export_is_cleaned_on_the_next_one(
    hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "graph.ttl"
    stale = tmp_path / ".graph.ttl.k1ll3d.tmp"  # the name atomic_output gives its temp file
    stale.write_bytes(b"@prefix half-written")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".graph.ttl.running.tmp"  # another export still writing: kept
    fresh.write_bytes(b"")
    export(hostile, "turtle", out)
    assert not stale.exists()
    assert fresh.exists()


@pytest.mark.parametrize("fmt", ["json", "markdown", "table", "html"])
def test_item_28_reports_survive_a_file_name_that_is_not_utf8(
    hostile: Path, fmt: str
) -> None:
    result = cli("audit", hostile, "--offline", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "fibromyalgia" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["documents"][0]["path"].endswith("space.txt")
