"""Roles told from a segment's own words, whatever the format: a keywords or byline
line is metadata, "not medical advice" is a disclaimer, "Back to top" or a row of
links is navigation, "Figure 2." opens a caption.

The cues are general conventions of web pages, leaflets, e-mails and forums, not the
wording of any one page; a segment none of them fits keeps the role its block gave it.
"""

from __future__ import annotations

import re

from ldn_graph.terms import SegmentRole

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

# A written-out date: "May 12, 2026", "12 May 2026".
_DATE = rf"(?:{_MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\.?\s+\d{{4}})"

_METADATA_RE = re.compile(
    # labelled fields: "Keywords:", "Subject:", "From:" (the colon is needed: "To start, …")
    r"^\W*(?:keywords?|key words|tags?|categor(?:y|ies)|topics?|subject|from|to|sent|cc|date|"
    r"authors?|source|updated|published|thread|forum|board|re|fwd?)\s*:"
    # and those that say what they are without one: "Posted by", "Reviewed by"
    r"|^\W*(?:posted (?:by|on|in)|published (?:by|on)|filed under|tagged|last (?:reviewed|updated|modified)|"
    r"(?:medically |clinically )?reviewed by|written by|member since|next review due|shared from|reading time)\b"
    # a forum thread's counters: "Replies: 11 | Views: 4,906 | Tags: …"
    r"|^\W*(?:replies|views|posts|likes|reactions|joined)\s*:\s*[\d,]+\b"
    # … or as a field between separators: "Started by kat | 12 replies | 1,947 views"
    r"|^\W*started by\b|(?:^|[|·]\s*)[\d,]+\s+(?:replies|views)\s*(?:[|·]|$)"
    # a document's version as its control line's last field: "ER-26/031 | … | Version 1.0"
    r"|[|·]\s*version\s+\d+(?:\.\d+)*\W*$"
    # a line of hashtags
    r"|^\W*(?:#\w+[\s·,|]*){1,}$"
    r"|\b\d+\s*min(?:ute)?s?\s+read\b"
    # a quoted message's header: "On 10 Mar 2025, Dan <dan@…> wrote:", "thistle_and_tea wrote:"
    r"|\bwrote:\s*$"
    # an author's affiliation: "¹ Department of Pain Medicine, … Hospital"
    r"|^\W{0,3}(?:[\d¹²³⁴⁵⁶⁷⁸⁹*†‡]+\s*)?(?:department|division|school|faculty|institute|centre|center|unit) of\b",
    re.I,
)
# A byline: "By Jane Doe, editor", "*By the editorial team ·" (names are capitalised:
# "By blocking receptors, …" is a sentence).
_BYLINE_RE = re.compile(
    r"^\W*[Bb]y\s+(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*(?:,|·|\||\*|$)"
    r"|the\s+\w+(?:\s+\w+){0,4}\s+(?:team|staff|desk|panel|board)\b)"
)
# A short line that is mostly a date, a place and a date, or a name and a town.
_DATELINE_RE = re.compile(
    rf"^(?=.{{0,80}}$)[^!?]*?\b(?:{_DATE}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    # an issue's date after a separator: "… | Spring 2026", "· Issue 14, March 2026"
    rf"|(?<=[|·•–—] )(?:issue\s+\d+,?\s+)?(?:{_MONTH}|spring|summer|autumn|fall|winter)\s+\d{{4}})\W*$",
    re.I,
)
# A news dateline opening a story's first paragraph: "PORTLAND, Maine, February 10, 2026
# -- ", "AUSTIN, Texas, May 12, 2026 /Pharmacy Newswire/ -- ", "CARDIFF, Wales - ". The
# place is in capitals; the date and the wire are optional; a dash parts it from the story.
_DATELINE_PREFIX_RE = re.compile(
    r"[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,3}(?:,[ \t]*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,2}){0,2}"
    rf"(?:,?[ \t]*(?i:{_DATE}))?"
    r"(?:[ \t]*(?:\([^()\n]{1,40}\)|/[^/\n]{1,40}/))?"
    r"(?P<end>)[ \t]+(?:--|—|–|-)[ \t]+(?=[\"“‘]?[A-Z])"
)


