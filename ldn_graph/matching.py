"""Finding vocabulary concepts in text, however copy phrases them.

A :class:`TermMatcher` finds a concept's labels two ways and keeps the longest match at
each place:

* **as written** — every label as a whole-word, case-insensitive pattern (spaces and
  hyphens interchangeable, an optional plural), and the vocabulary's case-sensitive
  abbreviations ("MS", "ME") only as written;
* **by word family** — each word is reduced to a key that one word family shares
  (British/American spellings made one, then the Snowball English stemmer, then a few
  derivational endings it leaves: "modulate", "modulation", "modulator" and
  "modulatory" share a key, as do "blocks" and "blockade", "analgesic" and
  "analgesia"), and a label matches any run of words with the same content keys, in any
  order, with only little words between them ("blockade of opioid receptors" is the
  label "opioid receptor blockade", "quality of your sleep" is "sleep quality").

Besides the labels: a dose in milligrams ("4.5mg", "1.5 - 4.5 mg", "between 1.5 and 4.5
milligrams") names the concept whose dose range holds every number in it; a coordinated
number ("IL-1 and -6") names what the first one's prefix with it would ("IL-6"); and an
abbreviation the document defines after a label ("toll-like receptor 4 (TLR4)") names
that label's concept wherever it is used (:meth:`TermMatcher.defined_abbreviations`).
Nothing is matched inside a web address.

All of it is general: another product's vocabulary gets the same matching from its own
labels. The stemmer is ``snowballstemmer`` (pure Python, the Snowball project's own
algorithms, already what Sphinx uses), chosen over requiring PyStemmer (the same
algorithm in C, but a compiled wheel per platform; snowballstemmer uses it by itself
when it is installed, with the same keys) and simplemma (a lemmatiser, whose
dictionaries are far larger and which leaves derivations such as "modulator" and
"modulation" apart). Keys are cached per word, so the stemmer runs once per distinct
word; the cost is in bench/bench_matching.py and docs/performance.md. Word keys are
``ldn_graph.word_keys``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from types import MappingProxyType

from ldn_graph.model import Concept
from ldn_graph.text import fold, term_key
from ldn_graph.urls import url_spans
from ldn_graph.word_keys import NEGATION_KEY, STOPWORDS, word_key

# --------------------------------------------------------------------------- words

# Little words that keep a label's meaning when its words come in another order ("use OF
# opioids" is opioid use, "sleep IS disturbed" is disturbed sleep); these do not ("used FOR
# opioid dependence" is not opioid use).
_NO_REORDER = frozenset({"for", "with", "at", "by", "on"})
# Words that join two things: never inside a label found by word family.
_COORDINATORS = frozenset({"and", "or", "but", "nor", "&", "plus", "versus", "vs"})
# A dose in a label stands for any dose: "start at 1 mg", "up by 1.5 mg", "{dose} at night".
DOSE_KEY = "{dose}"
WEEK_KEY = "{week}"  # a schedule's week in a label stands for any: "{week} {dose}" is "Weeks 1–2 1.5 mg"
# "Week 1", "weeks 3-4", "Weeks 3 to 4", "week 5 onwards", "Days 1 to 7", "Month 2": a step
# of a dosing schedule, with its step's colon and a note on it: "Weeks 1 and 2: 1.5 mg",
# "Weeks 1-2 (February): 0.5 mg".
WEEK_EXPRESSION_RE = re.compile(r"\b(?=[wdm])(?<!\ba )(?<!\bper )(?<!\beach )(?<!\bevery )(?:weeks?|days?|months?)\s*\d{1,2}(?!\.\d|\s*(?:mg|milligram))(?:\s*(?:[-–&]|to|and)\s*\d{1,2})?(?:\s*(?:onwards?|\+))?(?:\s*\([^()\n]{1,30}\))?(?:\s*:)?", re.I)


# Words: runs of letters ("isn't" is one), or numbers (with a decimal part); "TLR4" is two words, as "TLR-4".
_WORD_RE = re.compile(r"[^\W\d_]+(?:_[^\W_]+)+|[^\W\d_]+n't|[^\W\d_]+|\d+(?:\.\d+)?")
# What may stand between two words of one label: spaces, hyphens, slashes, apostrophes, quotation marks,
# Markdown emphasis and a dot leader ("Weeks 1-2 ....... 1.5 mg"); anything else (a comma, a bracket, a full stop) parts them.
_JOINER_RE = re.compile(r"[\s\-/'*_\"“”‘’]*(?:\s\.{4,}\s+)?")


class _Word:
    __slots__ = ("key", "text", "start", "end", "stop", "joined", "adverb")

    def __init__(self, key: str, start: int, end: int, stop: bool, joined: bool, text: str = "", adverb: bool = False) -> None:
        self.key = key
        self.adverb = adverb  # "slowly": says how, modifies no noun
        self.text = text  # a little word as written (lower case)
        self.start = start
        self.end = end
        self.stop = stop
        self.joined = joined  # nothing but joiners between this word and the one before


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` lies in one of ``spans`` (sorted, not overlapping)."""
    i = bisect_left(spans, (pos + 1, -1)) - 1  # the last span starting at or before ``pos``
    return i >= 0 and pos < spans[i][1]


