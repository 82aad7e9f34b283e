"""Each benchmark owns one section of docs/performance.md, between its own markers
(``<!-- name:start -->`` … ``<!-- name:end -->``); this writes it without touching the rest."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_section(path: Path, block: str) -> None:
    """Put ``block`` (its first line the start marker, its last the end marker) in place of
    the text between the same markers in ``path``, or append it; written atomically."""
    block = block.strip("\n")
    start, end = block.splitlines()[0], block.splitlines()[-1]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if start in text and end in text:
        head, _, rest = text.partition(start)
        _, _, tail = rest.partition(end)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def publish(block: str, path: Path | None) -> None:
    """Write ``block`` into its section of ``path`` (``--write-docs``), or print it."""
    if path:
        replace_section(path, block)
    else:
        print(block)