def dateline(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a dateline opening ``text[start:end]`` ends and its story starts, or None. The
    place needs a region, a date or a wire after it ("LDN - A guide" is no dateline)."""
    m = _DATELINE_PREFIX_RE.match(text, start, end)
    if m is None or not any(ch in text[start : m.start("end")] for ch in ",)/"):
        return None
    return m.start("end"), m.end()
# A person's name and age, with at most a few short fields after it and no verb: the
# attribution under a testimonial or a photo ("Dev, 44, secondary progressive MS", "— Rosa,
# 52, Ohio", "Anh, 55 · Hashimoto's"); "Tom, 34, has had Crohn's since …" is a sentence.
_ATTRIBUTION_RE = re.compile(
    r"^(?=.{0,90}$)\W{0,3}(?:[A-Z][a-z'’-]+\.?(?:[ \t]+[A-Z][a-z'’-]*\.?){0,2}|[A-Z]{1,3}),[ \t]*\d{2}\b(?![.,]\d)"
    r"(?:[ \t]*[,·|•][ \t]*(?:(?!\b(?:is|was|were|are|has|had|have|takes?|took|says?|said|started|uses?|used|tried|"
    r"feels?|felt|gets?|got)\b)[^.!?\n]){1,40}){0,3}[.!]?\W{0,3}$"
)
_NAVIGATION_RE = re.compile(
    r"^\W*(?:skip to|back to (?:top|the top)|read more|related (?:posts|articles|reading|links|pages)|"
    r"see also|follow us|who to follow|trending|unsubscribe|sign in|log in|register|subscribe|"
    r"share (?:this|on)|print this|we use cookies|this (?:site|website) uses cookies|page \d+ of \d+|"
    r"previous (?:post|article)|next (?:post|article)|reply\s*\|"
    # a chat assistant's offer to go on: "Would you like me to …", "Let me know if …"
    r"|would you like me to|shall i|let me know if you(?:'d| would)? like|if you(?:'d| would) like,? i can)"
    r"|\bpage \d+ of \d+\W*$",
    re.I,
)
# Separators of menus and breadcrumbs: "Home | About | Contact", "Guides › Treatments".
_SEPARATOR_RE = re.compile(r"\s[|·›»>/]\s|\s\|\s|\|")
_DISCLAIMER_RE = re.compile(
    r"\bnot (?:intended as |meant as |to be taken as |a substitute for )?(?:medical|professional|veterinary) advice\b"
    r"|\bis not (?:a )?substitute for\b|\bnothing (?:in|on) this \w+ is\b"
    r"|\b(?:does not|doesn't|do not|is not meant to|is not intended to|not intended to) replace\s+(?:the\s+|a\s+|any\s+)?"
    r"(?:advice|consultations?|clinical judg(?:e)?ment|(?:a\s+)?talk|(?:your|a) (?:own\s+)?(?:doctor|clinician|pharmacist|healthcare|gp|vet)|professional)"
    r"|\bfor (?:general )?(?:education(?:al)?|information(?:al)?) (?:purposes|use)\b"
    r"|\bis (?:for )?general (?:information|education)\b"
    r"|\bnot (?:been )?(?:reviewed|evaluated|approved) by the (?:fda|food and drug administration|mhra|ema)\b"
    r"|\bnot (?:fda|mhra|ema)[- ]approved\b|\bhas not been approved by\b"
    # a sentence about licensing: "LDN is not licensed for fibromyalgia in the UK"
    r"|^\W*(?:[\w-]+\s+){0,4}(?:is|are|remains?)\s+(?:not\s+(?:licensed|approved|authori[sz]ed)|unlicensed)\b"
    r"|\b(?:i'm|i am|we are|we're)\s+(?:(?:just\s+)?an?\s+[\w-]+(?:\s+[\w-]+)?,?\s+)?not\s+(?:a\s+)?"
    r"(?:doctors?|physicians?|medical professionals?|clinicians?|vets?)\b"
    r"|\bwe are not doctors\b|\bi am an ai\b|\bgenerated by an ai\b"
    r"|\bconfidential and intended\b|\ball rights reserved\b|^\W*(?:©|copyright\b)"
    r"|\bresults (?:may )?vary\b|\btestimonials? reflect\b|\bnot for (?:citation|circulation)\b"
    r"|^\W*(?:disclaimer|standard disclaimer|usual warning|moderator'?s note|mod note|forum rules|legal notice)\b",
    re.I,
)
_CAPTION_RE = re.compile(r"^\W*(?:figure|fig\.|table|chart|image|photo|graph|box)\s*\d+[a-z]?\s*[.:|—–-]", re.I)

# A short label and the address it names, on one line: "NHS - Fibromyalgia: https://…".
_LABELLED_ADDRESS_RE = re.compile(r"^(?:(?![.!?]\s+[A-Z])[^\n]){1,120}?(?::|\s[-–—])\s*(?:https?://|www\.)\S+\s*$")

_CUES: tuple[tuple[SegmentRole, re.Pattern[str]], ...] = (
    (SegmentRole.DISCLAIMER, _DISCLAIMER_RE),
    (SegmentRole.CAPTION, _CAPTION_RE),
    (SegmentRole.NAVIGATION, _NAVIGATION_RE),
    (SegmentRole.METADATA, _METADATA_RE),
    (SegmentRole.METADATA, _DATELINE_RE),
    (SegmentRole.METADATA, _BYLINE_RE),
    (SegmentRole.METADATA, _ATTRIBUTION_RE),
    (SegmentRole.LINK_TEXT, _LABELLED_ADDRESS_RE),
)


# A bibliographic entry: an optional label ("Read the abstract:") or number, a first author as "Surname AB," (Vancouver)
# or "Surname, A. B." (APA), and the marks of a citation: a year with a volume, pages, a
# PMID or a DOI.
_FIRST_AUTHOR_RE = re.compile(
    r"^\W{0,3}(?:[A-Z][\w ]{0,30}:\s+)?(?:\[?\d{1,4}[.)\]]?\s*)?[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?"
    r"(?:\s+[A-Z]{1,3}|,\s+(?:[A-Z]\.\s*){1,3})(?:,|\.|\s+et al\b|\s+and\s+(?:colleagues|co-workers|coworkers)\b|\s*&)"
)
_CITATION_MARKS_RE = re.compile(
    r"\b(?:19|20)\d\d\b.*?(?:;\s*\d+|\d+\s*\(\d+\)|:\s*\d+\s*[-–]\s*\d+|\bpmid\b|\bdoi\b)"
    r"|\bpmid:?\s*\d|\bdoi:?\s*10\.",
    re.I,
)


def is_reference_entry(text: str) -> bool:
    """Whether a whole paragraph or list item is a bibliographic reference."""
    return bool(_FIRST_AUTHOR_RE.match(text)) and bool(_CITATION_MARKS_RE.search(text[:2000]))


def _is_menu(text: str) -> bool:
    """A row of short pieces between separators, with no sentence in it: a menu or a
    breadcrumb trail."""
    if text.lstrip().startswith("|"):
        return False  # a table row ("| LDN | 1.5–4.5 mg | … |"), not a menu
    pieces = [p for p in _SEPARATOR_RE.split(text) if p.strip()]
    if len(pieces) < 3 or text.rstrip().endswith((".", "!", "?", ";")):
        return False
    if sum(1 for p in pieces if not any(ch.isdigit() for ch in p)) < 3:
        return False  # "1.5 mg | 3 mg | 4.5 mg" is a row of values, not of links
    return sum(len(p.split()) for p in pieces) <= 4 * len(pieces)


_FIELD_SEPARATOR_RE = re.compile(r"\s[·•|]\s")
# A signature's field saying since when: "since 2021", "diagnosed 2009", "Dx: …", "RRMS 2018"
# (a diagnosis and its year).
_SINCE_RE = re.compile(r"\b(?:since|diagnosed(?:\s+in)?)\s+(?:(?:19|20)\d\d|[A-Z][a-z]{2,8}\.?\s+(?:19|20)\d\d)\b|^\W*Dx\b"
                       r"|^\W*[\w/'’-]{2,12}\s+(?:19|20)\d\d\W*$"
                       # a condition and its year with a note: "Hashimoto's 2012 + ME", "ME/CFS (moderate) 2019", "LC (2021)"
                       r"|^\W*[\w/'’-]{2,12}(?:\s+\([\w\s]{1,12}\))?\s+\(?(?:19|20)\d\d\)?(?:\s*\+\s*[\w/'’-]{2,12})?\W*$"
                       # … and more conditions after it: "Crohn's 2009, fibro 2023", "fibro 2021, ?ME"
                       r"|^\W*[\w/'’-]{2,12}\s+(?:19|20)\d\d(?:\s*,\s*\??[\w/'’-]{2,12}(?:\s+(?:19|20)\d\d)?)+\W*$"
                       # a diagnosis's year or how long it has lasted: "RRMS dx 2012", "Crohn's 30 yrs"
                       r"|\bdx\s+(?:19|20)\d\d\b|\b\d{1,2}\s*(?:yrs?|years)\W*$")
# A signature's medicine and the dose its writer takes, a field of its own: "LDN 4.5 mg mornings",
# "levo 75 mcg". It marks a signature only where no field is a schedule's step ("Weeks 3–4 |
# LDN 3 mg | at bedtime" is a row of a dosing table written without its bars).
_OWN_DOSE_RE = re.compile(r"^\W*[A-Za-z][\w-]{1,15}\s+\d+(?:\.\d+)?\s*(?:mg|mcg|µg)\b(?:\s+[a-z]+)?\W*$")
_STEP_RE = re.compile(r"\b(?:weeks?|days?|months?|nights?|steps?|stages?)\s*\d", re.I)


def _is_signature(text: str) -> bool:
    """A forum signature: three short fields or more between "·" or "|", no sentence in
    them, one saying since when ("ME/CFS since 2021 · LDN 3 mg since Sept 2024 · …",
    "Dx: Hashimoto's 2015 | LDN since Aug 2023 | 3 mg", "RRMS 2018 · Copaxone · LDN 2 mg",
    "RRMS dx 2012 | Ocrevus | …") or the writer's own medicine and dose outside a schedule
    ("Hashimoto's | levo 75 mcg | LDN 3 mg | gluten-free and grumpy")."""
    if text.lstrip().startswith("|") or text.rstrip().endswith((".", "!", "?", ";")):
        return False  # a table row, or prose
    pieces = [p for p in _FIELD_SEPARATOR_RE.split(text) if p.strip()]
    if len(pieces) < 3 or any(len(p.split()) > 10 for p in pieces):
        return False
    return any(_SINCE_RE.search(p) for p in pieces) or (
        any(_OWN_DOSE_RE.match(p) for p in pieces) and not any(_STEP_RE.search(p) for p in pieces))


def is_metadata(text: str) -> bool:
    """Whether ``text`` is a field by its own words (a byline, a date line, keywords): the
    metadata cues of :func:`role_of_text` alone, cheap enough to ask of every line."""
    head = text[:400]
    return any(pattern.search(head) for role, pattern in _CUES if role == SegmentRole.METADATA)


# Every disclaimer cue holds one of these (lower case): a segment with none of them skips
# the long pattern, the costliest of the cues.
_DISCLAIMER_WORDS = (
    "not", "replace", "education", "information", "licensed", "an ai", "confidential", "rights reserved",
    "©", "copyright", "vary", "testimonial", "disclaimer", "warning", "rules",
)


def role_of_text(text: str) -> SegmentRole | None:
    """The role ``text``'s own words give it, or None to keep its block's role."""
    head = text[:400]  # every cue is in a segment's opening (long text is prose)
    lowered = head.lower()
    for role, pattern in _CUES:
        if pattern is _DISCLAIMER_RE and not any(word in lowered for word in _DISCLAIMER_WORDS):
            continue
        if pattern.search(head):
            return role
    if _is_signature(head):  # before menus: a signature's fields are short pieces between separators too
        return SegmentRole.METADATA
    if _is_menu(head):
        return SegmentRole.NAVIGATION
    return None
