"""The fuzzing pass (issue 13): Hypothesis writes hostile HTML, Markdown, DOCX packages,
MEDLINE XML and ``--suppress`` files, and each goes through the real command line —
``ldn-graph audit``/``export`` for documents and suppressions, ``ldn-graph cache import``
(then ``cache verify`` and an offline audit citing what was stored) for MEDLINE XML.

The property is the same for all: every outcome is a report or a one-line ``Error: …``
— exit 0, 1, 2 or 4, nothing on stderr but ``Error:``/``note:``/``warning:``/``wrote``
lines, never a traceback — within a time and memory budget. Each example runs in a worker
process (:class:`Worker`) under an address-space limit (``RLIMIT_AS``) and a wall-clock
limit per example, so a hang or a memory blow-up fails the one example instead of the
suite (the worker is replaced).

Examples are derandomized (the same every run, so CI stays stable) and few; for a deeper
run set ``LDN_GRAPH_FUZZ_EXAMPLES`` (per test), ``LDN_GRAPH_FUZZ_RANDOM=1`` (a new seed each
run) and ``LDN_GRAPH_FUZZ_SHRINK=1`` (shrink a failure to a minimal example; off by
default, because a hanging example costs the whole time limit at each shrinking step).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import select
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"

TIME_LIMIT = 30.0  # seconds per example (a normal one takes well under one)
MEMORY_LIMIT = 2 << 30  # address space of the worker, bytes (an audit peaks at ~0.2 GiB)
STDERR_PREFIXES = ("Error: ", "note: ", "warning: ", "wrote ")
EXAMPLES = int(os.environ.get("LDN_GRAPH_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the worker's TIME_LIMIT is the deadline: it also stops a hang
    derandomize=not os.environ.get("LDN_GRAPH_FUZZ_RANDOM"),
    database=None,
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("LDN_GRAPH_FUZZ_SHRINK") else []),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
)


# ----------------------------------------------------------------------------- the worker


@dataclass
class Outcome:
    """What one command did in the worker."""

    args: list[str]
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    error: str | None = None  # traceback of an exception other than SystemExit
    failure: str | None = None  # the worker hung or died
    outputs: dict[str, bytes] = field(default_factory=dict)  # files named by "-o"


def _send(stream: Any, obj: object) -> None:
    data = pickle.dumps(obj)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _receive(stream: Any) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack(">Q", head)
    return pickle.loads(stream.read(size))


class Worker:
    """A child process running ldn-graph commands in-process (CliRunner), one request at
    a time, under :data:`MEMORY_LIMIT`; a request that takes longer than
    :data:`TIME_LIMIT` kills it (the next request starts a new one)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.proc: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT), str(TESTS), env.get("PYTHONPATH")]))
        env.update(
            LDN_GRAPH_CACHE=str(self.home / "cache"),
            LDN_GRAPH_STATE=str(self.home / "state"),
            LDN_GRAPH_EUTILS_URL="http://127.0.0.1:9/entrez/eutils/",  # closed: never NCBI
        )
        env.pop("NCBI_API_KEY", None)
        return subprocess.Popen(
            [sys.executable, __file__, "--worker", str(MEMORY_LIMIT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(self.home / "worker.log", "ab"),  # noqa: SIM115 - the child owns it
            env=env, cwd=self.home,
        )

    def run(self, files: dict[str, bytes], *commands: Sequence[str],
            timeout: float = TIME_LIMIT) -> list[Outcome]:
        """Write ``files`` into a fresh folder, run each command there ("{dir}" in an
        argument is that folder) and return their outcomes; a command that fails stops
        the rest."""
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        _send(proc.stdin, (files, [list(c) for c in commands]))
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            self.close()
            return [Outcome(list(commands[0]), failure=f"no outcome within {timeout:g} s "
                                                       "(a hang, or quadratic work)")]
        try:
            return [Outcome(**fields) for fields in _receive(proc.stdout)]
        except (EOFError, pickle.UnpicklingError):
            code = proc.wait()
            self.proc = None
            return [Outcome(list(commands[0]), failure=f"the worker died (exit {code}): over "
                                                       f"{MEMORY_LIMIT >> 30} GiB, or a crash")]

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()
            self.proc = None


def _worker_main(limit: int) -> None:  # pragma: no cover - runs in the child
    import resource
    import traceback

    from click.testing import CliRunner

    from ldn_graph.cli.group import main

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies on the pipe
    while True:
        try:
            files, commands = _receive(requests)
        except EOFError:
            return
        outcomes = []
        with tempfile.TemporaryDirectory() as folder:
            for name, data in files.items():
                (Path(folder) / name).write_bytes(data)
            for command in commands:
                args = [a.replace("{dir}", folder) for a in command]
                if args == ["__allocate__"]:
                    result = CliRunner().invoke(_allocate(), [], catch_exceptions=True)
                else:
                    result = CliRunner().invoke(main, args, catch_exceptions=True)
                error = None
                if result.exception is not None and not isinstance(result.exception, SystemExit):
                    error = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
                outputs = {}
                if "-o" in args:
                    target = Path(args[args.index("-o") + 1])
                    if target.is_file():
                        outputs[target.name] = target.read_bytes()
                outcomes.append(dict(args=command, exit_code=result.exit_code,
                                     stdout=result.stdout, stderr=result.stderr, error=error,
                                     outputs=outputs))
                if error is not None or result.exit_code not in (0, 1):
                    break
        _send(replies, outcomes)


def _allocate() -> Any:  # pragma: no cover - runs in the child
    """A command taking twice the worker's memory limit (what a blow-up looks like)."""
    import click

    @click.command()
    def allocate() -> None:
        click.echo(len(bytearray(2 * MEMORY_LIMIT)))

    return allocate


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    if sys.platform == "win32":
        pytest.skip("the worker needs POSIX pipes and resource limits")
    folder = tmp_path_factory.mktemp("fuzz-worker")
    w = Worker(folder)
    try:
        yield w
    finally:
        w.close()


def assert_outcome(out: Outcome, codes: Sequence[int] = (0, 1, 2, 4)) -> None:
    """A report or one-line errors, with one of ``codes``, and nothing else."""
    shown = f"ldn-graph {' '.join(out.args)}"
    assert out.failure is None, f"{shown}: {out.failure}"
    assert out.error is None, f"{shown} raised:\n{out.error}"
    assert out.exit_code in codes, f"{shown}: exit {out.exit_code}\n{out.stderr}"
    lines = out.stderr.splitlines()
    stray = [line for line in lines if line.strip() and not line.startswith(STDERR_PREFIXES)]
    assert not stray, f"{shown}: stderr lines that are not one-line messages: {stray[:5]}"
    if out.exit_code not in (0, 1):
        assert any(line.startswith("Error: ") for line in lines), f"{shown}: no Error line"


def assert_report(out: Outcome, fmt: str) -> None:
    """A successful run wrote its report, and a JSON one parses."""
    if out.exit_code not in (0, 1, 2):
        return
    report = out.outputs.get("out") if "-o" in out.args else out.stdout.encode()
    if out.exit_code == 2 and not report:
        return  # every input was refused: the errors are the outcome
    assert report, f"ldn-graph {' '.join(out.args)}: exit {out.exit_code} and no report"
    if fmt in ("json", "jsonld"):
        json.loads(report)


# ----------------------------------------------------------------------------- text pieces

# Words the readers and extractors react to, mixed with anything at all.
WORDS = ["LDN", "low dose naltrexone", "Low-dose naltrexone may help fibromyalgia",
         "Crohn's disease", "multiple sclerosis", "is not", "References", "[1]", "[2, 3]",
         "¹²", "PMID: 23359310", "PMID 17222320", "doi:10.1016/x.y",
         "https://pubmed.ncbi.nlm.nih.gov/19041189/", "1000.", "1.", "e.g.", "\n", "\t",
         "\xa0", "\u2028", "\ufeff", "\x00", "\x1b", "é", "’", ".", " "]
ODD_NUMBERS = ["1", "0", "-1", "٣", "", " 7 ", "1e9", "0x10", "99999999999999999999",
               "50000000", "a", "3.5"]
# digits that int() refuses: '²'.isdigit() is true, and a number past Python's 4300 digits
UNREADABLE_NUMBERS = ["²", "9" * 5000]

plain_text = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
prose = st.lists(plain_text, max_size=12).map(" ".join)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch <= "\ud7ff")
                   or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000")


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-invalid":  # one byte that is not UTF-8 in the middle
        data = text.encode("utf-8", "surrogatepass")
        middle = len(data) // 2
        return data[:middle] + b"\xff" + data[middle:]
    if encoding == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if encoding == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogatepass")


encodings = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-invalid", "utf-16", "latin-1"])
not_utf8 = st.sampled_from(["utf-8-invalid", "utf-16", "latin-1"])


# ----------------------------------------------------------------------------- HTML

HTML_TAGS = ["p", "div", "span", "a", "ol", "ul", "li", "h1", "h2", "h6", "table", "tr",
             "td", "th", "sup", "sub", "b", "i", "em", "blockquote", "pre", "script", "style",
             "noscript", "template", "nav", "header", "footer", "section", "title", "head",
             "body", "html", "br", "img", "textarea", "svg", "math", "object", "frameset"]
HTML_ATTRS = ["start", "value", "href", "id", "class", "colspan", "rowspan", "type",
              "reversed", "style", "hidden", "lang", "charset"]
HTML_LEAVES = st.one_of(
    plain_text.map(escape),
    plain_text,  # raw: "<", "&" and all
    st.sampled_from(["&amp;", "&nbsp;", "&#0;", "&#x110000;", "&#99999999;", "&bogus;",
                     "&#x1F600;", "&", "<", "</a>", "</p></p>", "<!-- c -->", "<!--",
                     "<![CDATA[ x ]]>", "<?php ?>", "<br/>", "<li>", "</ol>", "<ol start=7>",
                     "<meta charset=utf-16>", '<a href="javascript:alert(1)">x</a>']),
)


def _element(tag: str, attrs: str, children: list[str], closed: bool) -> str:
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


def html_documents(numbers: list[str]) -> st.SearchStrategy[bytes]:
    """Whole HTML files: a DOCTYPE, random trees (attributes drawn from ``numbers`` and any
    text) with a top-level list started at one of ``numbers``, sometimes inside 300 nested
    spans, in one of :data:`encodings`."""
    attrs = st.lists(
        st.tuples(st.sampled_from(HTML_ATTRS), st.one_of(st.sampled_from(numbers), plain_text)),
        max_size=3,
    ).map(lambda pairs: "".join(f" {name}={quoteattr(value)}" for name, value in pairs))
    tree = st.recursive(
        HTML_LEAVES,
        lambda children: st.builds(_element, st.sampled_from(HTML_TAGS), attrs,
                                   st.lists(children, max_size=5), st.booleans()),
        max_leaves=40,
    )
    numbered = st.sampled_from(numbers).map(
        lambda n: f"<ol start={quoteattr(n)}><li>LDN helps sleep.</li></ol>")
    return st.builds(
        lambda doctype, before, ol, after, nesting, encoding: encode(
            doctype + "<html><body>" + "<span>LDN helps sleep. " * nesting
            + before + ol + after + "</span>" * nesting, encoding),
        st.sampled_from(["", "<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY x "y">]>',
                         '<!DOCTYPE html SYSTEM "file:///etc/passwd">', "<?xml version='1.0'?>"]),
        st.lists(tree, max_size=3).map("".join),
        numbered,
        st.lists(tree, max_size=3).map("".join),
        st.sampled_from([0, 0, 0, 300]),
        encodings,
    )


# ----------------------------------------------------------------------------- Markdown

MD_LINES = st.one_of(
    prose,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 8), prose),
    st.builds(lambda b, t: f"{b} {t}", st.sampled_from(["-", "*", "+", "1.", "1)", "1000.",
                                                         "99999.", "0.", ">", "- [ ]", "|"]), prose),
    st.builds(lambda n, t, p: f"{n}. {t}. PMID: {p}",
              st.sampled_from(ODD_NUMBERS[:10]), prose, st.sampled_from(["23359310", "0", "x"])),
    st.builds(lambda t, u: f"[{t}]({u})", plain_text, st.sampled_from(
        ["https://pubmed.ncbi.nlm.nih.gov/23359310/", "javascript:x", "", "<>", "((("])),
    st.sampled_from(["```", "~~~", "---", "***", "| a | b |", "|---|---|", "[^1]: note",
                     "<div>", "</div>", "References", "## References", "Sources:", "",
                     "    indented code", "<!-- LDN cures lupus -->"]),
)
markdown_documents = st.builds(
    lambda lines, newline, encoding: encode(newline.join(lines), encoding),
    st.lists(MD_LINES, max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
    encodings,
)


# ----------------------------------------------------------------------------- DOCX

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/hyperlink" Target="https://pubmed.ncbi.nlm.nih.gov/23359310/" '
    'TargetMode="External"/></Relationships>'
)
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W_NS}>'
    + "".join(f'<w:style w:type="paragraph" w:styleId="{s}"><w:name w:val="{n}"/></w:style>'
              for s, n in [("Normal", "Normal"), ("Heading1", "heading 1"),
                           ("ListParagraph", "List Paragraph"), ("ListBullet", "List Bullet")])
    + "</w:styles>"
)

