"""Items 24-26 and the user-document faults of the issue, through ``ldn-graph audit``.

One run gets good and bad files together: every bad file gives one ``Error: <path>: …``
line that says what to do, the run exits 2, and every good file is still audited.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import cli
from robust_helpers import SECRET_TEXT, zip_bomb_docx

from ldn_graph.errors import InputError
from ldn_graph.read import documents

CLAIM = "Low dose naltrexone may help fibromyalgia – café au lait."


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str] | None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if lines is None:
        pdf.rect(10, 10, 50, 50)  # a drawing, no text layer (a scan looks like this)
    else:
        pdf.set_font("helvetica", size=11)
        for line in lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def hostile_html(secret: Path) -> str:
    return (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"> <!ENTITY y "injected">]>\n'
        "<html><head><title>Crohn's disease shop</title>"
        "<style>p::after { content: 'multiple sclerosis'; }</style>"
        "<script>var claim = 'LDN cures lupus'; if (a < b && c > d) {}</script></head><body>"
        "<!-- LDN treats depression -->"
        "<nav>Home | Autism</nav>"
        "<p>Low dose naltrexone may help fibromyalgia&nbsp;&amp; Crohn&#39;s disease &x;&y;.</p>"
        "<noscript>LDN helps psoriasis</noscript>"
        "<template><p>LDN helps lupus</p></template>"
        "</body></html>"
    )


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET_TEXT)
    good = {
        "latin1": tmp_path / "latin1.txt",
        "utf8_bom": tmp_path / "utf8-bom.md",
        "utf16_bom": tmp_path / "utf16-bom.txt",
        "utf16_nobom": tmp_path / "utf16-be-nobom.txt",
        "html": tmp_path / "page.html",
        "docx": tmp_path / "copy.docx",
        "pdf": tmp_path / "copy.pdf",
    }
    good["latin1"].write_bytes(CLAIM.encode("cp1252"))
    good["utf8_bom"].write_bytes(codecs.BOM_UTF8 + CLAIM.encode("utf-8"))
    good["utf16_bom"].write_bytes(codecs.BOM_UTF16_LE + CLAIM.encode("utf-16-le"))
    good["utf16_nobom"].write_bytes(CLAIM.encode("utf-16-be"))
    good["html"].write_text(hostile_html(secret), encoding="utf-8")
    write_docx(good["docx"], ["Uses", CLAIM])
    write_pdf(good["pdf"], ["Low dose naltrexone may help fibromyalgia."])
    bad = {
        "missing": tmp_path / "missing.txt",
        "directory": tmp_path / "a-folder.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.txt",
        "wrong_extension": tmp_path / "really-a-pdf.txt",
        "unsupported": tmp_path / "sheet.xlsx",
        "huge": tmp_path / "huge.txt",
        "zip_bomb": tmp_path / "bomb.docx",
        "scan": tmp_path / "scan.pdf",
        "not_a_pdf": tmp_path / "fake.pdf",
        "fifo": tmp_path / "pipe.txt",
    }
    bad["directory"].mkdir()
    bad["empty"].write_bytes(b"")
    bad["binary"].write_bytes(bytes(range(256)) * 8)
    write_pdf(bad["wrong_extension"], ["Low dose naltrexone may help fibromyalgia."])
    bad["unsupported"].write_bytes(b"PK\x03\x04 not really")
    bad["huge"].write_text(CLAIM + " " * 60_000, encoding="utf-8")
    zip_bomb_docx(bad["zip_bomb"])
    write_pdf(bad["scan"], None)
    bad["not_a_pdf"].write_text("<html><body>Low dose naltrexone helps fibromyalgia</body></html>")
    os.mkfifo(bad["fifo"])
    return {**{f"good_{k}": v for k, v in good.items()}, **bad}


@contextlib.contextmanager
def fifo_writer(fifo: Path) -> Iterator[None]:
    """Feed the named pipe if anyone ever opens it for reading (a reader that should not
    exist: without this, such a reader would block the test forever instead of failing)."""
    done = threading.Event()

    def feed() -> None:
        while not done.wait(0.05):
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # no reader: good
                    continue
                raise
            with contextlib.suppress(OSError):
                os.write(fd, CLAIM.encode())
            os.close(fd)
            return

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(5)


EXPECTED = {  # file -> (words of the one-line error, what to do)
    "missing": ("no such file", "check the path"),
    "empty": ("the file is empty", "nothing to audit"),
    "binary": ("looks like a binary file", "give a .txt"),
    "wrong_extension": ("the file is a PDF", "rename it to .pdf"),
    "unsupported": ("unsupported file type '.xlsx'", "give .txt, .md, .html, .docx or .pdf"),
    "huge": ("is larger than the 48.0 KiB limit", "split it"),
    "zip_bomb": ("looks like a zip bomb", "re-save the document"),
    "scan": ("no text layer", "run OCR"),
    "not_a_pdf": ("not a PDF", "give the PDF itself"),
    "fifo": ("not a regular file", "save the copy to a file first"),
}


def test_items_24_26_bad_inputs_get_one_line_each_and_the_others_are_audited(
    inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents, "MAX_INPUT_BYTES", 48 * 1024)  # "huge", without 50 MB
    # a folder is a usage error before any work (it names --recursive); the library still
    # refuses one given to it as a file, in one line
    folder = cli("audit", "--offline", str(inputs["directory"]))
    assert folder.exit_code == 2 and "is a folder: add --recursive" in folder.stderr
    with pytest.raises(InputError, match="is a directory; give the files inside it"):
        documents.read_document(inputs["directory"])
    files = {k: p for k, p in inputs.items() if k != "directory"}
    with fifo_writer(inputs["fifo"]):
        result = cli("audit", "--offline", "--format", "json", *files.values())
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    audited = {Path(d["path"]).name for d in data["documents"]}
    assert audited == {p.name for k, p in files.items() if k.startswith("good_")}
    errors = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert set(errors) == {inputs[k].name for k in EXPECTED}
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(error_lines) == len(EXPECTED)
    for key, (what, todo) in EXPECTED.items():
        message = errors[inputs[key].name]
        assert str(inputs[key]) in message and what in message and todo in message, message
        assert "\n" not in message and "Traceback" not in result.stderr
        assert f"Error: {message}" in error_lines


def claims_of(data: dict, name: str) -> list[dict]:
    return next(d for d in data["documents"] if Path(d["path"]).name == name)["claims"]


def test_item_24_latin1_utf16_and_bom_text_give_the_same_claims(
    inputs: dict[str, Path],
) -> None:
    names = ["good_latin1", "good_utf8_bom", "good_utf16_bom", "good_utf16_nobom"]
    result = cli("audit", "--offline", "--format", "json", *(inputs[n] for n in names))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for name in names:
        claims = claims_of(data, inputs[name].name)
        assert [(c["text"], c["label"]) for c in claims] == [(CLAIM, "Fibromyalgia")], name
        assert claims[0]["start"] == 0  # a BOM is not text: offsets start at the first word


def test_item_25_html_scripts_styles_comments_and_entities(inputs: dict[str, Path]) -> None:
    result = cli("audit", "--offline", "--format", "json", inputs["good_html"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    claims = claims_of(data, "page.html")
    assert {c["label"] for c in claims} == {"Fibromyalgia", "Crohn's disease"}
    [text] = {c["text"] for c in claims}
    # entities decoded (&nbsp; &amp; &#39;); the DTD's own entities are not expanded (a
    # browser shows an undeclared "&x;" as it is, and so does the text)
    assert text.startswith("Low dose naltrexone may help fibromyalgia & Crohn's disease")
    assert "]>" not in result.stdout and "injected" not in result.stdout
    assert SECRET_TEXT not in result.stdout
    for hidden in ("lupus", "Lupus", "psoriasis", "Psoriasis", "depression", "Depression",
                   "Autism", "sclerosis"):
        assert hidden not in " ".join(c["text"] for c in claims)


def test_item_26_docx_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    import tracemalloc

    bomb = zip_bomb_docx(tmp_path / "bomb.docx", expanded_bytes=48 * 1024 * 1024)
    assert bomb.stat().st_size < 256 * 1024  # ~200x smaller than what it declares
    tracemalloc.start()
    try:
        result = cli("audit", "--offline", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 2
    assert f"Error: {bomb}: refused: archive member 'word/document.xml'" in result.stderr
    assert peak < 24 * 1024 * 1024  # the 48 MB member was never inflated
