"""Round 2, items 10 and 12-16 (the input side): hostile suppress files, reference lists,
HTML and DOCX, damaged UTF-8, protected PDFs and binary files. Each test fails without its
fix (docs/reliability.md, "Round 2"); item 11 (quadratic paths) is in
test_round2_input_scaling.py."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import cli, python_env
from robust_helpers import MONOGRAPH, rewrite_docx_part

from ldn_graph.audit import AuditOptions, audit
from ldn_graph.errors import InputError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.extract.references import find_references
from ldn_graph.judge.suppress import load_suppressions
from ldn_graph.ontology.vocabulary import load_vocabulary
from ldn_graph.read import documents
from ldn_graph.read.documents import read_text_document
from ldn_graph.read.pdf import unwrap_lines

audit_module = importlib.import_module("ldn_graph.audit")  # the package's ``audit`` is the function

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


# --------------------------------------------------------------------------- item 12


def test_item_12_a_reason_names_five_references_then_counts_the_rest(tmp_path: Path) -> None:
    # 40 PubMed references none of which is cached, 30 uncited claims and one citing all:
    # every reason used to list all 40 (a 126 KB page gave a 155 MB report)
    pmids = [str(800_000_001 + i) for i in range(40)]
    refs = "\n".join(f"{i}. Synthetic A, et al. J Synth. 2019;1:{i}. PMID: {p}" for i, p in enumerate(pmids, 1))
    page = tmp_path / "page.txt"
    page.write_text(
        "Low dose naltrexone may help fibromyalgia [1-40].\n"
        + "Low dose naltrexone may help Crohn's disease.\n" * 30 + "\nReferences\n" + refs + "\n",
        encoding="utf-8",
    )
    result = audit([page], AuditOptions(offline=True, cache_dir=tmp_path / "cache"))
    [doc] = result.documents
    reasons = [a.reason for a in doc.assessments]
    assert len(reasons) == 31 and all(a.verdict == "unverified" for a in doc.assessments)
    for reason in reasons:
        assert reason.count("could not be retrieved") == 5, reason
        assert reason.endswith("; and 35 more"), reason
    cited = next(a for a, c in zip(doc.assessments, doc.claims, strict=True) if c.cited)
    assert cited.reason.startswith("cites sources that could not be checked: [1] (PMID 800000001)")
    assert max(len(r) for r in reasons) < 1_000


def test_item_12_reference_list_numbers_from_1000_on_are_list_numbers(tmp_path: Path) -> None:
    entries = "\n".join(
        f"{n}. Author{'abcdefghij'[n % 10]} J, et al. Low-dose naltrexone in fibromyalgia. "
        f"J Synth. 2013;{n}:1-9."
        for n in range(1, 1006)
    )
    text = ("Low dose naltrexone may help fibromyalgia [1003].\n\n"
            "2013. Younger J, et al. found less pain. Arthritis Rheum. 2013;65:529-38.\n\n"
            "References\n" + entries + "\n")
    doc = read_text_document(text.encode(), "long-list.txt")
    refs, markers = find_references(doc)
    labels = [r.label for r in refs]
    assert labels == [str(n) for n in range(1, 1006)]  # the lone "2013." line is no list
    assert [m.labels for m in markers if m.style == "bracket"] == [("1003",)]
    claims = extract_claims(doc, load_vocabulary(), refs, markers)
    # the entries' titles (fibromyalgia) are not claims, 1000 and above included
    assert [c.text for c in claims if c.concept.name == "Fibromyalgia"] == [
        "Low dose naltrexone may help fibromyalgia [1003].",
    ]
    # a PDF's lines: entry 1000 starts a block, it does not continue entry 999
    page = "999. Author J, et al. A title that runs to the margin of the page and on\n1000. Author K, et al."
    assert unwrap_lines(page).split("\n")[1] == "1000. Author K, et al."


# --------------------------------------------------------------------------- item 13


def docx_with_table(target: Path, cell_properties: list[str]) -> Path:
    """A .docx (python-docx) with one paragraph and a 2×2 table whose cells get the given
    ``w:tcPr`` children, in order (the hostile part is edited into the XML)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Low dose naltrexone may help fibromyalgia.")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in zip([(0, 0), (0, 1), (1, 0), (1, 1)],
                                ["LDN helps Crohn's disease", "b", "c", "d"], strict=True):
        table.cell(row, col).text = text
    def edit(data: bytes) -> bytes:
        parts = data.decode("utf-8").split("<w:tcPr>")
        assert len(parts) == 5, "python-docx writes a w:tcPr per cell"
        return "".join(
            part + (f"<w:tcPr>{cell_properties[i]}" if i < 4 else "") for i, part in enumerate(parts)
        ).encode("utf-8")

    target.write_bytes(rewrite_docx_part(document, "word/document.xml", edit))
    return target