docx_text = prose.map(lambda t: escape(xml_safe(t)))
docx_run = st.one_of(
    st.builds(lambda sup, t: "<w:r>" + ('<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                                        if sup else "") + f'<w:t xml:space="preserve">{t}</w:t></w:r>',
              st.booleans(), docx_text),
    st.sampled_from(["<w:r><w:br/></w:r>", "<w:r><w:tab/></w:r>", "<w:r><w:t>1</w:t></w:r>",
                     '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>',
                     '<w:hyperlink r:id="rId3"><w:r><w:t>PMID 23359310</w:t></w:r></w:hyperlink>',
                     '<w:hyperlink r:id="rId99"><w:r><w:t>missing link</w:t></w:r></w:hyperlink>',
                     '<w:fldSimple w:instr="HYPERLINK x"><w:r><w:t>field</w:t></w:r></w:fldSimple>',
                     "<w:ins><w:r><w:t>inserted LDN</w:t></w:r></w:ins>",
                     "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"]),
)
docx_paragraph = st.builds(
    lambda style, numbered, runs: "<w:p><w:pPr>"
    + (f'<w:pStyle w:val="{style}"/>' if style else "")
    + ('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else "")
    + "</w:pPr>" + "".join(runs) + "</w:p>",
    st.sampled_from(["", "Heading1", "ListParagraph", "ListBullet", "Missing"]),
    st.booleans(),
    st.lists(docx_run, max_size=5),
)
GRID_SPANS = [None, None, "1", "2", "3"]
ODD_GRID_SPANS = ["0", "-1", "x", "", " 2"]  # 50000000 hangs: a minimal case below
V_MERGES = ["none", "none", "restart"]
ODD_V_MERGES = ["plain", "continue"]  # "continue" with no cell above it


def docx_packages(spans: list[str | None], merges: list[str]) -> st.SearchStrategy[bytes]:
    """Minimal valid packages (content types, relationships, sometimes styles) around a
    random ``document.xml``: paragraphs (styles, numbering, superscripts, hyperlinks,
    fields, revisions) and tables whose cells take ``gridSpan`` from ``spans`` and
    ``vMerge`` from ``merges``; sometimes truncated, missing or not XML."""
    cell = st.builds(
        lambda span, merge, paragraphs: "<w:tc><w:tcPr>"
        + (f"<w:gridSpan w:val={quoteattr(span)}/>" if span is not None else "")
        + ({"none": "", "plain": "<w:vMerge/>"}.get(merge, f'<w:vMerge w:val="{merge}"/>'))
        + "</w:tcPr>" + ("".join(paragraphs) or "<w:p/>") + "</w:tc>",
        st.sampled_from(spans),
        st.sampled_from(merges),
        st.lists(docx_paragraph, max_size=2),
    )
    table = st.builds(
        lambda columns, rows: "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * columns + "</w:tblGrid>"
        + "".join("<w:tr>" + "".join(cells) + "</w:tr>" for cells in rows) + "</w:tbl>",
        st.integers(0, 4),
        st.lists(st.lists(cell, min_size=1, max_size=4), max_size=4),
    )
    return st.builds(
        lambda blocks, styles, broken: _docx_package(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}>'
            "<w:body>" + "".join(blocks) + "</w:body></w:document>", styles, broken),
        st.lists(st.one_of(docx_paragraph, docx_paragraph, table), max_size=8),
        st.booleans(),
        st.sampled_from([None, None, None, "truncated", "no-document", "not-xml"]),
    )


def _docx_package(document: str, styles: bool, broken: str | None) -> bytes:
    if broken == "truncated":
        document = document[: len(document) // 2]
    elif broken == "not-xml":
        document = "LDN helps fibromyalgia [1]."
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        if broken != "no-document":
            package.writestr("word/document.xml", document)
        if styles:
            package.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
            package.writestr("word/styles.xml", STYLES)
    return out.getvalue()


# ----------------------------------------------------------------------------- MEDLINE XML

# PMIDs the parser reads, or skips as no PMID at all (empty, markup only)
PMIDS = ["23359310", "17222320", "1", "999999999", " 42 ", "", "<b>7</b>"]
# PMIDs that are not PMIDs: today one of them aborts the whole import (item 3)
BAD_PMIDS = ["0", "1234567890", "012", "abc", "9" * 20, "-5", "١٢٣", "12&amp;3"]
xml_text = st.one_of(prose.map(lambda t: escape(xml_safe(t))), st.sampled_from(
    ["&amp;", "&lt;i&gt;", "&#x1F600;", "&#0;", "&#xD800;", "&undefined;", "&", "<", "]]>",
     "<![CDATA[<i>x</i>]]>", "<!-- c -->", "<?pi x?>"]))
inline = st.builds(lambda tag, t: f"<{tag}>{t}</{tag}>",
                   st.sampled_from(["i", "b", "sub", "sup", "u", "mml:math", "unknown"]), xml_text)
mixed = st.lists(st.one_of(xml_text, inline), max_size=5).map("".join)


def _maybe(tag: str, content: st.SearchStrategy[str], attrs: str = "") -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), content.map(lambda c: f"<{tag}{attrs}>{c}</{tag}>"))


