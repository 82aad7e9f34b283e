"""Shared data and hostile inputs of the robustness tests (tests/robustness/, one test per
item of the fault catalogue in docs/reliability.md). Running the CLI: tests/cli_helpers.py;
fast E-utilities clients: tests/entrez_helpers.py; the stand-in: tests/eutils_server.py."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EUTILS = DATA / "eutils"
MEDLINE_2016 = DATA / "medline" / "medline16n0902.xml.gz"
MONOGRAPH = ROOT / "examples" / "001_4aaa9d78fd1a3130.txt"

# Real records the stand-in serves (tests/data/eutils/pubmed*.xml).
RECORDED_PMIDS = ["12091962", "9997", "11748933", "11700088", "29768149", "30108519"]
SECRET_TEXT = "LDN-SECRET-FILE-CONTENT-31c4"


def citing_page(path: Path, pmids: Sequence[str], extra: str = "") -> Path:
    """A small synthetic page whose claims cite ``pmids`` as a numbered reference list."""
    refs = "\n".join(f"{i}. Synthetic reference {i}. J Synth. 2018;1:1. PMID: {p}"
                     for i, p in enumerate(pmids, 1))
    markers = "".join(f"[{i}]" for i in range(1, len(pmids) + 1))
    path.write_text(
        f"Low dose naltrexone helps fibromyalgia {markers}. It may ease Crohn's disease.\n"
        f"{extra}\n\nReferences\n{refs}\n",
        encoding="utf-8",
    )
    return path


def synthetic_article(pmid: str, title: str, abstract: str = "") -> str:
    """One synthetic PubmedArticle (for hostile-XML fixtures only; never served as real)."""
    body = f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>" if abstract else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}'
        "</PMID><Article PubModel=\"Print\"><Journal><Title>Journal of Synthetic Tests</Title>"
        "<JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle>{body}</Article></MedlineCitation>"
        "</PubmedArticle>"
    )


def billion_laughs(root: str, levels: int = 10) -> str:
    """An internal DTD subset declaring the classic entity bomb ``&lol{levels-1};``."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">'
        for i in range(1, levels)
    )
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>\n'


def rewrite_docx_part(document: object, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The bytes of a python-docx ``document`` saved with its ``part`` (e.g.
    ``word/document.xml``) passed through ``edit``: how the tests make hostile Word files."""
    plain = io.BytesIO()
    document.save(plain)  # type: ignore[attr-defined]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, edit(data) if info.filename == part else data)
    return out.getvalue()


def zip_bomb_docx(target: Path, expanded_bytes: int = 8 * 1024 * 1024) -> Path:
    """A real .docx (python-docx) whose ``word/document.xml`` is padded with
    ``expanded_bytes`` of whitespace: valid XML that deflates ~1000 times."""
    import docx

    document = docx.Document()
    document.add_paragraph("Low dose naltrexone may help fibromyalgia.")
    target.write_bytes(rewrite_docx_part(
        document, "word/document.xml",
        lambda data: data.replace(b"<w:body>", b"<w:body>" + b" " * expanded_bytes, 1),
    ))
    return target


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]
