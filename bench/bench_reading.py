"""Reading and segmentation at 1 MB, per input format, beside what a user would otherwise pick.

    python bench/bench_reading.py                    # 0.25, 0.5 and 1 MB of each format
    python bench/bench_reading.py --write-docs docs/performance.md

Each input repeats the evaluation corpus's documents of one format (tests/corpus: plain
text, Markdown, HTML, Word) up to the size, so it has their headings, wrapped paragraphs,
lists, tables, navigation and reference lists. Timed, in this interpreter after a warm-up
run, CPU time:

- ``read``: ``read_document`` (decode, parse the structure, cut sentences, give roles);
- ``read + claims``: that, then references and claims (``find_references``,
  ``extract_claims``, product context included);
- beside them, for the same text: pySBD, the sentence splitter a user would otherwise
  pick, given the paragraphs our reader found (sentences only, no structure), and for
  Markdown markdown-it-py's own parse (the floor under our Markdown reader).

Linear growth shows as a steady time per MB; the issue's bar is a 1 MB document read and
segmented in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docs_section import publish

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "tests" / "corpus"
MARK_START, MARK_END = "<!-- reading:start -->", "<!-- reading:end -->"
MB = 1_000_000
FORMATS = (".txt", ".md", ".html", ".docx")
FRACTIONS = (0.25, 0.5, 1.0)


def _docx_paragraphs(path: Path) -> list[tuple[str, str | None]]:
    import docx

    return [(p.text, p.style.name if p.style is not None else None) for p in docx.Document(str(path)).paragraphs]


def make_input(suffix: str, size: int, target: Path) -> Path:
    """About ``size`` bytes of text in format ``suffix``, the corpus documents repeated."""
    sources = sorted(CORPUS.glob(f"*{suffix}"))
    if suffix == ".docx":
        import docx

        paragraphs = [p for path in sources for p in _docx_paragraphs(path)]
        unit = sum(len(t.encode()) + 1 for t, _ in paragraphs)
        document = docx.Document()
        for _ in range(size // unit + 1):
            for text, style in paragraphs:
                try:
                    document.add_paragraph(text, style=style)
                except KeyError:
                    document.add_paragraph(text)
        document.save(str(target))
        return target
    if suffix == ".html":
        bodies = [p.read_text(encoding="utf-8") for p in sources]
        unit = "\n".join(bodies)
        target.write_text(unit * (size // len(unit.encode()) + 1), encoding="utf-8")
        return target
    unit = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in sources) + "\n\n"
    data = (unit * (size // len(unit.encode()) + 1)).encode()[:size]
    target.write_bytes(data.decode("utf-8", errors="ignore").encode())
    return target


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def measure(path: Path) -> dict[str, Any]:
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.references import find_references
    from ldn_graph.ontology.vocabulary import load_vocabulary
    from ldn_graph.read.documents import read_document

    vocab = load_vocabulary()
    read_s, doc = cpu(lambda: read_document(path))

    def claims() -> int:
        d = read_document(path)
        refs, markers = find_references(d)
        return len(extract_claims(d, vocab, refs, markers))

    claims_s, n_claims = cpu(claims)
    row: dict[str, Any] = {
        "format": path.suffix,
        "bytes": path.stat().st_size,
        "text_chars": len(doc.text),
        "segments": len(doc.segments),
        "claims": n_claims,
        "read_s": read_s,
        "claims_s": claims_s,
    }
    try:
        import pysbd
    except ImportError:
        row["pysbd_s"] = None
    else:
        splitter = pysbd.Segmenter(language="en", clean=False, char_span=False)
        blocks: dict[int, list[int]] = {}  # the reader's blocks: pySBD gets the same paragraphs
        for seg in doc.segments:
            span = blocks.setdefault(seg.block, [seg.start, seg.end])
            span[1] = seg.end
        paragraphs = [doc.text[a:b] for a, b in blocks.values()]
        row["pysbd_s"], _ = cpu(lambda: [splitter.segment(p) for p in paragraphs])
    if path.suffix == ".md":
        from markdown_it import MarkdownIt

        source = path.read_text(encoding="utf-8")
        row["markdown_it_s"], _ = cpu(lambda: MarkdownIt("commonmark").enable("table").parse(source))
    return row


def run(scale: float, workdir: Path) -> list[dict[str, Any]]:
    rows = []
    warm = make_input(".md", 20_000, workdir / "warm.md")
    measure(warm)
    for suffix in FORMATS:
        for fraction in FRACTIONS:
            size = max(int(MB * scale * fraction), 5000)
            path = make_input(suffix, size, workdir / f"input-{size}{suffix}")
            row = measure(path)
            rows.append(row)
            path.unlink()
            extra = f"  pySBD {row['pysbd_s']:.2f} s" if row.get("pysbd_s") is not None else ""
            print(f"{suffix:6} {row['text_chars'] / MB:6.2f} MB of text  read {row['read_s']:.2f} s  read+claims "
                  f"{row['claims_s']:.2f} s  {row['segments']:,} segments{extra}", file=sys.stderr, flush=True)
    return rows


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def section(rows: list[dict[str, Any]]) -> str:
    lines = [
        MARK_START,
        "## Reading and segmentation: 1 MB documents per format",
        "",
        "Command (from the repository root): `python bench/bench_reading.py --write-docs docs/performance.md`",
        "",
        f"Measured on {os.cpu_count()} CPU(s), {platform.system()} {platform.machine()}; Python "
        f"{platform.python_version()}. CPU seconds in one interpreter after a warm-up. Each input repeats the",
        "corpus documents of its format (`tests/corpus`). *read*: `read_document` (decode, structure,",
        "sentences, roles); *read + claims*: then references and claims, product context included. pySBD",
        "(the sentence splitter a user would otherwise pick) splits the paragraphs our reader found into",
        "sentences and does nothing else; markdown-it-py's own parse is the floor under the Markdown reader.",
        "",
        "| format | file MB | text MB | segments | claims | read (s) | read s per text MB | read + claims (s) | pySBD, sentences only (s) | markdown-it parse (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['format']} | {r['bytes'] / MB:,.2f} | {r['text_chars'] / MB:,.2f} | {r['segments']:,} | {r['claims']:,} | "
            f"{r['read_s']:.2f} | {r['read_s'] / (r['text_chars'] / MB):.2f} | {r['claims_s']:.2f} | {_cell(r.get('pysbd_s'))} | "
            f"{_cell(r.get('markdown_it_s'))} |"
        )
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


def main() -> None:
    import tempfile

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the sizes (default 1: up to 1 MB)")
    ap.add_argument("--write-docs", type=Path, help="replace the reading section of this Markdown file")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ldn-bench-reading-") as tmp:
        rows = run(opts.scale, Path(tmp))
    text = section(rows)
    publish(text, opts.write_docs)


if __name__ == "__main__":
    main()