def _article(pmids: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda pmid, version, title, abstract, date, authors, types, ids, extra: (
            f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
            f'<PMID Version="{version}">{pmid}</PMID><Article PubModel="Print"><Journal>'
            f"<Title>J Synth</Title><JournalIssue><PubDate>{date}</PubDate></JournalIssue>"
            f"</Journal>{title}{abstract}{authors}{types}</Article>{extra}</MedlineCitation>"
            f"<PubmedData>{ids}</PubmedData></PubmedArticle>"),
        st.sampled_from(pmids),
        st.sampled_from(["1", "2", "", "x"]),
        _maybe("ArticleTitle", mixed),
        _maybe("Abstract", st.lists(st.builds(
            lambda label, text: f"<AbstractText{label}>{text}</AbstractText>",
            st.sampled_from(["", ' Label=""', ' Label="RESULTS" NlmCategory="RESULTS"',
                             ' Label="&lt;x&gt;"']), mixed), max_size=3).map("".join)),
        st.one_of(st.builds(lambda y, m: f"<Year>{y}</Year><Month>{m}</Month>",
                            st.sampled_from(["2013", "0", "99999", "", "20x3"]),
                            st.sampled_from(["Jul", "13", "", "Foo"])),
                  st.sampled_from(["<MedlineDate>2008 Jul-Aug</MedlineDate>", "<MedlineDate/>",
                                   "<Season>Spring</Season>", ""])),
        _maybe("AuthorList", st.lists(st.sampled_from([
            "<Author><LastName>Younger</LastName><ForeName>J</ForeName></Author>",
            "<Author><CollectiveName>LDN Group</CollectiveName></Author>", "<Author/>",
            "<Author><LastName/></Author>"]), max_size=3).map("".join)),
        _maybe("PublicationTypeList", st.lists(st.builds(
            lambda t: f'<PublicationType UI="D016449">{t}</PublicationType>',
            st.sampled_from(["Randomized Controlled Trial", "Retracted Publication", "Review",
                             "", "Meta-Analysis"])), max_size=3).map("".join)),
        _maybe("ArticleIdList", st.lists(st.builds(
            lambda kind, value: f'<ArticleId IdType="{kind}">{value}</ArticleId>',
            st.sampled_from(["pubmed", "doi", "pmc", "pii", ""]),
            st.sampled_from(["10.1/x", "PMC123", "", "23359310", "doi:<>"])), max_size=3).map("".join)),
        st.sampled_from(["", "<MeshHeadingList><MeshHeading><DescriptorName UI=\"D005356\">"
                             "Fibromyalgia</DescriptorName></MeshHeading></MeshHeadingList>",
                         "<CommentsCorrectionsList><CommentsCorrections RefType=\"RetractionIn\">"
                         "<PMID>1</PMID></CommentsCorrections></CommentsCorrectionsList>",
                         "<Unknown><Deep><Er>x</Er></Deep></Unknown>"]),
    )


