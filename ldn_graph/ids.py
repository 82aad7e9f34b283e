"""Identifiers of the literature: PMID, PMCID, DOI and MeSH UI — one rule and one parse
function each. Every pattern that captures or validates one of them lives here.

A PMID is 1 to 9 digits without a leading zero (PubMed's own form); the client, the cache,
the citation finder and the graph all use :func:`parse_pmid` / :data:`PMID` so they agree.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from ldn_graph.errors import InputError

#: The digits of a PMID, for building larger patterns.
PMID = r"[1-9][0-9]{0,8}"
#: The digits of a PMCID after ``PMC``.
PMCID_DIGITS = r"[0-9]{4,9}"

_PMID_RE = re.compile(PMID)
_PMCID_RE = re.compile(rf"PMC({PMCID_DIGITS})", re.I)
_MESH_UI_RE = re.compile(r"[A-Z][0-9]{6,9}")

#: ``PMID: 123``, ``PMID 123``, ``pmid:123`` in running text; group ``pmid``.
PMID_LABEL_RE = re.compile(rf"\bPMID\s*:?\s*(?P<pmid>{PMID})\b", re.I)

#: A link to a PubMed record: pubmed.ncbi.nlm.nih.gov/N, ncbi.nlm.nih.gov/pubmed/N (both
#: also as ``?term=N``), europepmc.org/article/MED/N and europepmc.org/abstract/MED/N; group ``pmid``.
PUBMED_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/(?:\?term=)?|ncbi\.nlm\.nih\.gov/pubmed/?(?:\?term=)?|"
    r"europepmc\.org/(?:article|abstract)/MED/)"
    rf"(?P<pmid>{PMID})\b",
    re.I,
)

#: A PMCID in running text (``PMC1234567``); group ``pmcid``.
PMCID_RE = re.compile(rf"\b(?P<pmcid>PMC{PMCID_DIGITS})\b")

#: A link to a PubMed Central article: pmc.ncbi.nlm.nih.gov/articles/PMCn,
#: www.ncbi.nlm.nih.gov/pmc/articles/PMCn, europepmc.org/article/PMC/PMCn; group ``pmcid``.
PMC_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|ncbi\.nlm\.nih\.gov/pmc/articles/|europepmc\.org/(?:article|abstract)/PMC/)"
    rf"(?P<pmcid>PMC{PMCID_DIGITS})\b",
    re.I,
)

#: A DOI, bare, as ``doi:`` or as a doi.org link; group ``doi`` (trailing punctuation is
#: the caller's to trim with :func:`clean_doi`).
DOI_RE = re.compile(
    r"\b(?:doi:\s*|doi\s+|https?://(?:dx\.)?doi\.org/)?(?P<doi>10\.[0-9]{4,9}(?:/|%2F)[^\s\"“”<>]+)", re.I
)

#: The labels that introduce an identifier in a citation (``PMID:``, ``PMCID:``, ``doi:``).
ID_LABEL_RE = re.compile(r"\b(?:PMID|PMCID|doi)\s*:?\s*\S+", re.I)


def identifiers_in(text: str) -> list[tuple[str, str, int, int]]:
    """Every PMID, PMCID and DOI written in ``text``, in reading order, as (kind, value,
    start, end) with kind ``pmid``, ``pmcid`` or ``doi``: PubMed and Europe PMC links and
    "PMID: N"; PMC links and bare PMCIDs (upper case); DOIs in every form (as written,
    without the punctuation after them). A PMCID or DOI inside a link is the link's."""
    found: list[tuple[str, str, int, int]] = []
    for regex, kind in ((PUBMED_URL_RE, "pmid"), (PMID_LABEL_RE, "pmid"), (PMC_URL_RE, "pmcid"), (PMCID_RE, "pmcid")):
        for m in regex.finditer(text):
            found.append((kind, m.group(kind).upper() if kind == "pmcid" else m.group(kind), m.start(), m.end()))
    for m in DOI_RE.finditer(text):
        found.append(("doi", clean_doi(m.group("doi")), m.start(), m.end()))
    found.sort(key=lambda f: (f[2], -f[3]))
    out: list[tuple[str, str, int, int]] = []
    for item in found:
        if not out or item[2] >= out[-1][3]:
            out.append(item)
    return out


def identifier_key(kind: str, value: str) -> str:
    """One name for one identifier however it was written: ``"pmid:123"``,
    ``"pmcid:PMC123"``, ``"doi:10.1002/art.37734"`` (a DOI is case-insensitive)."""
    return f"{kind}:{value.lower() if kind == 'doi' else value}"


def is_pmid(value: object) -> bool:
    """True for a ``str`` that is exactly a PMID."""
    return isinstance(value, str) and _PMID_RE.fullmatch(value) is not None


def parse_pmid(value: object) -> str | None:
    """The PMID in ``value`` (surrounding whitespace allowed, nothing else), or ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if _PMID_RE.fullmatch(value) else None


def validate_pmid(value: object) -> str:
    """``value`` when it is a PMID (a ``str``); :class:`InputError` otherwise."""
    if not is_pmid(value):
        shown = repr(value)[:40]
        raise InputError(
            f"invalid PMID {shown}: a PMID is 1 to 9 digits without a leading zero, e.g. '23359310'"
        )
    return value  # type: ignore[return-value]


def parse_pmcid(value: object) -> str | None:
    """``"pmc123456"`` / ``"PMC123456"`` → ``"PMC123456"``; anything else → ``None``."""
    if not isinstance(value, str):
        return None
    m = _PMCID_RE.fullmatch(value.strip())
    return f"PMC{m.group(1)}" if m else None


def clean_doi(doi: str) -> str:
    """A DOI or URL as found in text, without the punctuation that closes the sentence or
    bracket around it; a DOI's percent-encoded slash ("10.1002%2Fart.37734") decoded."""
    doi = doi.rstrip(".,;:)]}’'\"*_")
    if doi.startswith("10.") and "%" in doi:
        doi = unquote(doi)
    return doi


def is_mesh_ui(value: object) -> bool:
    """True for a MeSH unique identifier (``D009271``, ``Q000000981``, ``C000603933``)."""
    return isinstance(value, str) and _MESH_UI_RE.fullmatch(value) is not None
