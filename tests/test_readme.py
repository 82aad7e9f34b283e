"""The README's examples run: the "Library use" code block is executed as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def readme_block(heading: str) -> str:
    """The first ```python block of the README section under ``## heading``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, f"no python block under '## {heading}'"
    return found.group(1)


def test_library_use_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    code = readme_block("Library use")
    assert len(code.strip().splitlines()) <= 7, "keep the example short"
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.split(" | ")[0] == "supported" for line in lines), lines
    assert any("Fibromyalgia" in line and "PMID 23359310" in line for line in lines), lines