def medline_files(pmids: list[str], bad: list[str] | None = None,
                  ) -> st.SearchStrategy[tuple[bytes, bool]]:
    """(bytes, gzipped) of a ``PubmedArticleSet``: odd headers, articles with PMIDs from
    ``pmids`` (and one from ``bad`` among them when given), book articles, deletions, a
    missing or trailing end, gzip, a byte that is not UTF-8."""
    articles = st.lists(st.one_of(_article(pmids), st.sampled_from([
        "<DeleteCitation><PMID>1</PMID></DeleteCitation>",
        "<PubmedBookArticle><BookDocument><PMID>3</PMID></BookDocument></PubmedBookArticle>",
        "<PubmedArticle/>", "<PubmedArticle><MedlineCitation/></PubmedArticle>"])), max_size=5)
    if bad:
        articles = st.builds(lambda some, one, at: [*some[:at], one, *some[at:]],
                             articles, _article(bad), st.integers(0, 5))
    return st.builds(
        lambda header, parts, tail, gz, encoding: (
            lambda data: (gzip.compress(data) if gz else data, gz))(
            encode(header + "<PubmedArticleSet>" + "".join(parts) + tail, encoding)),
        st.sampled_from([
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
            '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n',
            '<?xml version="1.0" encoding="UTF-16"?>\n', "",
            '<!DOCTYPE x [<!ENTITY e "LDN">]>\n']),
        articles,
        st.sampled_from(["</PubmedArticleSet>", "</PubmedArticleSet>", "",
                         "</PubmedArticleSet>junk"]),
        st.booleans(),
        st.sampled_from(["utf-8", "utf-8", "utf-8-invalid"]),
    )


