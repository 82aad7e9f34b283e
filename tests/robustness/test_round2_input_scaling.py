"""Round 2, item 11: no quadratic path inside the size limits.

Tested without timing: operations are counted (characters sliced, markers looked at,
records checked), or the case runs in a child process with a limit only the quadratic
code reaches. The big inputs (a 45 MB file, a 5 MB line) are timed in
bench/bench_input.py, not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any, SupportsIndex

import pytest
from cli_helpers import python_env
from hypothesis import given, settings
from hypothesis import strategies as st

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.judge import evidence
from ldn_graph.matching import TermMatcher, _term_regex
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read.documents import read_text_document
from ldn_graph.text import fold, sentence_spans

SENTENCE = "Low dose naltrexone may reduce pain in fibromyalgia [1]. "


def run_child(code: str, limit: float = 30) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter; the quadratic versions take minutes, so a timeout
    fails the test (the fixed ones take a second or two)."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
        env=python_env(), timeout=limit, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-1500:]
    return proc


class CountingStr(str):
    """A string that counts the characters its slices and indexing hand out."""

    served = 0

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        out = str.__getitem__(self, key)
        CountingStr.served += len(out)
        return out


def test_item_11_sentence_splitting_reads_each_character_a_bounded_number_of_times() -> None:
    # one 114 KB line of 2,000 sentences: the unfixed splitter copied the rest of the line
    # after every sentence end (~115 million characters; a 5 MB line, 290 billion)
    line = SENTENCE * 2_000
    text = CountingStr(line)
    CountingStr.served = 0
    spans = sentence_spans(text, 0, len(text))
    assert len(spans) == 2_000
    assert CountingStr.served <= 3 * len(line)


class CountingList(list[Any]):
    """A list that counts how often it is walked from the start."""

    walks = 0

    def __iter__(self) -> Any:
        CountingList.walks += 1
        return super().__iter__()


def test_item_11_claim_extraction_walks_the_markers_and_the_reference_list_once() -> None:
    text = SENTENCE * 300 + "\n\n1. Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310\n"
    doc = read_text_document(text.encode(), "many.txt")
    refs, markers = find_references(doc)
    assert len(markers) == 300 and len(doc.segments) >= 300
    CountingList.walks = 0
    claims = extract_claims(doc, load_vocabulary(), CountingList(refs), CountingList(markers))
    assert len(claims) == 600 and all(c.cited == ("1",) for c in claims)
    assert CountingList.walks <= 2  # was once per sentence (600+)


def test_item_11_each_record_is_checked_once_per_concept_not_once_per_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 400 uncited claims of one concept and a list citing the same record 60 times: the
    # unfixed judge checked every list entry for every claim (24,000 checks)
    entries = "\n".join(
        f"{n}. Younger J, et al. Arthritis Rheum. 2013;65(2):529-38. PMID: 23359310"
        for n in range(1, 61)
    )
    page = tmp_path / "page.txt"
    page.write_text("Low dose naltrexone may help fibromyalgia.\n" * 400 + "\n" + entries + "\n")
    calls = []
    real = evidence.check_study

    def counting(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(evidence, "check_study", counting)
    result = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    [doc] = result.documents
    assert len(doc.claims) == 400
    assert {a.verdict for a in doc.assessments} == {"inferred"}
    assert len(calls) == 1  # one concept, one PMID
    # the evidence names the record once, not once per entry that cites it
    assert all(len(a.evidence) == 1 for a in doc.assessments)


def test_item_11_html_links_and_nested_elements_are_read_in_linear_time() -> None:
    # unfixed: the text so far was joined again at every </a> (60,000 links: minutes) and
    # the open-element stack scanned for every text node (50,000 nested spans: 36 s)
    run_child(
        """
        from ldn_graph.read.html import html_layout
        links = "".join(f'<a href="https://example.org/{i}">source {i}</a> ' for i in range(60_000))
        found = html_layout("<p>" + links + "</p>").links
        assert len(found) == 60_000, len(found)
        nested = "<div>" + "<span>pain " * 50_000 + "</span>" * 50_000 + "</div>"
        text = html_layout(nested).text
        assert text.count("pain") == 50_000
        # tags that never end: Python 3.11's parser rescans to the end from each one
        text = html_layout("<p>Low dose naltrexone</p>" + "<a " * 100_000).text
        assert text.strip() == "Low dose naltrexone", text[:80]
        # unclosed DOCTYPE subsets: the old pattern rescanned to the end from each one
        text = html_layout("<p>Low dose naltrexone</p>" + "<!DOCTYPE [" * 100_000).text
        """,
        limit=30,
    )


def test_item_11_reference_lookups_scale_with_the_list(tmp_path: Path) -> None:
    # 6,000 list entries against 6,000 body PMIDs and author-year citations: the unfixed
    # lookups scanned the whole list for each (~10^8 steps, minutes)
    run_child(
        f"""
        from ldn_graph.extract.references import find_references
        from ldn_graph.read.documents import read_text_document
        n = 6_000
        names = ["Au" + "".join(chr(97 + int(d)) for d in str(i)) for i in range(n)]
        body = "".join(f"LDN helps (PMID {{9_000_000 + i}}) ({{names[i]}} 2013).\\n" for i in range(n))
        refs = "".join(f"{{names[i]}} J, et al. J Synth. 2013;1:1. PMID: {{1_000_000 + i}}\\n" for i in range(n))
        doc = read_text_document((body + "\\nReferences\\n" + refs).encode(), "{tmp_path / 'long.txt'}")
        found, markers = find_references(doc)
        assert len(found) == 2 * n, len(found)
        cited = [m.labels for m in markers if m.style == "author_year"]
        assert cited == [(str(i + 1),) for i in range(n)], cited[:3]
        """,
        limit=30,
    )


# --------------------------------------------------------------------------- term matching

@lru_cache(maxsize=1)
def matchers() -> tuple[TermMatcher, re.Pattern[str], list[str]]:
    """The vocabulary's matcher, and the flat longest-first alternation it replaced."""
    matcher = TermMatcher(load_vocabulary().concepts)
    terms = sorted(matcher._folded, key=len, reverse=True)
    flat = re.compile(r"(?<![\w])(?:" + "|".join(f"({_term_regex(t)})" for t in terms) + r")(?![\w])", re.I)
    return matcher, flat, terms


VOCAB_TERMS = sorted({fold(t).lower().strip() for c in load_vocabulary().concepts for t in c.terms})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(VOCAB_TERMS + [" ", "-", "s", "es", "ſ", "K", ".", "x"]),
                          st.text(max_size=6)), max_size=30).map("".join))
def test_item_11_grouped_term_alternation_finds_what_the_flat_one_found(text: str) -> None:
    """Term matching groups the vocabulary by first character (18x faster): the first term
    that matches at each position is the one the flat, longest-first alternation found."""
    matcher, flat, terms = matchers()
    folded = fold(text)
    expected = [(m.start(), m.end(), terms[m.lastindex - 1]) for m in flat.finditer(folded) if m.lastindex]
    assert matcher._insensitive is not None
    got = [(m.start(), m.end(), matcher._insensitive_terms[m.lastindex - 1])
           for m in matcher._insensitive.finditer(folded) if m.lastindex]
    assert got == expected
