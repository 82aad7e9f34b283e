"""Round 2 (issue 13), the output side: items 1, 15 and 16 (SIGTERM during an export, a
symlinked cache database), and the claim lookups of item 11 in ``DocumentAudit``.

Devices are never put at risk: a guard refuses any ``os.replace`` onto ``/dev`` (so the
``-o /dev/null`` and ``-o /dev/stdout`` tests fail, rather than replace a device, on code
without the fix); the named pipe, the device node and the symlinks live in ``tmp_path``.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli, python_env
from entrez_helpers import FastEntrez
from eutils_server import EutilsServer
from robust_helpers import citing_page

from ldn_graph.errors import CacheError
from ldn_graph.model import Assessment
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.quarantine import records_to_refetch, verify_cache

PAGE_PMIDS = ["12091962", "9997", "11748933"]  # records the stand-in serves

# A child process that refuses to replace anything under /dev, runs SETUP, then ldn-graph.
GUARDED_MAIN = """
import os, sys
real_replace = os.replace
def guarded(src, dst, *a, **k):
    if os.path.abspath(os.fspath(dst)).startswith("/dev/"):
        sys.stderr.write("GUARD: refused to replace " + os.fspath(dst) + "\\n")
        raise SystemExit(99)  # unwinds: the temp file is removed
    return real_replace(src, dst, *a, **k)
