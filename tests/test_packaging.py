"""A non-editable wheel carries the ontology, the seed cache and the examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    [whl] = out.glob("ldn_graph-*.whl")
    return whl


def test_wheel_contains_the_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ldn_graph/_data/ontology/vocabulary-ldn.ttl" in names
    assert "ldn_graph/_data/ontology/shapes.ttl" in names
    assert "ldn_graph/_data/cache/pubmed/23359310.json" in names
    assert "ldn_graph/_data/examples/001_4aaa9d78fd1a3130.txt" in names
    assert "ldn_graph/py.typed" in names


def test_installed_wheel_audits_the_examples_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import ldn_graph, ldn_graph.resources as r, sys; "
        "print(ldn_graph.__file__); print(r.ontology_dir()); "
        "from ldn_graph.cli.group import main; sys.argv=['ldn-graph','audit','--offline','--examples','--format','json','-o','out.json']; main()"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    package_file, ontology = proc.stdout.splitlines()[:2]
    assert package_file.startswith(str(target)) and ontology.startswith(str(target))
    data = json.loads((elsewhere / "out.json").read_text())
    assert len(data["documents"]) == 2
    refs = data["documents"][1]["references"]
    assert refs[0]["record_origin"] == "transcribed"
