"""The bare web addresses in copy: kept in the text (references need them) but hidden,
since an address is never claim words ("/pain/" is no claim of pain relief).
"""

from __future__ import annotations

import re

# A web address written out: with a scheme or "www.", a dotted host name followed by a
# path ("pubmed.ncbi.nlm.nih.gov/23359310", "example.org/pain/"), a host name under a
# common top-level domain ("ldn-pain.org"), or an e-mail address. A full stop, comma,
# closing bracket or quote at its end is the sentence's, not the address's.
_URL_RE = re.compile(
    r"(?<![\w@/.-])(?:(?:https?|ftp)://|www\.)[^\s<>\"“”‘’]+"
    r"|(?<![\w@/.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s<>\"“”‘’]*"
    r"|(?<![\w@/.-])(?:[a-z0-9-]+\.)+(?:com|org|net|gov|edu|info|biz|io|co|uk|us|ca|au|nz|ie|de|eu"
    r"|health|clinic|blog|example)(?![\w-])"
    r"|(?<![\w@/.-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+",
    re.I,
)
_URL_TAIL = ".,;:!?)]}'*_"


def opens_with_address(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens with a web or e-mail address ("press@example.org")."""
    return _URL_RE.match(text, start, end) is not None


def url_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The bare web addresses in ``text[start:end]``, as spans of ``text``."""
    stop = len(text) if end is None else end
    spans = []
    for m in _URL_RE.finditer(text, start, stop):
        s, e = m.span()
        while e > s and text[e - 1] in _URL_TAIL:
            if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
                break  # a bracket of the address itself: …/Naltrexone_(drug)
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans
