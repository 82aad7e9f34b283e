"""What a plain-text or Markdown reader tells from a block's own characters: the bare URLs
in it (kept in the text, since references need them, but never claim words) and whether
the block is an entry of a reference list (kept whole, never cut into sentences).
"""

from __future__ import annotations

import re

from ldn_graph.ids import DOI_RE, PMID_LABEL_RE, PUBMED_URL_RE

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

# An entry opens with its authors: "Younger J, …", "Smith JP et al.", "Younger, J., …",
# after an optional label ("1 ", "1.", "[1]", "1)").
_LABEL_RE = re.compile(r"[ \t]*(?:\[\d{1,4}\]|\d{1,4}[.)]?)?[ \t]*")
_AUTHORS_RE = re.compile(
    r"[A-Z][\w'’-]+(?:[ \t][A-Z][\w'’-]+)?[ \t][A-Z]{1,3}(?:,|\.|[ \t]+et[ \t]+al\b)"
    r"|[A-Z][\w'’-]+,[ \t][A-Z]\."
)
_YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
# "2013;65(2):529-38", "2007;102:820"
_VOLUME_RE = re.compile(r"\b(?:19|20)\d\d[a-z]?\s*;\s*\d+\s*(?:\(\s*[\w-]+\s*\))?\s*:\s*[A-Za-z]?\d+")


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


def is_reference_entry(text: str) -> bool:
    """Whether ``text`` (one block) is an entry of a reference list: authors and a year,
    or a journal citation ("2013;65(2):529-38") with a PMID, DOI or "et al."."""
    label = _LABEL_RE.match(text)
    body = text[label.end() if label else 0 :]
    has_id = bool(PMID_LABEL_RE.search(body) or DOI_RE.search(body) or PUBMED_URL_RE.search(body))
    if _AUTHORS_RE.match(body):
        return has_id or bool(_YEAR_RE.search(body))
    return bool(_VOLUME_RE.search(body)) and (has_id or "et al" in body)
