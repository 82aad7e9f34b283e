"""Small text helpers every layer shares: one-line messages, control characters, the time
stamp format, typographic folding, sentence spans, superscript citation digits and
vocabulary term matching.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

from ldn_graph.model import Concept

# C0 controls except tab, LF, CR; DEL; C1 controls; lone surrogates; XML non-characters.
_UNSAFE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# C0 controls except tab, LF, CR, and DEL: what HTML and SVG may not carry.
_C0_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` with every run of white space made one space, cut to ``limit`` characters
    (ending in ``…``) when given."""
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def error_line(exc: BaseException, limit: int | None = None) -> str:
    """An exception as one line for a message (its type name when it has no text)."""
    return one_line(str(exc), limit) or type(exc).__name__


def replace_unsafe(text: str, replacement: str = "\ufffd") -> str:
    """Text every serialization (XML, RDF, JSON) can hold: controls other than tab, LF and
    CR, lone surrogates and XML non-characters become ``replacement``."""
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(replacement, text)


def drop_c0_controls(text: str) -> str:
    """``text`` without C0 controls (other than tab, LF, CR) and DEL, for HTML and SVG."""
    return _C0_RE.sub("", text)


def utc_now() -> str:
    """The current UTC time, to the second, in ISO 8601 (``2026-12-01T21:50:21+00:00``)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------- folding

#: Superscript digits, in order (``SUPERSCRIPTS[3] == "³"``).
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# Same-length character folding, so offsets in the folded text are offsets in the source.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'", "‐": "-", "‑": "-", "‒": "-",
                       "–": "-", "—": "-", "\u00a0": " ", "“": '"', "”": '"',
                       # superscript citation digits are word characters to ``re``; not here
                       **{ch: "^" for ch in SUPERSCRIPTS}})


def fold(text: str) -> str:
    """``text`` with typographic quotes, dashes and no-break spaces made plain, and
    superscript digits made ``^``; every character maps to one, so offsets are kept."""
    return text.translate(_FOLD)


def term_key(term: str) -> str:
    """The form under which two vocabulary terms are the same term (case-insensitive
    terms): folded, lower-case, trimmed."""
    return fold(term).lower().strip()


# --------------------------------------------------------------------------- superscripts

_SUP_CITATION_RE = re.compile(r"\s*\d{1,5}(?:\s*[,\-–]\s*\d{1,5})*\s*")
_TO_SUPERSCRIPT = str.maketrans({**{str(d): SUPERSCRIPTS[d] for d in range(10)}, "-": "⁻", "–": "⁻", " ": ""})


def as_superscript_citation(text: str) -> str | None:
    """``"1, 3"`` set as superscript in HTML or Word → ``"¹,³"`` (a marker); None if not numbers."""
    if not _SUP_CITATION_RE.fullmatch(text):
        return None
    return text.strip().translate(_TO_SUPERSCRIPT)


def superscript_digits(text: str) -> str:
    """``"¹⁻³"`` → ``"1-3"``: superscript digits and minus made plain."""
    return "".join(str(SUPERSCRIPTS.index(ch)) if ch in SUPERSCRIPTS else ch for ch in text).replace("⁻", "-")


# --------------------------------------------------------------------------- sentences

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = (
    "e.g", "i.e", "etc", "et al", "vs", "approx", "dr", "mr", "mrs", "ms", "prof", "fig", "no",
    "vol", "ca", "cf", "incl", "st", "jr", "sr", "u.s", "mg", "ml", "min", "max",
)
_SENT_END_RE = re.compile(r"[.!?](?:[\"”’')\]]*)(?=\s)")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (trimmed of surrounding space).

    Linear in the length of the span: each character is looked at a bounded number of
    times, however long the line (a 5 MB paragraph is one block).
    """
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENT_END_RE.finditer(text, start, end):
        stop = m.end()
        word_start = stop - 1
        while word_start > cursor and not text[word_start - 1].isspace():
            word_start -= 1
        word = text[word_start : m.start()].lower().strip("(\"“'")
        if word.rstrip(".") in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        following = _NEXT_CHAR_RE.match(text, stop, end)
        nxt = following.group(1) if following else ""
        if nxt and (nxt.islower() or nxt.isdigit() and text[m.start()] == "."):
            continue
        spans.append((cursor, stop))
        cursor = stop
    spans.append((cursor, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


# --------------------------------------------------------------------------- term matching


def _term_parts(term: str) -> list[str]:
    parts = []
    for ch in fold(term).strip():
        if ch == " ":
            parts.append(r"[\s\-]+")
        elif ch == "-":
            parts.append(r"[\s\-]?")
        else:
            parts.append(re.escape(ch))
    return parts


def _term_regex(term: str) -> str:
    body = "".join(_term_parts(term))
    if term[-1:].isalpha():
        body += r"(?:s|es)?"  # plurals: autoimmune disease(s), Treg(s)
    return body


def _alternation(terms: list[str], flags: re.RegexFlag | int) -> tuple[str, list[str]]:
    """One capturing group per term, in ``terms`` order, grouped by first character.

    ``re`` tries every branch of an alternation at every word start; behind a lookahead on
    their first character, only the terms that can start there are tried (18 times faster
    with the LDN vocabulary). Terms keep their relative order within a group, and terms of
    another group cannot match at that position, so the first term that matches is the
    same as in the flat alternation. Returns the pattern and the terms in group order.
    """
    groups: dict[str, tuple[str, list[str]]] = {}  # key -> (lookahead, terms)
    for term in terms:
        first = (_term_parts(term) or [""])[0]
        if first.startswith("["):  # an optional hyphen (or no term): no first character
            key = first = ""
        else:  # a literal; under re.I, characters that casefold alike match each other
            key = first.casefold() if flags & re.I else first
        groups.setdefault(key, (first, []))[1].append(term)
    branches: list[str] = []
    order: list[str] = []
    for lookahead, members in groups.values():
        body = "|".join(f"({_term_regex(t)})" for t in members)
        branches.append(f"(?={lookahead})(?:{body})" if lookahead else f"(?:{body})")
        order.extend(members)
    return "|".join(branches), order


class TermMatcher:
    """Finds vocabulary terms in text: longest term first, whole words, case rules from the data."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        folded: dict[str, Concept] = {}
        exact: dict[str, Concept] = {}
        for concept in concepts:
            for term in concept.terms:
                if term in concept.case_sensitive:
                    continue
                folded.setdefault(term_key(term), concept)
            for term in concept.case_sensitive:
                exact.setdefault(fold(term).strip(), concept)
        self._folded = folded
        self._exact = exact
        alternatives = sorted(folded, key=len, reverse=True)
        pattern, self._insensitive_terms = _alternation(alternatives, re.I)
        self._insensitive = re.compile(
            r"(?<![\w])(?:" + pattern + r")(?![\w])", re.I
        ) if alternatives else None
        exact_terms = sorted(exact, key=len, reverse=True)
        pattern, self._exact_terms = _alternation(exact_terms, 0)
        self._sensitive = re.compile(
            r"(?<![\w/])(?:" + pattern + r")(?![\w])"
        ) if exact_terms else None

    def find(self, text: str) -> list[tuple[Concept, int, int]]:
        """(concept, start, end) of every non-overlapping term occurrence in ``text``."""
        folded = fold(text)
        hits: list[tuple[int, int, Concept]] = []
        for regex, terms, table in (
            (self._insensitive, self._insensitive_terms, self._folded),
            (self._sensitive, self._exact_terms, self._exact),
        ):
            if regex is None:
                continue
            for m in regex.finditer(folded):
                # term patterns hold no capturing group of their own: the last group that
                # matched is the term's
                assert m.lastindex is not None
                hits.append((m.start(), m.end(), table[terms[m.lastindex - 1]]))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: list[tuple[Concept, int, int]] = []
        last_end = -1
        for start, end, concept in hits:
            if start < last_end:
                continue
            out.append((concept, start, end))
            last_end = end
        return out