def test_item_13_hostile_html_lists_and_word_tables_are_read(tmp_path: Path) -> None:
    superscript = tmp_path / "superscript-start.html"
    superscript.write_text('<ol start="²"><li>Low dose naltrexone may help fibromyalgia.</li></ol>')
    digits = tmp_path / "5000-digit-start.html"
    digits.write_text(f'<ol start="{"9" * 5000}"><li>Low dose naltrexone may help fibromyalgia.</li></ol>')
    first_row_continues = docx_with_table(
        tmp_path / "first-row-continues.docx", ['<w:vMerge w:val="continue"/>', "", "", ""])
    misaligned = docx_with_table(  # a merge restarted in column 2, continued by a spanning cell
        tmp_path / "misaligned.docx",
        ["", '<w:vMerge w:val="restart"/>', '<w:gridSpan w:val="2"/><w:vMerge/>', "<w:vMerge/>"])
    result = cli("audit", "--offline", "--format", "json", superscript, digits, first_row_continues, misaligned)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    texts = {Path(d["path"]).name: [c["text"] for c in d["claims"]] for d in data["documents"]}
    assert texts[superscript.name] == texts[digits.name] == ["Low dose naltrexone may help fibromyalgia."]
    for table in (first_row_continues, misaligned):
        assert texts[table.name] == ["Low dose naltrexone may help fibromyalgia.", "LDN helps Crohn's disease"]


def test_item_13_a_50_million_column_span_is_not_expanded(tmp_path: Path) -> None:
    spans = docx_with_table(tmp_path / "span.docx", ['<w:gridSpan w:val="50000000"/>', "", "", ""])
    assert spans.stat().st_size < 64 * 1024
    # the unfixed reader laid the row out on a 50,000,000-column grid: minutes and
    # gigabytes; here in a child with 1 GiB of address space and 60 s
    code = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
        "from ldn_graph.read.office import docx_layout;"
        "layout = docx_layout(open(sys.argv[1], 'rb').read(), 'span.docx');"
        "print([layout.text[b.start : b.end] for b in layout.blocks])"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(spans)], capture_output=True, text=True,
                          env=python_env(), timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr[-800:]
    assert proc.stdout.strip() == str(["Low dose naltrexone may help fibromyalgia.", "LDN helps Crohn's disease", "b", "c", "d"])


