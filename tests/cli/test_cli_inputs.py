"""The conventions a terminal, a CI job and a folder of pages rely on: nothing given is a
usage error, ``-`` is standard input, folders need ``--recursive``, the examples need
``--examples``, and colour follows ``--color``, ``NO_COLOR`` and ``FORCE_COLOR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import EXAMPLES

from ldn_graph.cli.group import main

PAGE = "Low dose naltrexone eases fibromyalgia pain [1].\n\n1. PMID: 23359310\n"


def run(args: list[str], stdin: str | bytes | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, input=stdin, env=env)


@pytest.mark.parametrize("command", ["audit", "export", "query"])
def test_nothing_to_read_is_a_usage_error(command: str, tmp_path: Path) -> None:
    args = {"export": ["export", "-o", str(tmp_path / "g.ttl")], "query": ["query", "verdicts"]}.get(command, [command])
    result = run([*args, "--offline"])
    assert result.exit_code == 2
    assert "give the files to read (PATHS, or - for standard input), or --examples" in result.output


def test_the_examples_only_when_asked() -> None:
    result = run(["audit", "--offline", "--examples", "--format", "json"])
    assert result.exit_code == 0
    names = [Path(d["path"]).name for d in json.loads(result.output)["documents"]]
    assert names == sorted(p.name for p in EXAMPLES.glob("*.txt"))


def test_standard_input_through_dash_with_its_name_and_type() -> None:
    result = run(["audit", "--offline", "--format", "json", "-", "--stdin-name", "draft.txt"], stdin=PAGE)
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)["documents"]
    assert doc["path"] == "draft.txt" and doc["media_type"] == "text/plain"
    assert {c["verdict"] for c in doc["claims"]} == {"supported"}
    html = "<html><body><p>Low dose naltrexone eases fibromyalgia pain.</p></body></html>"
    sniffed = json.loads(run(["audit", "--offline", "--format", "json", "-"], stdin=html).output)
    assert sniffed["documents"][0]["media_type"] == "text/html"
    typed = json.loads(run(["audit", "--offline", "--format", "json", "--type", "md", "-"], stdin=PAGE).output)
    assert typed["documents"][0]["media_type"] == "text/markdown"


def test_empty_standard_input_is_one_error_and_the_other_files_are_audited(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = run(["audit", "--offline", "--format", "json", str(page), "-"], stdin="")
    assert result.exit_code == 2 and "Traceback" not in result.output
    data = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["p.txt"]
    assert data["errors"] == [{"path": "<stdin>", "message": "<stdin>: the input is empty; nothing to audit"}]


def test_folders_need_recursive_and_skip_hidden_and_build_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for rel in ("a.txt", "b/c.html", "b/d.md", ".hidden/e.txt", "node_modules/f.txt", "b/notes.csv"):
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>LDN eases pain.</p>" if rel.endswith(".html") else "LDN eases pain.\n", encoding="utf-8")
    refused = run(["audit", "--offline", str(site)])
    assert refused.exit_code == 2 and "is a folder: add --recursive" in refused.output
    found = json.loads(run(["audit", "--offline", "-r", "--format", "json", str(site)]).output)
    assert [Path(d["path"]).relative_to(site).as_posix() for d in found["documents"]] == ["a.txt", "b/c.html", "b/d.md"]
    narrowed = json.loads(run(["audit", "--offline", "-r", "--glob", "*.md", "--format", "json", str(site)]).output)
    assert [Path(d["path"]).name for d in narrowed["documents"]] == ["d.md"]


@pytest.mark.parametrize(("args", "env", "coloured"), [
    ([], {}, False),  # not a terminal
    (["--color", "always"], {}, True),
    (["--color", "always", "--no-color"], {}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    (["--color", "always"], {"NO_COLOR": "1"}, True),  # asked for on the command line
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
])
def test_colour_follows_the_flags_and_the_environment(args: list[str], env: dict[str, str], coloured: bool,
                                                      tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    base = {"NO_COLOR": "", "FORCE_COLOR": ""}
    result = run(["audit", "--offline", *args, str(page)], env={**base, **env})
    assert result.exit_code == 0
    assert ("\x1b[" in result.output) is coloured


def test_jsonl_is_one_audit_per_line_in_input_order(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = run(["audit", "--offline", "--format", "jsonl", str(page), "--examples", str(tmp_path / "none.txt")])
    assert result.exit_code == 2  # the missing file
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [[Path(d["path"]).name for d in line["documents"]] for line in lines] == [
        ["p.txt"], ["000_672ef885818ac143.txt"], ["001_4aaa9d78fd1a3130.txt"], []]
    assert all(line["schema"] == "ldn-graph/audit/2" and "provenance" in line for line in lines)
    assert lines[0]["summary"]["claims"] == len(lines[0]["documents"][0]["claims"])
    assert "no such file" in lines[-1]["errors"][0]["message"]


def test_jobs_change_the_speed_never_the_report(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    paragraphs = [p for path in sorted(EXAMPLES.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")]
    for n in range(6):
        (site / f"p{n}.txt").write_text("\n\n".join(paragraphs[n::3]), encoding="utf-8")
    reports = []
    for jobs in ("1", "2"):
        result = run(["audit", "--offline", "-r", str(site), "--format", "json", "--jobs", jobs])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        data["provenance"].pop("generated_at")
        reports.append(data)
    assert reports[0] == reports[1]
    assert [Path(d["path"]).name for d in reports[1]["documents"]] == [f"p{n}.txt" for n in range(6)]


def test_a_bad_jobs_setting_is_one_line(tmp_path: Path) -> None:
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    result = run(["audit", "--offline", str(page), str(page)], env={"LDN_GRAPH_JOBS": "many"})
    assert result.exit_code == 2 and "LDN_GRAPH_JOBS='many' is not a whole number from 1" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("shell", "says"), [("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete --no-files")])
def test_shell_completion_scripts_as_the_readme_says(shell: str, says: str) -> None:
    import subprocess
    import sys

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert f"_LDN_GRAPH_COMPLETE={shell}_source ldn-graph" in readme
    script = Path(sys.executable).with_name("ldn-graph")
    done = subprocess.run([str(script)], env={"_LDN_GRAPH_COMPLETE": f"{shell}_source", "PATH": str(script.parent)},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and says in done.stdout