# ----------------------------------------------------------------------------- suppressions

SUPPRESS_KEYS = ["claim", "finding", "reference", "justification", "reviewer"]
FINDING_KINDS = ["weak_evidence", "non_pubmed_source", "unsupported_claim", "retracted_source",
                 "no_such_kind"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    plain_text, st.sampled_from(FINDING_KINDS))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(plain_text, inner, max_size=3)), max_leaves=8)
entry = st.dictionaries(st.one_of(st.sampled_from(SUPPRESS_KEYS), plain_text),
                        st.one_of(values, st.sampled_from(FINDING_KINDS)), max_size=6)
suppress_data = st.one_of(
    st.builds(lambda entries: {"suppressions": entries}, st.lists(entry, max_size=4)),
    st.lists(entry, max_size=4),
    values,
)
YAML_NOISE = ["suppressions:", "  - claim: x", "    justification: ok", "    reviewer: r",
              "  - finding: weak_evidence", "- &a {finding: weak_evidence}", "- *a", "- *b",
              "<<: *a", "!!python/object/apply:os.system ['true']", "!!binary AAAA", "---",
              "...", "%YAML 1.1", "\t- tab", "key: [unclosed", "'", '"\\x"', "? complex",
              "x: !!timestamp 2001-12-14", "{", "[" * 50, "\ufeff", "- !!set {a, b}"]


