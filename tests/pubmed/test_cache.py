"""ldn_graph.pubmed.cache: the SQLite record cache and its read-only seed layer,
exercised with the real PubMed/MEDLINE records in tests/data."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
import pytest
from fs_helpers import make_read_only, undo_read_only
from paths import DATA

from ldn_graph import resources, settings
from ldn_graph.errors import CacheError, InputError
from ldn_graph.ids import validate_pmid
from ldn_graph.model import Provenance, Record, Study
from ldn_graph.pubmed.cache import DB_NAME, DEFAULT_SEED, RecordCache
from ldn_graph.pubmed.cachedb import SCHEMA_VERSION
from ldn_graph.pubmed.parse import ParsedRecord, iter_records
from ldn_graph.pubmed.seed import read_seed_record, study_sha256, write_seed_record
from ldn_graph.text import older_than

DATA = DATA
EUTILS = DATA / "eutils"
MEDLINE_2016 = DATA / "medline" / "medline16n0902.xml.gz"
WHEN = "2026-01-15T10:00:00+00:00"


def entrez(source: str | None = "pubmed_250101.dtd", when: str = WHEN) -> Provenance:
    return Provenance(origin="entrez", retrieved_at=when, source=source)


def parsed(name: str) -> ParsedRecord:
    (rec,) = list(iter_records(EUTILS / name))
    return rec


@pytest.fixture(scope="module")
def medline() -> list[ParsedRecord]:
    return list(iter_records(MEDLINE_2016))


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[RecordCache]:
    with RecordCache(tmp_path / "cache", seed=None) as c:
        yield c


# --------------------------------------------------------------------------- round trip


def test_round_trip_of_real_records(cache: RecordCache) -> None:
    records = [parsed(n) for n in ("pubmed4.xml", "pubmed5.xml", "pubmed6.xml", "pubmed7.xml")]
    assert cache.put_many((r.study, entrez(r.dtd), r.raw) for r in records) == 4
    for rec in records:
        got = cache.get(rec.study.pmid)
        assert got is not None
        assert got.study == rec.study  # every nested field survives the JSON round trip
        assert got.provenance.origin == "entrez"
        assert got.provenance.retrieved_at == WHEN
        assert got.provenance.source == rec.dtd
        assert got.provenance.sha256 == hashlib.sha256(rec.raw).hexdigest()
        assert cache.get_raw(rec.study.pmid) == rec.raw
    # a study stored without XML: sha256 of its JSON (the seed files' rule)
    seven = records[3].study
    assert cache.put(seven, Provenance("entrez", WHEN), None)
    got = cache.get(seven.pmid)
    assert got is not None and got.study == seven
    assert got.provenance.sha256 == study_sha256(seven)
    assert cache.get_raw(seven.pmid) is None
    assert cache.get("12091962") is None
    assert "27797938" in cache and "12091962" not in cache


def test_get_many_is_one_query(cache: RecordCache, medline: list[ParsedRecord]) -> None:
    cache.put_many((r.study, entrez(r.dtd), r.raw) for r in medline[:300])
    statements: list[str] = []
    cache.conn.set_trace_callback(statements.append)
    wanted = [r.study.pmid for r in medline[:300]] + ["12091962"]
    found = cache.get_many(wanted)
    cache.conn.set_trace_callback(None)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert set(found) == {r.study.pmid for r in medline[:300]}
    assert found[medline[7].study.pmid].study == medline[7].study
    assert cache.get_many([]) == {}


# --------------------------------------------------------------------------- seed layer


def test_shipped_seed_visible_through_an_empty_cache(tmp_path: Path) -> None:
    seed_files = sorted((resources.seed_cache_dir() / "pubmed").glob("*.json"))
    assert seed_files, "the repository ships seed records in cache/pubmed/"
    with RecordCache(tmp_path / "empty", seed=DEFAULT_SEED) as c:
        assert c.seed == resources.seed_cache_dir()
        assert c.info()["records"] == 0
        assert c.info()["seed_records"] == len(seed_files)
        for path in seed_files:
            data = json.loads(path.read_text(encoding="utf-8"))
            got = c.get(path.stem)
            assert got is not None
            assert got.study == Study.from_dict(data["study"])
            assert got.provenance.origin == data["provenance"]["origin"]
            assert got.provenance.sha256 == study_sha256(data["study"])
        assert {p.stem for p in seed_files} <= set(c.pmids())
        assert c.verify() == []
    with RecordCache(tmp_path / "noseed", seed=None) as c:
        assert c.get(seed_files[0].stem) is None


def test_writable_layer_wins_over_seed(tmp_path: Path) -> None:
    full = parsed("pubmed5.xml")
    title_only = replace(full.study, abstract=(), mesh=(), comments_corrections=())
    seed = tmp_path / "seed"
    written = write_seed_record(seed, Record(title_only, Provenance("transcribed", WHEN, "notes")))
    assert written == seed / "pubmed" / "28775130.json"
    assert not [p for p in written.parent.iterdir() if p.name.startswith(".")]  # no temp left
    with RecordCache(tmp_path / "cache", seed=seed) as c:
        from_seed = c.get("28775130")
        assert from_seed is not None and from_seed.provenance.origin == "transcribed"
        assert from_seed.study == title_only
        assert c.put(full.study, entrez(full.dtd), full.raw)
        got = c.get("28775130")
        assert got is not None and got.provenance.origin == "entrez"
        assert got.study == full.study
        assert c.get_many(["28775130"])["28775130"].provenance.origin == "entrez"
        assert c.clear() == 1
        again = c.get("28775130")
        assert again is not None and again.provenance.origin == "transcribed"  # seed stays


def test_write_seed_record_round_trip_and_overwrite(tmp_path: Path) -> None:
    rec = parsed("pubmed7.xml")
    path = write_seed_record(tmp_path, Record(rec.study, entrez(rec.dtd)))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "ldn-graph/record/1"
    assert data["provenance"] == {
        "origin": "entrez",
        "retrieved_at": WHEN,
        "source": "pubmed_190101.dtd",
        "sha256": study_sha256(rec.study),
    }
    assert read_seed_record(path).study == rec.study
    smaller = replace(rec.study, references=())
    write_seed_record(tmp_path, Record(smaller, entrez()))
    assert read_seed_record(path).study == smaller
    assert sorted(p.name for p in path.parent.iterdir()) == ["29963580.json"]


def test_damaged_seed_file_is_reported(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    (seed / "pubmed").mkdir(parents=True)
    (seed / "pubmed" / "11748933.json").write_text('{"schema": "ldn-graph/record/1", "stu')
    with RecordCache(tmp_path / "cache", seed=seed) as c:
        with pytest.raises(CacheError, match=r"seed record .*11748933\.json cannot be read"):
            c.get("11748933")
        problems = c.verify()
        assert len(problems) == 1 and problems[0].startswith("seed 11748933.json:")


# --------------------------------------------------------------------------- import


def test_import_of_the_real_medline_file_in_one_transaction(
    cache: RecordCache, medline: list[ParsedRecord]
) -> None:
    seen: list[int] = []
    statements: list[str] = []
    cache.conn.set_trace_callback(statements.append)
    stats = cache.import_files([MEDLINE_2016], progress=seen.append)
    cache.conn.set_trace_callback(None)
    assert (stats.files, stats.records, stats.stored, stats.skipped) == (1, 604, 604, 0)
    assert stats.errors == ()
    assert seen == [604]
    assert statements.count("BEGIN IMMEDIATE") == 1
    info = cache.info()
    assert info["records"] == 604 and info["origins"] == {"imported": 604}
    assert info["schema_version"] == SCHEMA_VERSION
    records = cache.get_many(r.study.pmid for r in medline)
    assert len(records) == 604
    cites = sum(
        1 for r in records.values() for c in r.study.comments_corrections if c.ref_type == "Cites"
    )
    assert cites == 3547
    one = records["25864598"]
    assert one.provenance.source == "medline16n0902.xml.gz"
    assert one.study == next(r.study for r in medline if r.study.pmid == "25864598")
    assert list(cache.pmids()) == sorted((r.study.pmid for r in medline), key=int)


def test_import_batches_and_reports_unreadable_files(cache: RecordCache, tmp_path: Path) -> None:
    cut = tmp_path / "medline-cut.xml.gz"
    blob = MEDLINE_2016.read_bytes()
    cut.write_bytes(blob[: len(blob) // 2])
    seen: list[int] = []
    stats = cache.import_files(
        [EUTILS / "pubmed1.xml", cut, tmp_path / "absent.xml", EUTILS / "pubmed2.xml"],
        progress=seen.append,
        batch_size=2,
    )
    assert stats.files == 2
    assert len(stats.errors) == 2
    assert stats.errors[0].startswith("medline-cut.xml.gz:")
    assert "absent.xml" in stats.errors[1]
    assert 4 < stats.records < 604 and stats.stored == stats.records
    assert seen == sorted(seen) and seen[-1] == stats.records
    for pmid in ("12091962", "9997", "11748933", "11700088"):
        assert cache.get(pmid) is not None


# --------------------------------------------------------------------------- write rules


def test_worse_record_never_overwrites_a_good_one(cache: RecordCache) -> None:
    good = parsed("pubmed6.xml")
    assert cache.put(good.study, entrez(good.dtd), good.raw)
    empty = Study(pmid=good.study.pmid)  # what a failed or truncated fetch may yield
    assert cache.put(empty, entrez(when="2026-02-01T00:00:00+00:00"), None) is False
    got = cache.get(good.study.pmid)
    assert got is not None and got.study == good.study and got.provenance.retrieved_at == WHEN
    # within one call too, and a transcribed record never replaces PubMed XML
    title_only = replace(good.study, abstract=())
    assert (
        cache.put_many(
            [
                (empty, entrez(), None),
                (title_only, Provenance("transcribed", WHEN), None),
            ]
        )
        == 0
    )
    assert cache.get(good.study.pmid).study == good.study  # type: ignore[union-attr]
    # an empty study may fill an empty slot, and a better record replaces it
    other = parsed("pubmed7.xml")
    assert cache.put(Study(pmid=other.study.pmid), Provenance("transcribed", WHEN), None)
    assert cache.put(other.study, entrez(other.dtd), other.raw)
    assert cache.get(other.study.pmid).study == other.study  # type: ignore[union-attr]
    # a newer complete record from PubMed replaces an older one
    assert cache.put(good.study, entrez(good.dtd, "2026-03-01T00:00:00+00:00"), good.raw)
    assert cache.get(good.study.pmid).provenance.retrieved_at.startswith("2026-03-01")  # type: ignore[union-attr]


def test_request_urls_and_api_keys_are_never_stored(cache: RecordCache, tmp_path: Path) -> None:
    rec = parsed("pubmed4.xml")
    url = (
        "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=pubmed&id=27797938"
        "&api_key=SENTINELKEY123"
    )
    cache.put(rec.study, entrez(url), rec.raw)
    got = cache.get(rec.study.pmid)
    assert got is not None and got.provenance.source == "efetch.fcgi"
    cache.close()
    for name in os.listdir(tmp_path / "cache"):
        data = (tmp_path / "cache" / name).read_bytes()
        assert b"SENTINELKEY123" not in data and b"eutils.ncbi.nlm.nih.gov" not in data
    seed = write_seed_record(tmp_path / "seed", Record(rec.study, entrez(url)))
    assert "SENTINELKEY123" not in seed.read_text(encoding="utf-8")


def test_unknown_origin_is_refused(cache: RecordCache) -> None:
    rec = parsed("pubmed4.xml")
    with pytest.raises(InputError, match="origin"):
        cache.put(rec.study, Provenance("web", WHEN), rec.raw)


# --------------------------------------------------------------------------- PMIDs


BAD_PMIDS = ["../../x", "1\x00", "abc", "", "0123", "1234567890", " 1", "1\n", "12345/../../x"]


@pytest.mark.parametrize("bad", BAD_PMIDS)
def test_invalid_pmids_are_rejected(tmp_path: Path, bad: str) -> None:
    seed = tmp_path / "seed"
    (seed / "pubmed").mkdir(parents=True)
    with RecordCache(tmp_path / "cache", seed=seed) as c:
        with pytest.raises(InputError, match="invalid PMID"):
            c.get(bad)
        with pytest.raises(InputError, match="invalid PMID"):
            c.get_many(["9997", bad])
        with pytest.raises(InputError, match="invalid PMID"):
            c.get_raw(bad)
        assert bad not in c
        with pytest.raises(InputError, match="invalid PMID"):
            c.put(Study(pmid=bad, title="x"), entrez(), None)
        assert c.info()["records"] == 0
    with pytest.raises(InputError, match="invalid PMID"):
        write_seed_record(seed, Record(Study(pmid=bad, title="x"), entrez()))
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        p.name for p in (tmp_path / "cache").iterdir()
    )


def test_validate_pmid() -> None:
    assert validate_pmid("23359310") == "23359310"
    assert validate_pmid("1") == "1"
    with pytest.raises(InputError):
        validate_pmid(23359310)


# --------------------------------------------------------------------------- staleness


def test_older_than_max_age() -> None:
    rec = Record(Study(pmid="9997"), Provenance("entrez", "2026-01-01T00:00:00+00:00"))
    now = datetime(2026, 3, 1, tzinfo=UTC)
    assert older_than(rec.provenance.retrieved_at, 30, now=now) is True
    assert older_than(rec.provenance.retrieved_at, 90, now=now) is False
    assert older_than(rec.provenance.retrieved_at, None, now=now) is False
    zulu = replace(rec, provenance=replace(rec.provenance, retrieved_at="2026-02-27T00:00:00Z"))
    assert older_than(zulu.provenance.retrieved_at, 1, now=now) is True
    assert older_than(zulu.provenance.retrieved_at, 3, now=now) is False
    naive = replace(rec, provenance=replace(rec.provenance, retrieved_at="2026-02-28T12:00:00"))
    assert older_than(naive.provenance.retrieved_at, 1, now=now) is False
    garbled = replace(rec, provenance=replace(rec.provenance, retrieved_at="yesterday"))
    assert older_than(garbled.provenance.retrieved_at, 10_000, now=now) is True


# --------------------------------------------------------------------------- corruption


def test_verify_quarantines_damaged_rows(cache: RecordCache, medline: list[ParsedRecord]) -> None:
    cache.put_many((r.study, entrez(r.dtd), r.raw) for r in medline[:20])
    transcribed = next(iter_records(EUTILS / "pubmed2.xml"))
    cache.put(transcribed.study, Provenance("transcribed", WHEN, "notes"), None)
    pmids = [r.study.pmid for r in medline[:6]]
    db = sqlite3.connect(str(cache.path))
    db.execute("UPDATE records SET raw = ? WHERE pmid = ?", (b"garbage bytes", pmids[0]))
    db.execute("UPDATE records SET study = ? WHERE pmid = ?", ('{"pmid": "1", "tit', pmids[1]))
    cut = medline[2].raw[: len(medline[2].raw) // 2]
    db.execute(
        "UPDATE records SET raw = ?, sha256 = ? WHERE pmid = ?",
        (zlib.compress(cut), hashlib.sha256(cut).hexdigest(), pmids[2]),
    )
    db.execute(
        "UPDATE records SET raw = ? WHERE pmid = ?", (zlib.compress(medline[9].raw), pmids[3])
    )
    tampered = json.loads(
        db.execute("SELECT study FROM records WHERE pmid = '11748933'").fetchone()[0]
    )
    tampered["title"] = "Changed behind the cache's back"
    db.execute("UPDATE records SET study = ? WHERE pmid = '11748933'", (json.dumps(tampered),))
    db.commit()
    db.close()

    with pytest.raises(CacheError, match="cache verify"):
        cache.get(pmids[1])

    problems = cache.verify()
    by_pmid = {p.split(":", 1)[0]: p for p in problems}
    assert set(by_pmid) == {pmids[0], pmids[1], pmids[2], pmids[3], "11748933"}
    assert "bad compression" in by_pmid[pmids[0]]
    assert "study JSON does not load" in by_pmid[pmids[1]]
    assert "does not parse" in by_pmid[pmids[2]]
    assert "sha256 of the raw XML" in by_pmid[pmids[3]]
    assert "sha256 of the study JSON" in by_pmid["11748933"]
    assert all("quarantine" in p for p in problems)
    for pmid in by_pmid:
        assert cache.get(pmid) is None
    assert {p for p, _ in cache.quarantined()} == set(by_pmid)
    assert cache.info()["quarantined"] == 5
    assert cache.get(pmids[4]).study == medline[4].study  # type: ignore[union-attr]
    assert cache.info()["records"] == 21 - 5
    assert cache.verify() == []


def test_damaged_database_file_gives_cache_error(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"this is not an SQLite database, just bytes " * 100)
    with pytest.raises(CacheError, match=r"is damaged .*LDN_GRAPH_CACHE") as info:
        RecordCache(folder, seed=None)
    assert str(folder / DB_NAME) in str(info.value) and "\n" not in str(info.value)


def test_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    with RecordCache(folder, seed=None) as c:
        rec = parsed("pubmed4.xml")
        c.put(rec.study, entrez(rec.dtd), rec.raw)
    db = sqlite3.connect(str(folder / DB_NAME))
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    with pytest.raises(CacheError, match="newer ldn-graph"):
        RecordCache(folder, seed=None)
    db = sqlite3.connect(str(folder / DB_NAME))
    assert db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 1
    db.close()


# --------------------------------------------------------------------------- locations


def test_missing_directory_is_created_with_parents(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "c"
    with RecordCache(target, seed=None) as c:
        assert (target / DB_NAME).is_file()
        assert c.info()["path"] == str(target)


def test_cache_path_under_a_file_gives_cache_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(CacheError, match="cannot create the record cache folder"):
        RecordCache(blocker / "cache", seed=None)
    with pytest.raises(CacheError, match="not a folder"):
        RecordCache(blocker, seed=None)


def test_read_only_directory_gives_cache_error(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    with RecordCache(existing, seed=None) as c:
        rec = parsed("pubmed4.xml")
        c.put(rec.study, entrez(rec.dtd), rec.raw)
    fresh_parent = tmp_path / "parent"
    fresh_parent.mkdir()
    made = [make_read_only(existing), make_read_only(fresh_parent)]
    try:
        if not all(made):
            pytest.skip("cannot make a folder read-only here (root without chattr)")
        with pytest.raises(CacheError, match=r"cannot create the record cache folder .*writable"):
            RecordCache(fresh_parent / "cache", seed=None)
        with pytest.raises(CacheError, match=r"not writable .*LDN_GRAPH_CACHE") as info:
            RecordCache(existing, seed=None)
        assert str(existing) in str(info.value)
    finally:
        undo_read_only(existing)
        undo_read_only(fresh_parent)


def test_default_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LDN_GRAPH_CACHE", str(tmp_path / "from-env"))
    assert settings.cache_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert settings.cache_dir() == tmp_path / "from-env"
    monkeypatch.delenv("LDN_GRAPH_CACHE")
    assert settings.cache_dir() == Path(platformdirs.user_cache_dir("ldn-graph", appauthor=False))
    monkeypatch.setenv("LDN_GRAPH_CACHE", str(tmp_path / "env-cache"))
    with RecordCache(seed=None) as c:
        assert c.directory == tmp_path / "env-cache" and (c.directory / DB_NAME).is_file()


# --------------------------------------------------------------------------- concurrency


def _writer(folder: str, start: int, count: int) -> None:
    records = list(iter_records(MEDLINE_2016))[start : start + count]
    with RecordCache(folder, seed=None) as c:
        for rec in records:  # one transaction per record: maximal lock contention
            c.put(rec.study, Provenance("imported", WHEN, "medline16n0902.xml.gz"), rec.raw)


def test_two_processes_writing_at_once_lose_nothing(
    tmp_path: Path, medline: list[ParsedRecord]
) -> None:
    folder = str(tmp_path / "shared")
    RecordCache(folder, seed=None).close()
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    procs = [ctx.Process(target=_writer, args=(folder, start, 200)) for start in (0, 200)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with RecordCache(folder, seed=None) as c:
        assert c.info()["records"] == 400
        got = c.get_many(r.study.pmid for r in medline[:400])
        assert len(got) == 400
        assert all(got[r.study.pmid].study == r.study for r in medline[:400])
        assert c.verify() == []


def test_a_version_1_cache_is_upgraded_with_its_records_through_every_version(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    rec = parsed("pubmed4.xml")
    db = sqlite3.connect(str(folder / DB_NAME))
    # the version 1 schema, as ldn-graph 0.1 wrote it
    db.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE records (pmid TEXT PRIMARY KEY, study TEXT NOT NULL, raw BLOB,
            origin TEXT NOT NULL, retrieved_at TEXT NOT NULL, source TEXT,
            sha256 TEXT NOT NULL, has_text INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, pmid TEXT NOT NULL,
            study TEXT, raw BLOB, origin TEXT, retrieved_at TEXT, source TEXT, sha256 TEXT,
            reason TEXT NOT NULL, quarantined_at TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
    """)
    db.execute("INSERT INTO records VALUES (?, ?, NULL, 'entrez', '2026-01-01T00:00:00Z', NULL, 'x', 1)",
               (rec.study.pmid, json.dumps(rec.study.to_dict())))
    db.execute("INSERT INTO records VALUES ('5', 'not json', NULL, 'entrez', '2026-01-01T00:00:00Z', NULL, 'x', 1)")
    db.commit()
    db.close()
    with RecordCache(folder, seed=None) as c:
        assert c.info()["schema_version"] == SCHEMA_VERSION == 3
        assert c.info()["resolutions"] == 0 and c.info()["searches"] == 0
        kept = c.searches.put("naltrexone[mh] AND fatigue[mh]", 2, ["27797938", "23359310"])
        assert c.searches.get(kept.query) == kept and c.searches.get("another query") is None
        assert c.known.pmids_with("doi", rec.study.doi.upper()) == [rec.study.pmid]
        assert c.known.pmids_with("pmcid", rec.study.pmcid.lower()) == [rec.study.pmid]
        # the damaged row indexes as nothing; verify still finds it
        assert any(line.startswith("5:") for line in c.verify())
        c.clear()  # cache clear removes the searches kept with the records
        assert c.searches.get(kept.query) is None and c.info()["searches"] == 0
