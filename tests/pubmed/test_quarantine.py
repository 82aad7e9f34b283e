"""Which quarantined records ``cache verify --refetch`` fetches again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import DATA

from ldn_graph.model import Provenance
from ldn_graph.pubmed.cache import RecordCache
from ldn_graph.pubmed.parse import ParsedRecord, iter_records
from ldn_graph.pubmed.quarantine import Verification, records_to_refetch, verify_cache

MEDLINE_2016 = DATA / "medline" / "medline16n0902.xml.gz"
WHEN = "2026-01-15T10:00:00+00:00"


@pytest.fixture(scope="module")
def medline() -> list[ParsedRecord]:
    return list(iter_records(MEDLINE_2016))[:6]


@pytest.fixture()
def cache(tmp_path: Path, medline: list[ParsedRecord]) -> Iterator[RecordCache]:
    with RecordCache(tmp_path / "cache", seed=None) as c:
        c.put_many((r.study, Provenance("entrez", WHEN, r.dtd), r.raw) for r in medline)
        yield c


def damage(cache: RecordCache, *pmids: str) -> None:
    with sqlite3.connect(str(cache.path)) as db:
        for pmid in pmids:
            db.execute("UPDATE records SET sha256 = 'x' WHERE pmid = ?", (pmid,))
    db.close()


def test_a_clean_cache_has_nothing_to_refetch(cache: RecordCache) -> None:
    found = verify_cache(cache)
    assert found == Verification(problems=(), quarantined=(), earlier=())
    assert records_to_refetch(cache, found) == []


def test_this_run_and_earlier_runs_that_were_never_fetched_again(
    cache: RecordCache, medline: list[ParsedRecord]
) -> None:
    pmids = [r.study.pmid for r in medline]
    damage(cache, pmids[0], pmids[1], pmids[2])
    first = verify_cache(cache)
    assert len(first.problems) == 3 and first.earlier == ()
    assert sorted(first.quarantined) == sorted(pmids[:3])

    # pmids[0] was fetched again; pmids[1] only came back as a transcribed copy; pmids[2]
    # never came back; pmids[3] is damaged now
    again = {r.study.pmid: r for r in medline}
    cache.put(again[pmids[0]].study, Provenance("entrez", WHEN, "pubmed.dtd"), again[pmids[0]].raw)
    cache.put(again[pmids[1]].study, Provenance("transcribed", WHEN, "notes"), None)
    damage(cache, pmids[3])
    second = verify_cache(cache)
    assert second.quarantined == (pmids[3],)
    assert second.earlier == first.quarantined
    earlier_order = [p for p in first.quarantined if p != pmids[0]]
    assert records_to_refetch(cache, second) == [pmids[3], *earlier_order]


def test_a_row_whose_key_is_not_a_pmid_is_quarantined_and_never_refetched(
    cache: RecordCache, medline: list[ParsedRecord]
) -> None:
    pmids = [r.study.pmid for r in medline]
    with sqlite3.connect(str(cache.path)) as db:
        db.execute("UPDATE records SET pmid = 'abc' WHERE pmid = ?", (pmids[0],))
        db.execute("UPDATE records SET origin = 'forged' WHERE pmid = ?", (pmids[1],))
    db.close()
    assert list(cache.pmids()) == sorted(pmids[1:], key=int)  # no traceback on 'abc'
    found = verify_cache(cache)
    assert found.problems == (
        f"{pmids[1]}: origin is not one of entrez, imported, transcribed; moved to "
        "quarantine, fetch it again",
        "row 1: its key is not a PMID; moved to quarantine",
    )
    assert sorted(found.quarantined) == sorted(["", pmids[1]])
    assert records_to_refetch(cache, found) == [pmids[1]]
    again = verify_cache(cache)
    assert again.problems == () and sorted(again.earlier) == sorted(["", pmids[1]])
    assert records_to_refetch(cache, again) == [pmids[1]]


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("study", b'{"pmid": "1", "title": "\xff"}', "study JSON is not UTF-8 text"),
    ("study", None, "study JSON is missing"),
    ("origin", b"entr\xffez", "origin is not UTF-8 text"),
    ("source", b"file\xff.xml", "source is not UTF-8 text"),
    ("sha256", b"\xfe", "sha256 is not UTF-8 text"),
    ("pmid", b"1\xff", "its key is not a PMID"),
    ("pmid", None, "its key is not a PMID"),
    ("study", b'[1, 2]', "study JSON does not load (AttributeError)"),
    ("study", b'{"pmid": "2"}', "study JSON holds PMID 2"),
    ("study", b'{"pmid": "../x"}', "study JSON holds no valid PMID"),
])
def test_check_stored_names_the_damage_without_quoting_it(
    column: str, value: bytes | None, reason: str
) -> None:
    from ldn_graph.pubmed.rows import STORED_COLUMNS, check_stored

    row: dict[str, bytes | None] = dict.fromkeys(STORED_COLUMNS, b"x")
    row.update(pmid=b"1", study=b'{"pmid": "1"}', raw=None, origin=b"entrez", source=None)
    row[column] = value
    damage = check_stored(*row.values())
    assert damage is not None and damage[1] == reason
    assert damage[0] == (None if column == "pmid" else "1")