os.replace = guarded
SETUP
from ldn_graph.cli.group import main
sys.argv = ["ldn-graph", *sys.argv[1:]]
main()
"""


def guarded_child(*args: str | Path, setup: str = "", **popen: Any) -> subprocess.Popen[str]:
    code = GUARDED_MAIN.replace("SETUP", setup)
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], env=python_env(), text=True, **popen
    )


@pytest.fixture
def no_device_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process: an ``os.replace`` onto ``/dev`` fails the test instead of happening."""
    real = os.replace

    def guarded(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if os.path.abspath(os.fspath(dst)).startswith("/dev/"):
            pytest.fail(f"atomic output tried to replace the device {dst}")
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", guarded)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return citing_page(tmp_path / "page.txt", ["23359310"])


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


class PipeReader:
    """Drains a named pipe in a thread (opened non-blocking, so a writer that never comes
    cannot hang the test)."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.chunks: list[bytes] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        while True:
            select.select([self.fd], [], [], 0.05)
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                continue
            if chunk:
                self.chunks.append(chunk)
            elif self.done.is_set():
                return
            else:  # no writer (yet): EOF at once on Linux
                time.sleep(0.01)

    def close(self) -> bytes:
        self.done.set()
        self.thread.join(10)
        os.close(self.fd)
        return b"".join(self.chunks)


# ------------------------------------------------------------------------- item 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_item_01_a_named_pipe_is_written_in_place(page: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    reader = PipeReader(fifo)
    try:
        result = cli("audit", page, "--offline", "--format", "json", "-o", fifo)
    finally:
        data = reader.close()
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a pipe, not a regular file
    assert json.loads(data)["documents"][0]["path"] == str(page)
    assert hidden(tmp_path) == []


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null here")
@pytest.mark.usefixtures("no_device_replaced")
def test_item_01_dev_null_stays_a_device(page: Path) -> None:
    before = os.stat("/dev/null")
    assert stat.S_ISCHR(before.st_mode)
    for args in (["audit", page, "--offline"], ["export", page, "--offline", "--format", "nt"]):
        result = cli(*args, "-o", "/dev/null")
        assert result.exit_code == 0, result.stderr  # as a normal user: not "Permission denied"
        assert "wrote /dev/null" in result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_item_01_a_character_device_in_a_folder_stays_a_device(
    page: Path, tmp_path: Path
) -> None:
    device = tmp_path / "null"
    try:  # a second node of /dev/null (1, 3), where replacing it would harm nothing
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        device.write_bytes(b"probe")
    except (OSError, AttributeError) as err:
        pytest.skip(f"cannot make a usable device node here ({err})")
    result = cli("export", page, "--offline", "--format", "turtle", "-o", device)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert hidden(tmp_path) == []


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_item_01_dev_stdout_writes_to_the_pipe_it_names(page: Path) -> None:
    assert os.path.islink("/dev/stdout") or not os.path.exists("/dev/stdout")
    child = guarded_child("audit", page, "--offline", "--format", "json", "-o", "/dev/stdout",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert json.loads(out)["documents"][0]["path"] == str(page)
    assert "GUARD" not in err
    assert os.path.islink("/dev/stdout") or not os.path.exists("/dev/stdout")


def test_item_01_a_symlink_is_followed_and_stays_a_link(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_dir, link_dir = tmp_path / "real", tmp_path / "links"
    real_dir.mkdir()
    link_dir.mkdir()
    real = real_dir / "report.json"
    real.write_text("the previous report\n")
    real.chmod(0o640)
    link = link_dir / "report.json"
    link.symlink_to(real)
    dangling = link_dir / "new.ttl"  # a link to a file not written yet
    dangling.symlink_to(real_dir / "new.ttl")
    from ldn_graph import files

    temp_dirs: list[str] = []
    mkstemp = files.tempfile.mkstemp

    def recording(*args: Any, **kwargs: Any) -> tuple[int, str]:
        temp_dirs.append(str(kwargs.get("dir")))
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", recording)
    result = cli("audit", page, "--offline", "--format", "json", "-o", link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["documents"][0]["path"] == str(page)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the replaced file keeps its mode
    result = cli("export", page, "--offline", "--format", "turtle", "-o", dangling)
    assert result.exit_code == 0, result.stderr
    assert dangling.is_symlink() and (real_dir / "new.ttl").read_text().startswith("@prefix")
    assert temp_dirs == [str(real_dir)] * 2  # beside the real target, never beside the link
    assert hidden(real_dir) == hidden(link_dir) == []


# ------------------------------------------------------------------------- item 15

STUDY_SENTINEL = b"STUDY-SENTINEL"
KEY_SENTINEL = "KEY-SENTINEL"


def damage_rows(cache_dir: Path) -> None:
    """9997's study text is not UTF-8; 11748933's key is not numeric; 12091962's key is
    neither numeric nor UTF-8."""
    study = b'{"pmid": "9997", "title": "' + STUDY_SENTINEL + b' \xff\xfe"}'
    with contextlib.closing(sqlite3.connect(str(cache_dir / "records.sqlite3"))) as db, db:
        db.execute("UPDATE records SET study = CAST(? AS TEXT) WHERE pmid = '9997'", (study,))
        db.execute("UPDATE records SET pmid = ? WHERE pmid = '11748933'", (KEY_SENTINEL,))
        db.execute("UPDATE records SET pmid = CAST(? AS TEXT) WHERE pmid = '12091962'",
                   (KEY_SENTINEL.encode() + b"\xff",))


def no_damage_shown(*texts: str) -> None:
    for text in texts:
        assert "SENTINEL" not in text and "\ufffd" not in text and "Traceback" not in text


def test_item_15_verify_quarantines_text_that_is_not_utf8_and_keys_that_are_not_pmids(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    assert cli("fetch", *PAGE_PMIDS, "--cache-dir", cache_dir).exit_code == 0
    damage_rows(cache_dir)
    page = citing_page(tmp_path / "page.txt", PAGE_PMIDS)
    # 1. an audit meeting the damaged row stops with one line, naming no damaged byte
    audit = cli("audit", page, "--cache-dir", cache_dir)
    assert audit.exit_code == 4
    [line] = [ln for ln in audit.stderr.splitlines() if ln.startswith("Error: ")]
    assert "not UTF-8" in line and "ldn-graph cache verify" in line
    no_damage_shown(audit.stdout, audit.stderr)
    with RecordCache(cache_dir, seed=None) as cache, pytest.raises(CacheError) as listing:
        list(cache.pmids())  # `build` lists every PMID: the same line, no traceback
    assert "ldn-graph cache verify" in str(listing.value)
    no_damage_shown(str(listing.value))
    # 2. verify quarantines all three, saying what is wrong and quoting nothing
    verify = cli("cache", "verify", "--cache-dir", cache_dir)
    assert verify.exit_code == 1
    assert "9997: study JSON is not UTF-8 text; moved to quarantine" in verify.stdout
    assert verify.stdout.count("its key is not a PMID; moved to quarantine") == 2
    no_damage_shown(verify.stdout, verify.stderr)
    # 3. offline, the records are reported unavailable; online, they are fetched again
    offline = cli("audit", page, "--cache-dir", cache_dir, "--offline", "--format", "json")
    assert offline.exit_code == 0, offline.stderr
    refs = json.loads(offline.stdout)["documents"][0]["references"]
    assert all(r["unavailable"] and r["record_origin"] is None for r in refs)
    eutils_env.clear_log()
    online = cli("audit", page, "--cache-dir", cache_dir, "--format", "json")
    assert online.exit_code == 0, online.stderr
    assert sorted(i for r in eutils_env.requests("efetch") for i in r.ids()) == sorted(PAGE_PMIDS)
    refs = json.loads(online.stdout)["documents"][0]["references"]
    assert {r["pmid"]: r["record_origin"] for r in refs} == dict.fromkeys(PAGE_PMIDS, "entrez")
    no_damage_shown(offline.stderr, online.stderr)
    assert cli("cache", "verify", "--cache-dir", cache_dir).exit_code == 0


def test_item_15_verify_refetch_fetches_the_pmids_and_skips_the_bad_keys(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    assert cli("fetch", *PAGE_PMIDS, "--cache-dir", cache_dir).exit_code == 0
    damage_rows(cache_dir)
    eutils_env.clear_log()
    result = cli("cache", "verify", "--refetch", "--cache-dir", cache_dir)
    assert result.exit_code == 1  # problems were found (and the PMID among them repaired)
    assert "9997\tfetched" in result.stdout
    assert [i for r in eutils_env.requests("efetch") for i in r.ids()] == ["9997"]
    no_damage_shown(result.stdout, result.stderr)
    with RecordCache(cache_dir, seed=None) as cache:
        assert sorted(p for p, _ in cache.quarantined()) == ["", "", "9997"]
        found = verify_cache(cache)
        assert found.problems == () and records_to_refetch(cache, found) == []


# ------------------------------------------------------------------------- item 16


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be caught on Windows")
def test_item_16_sigterm_during_an_export_removes_its_temp_file(
    page: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "graph.ttl"
    out.write_text("the previous export\n")
    ready = tmp_path / "ready"
    setup = (  # the export stalls once its temp file is written, until the signal comes
        "import time\n"
        "def stall(fd):\n"
        f"    open({str(ready)!r}, 'w').close()\n"
        "    time.sleep(60)\n"
        "os.fsync = stall\n"
    )
    child = guarded_child("export", page, "--offline", "--format", "turtle", "-o", out,
                          setup=setup, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), child.communicate(timeout=5)
        assert len(hidden(out_dir)) == 1  # the temp file, being written
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signal.SIGTERM
    [line] = err.splitlines()
    assert line.startswith("Error: terminated")
    assert hidden(out_dir) == []
    assert out.read_text() == "the previous export\n"


@pytest.mark.parametrize("name", ["records.sqlite3", "records.sqlite3-wal"])
def test_item_16_a_symlinked_cache_database_is_refused(tmp_path: Path, name: str) -> None:
    cache_dir, elsewhere = tmp_path / "cache", tmp_path / "elsewhere"
    cache_dir.mkdir()
    elsewhere.mkdir()
    if name != "records.sqlite3":  # a cache made before the link appeared
        with RecordCache(cache_dir, seed=None):
            pass
        for companion in ("-wal", "-shm"):
            (cache_dir / f"records.sqlite3{companion}").unlink(missing_ok=True)
    (cache_dir / name).symlink_to(elsewhere / "target")
    for args in (["cache", "info"], ["fetch", "9997"]):
        result = cli(*args, "--cache-dir", cache_dir)
        assert result.exit_code == 4, result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("Error: ") and str(cache_dir / name) in line
        assert "symbolic link" in line
    assert list(elsewhere.iterdir()) == []


# ------------------------------------------------------------------------- item 11


class CountingTuple(tuple):  # type: ignore[type-arg]
    """A tuple that counts how often it is walked."""

    walks = 0

    def __iter__(self) -> Iterator[Any]:
        type(self).walks += 1
        return super().__iter__()


def test_item_11_claim_lookups_walk_the_assessments_once() -> None:
    from synthetic_audit import page_audit

    doc = page_audit()
    claims = tuple(replace(doc.claims[i % 5], id=f"claim-{i}") for i in range(500))
    assessments = tuple(replace(doc.assessments[i % 5], claim_id=c.id) for i, c in enumerate(claims))
    CountingTuple.walks = 0
    counted = replace(doc, claims=claims, assessments=CountingTuple(assessments),
                      suppressed_claims=CountingTuple([(claims[7].id, "accepted")]))
    for claim in counted.claims:
        assert isinstance(counted.assessment(claim.id), Assessment)
        counted.suppression(claim.id)
    assert CountingTuple.walks <= 2  # once per table, not once per claim
    assert counted.assessment("claim-12") == assessments[12]
    assert counted.suppression("claim-7") == "accepted" and counted.suppression("claim-8") is None
    with pytest.raises(KeyError):
        counted.assessment("no such claim")
