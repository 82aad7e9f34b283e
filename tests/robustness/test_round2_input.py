"""Round 2, items 10 and 12-16 (the input side): hostile suppress files, reference lists,
HTML and DOCX, damaged UTF-8, protected PDFs and binary files. Each test fails without its
fix (docs/reliability.md, "Round 2"); item 11 (quadratic paths) is in
test_round2_input_scaling.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import python_env
from robust_helpers import MONOGRAPH

from ldn_graph.errors import InputError
from ldn_graph.judge.suppress import load_suppressions

# --------------------------------------------------------------------------- item 10


def yaml_bomb(levels: int) -> str:
    """A "billion laughs" in YAML: each level an anchored list of nine aliases of the one
    below; the claim id names the top level (9**levels strings once expanded)."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    lines += ["suppressions:", f"  - claim: *l{levels - 1}",
              "    justification: accepted", "    reviewer: A. Reviewer"]
    return "\n".join(lines) + "\n"


def test_item_10_a_yaml_alias_is_refused_in_one_line(tmp_path: Path) -> None:
    harmless = tmp_path / "aliases.yaml"
    harmless.write_text(
        "who: &who A. Reviewer\nsuppressions:\n"
        "  - finding: weak_evidence\n    justification: fine\n    reviewer: *who\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_suppressions(harmless)
    message = str(caught.value)
    assert message.startswith(f"{harmless}: refused: YAML alias at line 5") and "\n" not in message
    anchors_only = tmp_path / "anchors.yaml"  # an anchor with no alias builds nothing twice
    anchors_only.write_text(
        "suppressions:\n  - &one\n    finding: weak_evidence\n    justification: fine\n"
        "    reviewer: A. Reviewer\n",
        encoding="utf-8",
    )
    assert len(load_suppressions(anchors_only)) == 1


def test_item_10_a_yaml_bomb_costs_nothing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(yaml_bomb(9), encoding="utf-8")
    assert bomb.stat().st_size < 600
    # in a child with 1 GiB of address space and 60 s: the unfixed loader expands
    # 9**8 strings (minutes, gigabytes); the fixed one stops at the first alias
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from ldn_graph.cli.group import main; sys.argv = ['ldn-graph', *sys.argv[1:]]; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "audit", "--offline", "--suppress", str(bomb), str(MONOGRAPH)],
        capture_output=True, text=True, env=python_env(), timeout=60, check=False,
    )
    assert proc.returncode == 2, proc.stderr[-500:]
    assert proc.stderr.strip() == f"Error: {bomb}: refused: YAML alias at line 2 (aliases can " \
        "expand without bound); write every entry out in full"