# A word broken across a hard-wrapped line ("inflam-\nmation"): read as one word.
_BROKEN_RE = re.compile(r"([^\W\d_]{2,})-[ \t]*\n[ \t>]*([^\W\d_]{2,})")


# Comparatives after a word say how much of it, like an adverb: "concentrate better", "sleep more".
_DEGREE = frozenset(word_key(w) for w in ("better", "worse", "more", "less"))
# Verbs of change after a word: its predicate, no noun it modifies ("the ache turns down a notch").
_CHANGE_VERBS = frozenset(word_key(w) for w in ("turns", "dropped", "fell", "eased", "lifted", "settled", "faded", "dialled", "dialed",
                                                 "improved", "calmed", "cleared", "vanished", "disappeared", "started", "began", "stopped"))
_APPROXIMATORS = frozenset({"about", "around", "roughly", "approximately", "nearly", "almost"})  # before a dose: little words


def _words(folded: str, urls: list[tuple[int, int]], products: list[tuple[int, int]]) -> list[_Word]:
    """The words of ``folded``, a dose or a schedule's week read as one word. A word in a
    web address is one no label can use; a word of the product's own name is passed over
    like a little word ("took 4.5 mg of naltrexone nightly"), never part of a label."""
    lowered = folded.lower()
    doses = [(m.start(), m.end(), DOSE_KEY) for m in DOSE_EXPRESSION_RE.finditer(folded)]
    weeks = [(m.start(), m.end(), WEEK_KEY) for m in WEEK_EXPRESSION_RE.finditer(folded)]
    if weeks:  # a week's numbers are never a dose's: "Weeks 1-2 1.5 mg"
        doses = sorted([*weeks, *(d for d in doses if not any(ws < d[1] and d[0] < we for ws, we, _k in weeks))])
    broken = {m.start(): m for m in _BROKEN_RE.finditer(lowered)}
    words: list[_Word] = []
    last_end = 0
    d = 0
    for m in _WORD_RE.finditer(lowered):
        s, e = m.span()
        if s < last_end:
            continue  # inside a dose or a broken word already read
        joined = bool(words) and _JOINER_RE.fullmatch(lowered, last_end, s) is not None
        while d < len(doses) and doses[d][1] <= s:
            d += 1
        token = m.group()
        if d < len(doses) and doses[d][0] <= s:
            s, e, slot = doses[d]
            words.append(_Word(slot, s, e, False, joined))
        elif _inside(urls, s):
            words.append(_Word("", s, e, False, False))  # a word nothing can match
        elif _inside(products, s):
            words.append(_Word("", s, e, True, joined))
        else:
            if s in broken:
                token = broken[s].group(1) + broken[s].group(2)
                e = broken[s].end()
            stop = token in STOPWORDS or (token in _APPROXIMATORS and d < len(doses) and lowered[e:doses[d][0]].isspace())
            words.append(_Word(word_key(token), s, e, stop, joined, token if stop else "", len(token) > 4 and token.endswith("ly")))
        last_end = e
    return words


def label_keys(label: str, ordered: bool = False) -> tuple[str, ...]:
    """A label's content keys, sorted (or in the label's order): the words that must be
    there ("{dose}" in a label is any dose)."""
    text = fold(label).lower().replace(DOSE_KEY, " dosekey ").replace(WEEK_KEY, " weekkey ")
    slots = {"dosekey": DOSE_KEY, "weekkey": WEEK_KEY}
    keys = [slots.get(w) or word_key(w) for w in _WORD_RE.findall(text) if w not in STOPWORDS]
    return tuple(keys) if ordered else tuple(sorted(keys))


# --------------------------------------------------------------------------- labels as written


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


# --------------------------------------------------------------------------- doses and abbreviations

