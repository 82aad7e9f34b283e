"""Precision and recall of concept extraction against hand-labelled gold files.

Gold file format (JSON, ``"schema": "ldn-graph/gold/1"``, see docs/gold-format.md)::

    {
      "schema": "ldn-graph/gold/1",
      "document": "../../examples/001_4aaa9d78fd1a3130.txt",   # relative to the gold file
      "genre": "clinic-page", "split": "dev",                   # optional (evaluation corpus)
      "annotations": [
        {"text": "Headache",                                   # the sentence or list item, verbatim
         "start": 2048,                                        # optional: where it starts
         "claims": [{"concept": "Headache", "type": "safety"}]},
        ...
      ],
      "unmapped_claims": [{"text": ..., "claim": ..., "type": ..., "proposed_concept": ...}],
      "non_claims": [{"text": ..., "why": "background"}]
    }

Every claim-bearing sentence or list item of the document is listed with the concepts
(vocabulary local names) it asserts. A predicted claim counts as correct when its span
overlaps an annotated sentence that lists its concept; otherwise it is a false positive,
tagged with the ``why`` of a non-claim sentence it overlaps. Unmapped claims (real claims
the vocabulary has no concept for) are listed, never counted. Precision and recall are over
(sentence, concept) pairs; claim-type agreement is reported for the pairs that match.
Segmentation agreement is the share of labelled sentences that are exactly one segment of
the read document (whitespace, and markup or quotation marks at either end, aside: the
measure is where the text is cut, not which markup characters a labeller kept). ``render`` lays the results out as text or Markdown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.model import Document, Vocabulary

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


@dataclass
class Evaluation:
    gold_file: str
    document: str
    genre: str | None = None
    split: str | None = None
    family: str | None = None  # the genre's family (genres.json beside the gold file)
    true_positives: int = 0
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (text, concept)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    type_agreement: int = 0
    non_claim_hits: list[tuple[str, str, str]] = field(default_factory=list)  # (text, concept, why)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (text, proposed concept)
    claim_sentences: int = 0  # segments the extractor took claims from
    claim_sentences_right: int = 0  # … that are labelled claim sentences (annotated or unmapped)
    wrong_sentences: list[str] = field(default_factory=list)  # the others
    sentences: int = 0  # labelled sentences
    segmented: int = 0  # … that are one segment of the read document
    missed_segments: list[str] = field(default_factory=list)

    @property
    def predicted(self) -> int:
        return self.true_positives + len(self.false_positives)

    @property
    def labelled_pairs(self) -> int:
        return self.true_positives + len(self.false_negatives)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled_pairs if self.labelled_pairs else 1.0


# --------------------------------------------------------------------------- locating text

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def _markup_free(text: str) -> str:
    """An HTML-source label as a reader would give it: tags dropped, entities decoded."""
    return _squash(html.unescape(_TAG_RE.sub(" ", text)))


class _Locator:
    """Finds labelled text in a document: exactly, or within whitespace, in reading order."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        self.index: list[int] = []
        previous_space = True
        for i, ch in enumerate(text):
            if ch.isspace():
                if previous_space:
                    continue
                ch, previous_space = " ", True
            else:
                previous_space = False
            chars.append(ch)
            self.index.append(i)
        self.squashed = "".join(chars)
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
        for needle in dict.fromkeys((_squash(sentence), _markup_free(sentence))):
            if not needle:
                continue
            from_here = next((k for k, i in enumerate(self.index) if i >= self.cursor), len(self.index))
            at = self.squashed.find(needle, from_here)
            if at < 0:
                at = self.squashed.find(needle)
            if at >= 0:
                return self._found(self.index[at], self.index[at + len(needle) - 1] + 1)
        return None

    def _found(self, start: int, end: int) -> tuple[int, int]:
        self.cursor = end
        return start, end


# --------------------------------------------------------------------------- loading


def _read_json(path: Path, schema: str = GOLD_SCHEMA, what: str = "gold file") -> dict[str, Any]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise InputError(f'{path}: not a {what} (expected "schema": "{schema}")')
    return data