@pytest.mark.parametrize("stage", ["read", "extract", "judge"])
def test_item_13_any_unexpected_error_costs_one_file_and_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Low dose naltrexone may help fibromyalgia.\n")
    bad = tmp_path / "bad.html"
    bad.write_text("<p>Low dose naltrexone may help Crohn's disease.</p>")

    def fail_on_bad(real: Any, name_of: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name_of(*args).endswith("bad.html"):
                raise ZeroDivisionError("a surprise\nover two lines")
            return real(*args, **kwargs)
        return wrapper

    if stage == "read":
        monkeypatch.setattr(documents, "read_html_document",
                            fail_on_bad(documents.read_html_document, lambda data, path: path))
    elif stage == "extract":
        monkeypatch.setattr(audit_module, "find_references",
                            fail_on_bad(audit_module.find_references, lambda doc, *_: doc.path))
    else:
        monkeypatch.setattr(audit_module, "assess_document",
                            fail_on_bad(audit_module.assess_document, lambda claims, *_: claims[0].document))
    result = cli("audit", "--offline", "--format", "json", good, bad)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["good.txt"]
    verb = "read" if stage in ("read", "extract") else "audited"
    message = (f"{bad}: could not be {verb} (unexpected ZeroDivisionError: a surprise over two lines); "
               "the other files were audited; re-save this one, and report the error if it stays")
    assert data["errors"] == [{"path": str(bad), "message": message}]
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")] == [f"Error: {message}"]


# --------------------------------------------------------------------------- item 14

CROHN = "Low dose naltrexone may help Crohn’s disease."


def damaged_utf8(path: Path, bad_offsets: list[int], size: int = 20_000) -> Path:
    """``size`` bytes of UTF-8 copy (the claim first, then filler) with 0xFF written over
    the bytes at ``bad_offsets``."""
    body = (CROHN + "\n\n" + "Ordinary words about the pharmacy and its opening hours. " * (size // 50)).encode()
    data = bytearray(body[:size])
    for offset in bad_offsets:
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    return path


def test_item_14_one_invalid_byte_keeps_utf8_and_says_where(tmp_path: Path) -> None:
    page = damaged_utf8(tmp_path / "one-bad-byte.txt", [5_000])
    note = (f"{page}: not valid UTF-8 at byte offset 5000; read as UTF-8 with each invalid byte "
            "sequence shown as U+FFFD (\ufffd)")
    for fmt in ("json", "markdown", "table", "html"):
        result = cli("audit", "--offline", "--format", fmt, page)
        assert result.exit_code == 0, result.stderr
        assert f"note: {note}" in result.stderr.splitlines()
        if fmt == "json":
            data = json.loads(result.stdout)
            assert note in data["provenance"]["notes"]
            assert [c["text"] for c in data["documents"][0]["claims"]] == [CROHN]  # not "Crohnâ€™s"
        else:  # escaped (Markdown, HTML) or wrapped (table) with the rest of the provenance
            assert "not valid UTF-8 at byte offset 5000" in " ".join(result.stdout.split()), fmt


def test_item_14_many_invalid_bytes_are_counted_and_too_many_mean_windows_1252(tmp_path: Path) -> None:
    page = damaged_utf8(tmp_path / "seven-bad-bytes.txt", [100, 200, 300, 400, 500, 600, 700])
    doc = documents.read_document(page)
    assert doc.notes == (f"{page}: not valid UTF-8 at byte offsets 100, 200, 300, 400, 500 and 2 more; "
                         "read as UTF-8 with each invalid byte sequence shown as U+FFFD (\ufffd)",)
    assert doc.text.startswith(CROHN) and doc.text.count("\ufffd") == 7
    # past 0.1 % the file is another encoding: Windows-1252, as before, with no note
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Low dose naltrexone may help Crohn’s disease – café.".encode("cp1252") * 20)
    doc = documents.read_document(legacy)
    assert doc.notes == () and doc.text.startswith("Low dose naltrexone may help Crohn’s disease – café.")


# --------------------------------------------------------------------------- item 16 (input)


def owner_protected_pdf(target: Path, user_password: str) -> Path:
    """A text PDF (fpdf2) encrypted by pypdf with an owner password and ``user_password``."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Low dose naltrexone may help fibromyalgia.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    with target.open("wb") as out:
        writer.write(out)
    return target


def test_item_16_an_owner_password_only_pdf_is_read_a_user_password_one_refused(tmp_path: Path) -> None:
    viewable = owner_protected_pdf(tmp_path / "restricted.pdf", user_password="")
    locked = owner_protected_pdf(tmp_path / "locked.pdf", user_password="user-secret")
    result = cli("audit", "--offline", "--format", "json", viewable, locked)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    [doc] = data["documents"]
    assert Path(doc["path"]).name == "restricted.pdf"
    assert [c["text"] for c in doc["claims"]] == ["Low dose naltrexone may help fibromyalgia."]
    assert data["errors"] == [{"path": str(locked),
                               "message": f"{locked}: the PDF needs a password to open; save an unprotected copy"}]


def test_item_16_binary_files_without_nul_bytes_are_not_text(tmp_path: Path) -> None:
    import random

    rng = random.Random(13)
    noise = bytes(rng.randrange(1, 256) for _ in range(20_000))  # no NUL at all
    files = {
        "noise.txt": noise,
        "noise.html": b'<meta charset="latin-1">' + noise,
        "archive.txt": b"BZh91AY&SY" + noise[:3000],  # a bzip2 stream's header
        "program.md": b"\x7fELF\x02\x01\x01" + noise[:2000],
    }
    for name, data in files.items():
        assert b"\x00" not in data[:4096], name
        (tmp_path / name).write_bytes(data)
    good = tmp_path / "good.txt"
    good.write_text("Low dose naltrexone may help fibromyalgia.\n")
    result = cli("audit", "--offline", "--format", "json", good, *(tmp_path / n for n in files))
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [Path(d["path"]).name for d in data["documents"]] == ["good.txt"]
    errors = {Path(e["path"]).name: e["message"] for e in data["errors"]}
    assert set(errors) == set(files)
    for name in ("noise.txt", "noise.html"):
        assert errors[name] == (f"{tmp_path / name}: looks like a binary file, not text; "
                                "give a .txt, .md, .html, .docx or .pdf file")
    assert "bzip2-compressed data" in errors["archive.txt"] and "extract the document" in errors["archive.txt"]
    assert "a program (ELF executable)" in errors["program.md"]