# Numbers as copy writes them in words ("half a milligram", "four and a half milligrams").
NUMBER_WORDS = MappingProxyType({
    "half a": 0.5, "a half": 0.5, "one and a half": 1.5, "two and a half": 2.5, "three and a half": 3.5, "four and a half": 4.5,
    "twenty-five": 25.0, "fifty": 50.0, "a hundred": 100.0, "one hundred": 100.0,
    **{w: float(n) for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                                          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                                          "nineteen", "twenty"), 1)},
})
_NUMBER = (
    r"\d+(?:\.\d+)?|\b(?:" + "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
)
_UNIT = r"\s*(?:mg|milligrams?)\b"
# "4.5mg", "1.5 - 4.5 mg", "0.5mg to 3mg", "between 1.5 and 4.5 milligrams", "up to 4.5 mg", "half a milligram"
DOSE_EXPRESSION_RE = re.compile(
    r"(?:\b\d+(?:\.\d+)?\s*(?:ml|millilit(?:re|er)s?)\s*\(\s*)?"  # a liquid's volume, then its dose: "0.5 mL (0.5 mg)"
    rf"(?:\b(?:between|from)\s+)?({_NUMBER})(?:{_UNIT})?"
    rf"(?:\s*(?:-|to|and|or|up to)\s*({_NUMBER}))?{_UNIT}"
    r"(?!\s*(?:/|per|in)\s*(?:(?:1|one|each)\s*)?(?:ml|millilit(?:re|er)s?)\b)",  # "1 mg/ml", "1 mg in 1 ml": a strength
    re.I,
)


def stated_doses(text: str) -> list[float]:
    """Every number of milligrams ``text`` states, a range's both ends included."""
    return [
        NUMBER_WORDS.get(v.lower()) or float(v)
        for m in DOSE_EXPRESSION_RE.finditer(text)
        for v in m.groups()
        if v is not None
    ]


# "IL-1 and -6", "IL-1, -6 and -10": the later numbers take the first one's prefix.
_COORDINATED_RE = re.compile(
    r"\b([^\W\d_]{1,8})-?(\d{1,3}[a-z]?)((?:\s*,\s*-\d{1,3}[a-z]?)*\s*,?\s*(?:and|or|&)\s*-\d{1,3}[a-z]?)", re.I
)
_LATER_NUMBER_RE = re.compile(r"-(\d{1,3}[a-z]?)")
# "toll-like receptor 4 (TLR4)", "low dose naltrexone (LDN)": a label, then its abbreviation.
DEFINITION_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9-]{1,9}?)(s?)\s*\)")


@lru_cache(maxsize=64)
def _abbreviations_re(abbreviations: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a document's defined abbreviations (an optional plural "s")."""
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, abbreviations)) + r")s?(?![\w-])")


def labels_matcher(concepts: Iterable[Concept], labels: Callable[[Concept], tuple[str, ...]]) -> TermMatcher | None:
    """A matcher for a second set of labels the concepts carry (``labels`` of each: shared
    labels, labels that count only where there is less of them or where the sentence says
    what happens to them), matched as labels are; None when no concept has any."""
    only = [replace(c, label=found[0], synonyms=found[1:], case_sensitive=(), as_written=(), shared=(), less_of=(), cued=(),
                    dose_range=None) for c in concepts if (found := labels(c))]
    return TermMatcher(only) if only else None


