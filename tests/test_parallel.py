"""Auditing in parallel processes: runs of the inputs go to the workers, and the results
come back joined in input order. The executor is replaced by one that records what it
was given and runs in this process, so the test sees the wiring; the real processes are
run by tests/cli/test_cli_inputs.py (same report with --jobs 2 as with --jobs 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import EXAMPLES

from ldn_graph import parallel
from ldn_graph.audit import AuditOptions, audit


class RecordingPool:
    made: list[dict[str, object]] = []

    def __init__(self, max_workers: int, mp_context: object) -> None:
        RecordingPool.made.append({"max_workers": max_workers, "context": getattr(mp_context, "_name", None)})

    def __enter__(self) -> RecordingPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn, *iterables):  # type: ignore[no-untyped-def]
        runs = list(zip(*iterables, strict=True))
        RecordingPool.made[-1]["runs"] = [len(r[0]) for r in runs]
        return [fn(*args) for args in runs]


def test_runs_are_contiguous_and_in_order() -> None:
    items = [f"p{n}" for n in range(7)]
    runs = parallel._runs(items, 2)
    assert [x for run in runs for x in run] == items and len(runs) == 4


def test_workers_get_runs_and_the_report_keeps_input_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", RecordingPool)
    pages = []
    for n, path in enumerate(sorted(EXAMPLES.glob("*.txt")) * 3):
        page = tmp_path / f"p{n}.txt"
        page.write_bytes(path.read_bytes())
        pages.append(page)
    pages.append(tmp_path / "missing.txt")
    options = AuditOptions(offline=True)
    joined = parallel.audit_in_parallel(pages, options, 2)
    made = RecordingPool.made[-1]
    assert made["max_workers"] == 2 and made["context"] == "spawn" and made["runs"] == [2, 2, 2, 1]
    single = audit(pages, options)
    assert [d.document.path for d in joined.documents] == [d.document.path for d in single.documents]
    assert [e.path for e in joined.errors] == [str(tmp_path / "missing.txt")]
    assert joined.summary() == single.summary() and set(joined.records) == set(single.records)


def test_one_job_or_one_input_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("no pool for one job or one input")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    page = sorted(EXAMPLES.glob("*.txt"))[0]
    assert parallel.audit_in_parallel([page, page], AuditOptions(offline=True), 1).documents
    assert parallel.audit_in_parallel([page], AuditOptions(offline=True), 4).documents
