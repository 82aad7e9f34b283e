"""Gold files: hand-labelled sentences of a document, located in the text the reader gives.

The format is in docs/gold-format.md; ``genres.json`` beside gold files groups their
genres into families.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.extract.spans import SpanIndex
from ldn_graph.model import Document

GOLD_SCHEMA = "ldn-graph/gold/1"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class GoldPair:
    start: int
    end: int
    concept: str
    type: str | None
    text: str


@dataclass(frozen=True)
class Labelled:
    """A labelled sentence (annotation, non-claim or unmapped claim) and where it sits."""

    text: str
    kind: str  # "claim", "non-claim", "unmapped"
    start: int | None  # None: not found in the read document
    end: int | None
    why: str = ""  # non-claims: the reason; unmapped: the proposed concept


@dataclass
class GoldFile:
    path: Path
    document: Path
    genre: str | None
    split: str | None
    pairs: list[GoldPair]
    labelled: list[Labelled]


# --------------------------------------------------------------------------- locating text

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _markup_free(text: str) -> str:
    """An HTML-source label as a reader would give it: tags dropped, entities decoded."""
    return squash(html.unescape(_TAG_RE.sub(" ", text)))


_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻–", "0123456789--")


class Locator:
    """Finds labelled text in a document: exactly, or within whitespace and superscript
    digits, in reading order."""

    def __init__(self, text: str, skip: Sequence[tuple[int, int]] = ()) -> None:
        self.text = text
        chars: list[str] = []
        self.index: list[int] = []
        previous_space = True
        hidden = SpanIndex(skip).contains  # hidden markup (a link's address): not what a labeller reads
        for i, ch in enumerate(text):
            if skip and hidden(i):
                ch = " "
            if ch.isspace():
                if previous_space:
                    continue
                ch, previous_space = " ", True
            else:
                previous_space = False
                ch = ch.translate(_PLAIN_DIGITS)  # a labeller types the "¹" a page shows as "1"
            chars.append(ch)
            self.index.append(i)
        self.squashed = "".join(chars)
        self._solid: tuple[str, list[int]] | None = None
        self.cursor = 0

    def find(self, sentence: str, start: Any = None) -> tuple[int, int] | None:
        text = self.text
        if isinstance(start, int) and text[start : start + len(sentence)] == sentence:
            return self._found(start, start + len(sentence))
        at = text.find(sentence, self.cursor)
        if at < 0:
            at = text.find(sentence)
        if at >= 0:
            return self._found(at, at + len(sentence))
        for needle in dict.fromkeys(n.translate(_PLAIN_DIGITS) for n in (squash(sentence), _markup_free(sentence))):
            if not needle:
                continue
            from_here = next((k for k, i in enumerate(self.index) if i >= self.cursor), len(self.index))
            at = self.squashed.find(needle, from_here)
            if at < 0:
                at = self.squashed.find(needle)
            if at >= 0:
                return self._found(self.index[at], self.index[at + len(needle) - 1] + 1)
        # last, without any white space: a labeller who read "pain.<sup>2</sup> Next" as
        # "pain. 2 Next" (a tag taken for a space)
        needle = "".join(squash(_markup_free(sentence)).translate(_PLAIN_DIGITS).split())
        if needle:
            if self._solid is None:  # built once, on the first label that needs it
                keep = [k for k, ch in enumerate(self.squashed) if ch != " "]
                self._solid = ("".join(self.squashed[k] for k in keep), keep)
            solid, keep = self._solid
            at = solid.find(needle)
            if at >= 0:
                return self._found(self.index[keep[at]], self.index[keep[at + len(needle) - 1]] + 1)
        return None

    def _found(self, start: int, end: int) -> tuple[int, int]:
        self.cursor = end
        return start, end


# --------------------------------------------------------------------------- loading


def read_json(path: Path, schema: str = GOLD_SCHEMA, what: str = "gold file") -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise InputError(f'{path}: not a {what} (expected "schema": "{schema}")')
    return data


def document_path(path: Path, data: dict[str, Any]) -> Path:
    document = (path.parent / str(data.get("document", ""))).resolve()
    if not document.is_file():
        raise InputError(f"{path}: its document {data.get('document')!r} was not found next to it")
    return document


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = data.get(key) or []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def read_gold(path: str | Path, doc: Document | None = None) -> GoldFile:
    """Parse a gold file and locate its labelled sentences in the read document.

    A label is found verbatim, within whitespace, or with HTML markup dropped; one found
    nowhere keeps no span (its pairs count as misses, its sentence as a segmentation
    disagreement).
    """
    p = Path(path)
    data = read_json(p)
    document = document_path(p, data)
    text = doc.text if doc is not None else _document_text(document)
    locator = Locator(text, doc.hidden if doc is not None else ())  # a link's address shown in the text is no label's
    pairs: list[GoldPair] = []
    labelled: list[Labelled] = []
    for n, ann in enumerate(_entries(data, "annotations"), 1):
        sentence = ann.get("text")
        if not isinstance(sentence, str) or not sentence:
            raise InputError(f"{path}: annotation {n} has no 'text'")
        span = locator.find(sentence, ann.get("start"))
        start, end = span if span else (-1, -1)
        labelled.append(Labelled(sentence, "claim", span[0] if span else None, span[1] if span else None))
        for claim in ann.get("claims") or []:
            pairs.append(GoldPair(start, end, claim["concept"], claim.get("type"), sentence))
    locator.cursor = 0
    for key, kind, reason in (("non_claims", "non-claim", "why"), ("unmapped_claims", "unmapped", "proposed_concept")):
        for entry in _entries(data, key):
            sentence = entry.get("text")
            if not isinstance(sentence, str) or not sentence:
                continue
            span = locator.find(sentence, entry.get("start"))
            labelled.append(
                Labelled(sentence, kind, span[0] if span else None, span[1] if span else None, str(entry.get(reason) or "?"))
            )
    genre, split = data.get("genre"), data.get("split")
    return GoldFile(
        p, document, genre if isinstance(genre, str) else None, split if isinstance(split, str) else None, pairs, labelled
    )


GENRES_FILE = "genres.json"  # beside gold files: {"families": {"family": ["genre", …]}}
GENRES_SCHEMA = "ldn-graph/genres/1"


def genre_families(folder: Path) -> dict[str, str]:
    """genre → family, from the ``genres.json`` of a corpus folder (empty without one)."""
    path = folder / GENRES_FILE
    if not path.is_file():
        return {}
    data = read_json(path, GENRES_SCHEMA, "genre families file")
    families = data.get("families")
    if not isinstance(families, dict):
        raise InputError(f"{path}: no 'families' object; give {{\"families\": {{\"family\": [\"genre\", …]}}}}")
    return {genre: family for family, genres in families.items() if isinstance(genres, list) for genre in genres if isinstance(genre, str)}


def split_of(path: str | Path, schema: str = GOLD_SCHEMA) -> str | None:
    """The ``split`` a gold file declares, or None."""
    split = read_json(Path(path), schema).get("split")
    return split if isinstance(split, str) else None


def _document_text(path: Path) -> str:
    from ldn_graph.read.documents import read_document

    return read_document(path).text