def suppress_files(encoding: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, bytes]]:
    """(name, bytes) of a suppressions file: random data as JSON or YAML, or lines of YAML
    syntax (anchors, aliases, tags, documents, broken flow) in ``encoding``."""
    return st.one_of(
        st.builds(lambda data: ("s.json", json.dumps(data).encode()), suppress_data),
        st.builds(lambda data: ("s.yaml", _yaml(data).encode("utf-8", "surrogatepass")),
                  suppress_data),
        st.builds(lambda lines, how: ("s.yml", encode("\n".join(lines), how)),
                  st.lists(st.one_of(st.sampled_from(YAML_NOISE), plain_text), max_size=12),
                  encoding),
    )


def _yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


# ----------------------------------------------------------------------------- the page

PAGE = (b"Low dose naltrexone may help fibromyalgia [1]. It eases Crohn's disease [2]. "
        b"LDN treats multiple sclerosis.\n\nReferences\n"
        b"1. Younger J, et al. Arthritis Rheum. 2013. PMID: 23359310\n"
        b"2. Smith JP, et al. 2007. PMID: 17222320\n")
REPORT_FORMATS = ["json", "markdown", "table", "html"]
GATES = ["none", "error", "weak_evidence"]
EXPORT_FORMATS = ["turtle", "nt", "jsonld", "graphml"]
outputs = st.one_of(
    st.sampled_from(REPORT_FORMATS).map(lambda f: ("audit", f)),
    st.sampled_from(EXPORT_FORMATS).map(lambda f: ("export", f)),
)