def _document_path(path: Path, data: dict[str, Any]) -> Path:
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
    data = _read_json(p)
    document = _document_path(p, data)
    text = doc.text if doc is not None else _document_text(document)
    locator = _Locator(text)
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
    data = _read_json(path, GENRES_SCHEMA, "genre families file")
    families = data.get("families")
    if not isinstance(families, dict):
        raise InputError(f"{path}: no 'families' object; give {{\"families\": {{\"family\": [\"genre\", …]}}}}")
    return {genre: family for family, genres in families.items() if isinstance(genres, list) for genre in genres if isinstance(genre, str)}


def split_of(path: str | Path) -> str | None:
    """The ``split`` a gold file declares, or None."""
    split = _read_json(Path(path)).get("split")
    return split if isinstance(split, str) else None


def _document_text(path: Path) -> str:
    from ldn_graph.read.documents import read_document

    return read_document(path).text


# --------------------------------------------------------------------------- scoring


# What a segment and a label may differ by at either end and still cut the text at the
# same place: list markers and numbers, heading and quote marks, emphasis, quotation marks.
_EDGE_MARKUP_RE = re.compile(r"^(?:[\s#>*_+•·|\"“”'‘’-]|\d{1,3}[.)]?\s)+|[\s#>*_|\"“”'‘’]+$")


def _boundary_form(text: str) -> str:
    return _EDGE_MARKUP_RE.sub("", _squash(text))


def _segmentation(doc: Document, gold: GoldFile, result: Evaluation) -> None:
    exact = {(s.start, s.end) for s in doc.segments}
    forms: set[str] = {_boundary_form(doc.text[s.start : s.end]) for s in doc.segments}
    for label in gold.labelled:
        result.sentences += 1
        ok = (label.start, label.end) in exact or (
            label.start is not None and _boundary_form(doc.text[label.start : label.end]) in forms
        )
        if ok:
            result.segmented += 1
        else:
            result.missed_segments.append(label.text)


def evaluate_gold(path: str | Path, vocabulary: Vocabulary) -> Evaluation:
    from ldn_graph.extract.claims import extract_claims
    from ldn_graph.extract.references import find_references
    from ldn_graph.read.documents import read_document

    p = Path(path)
    doc = read_document(_document_path(p, _read_json(p)))
    gold = read_gold(p, doc)
    known = {c.name for c in vocabulary.concepts}
    unknown = sorted({g.concept for g in gold.pairs} - known)
    if unknown:
        raise InputError(f"{path}: concepts not in the vocabulary: {', '.join(unknown)}")
    refs, markers = find_references(doc)
    claims = extract_claims(doc, vocabulary, refs, markers)
    result = Evaluation(str(path), str(gold.document), gold.genre, gold.split)
    if gold.genre:
        result.family = genre_families(p.parent).get(gold.genre)
    non_claims = [lab for lab in gold.labelled if lab.kind == "non-claim" and lab.start is not None]
    matched_gold: set[int] = set()
    for claim in claims:
        hit = next(
            (
                i
                for i, g in enumerate(gold.pairs)
                if g.concept == claim.concept.name and claim.start < g.end and g.start < claim.end and i not in matched_gold
            ),
            None,
        )
        if hit is None:
            result.false_positives.append((claim.text, claim.concept.name))
            why = next((n.why for n in non_claims if claim.start < (n.end or 0) and (n.start or 0) < claim.end), None)
            if why is not None:
                result.non_claim_hits.append((claim.text, claim.concept.name, why))
            continue
        matched_gold.add(hit)
        result.true_positives += 1
        if gold.pairs[hit].type in (None, claim.type):
            result.type_agreement += 1
    for i, g in enumerate(gold.pairs):
        if i not in matched_gold:
            result.false_negatives.append((g.text, g.concept))
    claim_labels = [lab for lab in gold.labelled if lab.kind in ("claim", "unmapped") and lab.start is not None]
    for start, end, text in sorted({(c.start, c.end, c.text) for c in claims}):
        result.claim_sentences += 1
        if any(start < (lab.end or 0) and (lab.start or 0) < end for lab in claim_labels):
            result.claim_sentences_right += 1
        else:
            result.wrong_sentences.append(text)
    result.unmapped = [(lab.text, lab.why) for lab in gold.labelled if lab.kind == "unmapped"]
    _segmentation(doc, gold, result)
    return result


