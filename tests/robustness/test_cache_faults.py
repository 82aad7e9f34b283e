"""Items 31 and 33-35, and a read-only cache: the record cache under attack and accident.

Writers are killed with SIGKILL mid-write, two processes write at once, rows are damaged
behind the cache's back, and ids try to walk out of the cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import cli, console_script, python_env
from entrez_helpers import FastEntrez
from eutils_server import EutilsServer
from fs_helpers import make_read_only, undo_read_only
from robust_helpers import EUTILS, MEDLINE_2016, citing_page

from ldn_graph.errors import CacheError, InputError
from ldn_graph.files import remove_stale_temp_files
from ldn_graph.model import Provenance, Record
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.parse import iter_records
from ldn_graph.pubmed.seed import read_seed_record, write_seed_record

WHEN = "2024-05-01T12:00:00+00:00"


def real_record() -> Record:
    """PMID 9997, a real record (tests/data/eutils/pubmed1.xml)."""
    parsed = next(r for r in iter_records(EUTILS / "pubmed1.xml") if r.study.pmid == "9997")
    return Record(parsed.study, Provenance("entrez", WHEN, source=parsed.dtd))


# ------------------------------------------------------------------------- item 31


@pytest.mark.parametrize("bad", ["../../escape", "/etc/passwd", "12345/../../x", "1\x00",
                                 "..", "", " 123", "0123", "1234567890", "12 34", "abc", "1\n"])
def test_item_31_ids_that_are_not_pmids_never_touch_the_file_system(
    tmp_path: Path, bad: str
) -> None:
    seed = tmp_path / "seed"
    (seed / "pubmed").mkdir(parents=True)
    with RecordCache(tmp_path / "cache", seed=seed) as cache:
        with pytest.raises(InputError, match="invalid PMID"):
            cache.get(bad)
        with pytest.raises(InputError, match="invalid PMID"):
            cache.get_many(["9997", bad])
        with pytest.raises(InputError, match="invalid PMID"):
            cache.get_raw(bad)
        assert bad not in cache
    record = real_record()
    hostile = Record(type(record.study)(**{**record.study.__dict__, "pmid": bad}),
                     record.provenance)
    with pytest.raises(InputError, match="invalid PMID"):
        write_seed_record(seed, hostile)
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["records.sqlite3"]


def test_item_31_the_cli_refuses_them_with_one_line(tmp_path: Path) -> None:
    result = cli("fetch", "../../escape", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: invalid PMID '../../escape'")
    assert "\n" not in result.stderr.rstrip("\n")


def test_item_31_a_seed_file_cannot_point_outside_the_seed_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    write_seed_record(tmp_path / "elsewhere", real_record())
    shutil.copy(tmp_path / "elsewhere" / "pubmed" / "9997.json", outside)
    seed = tmp_path / "seed"
    (seed / "pubmed").mkdir(parents=True)
    (seed / "pubmed" / "9997.json").symlink_to(outside)
    (seed / "pubmed" / "..json").write_text("{}")  # names that are not PMIDs are ignored
    with RecordCache(tmp_path / "cache", seed=seed) as cache:
        with pytest.raises(CacheError, match="points outside the seed folder"):
            cache.get("9997")
        assert any("points outside" in p for p in cache.verify())
        assert list(cache.pmids()) == ["9997"]


# ------------------------------------------------------------------------- item 33

_SEED_WRITER = """
import sys
from pathlib import Path
from ldn_graph.model import Provenance, Record
from ldn_graph.pubmed.seed import write_seed_record
from ldn_graph.pubmed.parse import iter_records
study = next(r for r in iter_records(sys.argv[2]) if r.study.pmid == "9997").study
big = type(study)(**{**study.__dict__, "keywords": tuple(f"padding keyword {i}" for i in range(20000))})
marker = Path(sys.argv[3])
n = 0
while True:
    write_seed_record(sys.argv[1], Record(big if n % 2 else study, Provenance("entrez", "2024-05-01T12:00:00+00:00")))
    n += 1
    if n == 3:
        marker.write_text("running")
"""

_CACHE_WRITER = """
import sys
from pathlib import Path
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.parse import iter_records
from ldn_graph.model import Provenance
records = [(r.study, Provenance("imported", "2024-05-01T12:00:00+00:00", "m.xml.gz"), r.raw)
           for r in iter_records(sys.argv[2])]
marker = Path(sys.argv[3])
with RecordCache(sys.argv[1], seed=None) as cache:
    n = 0
    while True:
        cache.clear() if n % 2 else cache.put_many(records)
        n += 1
        if n == 3:
            marker.write_text("running")