def run_document(worker: Worker, name: str, data: bytes, output: tuple[str, str]) -> None:
    """Audit (or export) ``name`` beside a good page: the good page is always reported."""
    command, fmt = output
    args = [command, f"{{dir}}/{name}", "{dir}/good.txt", "--offline", "--format", fmt]
    if command == "export":
        args += ["-o", "{dir}/out"]
    [out] = worker.run({name: data, "good.txt": PAGE}, args)
    assert_outcome(out, codes=(0, 2))
    assert_report(out, fmt)


# ----------------------------------------------------------------------------- the tests
# Each format has a fuzz test, and the document and suppression formats a second one that
# also draws the inputs that broke the readers before round 2 (issue 13, items 3, 10, 13);
# their minimal cases are listed further down.

@FUZZ
@given(data=html_documents(ODD_NUMBERS), output=outputs)
def test_fuzz_html(worker: Worker, data: bytes, output: tuple[str, str]) -> None:
    run_document(worker, "page.html", data, output)


@FUZZ
@given(data=html_documents(UNREADABLE_NUMBERS), output=outputs)
def test_fuzz_html_with_unreadable_list_numbers(
    worker: Worker, data: bytes, output: tuple[str, str]
) -> None:
    run_document(worker, "page.html", data, output)


@FUZZ
@given(data=markdown_documents, output=outputs)
def test_fuzz_markdown(worker: Worker, data: bytes, output: tuple[str, str]) -> None:
    run_document(worker, "page.md", data, output)


@FUZZ
@given(data=docx_packages(GRID_SPANS, V_MERGES), output=outputs)
def test_fuzz_docx(worker: Worker, data: bytes, output: tuple[str, str]) -> None:
    run_document(worker, "page.docx", data, output)


@FUZZ
@given(data=docx_packages(GRID_SPANS + ODD_GRID_SPANS, V_MERGES + ODD_V_MERGES), output=outputs)
def test_fuzz_docx_with_odd_table_grids(
    worker: Worker, data: bytes, output: tuple[str, str]
) -> None:
    run_document(worker, "page.docx", data, output)


def run_medline(worker: Worker, medline: tuple[bytes, bool], fmt: str) -> None:
    """``cache import`` stores what it can read and names the rest in one line each; what
    it stored passes ``cache verify`` and can be audited offline."""
    data, gz = medline
    name = "set.xml.gz" if gz else "set.xml"
    cache = ["--cache-dir", "{dir}/cache"]
    imported, *rest = worker.run(
        {name: data, "good.txt": PAGE},
        ["cache", "import", f"{{dir}}/{name}", *cache],
        ["cache", "verify", *cache],
        ["audit", "{dir}/good.txt", "--offline", "--format", fmt, *cache],
    )
    assert_outcome(imported, codes=(0, 2))
    assert imported.stdout.startswith("imported "), "no summary: the records read were lost"
    if imported.exit_code == 0:
        verify, audit = rest
        assert_outcome(verify, codes=(0,))  # every record stored re-verifies
        assert_outcome(audit, codes=(0,))
        assert_report(audit, fmt)


@FUZZ
@given(medline=medline_files(PMIDS), fmt=st.sampled_from(REPORT_FORMATS))
def test_fuzz_medline_xml(worker: Worker, medline: tuple[bytes, bool], fmt: str) -> None:
    run_medline(worker, medline, fmt)


@FUZZ
@given(medline=medline_files(PMIDS, BAD_PMIDS), fmt=st.sampled_from(REPORT_FORMATS))
def test_fuzz_medline_xml_with_a_bad_pmid(
    worker: Worker, medline: tuple[bytes, bool], fmt: str
) -> None:
    run_medline(worker, medline, fmt)