def summarize(evaluations: Sequence[Evaluation], name: str = "(all)") -> Evaluation:
    total = Evaluation(name, name)
    for e in evaluations:
        total.true_positives += e.true_positives
        total.false_positives += e.false_positives
        total.false_negatives += e.false_negatives
        total.type_agreement += e.type_agreement
        total.non_claim_hits += e.non_claim_hits
        total.unmapped += e.unmapped
        total.claim_sentences += e.claim_sentences
        total.claim_sentences_right += e.claim_sentences_right
        total.wrong_sentences += e.wrong_sentences
        total.sentences += e.sentences
        total.segmented += e.segmented
        total.missed_segments += e.missed_segments
    return total


# --------------------------------------------------------------------------- rendering

GENRE_MINIMUM = 30  # labelled pairs a genre needs in the selected split to get its own scores
PRECISION_TARGET = 0.95  # issue 14's "done when", on the test half
SEGMENTATION_TARGET = 0.98
_NOT_ENOUGH = f"n/a (< {GENRE_MINIMUM} labels)"

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def _scores(e: Evaluation) -> list[str]:
    return [
        str(e.labelled_pairs),
        _ratio(e.true_positives, e.predicted),
        _ratio(e.true_positives, e.labelled_pairs),
        _ratio(e.type_agreement, e.true_positives),
        str(e.predicted),
    ]


def group_name(e: Evaluation) -> str:
    """A corpus document's split; a gold file without one is grouped by its folder."""
    return e.split or f"{Path(e.gold_file).parent.name or '.'} (no split)"


def _groups(results: Sequence[Evaluation]) -> dict[str, list[Evaluation]]:
    groups: dict[str, list[Evaluation]] = {}
    for e in results:
        groups.setdefault(group_name(e), []).append(e)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] not in SPLITS, SPLITS.index(kv[0]) if kv[0] in SPLITS else 0, kv[0])))


def _genre_group(e: Evaluation) -> str:
    return e.family or e.genre or "-"


