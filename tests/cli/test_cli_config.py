"""The configuration file: one table per command fills its option defaults, [ncbi] email
the contact address; command line > environment > file > default; ``config`` shows it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import EXAMPLES

from ldn_graph.cli.group import main

MONOGRAPH = EXAMPLES / "001_4aaa9d78fd1a3130.txt"


def run(args: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, args, env=env)


def test_the_file_fills_defaults_and_the_command_line_wins(tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text('[audit]\nformat = "json"\nfail_on = ["unsupported"]\n', encoding="utf-8")
    from_file = run(["--config", str(config), "audit", "--offline", str(MONOGRAPH)])
    assert from_file.exit_code == 1  # fail_on from the file: the monograph has unsupported claims
    assert json.loads(from_file.stdout)["schema"] == "ldn-graph/audit/2"  # format from the file
    told = run(["--config", str(config), "audit", "--offline", "--format", "markdown", "--fail-on", "none",
                str(MONOGRAPH)])
    assert told.exit_code == 0 and told.stdout.startswith("# ldn-graph audit")


def test_the_user_configuration_folder_is_read_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "xdg" / "ldn-graph"
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text('[audit]\nformat = "jsonl"\n', encoding="utf-8")
    result = run(["audit", "--offline", str(MONOGRAPH)], env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert json.loads(result.stdout)["documents"][0]["path"].endswith(MONOGRAPH.name)


def test_the_environment_outranks_the_file_and_config_says_so(tmp_path: Path) -> None:
    config = tmp_path / "team.toml"
    config.write_text('[audit]\ncache_dir = "/nowhere/from-file"\nmax_age = 30\n\n[ncbi]\nemail = "team@example.org"\n',
                      encoding="utf-8")
    shown = run(["--config", str(config), "config"], env={"NCBI_EMAIL": "", "LDN_GRAPH_CACHE": str(tmp_path / "c")})
    assert shown.exit_code == 0
    assert "ncbi.email = 'team@example.org'  (configuration file)" in shown.stdout
    assert "audit.max-age = 30  (configuration file)" in shown.stdout
    assert f"audit.cache-dir = '{tmp_path / 'c'}'  (environment (LDN_GRAPH_CACHE))" in shown.stdout
    assert "note: the file's audit.cache_dir is outranked by the environment" in shown.stderr
    env = run(["--config", str(config), "config"], env={"NCBI_EMAIL": "me@example.org"})
    assert "ncbi.email = 'me@example.org'  (environment)" in env.stdout
    assert "ncbi.api_key: not set (NCBI_API_KEY only, never a file)" in env.stdout


@pytest.mark.parametrize(("content", "says"), [
    ("[audit\nformat = 1", "not valid TOML"),
    ("[colours]\nx = 1\n", "[colours] is not a table ldn-graph reads"),
    ("[audit]\nfromat = \"json\"\n", "[audit] has no option 'fromat'"),
    ("[ncbi]\napi_key = \"secret\"\n", "the API key is read from NCBI_API_KEY only, never a file"),
])
def test_a_file_that_cannot_be_used_is_one_line(content: str, says: str, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    result = run(["--config", str(config), "audit", "--offline", str(MONOGRAPH)])
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert "secret" not in result.output


def test_a_baseline_marks_what_a_revision_introduced_and_gates_on_it(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    assert run(["audit", "--offline", str(MONOGRAPH), "--format", "json", "-o", str(before)]).exit_code == 0
    same = run(["audit", "--offline", str(MONOGRAPH), "--format", "json", "--baseline", str(before),
                "--fail-on", "unsupported"])
    assert same.exit_code == 0  # nothing new: the unsupported claims were there before
    data = json.loads(same.stdout)
    assert {c["baseline"] for c in data["documents"][0]["claims"]} == {"unchanged"}
    assert data["baseline"] == {"path": str(before), "resolved_claims": [], "resolved_findings": []}
    revised = tmp_path / MONOGRAPH.name
    text = MONOGRAPH.read_text(encoding="utf-8")
    dropped = "Naltrexone acts as a non-specific antagonist of TLR4, found on microglia in the CNS."
    assert dropped in text
    revised.write_text(text.replace(dropped, "") + "\nLDN cures lupus.\n", encoding="utf-8")
    changed = run(["audit", "--offline", str(revised), "--format", "json", "--baseline", str(before),
                   "--fail-on", "unsupported"])
    assert changed.exit_code == 1
    data = json.loads(changed.stdout)
    new = [c for c in data["documents"][0]["claims"] if c["baseline"] == "new"]
    assert [c["text"] for c in new] == ["LDN cures lupus."]
    assert [c["text"] for c in data["baseline"]["resolved_claims"]] == [dropped]
    assert "claims 1 new, 0 changed" in changed.stderr


def test_a_bad_baseline_is_one_line_before_any_work(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "something/else"}', encoding="utf-8")
    result = run(["audit", "--offline", str(MONOGRAPH), "--baseline", str(bad)])
    assert result.exit_code == 2 and "not an ldn-graph JSON report" in result.output