def run_suppress(worker: Worker, suppress: tuple[str, bytes], gate: str) -> None:
    name, data = suppress
    [out] = worker.run(
        {name: data, "good.txt": PAGE},
        ["audit", "{dir}/good.txt", "--offline", "--format", "json", "--suppress",
         f"{{dir}}/{name}", "--fail-on", gate],
    )
    assert_outcome(out, codes=(0, 1, 2))
    assert_report(out, "json")


@FUZZ
@given(suppress=suppress_files(st.just("utf-8")), gate=st.sampled_from(GATES))
def test_fuzz_suppress_files(worker: Worker, suppress: tuple[str, bytes], gate: str) -> None:
    run_suppress(worker, suppress, gate)


@FUZZ
@given(suppress=suppress_files(not_utf8), gate=st.sampled_from(GATES))
def test_fuzz_suppress_files_not_utf8(
    worker: Worker, suppress: tuple[str, bytes], gate: str
) -> None:
    run_suppress(worker, suppress, gate)


# The smallest inputs the fuzzing found (or the issue names) that still break the reader.
def _grid_cell(span: str, merge: str = "") -> bytes:
    cell = (f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/>{merge}</w:tcPr>'
            "<w:p><w:r><w:t>Low dose naltrexone may help fibromyalgia.</w:t></w:r></w:p></w:tc>")
    return _docx_package(
        f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:tbl>'
        f"<w:tblGrid><w:gridCol/></w:tblGrid><w:tr>{cell}</w:tr></w:tbl></w:body></w:document>",
        True, None)


MINIMAL = {
    "html-start-superscript": ("page.html", b'<ol start="\xc2\xb2"><li>LDN helps sleep.</ol>'),
    "html-start-5000-digits": ("page.html", b'<ol start="' + b"9" * 5000 + b'"><li>x</ol>'),
    "docx-gridspan-not-a-number": ("page.docx", _grid_cell("x")),
    "docx-gridspan-empty": ("page.docx", _grid_cell("")),
    "docx-vmerge-continue-first-row": (
        "page.docx", _grid_cell("1", '<w:vMerge w:val="continue"/>')),
    "docx-gridspan-50000000": ("page.docx", _grid_cell("50000000")),  # hangs, memory grows
    "docx-gridspan-zero-loses-the-cell": ("page.docx", _grid_cell("0")),
}


@pytest.mark.parametrize("case", list(MINIMAL))
def test_fuzz_minimal_cases_the_input_side_fixes(worker: Worker, case: str) -> None:
    name, data = MINIMAL[case]
    [out] = worker.run({name: data, "good.txt": PAGE},
                       ["audit", f"{{dir}}/{name}", "{dir}/good.txt", "--offline",
                        "--format", "json"], timeout=5)
    assert_outcome(out, codes=(0, 2))
    assert_report(out, "json")
    if case == "docx-gridspan-zero-loses-the-cell":  # a valid outcome, but the text is lost
        assert out.exit_code == 0
        docs = {Path(d["path"]).name: d for d in json.loads(out.stdout)["documents"]}
        assert any("fibromyalgia" in c["text"] for c in docs[name]["claims"])


def test_fuzz_minimal_suppress_file_not_utf8(worker: Worker) -> None:
    run_suppress(worker, ("s.yml", b"\xff"), "none")


def test_the_budget_stops_a_memory_blow_up_and_a_hang(worker: Worker) -> None:
    """The budget itself: a command past the memory limit or the time limit fails its
    example with a reason, and the next example gets a fresh worker."""
    [blown] = worker.run({}, ["__allocate__"])
    assert blown.error is not None and "MemoryError" in blown.error
    [slow] = worker.run({"good.txt": PAGE}, ["audit", "{dir}/good.txt", "--offline"],
                        timeout=0.001)
    assert slow.failure is not None and "no outcome within" in slow.failure
    [fine] = worker.run({"good.txt": PAGE}, ["audit", "{dir}/good.txt", "--offline"])
    assert_outcome(fine, codes=(0,))


if __name__ == "__main__":  # the worker: python test_fuzz.py --worker LIMIT
    _worker_main(int(sys.argv[2]))
