"""Small text helpers every layer shares: one-line messages, control characters, the time
stamp format, typographic folding, sentence spans and clauses, superscript citation digits
and vocabulary term matching.
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


def older_than(timestamp: str | None, max_age_days: float | None, *, now: _dt.datetime | None = None) -> bool:
    """True when the ISO 8601 ``timestamp`` is more than ``max_age_days`` old, or cannot
    be read; ``max_age_days=None`` never expires."""
    if max_age_days is None:
        return False
    try:
        when = _dt.datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    current = now or _dt.datetime.now(_dt.UTC)
    if current.tzinfo is None:
        current = current.replace(tzinfo=_dt.UTC)
    return current - when > _dt.timedelta(days=max_age_days)


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

# A full stop after these never ends a sentence ("e.g. Crohn's", "Smith et al. reported",
# "Fig. 2", "approx. 30"); lower-cased, without the full stop.
_NEVER_END = frozenset({
    "e.g", "eg", "i.e", "ie", "cf", "viz", "vs", "approx", "ca", "fig", "figs", "incl", "resp",
    "eq", "ref", "refs", "ibid", "u.s", "u.k", "e.u",
})
# A full stop after these ends a sentence only when no number follows ("No. 5", "p. 12").
_BEFORE_NUMBER = frozenset({"no", "nos", "vol", "vols", "p", "pp", "ch", "sect", "art", "tab"})
# Titles before a name ("Dr. Smith"), matched as written (title case or lower case).
_TITLES = frozenset({
    "Dr", "Drs", "Mr", "Mrs", "Ms", "Mx", "Prof", "St", "Mt", "Sr", "Jr", "Rev", "Hon", "Gen",
    "Capt", "Lt", "Col", "Sgt", "dr", "mr", "mrs", "prof", "st",
})
_EMOJI = "\u2600-\u27bf\u2b50\u2b55\U0001f000-\U0001faff"
# The numbers of a citation marker: "3", "1,3", "2-4", "1, 4–6" (in brackets or parentheses).
MARKER_BODY = r"\d{1,5}(?:\s*[-–,]\s*\d{1,5})*"
# Citation markers with no brackets, which the sentence splitter keeps with the sentence
# before and the marker finder reads: a number glued to the stop ("pain.3", "pain.3,4") and
# bare numbers after it ("pain. 1 3", as AI answers cite), before what opens a sentence.
GLUED_MARKER = r"(?<=[A-Za-z][.!?])\d{1,3}(?:[,–-]\d{1,3})*"
BARE_MARKER = r"\d{1,3}(?:(?:[ \t]*,[ \t]*|[ \t]+)\d{1,3})*"
SENTENCE_OPENING = r"[\"“'‘(\[*_]*[A-Z]"
# Where a sentence may end: a run of full stops, question and exclamation marks or an
# ellipsis; an emoji ("today 🎉 Fibro"). A colon never ends one: "**Key point:** Text" is
# one sentence with its label.
# Then what still belongs to the sentence: closing quotes, brackets and emphasis marks, and
# citation markers set right after the stop ("pain.[3]", "pain.³", "pain.(3)", "pain.[^1]",
# "pain.3" when superscripts were lost).
_SENT_END_RE = re.compile(
    r"(?P<stop>(?:[.!?…])+|[" + _EMOJI + r"][\ufe0f\u200d" + _EMOJI + r"]*)"
    r"[\"”’'»)\]*_]*"
    rf"(?:\[\^[\w-]{{1,12}}\]|\[{MARKER_BODY}\]|\({MARKER_BODY}\)"
    rf"|[⁰¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹⁻,]*|{GLUED_MARKER})*"
    r"[\"”’'»)\]*_]*"
    r"(?=\s|$)"
)
# Citation markers set after the space that follows the stop: "pain. [3,4] Next", and
# the bare numbers AI answers cite with: "pain. 1 3 Next".
_SPACED_MARKER_RE = re.compile(rf"\s+(?:\[\^[\w-]{{1,12}}\]|\[{MARKER_BODY}\])+(?=\s|$)")
_BARE_NUMBERS_RE = re.compile(rf"\s+{BARE_MARKER}(?=\s*$|\s+{SENTENCE_OPENING})")
_NEXT_CHAR_RE = re.compile(r"\s*(\S)")
_EMPHASIS_CLOSED_RE = re.compile(r"\*\*|__")
# Words that open a sentence typed in lower case (chat, forums): never a unit's or an
# abbreviation's next word ("mg. daily", "et al. reported").
_LOWER_OPENER_RE = re.compile(
    r"(?:i|i'm|i've|i'd|what|how|why|when|where|who|does|do|did|is|are|can|could|should|"
    r"would|will|has|have|anyone|my|it's|thanks|thank)\b(?![-'’])"
)
# Who said or asked something, after it: '(Bernadette, Cork)' (a line may wrap inside).
ATTRIBUTION = r"\([^()\n.!?]{1,60}(?:\n[^()\n.!?]{1,40})?\)"
# … with nothing after it on its line.
_ATTRIBUTION_RE = re.compile(ATTRIBUTION + r"[ \t]*(?:\n|$)")
# What opens a sentence before its first letter: quotes, brackets, emphasis marks.
_OPENERS = "\"“‘'«([*_¿¡"
# Separators of run-in items ("Is it safe? · Can it help?"): never a sentence's first word.
_SEPARATORS = "·•"


def _word_before(text: str, lo: int, stop: int) -> str:
    """The word that ends at ``stop`` (looked at back to ``lo`` at most), without openers."""
    i = stop
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:stop].lstrip(_OPENERS)


def _previous_word(text: str, lo: int, before: int) -> str:
    """The word before the space that precedes ``before`` ("et" of "et al")."""
    i = before
    while i > lo and text[i - 1].isspace():
        i -= 1
    return _word_before(text, lo, i)


def _abbreviation_goes_on(word: str, text: str, lo: int, stop: int, nxt: str) -> bool:
    """Whether a full stop after ``word`` is an abbreviation's, not the sentence's end."""
    bare = word.rstrip(".")
    low = bare.lower()
    if low in _NEVER_END or (len(bare) == 1 and bare.isalpha()):
        return True  # "e.g.", "vs.", an initial ("Younger J.")
    if low == "al" and _previous_word(text, lo, stop - len(word)).lower() == "et":
        return True
    if low in _BEFORE_NUMBER and nxt.isdigit():
        return True
    return bare in _TITLES and nxt.isupper()


def _sentence_ends(text: str, m: re.Match[str], lo: int, end: int) -> int | None:
    """Where the sentence whose stop ``m`` matched ends (after the markers that belong to
    it), or None when the stop does not end a sentence. ``lo``: the current sentence start."""
    stop_text = m.group("stop")
    stop_end = m.end()
    cut = stop_end
    spaced = _SPACED_MARKER_RE.match(text, cut, end)
    if spaced:
        cut = spaced.end()
    elif stop_text[0] in ".!?…" and not (
        stop_text == "." and _word_before(text, lo, m.start("stop")).lower() in _BEFORE_NUMBER
    ):  # "Digest No. 41 (March …)": the number is the abbreviation's, no citation marker
        bare = _BARE_NUMBERS_RE.match(text, cut, end)
        if bare:
            cut = bare.end()
    following = _NEXT_CHAR_RE.match(text, cut, end)
    if following is None:
        return cut
    nxt = following.group(1)
    first = stop_text[0]
    j = following.start(1)
    while j < end and text[j] in _OPENERS:
        j += 1
    letter = text[j] if j < end else ""
    if j > following.start(1) and (letter.islower() or letter.isdigit()):
        return None  # an aside that is no sentence: "… fibro? (3 replies)"
    if nxt == "(" and (said := _ATTRIBUTION_RE.match(text, following.start(1), end)):
        return said.start() + said.group(0).index(")") + 1  # who said it: '… stop?" (Anon, Leeds)'
    if first not in ".!?…":  # an emoji
        if not any(ch.isalnum() for ch in text[lo : m.start()]):
            return None  # an emoji that opens the sentence: "⚠️ IMPORTANT: …"
        if nxt == "#":
            return cut  # hashtags after an emoji: "gone 🙌 #LDN"
        return cut if letter.isupper() else None
    if first in "!?" and "." not in stop_text:
        return cut  # "Really? yes" and "news!! 4.5mg here" end too
    if nxt.isdigit() and _EMPHASIS_CLOSED_RE.search(text, m.start("stop"), cut):
        return cut  # a bold run-in sentence, then figures: "**Start low.** 0.5 mg first"
    if stop_text == "." and nxt.islower() and _LOWER_OPENER_RE.match(text, following.start(1), end):
        # chat written in lower case: "… for my lupus. what does it do?"
        word = _word_before(text, lo, m.start("stop"))
        return None if _abbreviation_goes_on(word, text, lo, m.start("stop"), nxt) else cut
    if nxt.islower() or nxt.isdigit():
        return None  # "… mg. daily", "4.5", "Arthritis Rheum. 2013;65"
    if stop_text == "." and _abbreviation_goes_on(_word_before(text, lo, m.start("stop")), text, lo, m.start("stop"), nxt):
        return None
    return cut


_LINE_CLOSE_RE = re.compile(r"(?:[.!?…]+|[" + _EMOJI + r"][\ufe0f\u200d" + _EMOJI + r"]*)[\"”’'»)\]*_]*$")


def closes_sentence(text: str, start: int, end: int) -> bool:
    """Whether the line ``text[start:end]`` ends a sentence: a full stop, question or
    exclamation mark (closing quotes after it) or an emoji, not an abbreviation's stop
    ("e.g.", "vs.", an initial)."""
    m = _LINE_CLOSE_RE.search(text, start, end)
    if m is None or not any(ch.isalnum() for ch in text[start : m.start()]):
        return False
    if text[m.start()] != ".":
        return True
    return not _abbreviation_goes_on(_word_before(text, start, m.start()), text, start, m.start(), "a")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """``s:e`` without surrounding space, a leading run-in separator ("· Can it help?") and
    emphasis marks whose partner lies in another sentence ("*I am a coach. Ask first.*")."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e - s > 2 and text[s] in _SEPARATORS and text[s + 1].isspace():
        s += 2
        while s < e and text[s].isspace():
            s += 1
    for mark in ("**", "__", "*", "_"):
        if text.startswith(mark, s) and text.find(mark, s + len(mark), e) < 0:
            s += len(mark)
            break
    for mark in ("**", "__", "*", "_"):
        if e - s > len(mark) and text.startswith(mark, e - len(mark)) and text.rfind(mark, s, e - len(mark)) < 0:
            e -= len(mark)
            break
    return s, e


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (trimmed of surrounding space).

    A sentence ends at a full stop, question or exclamation mark, ellipsis (or an emoji
    before a capital) followed by a capital, a quote or the end; not after an abbreviation
    ("e.g.", "et al.", "Dr.", an initial) or before a lower-case word or a number. Closing
    quotes, brackets and emphasis marks after the stop, and citation markers placed after
    it ("pain.[3]", "pain.³", "pain. [3,4]", "pain. 1 3"), belong to the sentence before. A
    unit ("4.5 mg. Next") ends a sentence before a capital. Line breaks are spaces.

    Linear in the length of the span: each character is looked at a bounded number of
    times, however long the line (a 5 MB paragraph is one block).
    """
    cuts: list[tuple[int, int]] = []
    cursor = start
    for m in _SENT_END_RE.finditer(text, start, end):
        if m.start() < cursor:
            continue  # inside markers already taken into the sentence before
        cut = _sentence_ends(text, m, cursor, end)
        if cut is None:
            continue
        cuts.append((cursor, cut))
        cursor = cut
    cuts.append((cursor, end))
    out: list[tuple[int, int]] = []
    for s, e in cuts:
        s, e = _trim(text, s, e)
        if e > s:
            out.append((s, e))
    return _join_single_words(text, out)


# A sentence of one word: "No.", "Yes!" (quotes and emphasis aside; "How?" is a question
# of its own).
_ONE_WORD_RE = re.compile(r"[\"“‘'*_]*[A-Za-z]{1,12}[.!…]+[\"”’'*_]*")


def _join_single_words(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A one-word "sentence" after a question is no sentence of its own: it answers the
    question ("Is it a cure? No.")."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and _ONE_WORD_RE.fullmatch(text, s, e) and text[out[-1][0] : out[-1][1]].rstrip("\"”’'*_) ").endswith("?"):
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


# Where a contrasting clause begins: "…, although others noticed no change".
_CONTRAST_CLAUSE_RE = re.compile(
    r"[,;][\"“”'’]?\s*[\"“”'’]?(?:although|though|but|while|whereas|yet)\b|\s(?:although|whereas)\b"
    # another study's or person's result: "…; a second found no difference", "…, others found little change"
    r"|[,;:]\s*(?:(?:a|the)\s+second|another|others|the\s+others?|other\s+(?:studies|trials|people|patients|members))\b",
    re.I)


def same_clause(text: str, a: int, b: int) -> bool:
    """Whether positions ``a`` and ``b`` of a sentence lie in one clause: no contrasting
    clause ("…, although others have noticed no change") or another study's result ("…; a
    second found no difference") begins between them."""
    lo, hi = min(a, b), max(a, b)
    return _CONTRAST_CLAUSE_RE.search(text, lo, hi) is None