"""


def run_and_kill(script: str, args: list[str], marker: Path, cwd: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", script, *args, str(marker)],
                            env=python_env(), cwd=cwd, stderr=subprocess.PIPE)
    try:
        while not marker.exists():  # wait for the writer to be in its loop
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.02)
        time.sleep(0.3)  # let it get into the middle of some write
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def test_item_33_a_killed_seed_writer_leaves_the_old_file_and_no_stale_temp(
    tmp_path: Path,
) -> None:
    seed = tmp_path / "seed"
    run_and_kill(_SEED_WRITER, [str(seed), str(EUTILS / "pubmed1.xml")],
                 tmp_path / "marker", tmp_path)
    target = seed / "pubmed" / "9997.json"
    record = read_seed_record(target, "9997")  # never torn: the old or the new content
    assert record.study.pmid == "9997"
    # the temp file of a writer killed mid-write is removed on the next write
    stale = seed / "pubmed" / ".9997.k1ll3d.tmp"
    stale.write_text('{"schema": "ldn-graph/rec')
    leftovers = [p for p in (seed / "pubmed").iterdir() if p.name.endswith(".tmp")]
    old = time.time() - 3600
    for path in leftovers:
        os.utime(path, (old, old))
    running = seed / "pubmed" / ".12091962.other-writer.tmp"  # a live writer's: kept
    running.write_text("")
    write_seed_record(seed, real_record())
    assert sorted(p.name for p in (seed / "pubmed").iterdir()) == [
        ".12091962.other-writer.tmp", "9997.json"]
    assert remove_stale_temp_files(seed / "pubmed", older_than=0) == [running]


def test_item_33_a_killed_cache_writer_loses_nothing_committed(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    run_and_kill(_CACHE_WRITER, [str(folder), str(MEDLINE_2016)], tmp_path / "marker",
                 tmp_path)
    with RecordCache(folder, seed=None) as cache:
        count = cache.info()["records"]
        assert count in (0, 604)  # one transaction: all of a batch or none of it
        assert cache.verify() == []
        assert cache.put(real_record().study, real_record().provenance)  # still writable


# ------------------------------------------------------------------------- item 34


def test_item_34_two_imports_and_a_reader_at_once_lose_nothing(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    small = sorted(EUTILS.glob("pubmed*.xml"))
    env = dict(os.environ)
    procs = [
        subprocess.Popen([str(console_script()), "cache", "import", *files,
                          "--cache-dir", str(cache_dir)],
                         env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for files in ([str(MEDLINE_2016)], [str(p) for p in small])
    ]
    seen = 0
    while any(p.poll() is None for p in procs):  # read while they write: never an error
        if (cache_dir / "records.sqlite3").exists():
            with RecordCache(cache_dir, seed=None) as cache:
                seen = max(seen, cache.info()["records"])
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    expected = {r.study.pmid for r in iter_records(MEDLINE_2016, with_raw=False)}
    for path in small:
        expected |= {r.study.pmid for r in iter_records(path, with_raw=False)}
    with RecordCache(cache_dir, seed=None) as cache:
        assert set(cache.pmids()) == expected
        assert cache.verify() == []
    assert seen <= len(expected)


# ------------------------------------------------------------------------- item 35


def test_item_35_damaged_rows_are_reported_quarantined_and_refetched(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    pmids = ["12091962", "9997", "11748933"]
    assert cli("fetch", *pmids, "--cache-dir", cache_dir).exit_code == 0
    db = sqlite3.connect(str(cache_dir / "records.sqlite3"))
    db.execute("UPDATE records SET study = '{\"pmid\": \"9997\", \"tit' WHERE pmid = '9997'")
    db.execute("UPDATE records SET raw = X'00ff00ff' WHERE pmid = '11748933'")
    db.commit()
    db.close()
    page = citing_page(tmp_path / "page.txt", pmids)
    # 1. a run that reads the damaged row says what to do, in one line
    audit = cli("audit", page, "--cache-dir", cache_dir)
    assert audit.exit_code == 4
    assert "cached record 9997" in audit.stderr and "ldn-graph cache verify" in audit.stderr
    # 2. verify finds both, quarantines them, exits 1
    verify = cli("cache", "verify", "--cache-dir", cache_dir)
    assert verify.exit_code == 1
    assert verify.stdout.count("moved to quarantine") == 2
    eutils_env.clear_log()
    # 3. the rerun fetches exactly the quarantined records again, from the stand-in
    rerun = cli("audit", page, "--cache-dir", cache_dir, "--format", "json")
    assert rerun.exit_code == 0, rerun.stderr
    assert sorted(i for r in eutils_env.requests("efetch") for i in r.ids()) == [
        "11748933", "9997"]
    refs = json.loads(rerun.stdout)["documents"][0]["references"]
    assert {r["pmid"]: r["record_origin"] for r in refs} == dict.fromkeys(pmids, "entrez")
    assert cli("cache", "verify", "--cache-dir", cache_dir).exit_code == 0


def test_item_35_verify_refetch_repairs_in_one_command(
    eutils_env: EutilsServer, fast_entrez: FastEntrez, tmp_path: Path
) -> None:
    cache_dir = tmp_path / "cache"
    assert cli("fetch", "9997", "--cache-dir", cache_dir).exit_code == 0
    db = sqlite3.connect(str(cache_dir / "records.sqlite3"))
    db.execute("UPDATE records SET sha256 = 'tampered' WHERE pmid = '9997'")
    db.commit()
    db.close()
    result = cli("cache", "verify", "--refetch", "--cache-dir", cache_dir)
    assert result.exit_code == 1  # problems were found (and repaired)
    assert "9997: sha256 of the raw XML does not match" in result.stdout
    assert "9997\tfetched" in result.stdout
    with RecordCache(cache_dir, seed=None) as cache:
        assert cache.verify() == [] and cache.get("9997") is not None


# ------------------------------------------------------------------ read-only cache


def test_cache_a_read_only_folder_is_reported_clearly(tmp_path: Path) -> None:
    fresh = tmp_path / "read-only"
    fresh.mkdir()
    if not make_read_only(fresh):
        undo_read_only(fresh)
        pytest.skip("cannot make a folder read-only here (root without a working chattr)")
    try:
        page = citing_page(tmp_path / "page.txt", ["23359310"])
        for args in (["fetch", "9997"], ["audit", str(page), "--offline"], ["cache", "info"]):
            result = cli(*args, "--cache-dir", fresh)
            assert result.exit_code == 4, (args, result.stderr)
            [line] = result.stderr.splitlines()
            assert line.startswith("Error: ") and str(fresh) in line
            assert "writable" in line and "LDN_GRAPH_CACHE" in line
    finally:
        undo_read_only(fresh)
