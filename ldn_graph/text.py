"""Small text helpers every layer shares: one-line messages, control characters, the time
stamp format. (Typographic folding, sentence spans, superscripts and term matching join
them here as the extract and judge layers move onto them.)
"""

from __future__ import annotations

import datetime as _dt
import re

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
