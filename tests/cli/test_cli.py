"""The command-line contract: commands, JSON fields, exit codes, messages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from cli_helpers import cli as run
from click.testing import CliRunner
from paths import ROOT

from ldn_graph.cli.group import main

ROOT = ROOT
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"
TELEHEALTH = ROOT / "examples" / "000_672ef885818ac143.txt"


def test_audit_with_examples_audits_the_bundled_examples():
    result = run("audit", "--offline", "--examples", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["000_672ef885818ac143.txt", "001_4aaa9d78fd1a3130.txt"]


def test_json_contract_fields():
    data = json.loads(run("audit", "--offline", "--format", "json", str(MONOGRAPH)).stdout)
    assert data["schema"] == "ldn-graph/audit/2"
    assert set(data["provenance"]) >= {"tool_version", "vocabulary", "generated_at"}
    assert set(data["provenance"]["vocabulary"]) == {"path", "sha256"}
    doc = data["documents"][0]
    assert len(doc["sha256"]) == 64
    ref = doc["references"][0]
    assert ref["label"] == "1" and ref["kind"] == "pubmed" and ref["pmid"] == "23359310"
    assert ref["record_origin"] == "transcribed" and ref["retrieved_at"]
    claim = next(c for c in doc["claims"] if c["label"] == "Fibromyalgia")
    assert set(claim) >= {"id", "text", "start", "end", "location", "concept", "label", "mesh", "type", "hedged", "cited", "verdict", "reason", "evidence"}
    assert re.fullmatch(r"Fibromyalgia:[0-9a-f]{12}", claim["id"]), claim["id"]
    assert claim["mesh"] == ["D005356"] and claim["location"] is None and claim["hedged"] is True
    assert claim["concept"] == "https://w3id.org/ldn-graph/vocab/ldn#Fibromyalgia"
    assert claim["verdict"] == "inferred" and claim["evidence"][0]["pmid"] == "23359310"
    assert set(claim["evidence"][0]) >= {"pmid", "level", "matched_on", "rationale", "reference"}
    assert {f["kind"] for f in doc["findings"]} >= {"unsupported_claim", "non_pubmed_source"}
    s = data["summary"]
    assert s["claims"] == sum(s[v] for v in ("supported", "contradicted", "off_topic", "unverified", "inferred", "unsupported"))


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("none", 0), ("unsupported", 1), ("off_topic", 0), ("unverified", 0), ("error", 1), ("non_pubmed_source", 1), ("retracted_source", 0)],
)
def test_fail_on_gates(fail_on, code):
    assert run("audit", "--offline", "--fail-on", fail_on, str(MONOGRAPH)).exit_code == code


def test_suppressions_are_marked_and_stop_the_gate(tmp_path):
    data = json.loads(run("audit", "--offline", "--format", "json", str(TELEHEALTH)).stdout)
    ids = [c["id"] for c in data["documents"][0]["claims"]]
    supp = tmp_path / "accepted.yaml"
    supp.write_text(
        "suppressions:\n"
        + "".join(f"  - claim: '{i}'\n    justification: covered by the label\n    reviewer: A. Reviewer\n" for i in ids)
        + "  - finding: unsupported_claim\n    justification: accepted\n    reviewer: A. Reviewer\n"
        + "  - claim: 'deadbeef0000:1-2:Nothing'\n    justification: typo\n    reviewer: A. Reviewer\n"
    )
    result = run("audit", "--offline", "--fail-on", "unsupported", "--suppress", str(supp), "--format", "json", str(TELEHEALTH))
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    findings = out["documents"][0]["findings"]
    unsupported = [f for f in findings if f["kind"] == "unsupported_claim"]
    assert unsupported and all(f["suppressed"] == "covered by the label — A. Reviewer" for f in unsupported)
    assert any("deadbeef0000:1-2:Nothing" in n for n in out["provenance"]["notes"])
    assert "matched nothing" in result.stderr


def test_bad_suppressions_file_is_a_usage_error(tmp_path):
    supp = tmp_path / "s.yaml"
    supp.write_text("suppressions:\n  - claim: x\n")
    result = run("audit", "--offline", "--suppress", str(supp), str(MONOGRAPH))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {supp}: entry 1 needs both 'justification' and 'reviewer'\n"


def test_missing_input_exits_2_with_one_line_and_audits_the_rest(tmp_path):
    missing = tmp_path / "nope.txt"
    result = run("audit", "--offline", "--format", "json", str(missing), str(MONOGRAPH), "--fail-on", "unsupported")
    assert result.exit_code == 2  # 2 wins over 1
    assert result.stderr == f"Error: {missing}: no such file; check the path\n"
    data = json.loads(result.stdout)
    assert data["errors"] == [{"path": str(missing), "message": f"{missing}: no such file; check the path"}]
    assert len(data["documents"]) == 1


def test_unwritable_output_exits_4_and_leaves_nothing(tmp_path):
    target = tmp_path / "no-such-dir" / "report.json"
    result = run("audit", "--offline", "--format", "json", "-o", str(target), str(MONOGRAPH))
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: {target}: cannot write here")
    assert not target.parent.exists()


def test_markdown_and_table_outputs(tmp_path):
    md = run("audit", "--offline", "--format", "markdown", str(MONOGRAPH)).stdout
    assert "| **inferred** |" in md and "| **unsupported** |" in md
    table = run("audit", "--offline", "--no-color", str(MONOGRAPH)).stdout
    assert "\x1b[" not in table and "unsupported" in table


def test_export_turtle_and_graphml_carry_verdicts(tmp_path):
    import networkx as nx
    from rdflib import Graph, Namespace

    ttl, gml = tmp_path / "g.ttl", tmp_path / "g.graphml"
    assert run("export", "--offline", "--format", "turtle", "-o", str(ttl), str(MONOGRAPH)).exit_code == 0
    assert run("export", "--offline", "--format", "graphml", "-o", str(gml), str(MONOGRAPH)).exit_code == 0
    g = Graph().parse(ttl)
    ldng = Namespace("https://w3id.org/ldn-graph/ontology#")
    verdicts = {str(o).rsplit("#", 1)[1] for o in g.objects(None, ldng.verdict)}
    assert verdicts == {"Inferred", "Unsupported"}
    G = nx.read_graphml(gml)
    supports = [(u, v) for u, v, d in G.edges(data=True) if d.get("relation") == "supports"]
    assert ("pubmed:23359310", next(v for u, v in supports if u == "pubmed:23359310")) in supports
    assert {d.get("verdict") for n, d in G.nodes(data=True) if d.get("kind") == "claim"} == {"inferred", "unsupported"}


def test_vocabulary_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    result = run("audit", "--offline", "--vocabulary", str(bad), str(MONOGRAPH))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: vocabulary file ") and result.stderr.count("\n") == 1


def test_fetch_rejects_bad_pmids():
    result = run("fetch", "../../etc/passwd")
    assert result.exit_code == 2 and result.stderr.startswith("Error: ")


def test_help_is_fast_because_heavy_libraries_load_lazily():
    code = "import sys, ldn_graph.cli.group; print(sorted(m for m in ('rdflib','networkx','Bio','rich','lxml','pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = main.list_commands(click.Context(main))
    assert {"audit", "export", "fetch", "search", "cache", "vocab", "evaluate", "query", "push", "build"} <= set(names)
    for name in names:
        assert f"ldn-graph {name}" in readme, name
        text = CliRunner().invoke(main, [name, "-h"]).output
        assert "Usage:" in text and "Example" in text, name


def test_installed_console_script_runs_in_a_subprocess(tmp_path):
    script = Path(sys.executable).with_name("ldn-graph")
    assert script.exists(), "install the project (pip install -e .) to get the console script"
    proc = subprocess.run(
        [str(script), "audit", "--offline", "--examples", "--format", "json"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ}, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["claims"] > 0


def choices(command: click.Command, name: str) -> tuple[str, ...]:
    param = next(p for p in command.params if p.name == name)
    assert isinstance(param.type, click.Choice)
    return tuple(param.type.choices)


def test_choices_are_the_library_registries():
    from ldn_graph.cli.audit import audit, export
    from ldn_graph.cli.graph import query
    from ldn_graph.cli.pubmed import fetch
    from ldn_graph.judge.gate import CONDITIONS
    from ldn_graph.pubmed.expand import DIRECTIONS
    from ldn_graph.rdf.export import EXPORTERS
    from ldn_graph.rdf.queries import FORMATS
    from ldn_graph.report.formats import RENDERERS

    assert choices(audit, "fmt") == tuple(RENDERERS) == ("table", "markdown", "json", "jsonl", "html")
    assert choices(audit, "fail_on") == CONDITIONS
    assert choices(export, "fmt") == tuple(EXPORTERS)
    assert choices(query, "fmt") == FORMATS
    assert choices(fetch, "expand") == tuple(DIRECTIONS)
    help_text = CliRunner().invoke(main, ["audit", "--help"]).output
    assert "[table|markdown|json|jsonl|html]" in help_text


def test_html_report_written_to_a_file(tmp_path):
    target = tmp_path / "report.html"
    assert run("audit", "--offline", "--format", "html", "-o", str(target), str(MONOGRAPH)).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert page.lower().startswith("<!doctype html>")
    assert "<svg" in page and "<script" not in page
    assert 'data-verdict="inferred"' in page


def test_a_failed_refresh_keeps_the_cached_record_and_exits_3():
    # the E-utilities URL points at a closed port (conftest): the network is down
    result = CliRunner().invoke(main, ["fetch", "23359310", "--refresh"])
    assert result.exit_code == 3
    assert "23359310\tcached (transcribed; refresh failed: the network is unavailable)" in result.stdout
    assert "kept the cached copies" in result.stderr


def test_help_lists_every_command_from_the_lazy_map_without_importing_one() -> None:
    import importlib
    import subprocess
    import sys

    from ldn_graph.cli.group import LazyGroup

    for name, (target, summary) in LazyGroup.lazy.items():
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        first = " ".join((command.help or "").split("\n\n")[0].split())
        assert summary == first, f"{name}: the lazy map's summary differs from the command's help"
    code = (
        "import sys\nfrom ldn_graph.cli.group import main\nsys.argv = ['ldn-graph', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('ldn_graph.cli.') and m.split('.')[-1]"
        " in ('audit', 'graph', 'pubmed')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commands:" in done.stdout and "audit " in done.stdout
    assert done.stderr.strip() == "[]", done.stderr