class TermMatcher:
    """Finds vocabulary concepts in text: longest match first, whole words, case rules and
    word families from the data."""

    def __init__(self, concepts: Iterable[Concept], product_terms: Iterable[str] = ()) -> None:
        """``product_terms``: the product's own names, whose words are never part of a label
        found by word family ("started with low dose naltrexone" is not "start low")."""
        concepts = tuple(concepts)
        names = sorted({fold(t).strip() for t in product_terms if t.strip()}, key=len, reverse=True)
        self._product = (
            re.compile(r"(?<![\w])(?:" + "|".join(_term_regex(n) for n in names) + r")(?![\w])", re.I) if names else None
        )
        folded: dict[str, Concept] = {}
        exact: dict[str, Concept] = {}
        family: dict[tuple[str, ...], Concept] = {}
        orders: dict[tuple[str, ...], set[tuple[str, ...]]] = {}  # sorted keys -> the labels' word orders
        for concept in concepts:
            for term in concept.terms:
                if term in concept.case_sensitive:
                    continue
                folded.setdefault(term_key(term), concept)
                keys = () if term in concept.as_written else label_keys(term)
                if keys:
                    family.setdefault(keys, concept)
                    orders.setdefault(keys, set()).add(label_keys(term, ordered=True))
            for term in concept.case_sensitive:
                exact.setdefault(fold(term).strip(), concept)
        self._folded = folded
        self._exact = exact
        self._family = family
        self._orders = orders
        # labels found beside, not instead of, what else their words name ("quietens
        # microglia" is neuroinflammation as well as the TLR4 claim "microglia" makes)
        self._beside = labels_matcher(concepts, lambda c: c.shared)
        self._family_words = frozenset(k for keys in family for k in keys)
        self._longest = max((len(keys) for keys in family), default=0)
        self._doses = tuple((c, lo, hi) for c in concepts if c.dose_range for lo, hi in [c.dose_range])
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

    def find(self, text: str, defined: Mapping[str, Concept] = MappingProxyType({})) -> list[tuple[Concept, int, int]]:
        """(concept, start, end) of every non-overlapping concept mention in ``text``;
        ``defined`` adds abbreviations the document defined (:meth:`defined_abbreviations`)."""
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
        urls = url_spans(folded)
        products = [(m.start(), m.end()) for m in self._product.finditer(folded)] if self._product else []
        words = _words(folded, urls, products)
        hits.extend(self._family_hits(words))
        hits.extend(self._coordinated_hits(folded))
        if defined:
            for m in _abbreviations_re(tuple(sorted(defined, key=len, reverse=True))).finditer(text):
                hits.append((m.start(), m.end(), defined[m.group(1)]))
        # two labels may share a dose ("started on 1.5 mg in the evening")
        shared = {(w.start, w.end) for w in words if w.key == DOSE_KEY}
        # the longest mentions first, then those that do not overlap them (but for a dose
        # they share); at equal length the earlier
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        longest = hits[0][1] - hits[0][0] if hits else 0
        out: list[tuple[Concept, int, int]] = []
        kept: list[tuple[int, int]] = []  # sorted; no kept mention is longer than ``longest``
        for start, end, concept in hits:
            if _inside(urls, start):
                continue
            j = bisect_left(kept, (end, -1)) - 1  # the kept mentions that start before this ends
            clash = False
            while j >= 0 and kept[j][0] + longest > start:
                ks, ke = kept[j]
                if start < ke and (max(ks, start), min(ke, end)) not in shared:
                    clash = True
                    break
                j -= 1
            if clash:
                continue
            insort(kept, (start, end))
            out.append((concept, start, end))
        out.sort(key=lambda h: h[1])
        beside = self._beside
        if beside is not None and any(w.key in beside._family_words for w in words):
            named = {(c.iri, s, e) for c, s, e in out}
            out.extend(h for h in beside.find(text) if (h[0].iri, h[1], h[2]) not in named)
        # one of two coordinated words with the words they share ("corrected near and
        # intermediate visual acuities" names "corrected near visual acuity")
        iris = {h[0].iri for h in out}
        out.extend(h for h in self._conjunct_hits(words) if h[0].iri not in iris)
        # a dose names its concept even inside a longer label ("start at 1.5 mg")
        spans = {(s, e) for _, s, e in out}
        out.extend((c, s, e) for s, e, c in self._dose_hits(folded) if (s, e) not in spans)
        out.sort(key=lambda h: h[1])
        return out

    def _family_hits(self, words: list[_Word]) -> list[tuple[int, int, Concept]]:
        """Labels matched word family by word family: in any order, little words between,
        and in a label of three words or more one other word inside ("long-standing back
        pain" is "long-standing pain")."""
        hits: list[tuple[int, int, Concept]] = []
        known = self._family_words
        for i, first in enumerate(words):
            if first.stop or first.key not in known:
                continue
            # the run of content words from here: (word index, key, a meaning-bearing little
            # word stands before it)
            run: list[tuple[int, str, bool]] = []
            ordered_gap = False
            for j in range(i, len(words)):
                word = words[j]
                if j > i and not word.joined:
                    break  # a comma, a bracket, a full stop between
                if word.stop:
                    if j - i > 2 * self._longest + 1:
                        break
                    ordered_gap = ordered_gap or word.text in _NO_REORDER
                    continue
                if word.key in _COORDINATORS:
                    break  # "inflammation and chronic pain": two things, not one label
                run.append((j, word.key, ordered_gap))
                ordered_gap = False
                if len(run) > self._longest or (word.key not in known and sum(k not in known for _, k, _ in run) > 1):
                    break
            best: tuple[int, int, Concept] | None = None
            best_last = i
            for end in range(len(run), 0, -1):
                if run[end - 1][1] not in known:
                    continue
                skips = [None] if end < 3 else [None, *range(1, end - 1)]
                for skip in skips:
                    part = [r for n, r in enumerate(run[:end]) if n != skip]
                    if any(k not in known for _, k, _ in part):
                        continue
                    if skip is not None and tuple(sorted((run[skip][1], run[skip + 1][1]))) in self._family:
                        continue  # "turn down neuro-inflammation": the word belongs to the next one's label
                    concept = self._match(part)
                    if concept is not None and (skip is None or len(part) >= 3):
                        last = run[end - 1][0]
                        best, best_last = (first.start, words[last].end, concept), last
                        break
                if best is not None:
                    break
            if best is None:
                continue
            if best_last == i and self._modifies(words, i):
                continue  # "opioid receptors", "use of the opioid antagonist": a kind of something else
            hits.append(best)
        return hits

    def _match(self, part: list[tuple[int, str, bool]]) -> Concept | None:
        """The concept whose label these content words are, in an order its meaning allows."""
        keys = tuple(k for _, k, _ in part)
        found = tuple(sorted(keys))
        concept = self._family.get(found)
        if concept is not None and any(gap for _, _, gap in part[1:]) and keys not in self._orders[found]:
            return None  # "used for opioid dependence" is not "opioid use"
        return concept

    def _conjunct_hits(self, words: list[_Word]) -> list[tuple[Concept, int, int]]:
        """Labels that take one word of "X and Y" with the words around the pair: "IL-6
        and TNF levels" is "IL-6 levels" (and "TNF levels"), "corrected near and
        intermediate acuity" is "corrected near acuity". Each is read with the other word
        and the coordinator left out, and counts only where it spans the pair."""
        hits: list[tuple[Concept, int, int]] = []
        for k in range(1, len(words) - 1):
            x, word, y = words[k - 1], words[k], words[k + 1]
            if word.key not in _COORDINATORS or not (word.joined and y.joined) or x.stop or y.stop:
                continue
            low, high = max(0, k - 1 - self._longest), min(len(words), k + 2 + self._longest)
            for dropped in ((k, k + 1), (k - 1, k)):
                window = [w for n, w in enumerate(words[low:high], low) if n not in dropped]
                for start, end, concept in self._family_hits(window):
                    if start <= x.start and end >= y.end:
                        hits.append((concept, start, end))
        return hits

    def _modifies(self, words: list[_Word], i: int) -> bool:
        """Whether the word at ``i`` stands right before another word some label knows,
        with which it makes no label ("opioid receptors", "opioid antagonist")."""
        nxt = i + 1
        if (nxt >= len(words) or not words[nxt].joined or words[nxt].stop or words[nxt].adverb
                or words[nxt].key in _DEGREE or words[nxt].key in _CHANGE_VERBS):
            return False  # "titrating slowly", "concentrate better": an adverb tells how, it is no noun modified
        key = words[nxt].key
        return key in self._family_words and key not in (NEGATION_KEY, DOSE_KEY, WEEK_KEY)

    def _coordinated_hits(self, folded: str) -> list[tuple[int, int, Concept]]:
        """"IL-1 and -6": "-6" is "IL-6" when that is a label."""
        hits: list[tuple[int, int, Concept]] = []
        for m in _COORDINATED_RE.finditer(folded):
            prefix = m.group(1)
            for later in _LATER_NUMBER_RE.finditer(m.group(3)):
                concept = self._folded.get(f"{prefix}-{later.group(1)}".lower())
                if concept is None:
                    concept = self._family.get(label_keys(f"{prefix} {later.group(1)}"))
                if concept is not None:
                    at = m.start(3) + later.start()
                    hits.append((at, m.start(3) + later.end(), concept))
        return hits

    def _dose_hits(self, folded: str) -> list[tuple[int, int, Concept]]:
        """A dose whose every number lies in a concept's dose range names that concept."""
        if not self._doses:
            return []
        hits: list[tuple[int, int, Concept]] = []
        for m in DOSE_EXPRESSION_RE.finditer(folded):
            values = stated_doses(m.group())
            for concept, lo, hi in self._doses:
                if all(lo <= v <= hi for v in values):
                    hits.append((m.start(), m.end(), concept))
                    break
        return hits

    def defined_abbreviations(self, text: str) -> dict[str, Concept]:
        """Abbreviations ``text`` defines right after a concept's label, as in "toll-like
        receptor 4 (TLR4)": the abbreviation's first letter is the label's first letter."""
        defined: dict[str, Concept] = {}
        for m in DEFINITION_RE.finditer(text):
            abbreviation = m.group(1)
            if abbreviation in self._exact or term_key(abbreviation) in self._folded:
                continue  # already a label
            before = text[max(0, m.start() - 80) : m.start()].rstrip()
            found = [h for h in self.find(before) if h[2] == len(before)]
            if not found:
                continue
            concept, start, _ = found[-1]
            if before[start:start + 1].lower() == abbreviation[0].lower():
                defined.setdefault(abbreviation, concept)
        return defined
