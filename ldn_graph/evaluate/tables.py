"""The evaluation's tables, as tab-separated text or Markdown."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ldn_graph.evaluate.gold import GENRES_FILE, SPLITS, squash
from ldn_graph.evaluate.score import Evaluation, summarize

# --------------------------------------------------------------------------- rendering

GENRE_MINIMUM = 30  # labelled pairs a genre needs in the selected split to get its own scores
# The "done when" targets, on the test half: reading (claim sentences, segmentation) and
# concept recognition (pairs: precision, recall, type agreement; recall per genre family).
PRECISION_TARGET = 0.95
SEGMENTATION_TARGET = 0.98
RECALL_TARGET = 0.95
TYPE_TARGET = 0.95
GENRE_RECALL_TARGET = 0.90
_NOT_ENOUGH = f"n/a (< {GENRE_MINIMUM} labels)"

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "n/a"


def share_text(part: int, whole: int) -> str:
    """``0.969 (31/32)``: a share with what it counts, or ``n/a``."""
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def _scores(e: Evaluation) -> list[str]:
    return [
        str(e.labelled_pairs),
        _ratio(e.true_positives, e.predicted),
        _ratio(e.true_positives, e.labelled_pairs),
        _ratio(e.type_agreement, e.true_positives),
        str(e.predicted),
    ]


def _sentence_scores(e: Evaluation) -> list[str]:
    """A file's claim sentences that are labelled ones, and labelled sentences cut as labelled."""
    return [f"{e.claim_sentences_right}/{e.claim_sentences}", f"{e.segmented}/{e.sentences}"]


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
    files = [[e.gold_file, *_scores(e), *_sentence_scores(e), e.split or "-", e.genre or "-"] for e in results]
    if len(results) > 1:
        total = summarize(results)
        files.append(["(all)", *_scores(total), *_sentence_scores(total), "-", "-"])
    per_file = ["claim sentences right", "segmented"]
    tables: list[Table] = [("Per gold file", ["gold file", *scores, *per_file, "split", "genre"], files)]
    groups = _groups(results)
    corpus = [e for e in results if e.split]
    named = list(groups.items())
    if len({e.split for e in corpus}) > 1:
        named.append(("corpus (all splits)", corpus))
    rows = []
    for name, members in named:
        total = summarize(members, name)
        seg = f"{_ratio(total.segmented, total.sentences)} ({total.segmented}/{total.sentences}"
        notes = [f"{total.dropped} non-claims left out or hidden"] if total.dropped else []
        notes += [f"{total.tiled} non-claims cut finer into non-prose pieces"] if total.tiled else []
        seg += f"; {'; '.join(notes)})" if notes else ")"
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
                ("recall", total.true_positives, total.labelled_pairs, RECALL_TARGET),
                ("type agreement", total.type_agreement, total.true_positives, TYPE_TARGET),
                ("segmentation agreement", total.segmented, total.sentences, SEGMENTATION_TARGET),
            ):
                met = "n/a" if not whole else "yes" if part / whole >= goal else "NO"
                targets.append([name, measure, _ratio(part, whole), f">= {goal:.2f}", met])
            families: dict[str, list[Evaluation]] = {}
            for e in members:
                families.setdefault(_genre_group(e), []).append(e)
            for family, docs in sorted(families.items()):
                part_total = summarize(docs, family)
                if part_total.labelled_pairs >= GENRE_MINIMUM:
                    part, whole = part_total.true_positives, part_total.labelled_pairs
                    met = "yes" if part / whole >= GENRE_RECALL_TARGET else "NO"
                    targets.append([name, f"recall: {family}", _ratio(part, whole), f">= {GENRE_RECALL_TARGET:.2f}", met])
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
    for title, attribute, column in (
        ("Wrong claim sentences by label", "wrong_sentences", "sentences"),
        ("Segmentation disagreements by label", "missed_segments", "labelled sentences"),
    ):
        rows = []
        for name, members in groups.items():
            labels: dict[str, int] = {}
            for _, label in getattr(summarize(members, name), attribute):
                labels[label] = labels.get(label, 0) + 1
            rows += [[name, label, str(n)] for label, n in sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))]
        tables.append((title, ["group", "label", column], rows))
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
            rows += [[name, f"not one segment ({label})", "-", _clip(text)] for text, label in e.missed_segments]
            rows += [[name, f"not a claim sentence ({label})", "-", _clip(text)] for text, label in e.wrong_sentences]
        tables.append(("Every miss, false positive and segmentation disagreement", ["document", "what", "concept", "sentence"], rows))
    return tables


def _clip(text: str, limit: int = 90) -> str:
    line = squash(text)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table_lines(tables: Sequence[Table], fmt: str, *, title_first: bool = False) -> list[str]:
    """Tables as Markdown ("## title" over each) or as tab-separated text ("# title" over
    each but the first, unless ``title_first``)."""
    out: list[str] = []
    for n, (title, header, rows) in enumerate(tables):
        if fmt == "markdown":
            out += ["", f"## {title}", ""]
            if not rows:
                out.append("(none)")
                continue
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
            continue
        if n or title_first:
            out += ([""] if n else []) + [f"# {title}"]
        out.append("\t".join(header))
        out += ["\t".join(row) for row in rows]
    return out


# What a Markdown evaluation is of: the extractor's claims, or a second labeller's labels.
_SECOND_LABELLER = (
    "# Agreement between two labellers",
    "",
    "A second labelling of these documents, scored as the extractor's claims are: precision is",
    "the share of the second labeller's (sentence, concept) pairs the first labeller also has,",
    "recall the share of the first's the second also has; type agreement over the pairs both have.",
)


def render(results: Sequence[Evaluation], *, by_genre: bool = False, verbose: bool = False, fmt: str = "text",
           second_labeller: bool = False) -> str:
    """The evaluation as tab-separated text or as a Markdown document (``second_labeller``:
    of a second labelling scored against the first, not of the extractor)."""
    tables = _tables(results, by_genre, verbose)
    out: list[str] = []
    if fmt == "markdown" and second_labeller:
        out += list(_SECOND_LABELLER)
    elif fmt == "markdown":
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
    return "\n".join(out + table_lines(tables, fmt)) + "\n"