def _tables(results: Sequence[Evaluation], by_genre: bool, verbose: bool) -> list[Table]:
    scores = ["pairs", "precision", "recall", "type agreement", "found"]
    files = [[e.gold_file, *_scores(e), e.split or "-", e.genre or "-"] for e in results]
    if len(results) > 1:
        files.append(["(all)", *_scores(summarize(results)), "-", "-"])
    tables: list[Table] = [("Per gold file", ["gold file", *scores, "split", "genre"], files)]
    groups = _groups(results)
    corpus = [e for e in results if e.split]
    named = list(groups.items())
    if len({e.split for e in corpus}) > 1:
        named.append(("corpus (all splits)", corpus))
    rows = []
    for name, members in named:
        total = summarize(members, name)
        seg = f"{_ratio(total.segmented, total.sentences)} ({total.segmented}/{total.sentences})"
        sentence_precision = (
            f"{_ratio(total.claim_sentences_right, total.claim_sentences)} "
            f"({total.claim_sentences_right}/{total.claim_sentences})"
        )
        rows.append([name, str(len(members)), *_scores(total), sentence_precision, seg])
    tables.append(
        ("Per split", ["group", "documents", *scores, "claim-sentence precision", "segmentation agreement"], rows)
    )
    targets = []
    for name, members in groups.items():
        if name in SPLITS:
            total = summarize(members, name)
            for measure, part, whole, goal in (
                ("claim-sentence precision", total.claim_sentences_right, total.claim_sentences, PRECISION_TARGET),
                ("precision", total.true_positives, total.predicted, PRECISION_TARGET),
                ("segmentation agreement", total.segmented, total.sentences, SEGMENTATION_TARGET),
            ):
                met = "n/a" if not whole else "yes" if part / whole >= goal else "NO"
                targets.append([name, measure, _ratio(part, whole), f">= {goal:.2f}", met])
    if targets:
        tables.append(("Against the targets", ["split", "measure", "value", "target", "met"], targets))
    if by_genre and corpus:
        rows = []
        # a genre (or its family) is scored where the test half has enough labels for it,
        # or, when no test half is in the run, its own split
        test_pairs: dict[str, int] = {}
        for e in corpus:
            if e.split == "test":
                test_pairs[_genre_group(e)] = test_pairs.get(_genre_group(e), 0) + e.labelled_pairs
        for name, members in groups.items():
            if name not in SPLITS:
                continue
            genres: dict[str, list[Evaluation]] = {}
            for e in members:
                genres.setdefault(_genre_group(e), []).append(e)
            for genre, docs in sorted(genres.items()):
                total = summarize(docs, genre)
                row = _scores(total)
                enough = test_pairs.get(genre, 0) if test_pairs else total.labelled_pairs
                row.append(_ratio(total.claim_sentences_right, total.claim_sentences))
                if enough < GENRE_MINIMUM:
                    row[1:4] = [_NOT_ENOUGH] * 3
                    row[5] = _NOT_ENOUGH
                rows.append([name, genre, str(len(docs)), *row])
        tables.append(("Per genre", ["split", "genre", "documents", *scores, "claim-sentence precision"], rows))
    rows = []
    for name, members in groups.items():
        total = summarize(members, name)
        reasons: dict[str, int] = {}
        for _, _, why in total.non_claim_hits:
            reasons[why] = reasons.get(why, 0) + 1
        rows += [[name, why, str(n)] for why, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        rows.append([name, "(no non-claim label)", str(len(total.false_positives) - len(total.non_claim_hits))])
    tables.append(("False positives by reason", ["group", "why", "false positives"], rows))
    unmapped: dict[str, int] = {}
    for e in results:
        for _, concept in e.unmapped:
            unmapped[concept] = unmapped.get(concept, 0) + 1
    tables.append(
        (
            "Claims the vocabulary has no concept for (not counted in recall)",
            ["proposed concept", "sentences"],
            [[c, str(n)] for c, n in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0]))],
        )
    )
    listing = [[Path(e.gold_file).name, concept, _clip(text)] for e in results for text, concept in e.unmapped]
    tables.append(("Unmapped claims", ["document", "proposed concept", "sentence"], listing))
    if verbose:
        rows = []
        for e in results:
            name = Path(e.gold_file).name
            rows += [[name, "missed", concept, _clip(text)] for text, concept in e.false_negatives]
            reason = {(t, c): w for t, c, w in e.non_claim_hits}
            rows += [
                [name, f"false positive ({reason[(t, c)]})" if (t, c) in reason else "false positive", c, _clip(t)]
                for t, c in e.false_positives
            ]
            rows += [[name, "not one segment", "-", _clip(text)] for text in e.missed_segments]
            rows += [[name, "not a claim sentence", "-", _clip(text)] for text in e.wrong_sentences]
        tables.append(("Every miss, false positive and segmentation disagreement", ["document", "what", "concept", "sentence"], rows))
    return tables


def _clip(text: str, limit: int = 90) -> str:
    line = _squash(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(results: Sequence[Evaluation], *, by_genre: bool = False, verbose: bool = False, fmt: str = "text") -> str:
    """The evaluation as tab-separated text or as a Markdown document."""
    tables = _tables(results, by_genre, verbose)
    out: list[str] = []
    if fmt == "markdown":
        out += [
            "# Claim extraction: evaluation",
            "",
            "Claim-sentence precision: the share of the sentences claims were taken from that are labelled",
            "claim sentences. Precision and recall over (sentence, concept) pairs; type agreement over the",
            "matched pairs; segmentation agreement over every labelled sentence (claims, unmapped claims,",
            "non-claims). A score with nothing to count is n/a. Genres are grouped into the families of",
            f"`{GENRES_FILE}` beside the gold files; a family whose test half has fewer than {GENRE_MINIMUM} labelled",
            "pairs gets no scores of its own.",
        ]
        for title, header, rows in tables:
            out += ["", f"## {title}", ""]
            if not rows:
                out.append("(none)")
                continue
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        return "\n".join(out) + "\n"
    first = True
    for title, header, rows in tables:
        if not first:
            out += ["", f"# {title}"]
        first = False
        out.append("\t".join(header))
        out += ["\t".join(row) for row in rows]
    return "\n".join(out) + "\n"
