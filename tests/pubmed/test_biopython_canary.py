"""Canary: the Biopython internals ldn_graph/pubmed/eutils/biopython.py relies on.

ldn-graph routes Bio.Entrez's requests and refuses its DTD downloads by swapping private
module globals while one of its calls runs (see that module's docstring). pyproject.toml
bounds Biopython below its next minor version; this test is what whoever raises the
bound runs first. It fails with one line per internal that moved, saying what ldn-graph
uses it for, so the fix is a change in eutils/biopython.py, not a silent regression
(requests going to NCBI instead of LDN_GRAPH_EUTILS_URL, no timeout, DTDs downloaded
into the cache, Biopython's own retries and pauses back).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from types import CodeType, FunctionType

import Bio
from Bio import Entrez
from paths import ROOT

from ldn_graph import settings
from ldn_graph.pubmed.eutils import biopython

MODULE = "ldn_graph/pubmed/eutils/biopython.py"


def _code(obj: object) -> CodeType:
    func = obj.__func__ if hasattr(obj, "__func__") else obj  # type: ignore[attr-defined]
    assert isinstance(func, FunctionType), obj
    return func.__code__


def _names(obj: object) -> set[str]:
    """Globals and attributes a function's code looks up."""
    return set(_code(obj).co_names)


def _strings(obj: object) -> list[str]:
    """The string constants of a function (f-string pieces included)."""
    return [c for c in _code(obj).co_consts if isinstance(c, str)]


def _parser() -> object:
    biopython.schema_cache(settings.state_dir())  # before Bio.Entrez.Parser is imported
    from Bio.Entrez import Parser

    return Parser


def _uses_urlopen_global(func_name: str) -> bool:
    parser = _parser()
    handler = parser.DataHandler  # type: ignore[attr-defined]
    return hasattr(parser, "urlopen") and "urlopen" in _names(getattr(handler, func_name))


# (what must hold, what ldn-graph uses it for, the check)
INTERNALS: list[tuple[str, str, Callable[[], bool]]] = [
    ("Bio.Entrez._open calls the module global `urlopen` (Bio.Entrez.urlopen)",
     "routing every request to LDN_GRAPH_EUTILS_URL with a timeout (_routed swaps it)",
     lambda: hasattr(Entrez, "urlopen") and "urlopen" in _names(Entrez._open)),
    ("Bio.Entrez._open.previous exists and _open reads it",
     "switching off Biopython's per-process pause (the shared rate limiter spaces requests)",
     lambda: hasattr(Entrez._open, "previous") and "previous" in _names(Entrez._open)),
    ("Bio.Entrez.max_tries exists and _open reads it",
     "switching off Biopython's instant retries (the client retries with backoff)",
     lambda: isinstance(getattr(Entrez, "max_tries", None), int)
     and "max_tries" in _names(Entrez._open)),
    ("Bio.Entrez.local_cache exists and DataHandlerMeta reads it when Bio.Entrez.Parser "
     "is imported",
     "keeping Biopython's DTD cache under LDN_GRAPH_STATE (an unwritable HOME must not matter)",
     lambda: hasattr(Entrez, "local_cache")
     and "local_cache" in _names(_parser().DataHandlerMeta.__init__)),  # type: ignore[attr-defined]
    ("Bio.Entrez.Parser.DataHandler.directory is settable and makes local_dtd_dir",
     "moving the DTD cache when Bio.Entrez.Parser was imported before ldn-graph",
     lambda: isinstance(vars(_parser().DataHandlerMeta).get("directory"), property)  # type: ignore[attr-defined]
     and hasattr(_parser().DataHandler, "local_dtd_dir")),  # type: ignore[attr-defined]
    ("Bio.Entrez.Parser.DataHandler.externalEntityRefHandler downloads DTDs with the "
     "module global `urlopen` (Bio.Entrez.Parser.urlopen)",
     "refusing DTD downloads (_refuse_download), so an HTML error page is never saved as a DTD",
     lambda: _uses_urlopen_global("externalEntityRefHandler")),
    ("Bio.Entrez.Parser.DataHandler.schemaHandler downloads XSDs with Bio.Entrez.Parser.urlopen",
     "refusing XSD downloads (_refuse_download)",
     lambda: _uses_urlopen_global("schemaHandler")),
    ("a missing DTD raises RuntimeError('Failed to access <file> at <url>')",
     "the error naming the DTD and the folder to put it in (biopython.read, _DTD_FAILURE_RE)",
     lambda: any(s.startswith("Failed to access ")
                 for s in _strings(_parser().DataHandler.externalEntityRefHandler))),  # type: ignore[attr-defined]
    ("Bio.Entrez.Parser has CorruptedXMLError, NotXMLError and ValidationError",
     "telling a cut reply (retried) from a tag newer than the DTD (read again, validate=False)",
     lambda: all(hasattr(_parser(), n)
                 for n in ("CorruptedXMLError", "NotXMLError", "ValidationError"))),
    (f"each E-utility function builds its URL from {biopython.NCBI_BASE_URL}",
     "EutilsRedirectHandler rewriting that prefix to LDN_GRAPH_EUTILS_URL",
     lambda: all(any(s.startswith(biopython.NCBI_BASE_URL) for s in _strings(func))
                 for func in biopython.UTILITIES.values())),
    ("Bio.Entrez._construct_params warns 'Email address is not specified.'",
     "silencing that warning (ldn-graph logs its own hint about NCBI_EMAIL)",
     lambda: any("Email address is not specified" in s
                 for s in _strings(Entrez._construct_params))),
]


def _bound() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [spec] = [d for d in pyproject["project"]["dependencies"] if d.startswith("biopython")]
    found = re.search(r"<\s*([\d.]+)", spec)
    assert found, f"pyproject.toml: {spec!r} has no upper bound; bound it below the next minor"
    return found.group(1)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:2])


def test_biopython_internals_ldn_graph_patches_are_where_it_expects_them() -> None:
    moved = [f"- {what}\n    (used for: {purpose})"
             for what, purpose, holds in INTERNALS if not _safe(holds)]
    assert not moved, (
        f"Biopython {Bio.__version__} moved internals that {MODULE} relies on:\n"
        + "\n".join(moved)
        + f"\nAdapt {MODULE} to the new Biopython (or keep the bound "
        f"biopython<{_bound()} in pyproject.toml), then run tests/pubmed and "
        "tests/robustness/test_xml_and_dtds.py."
    )


def test_installed_biopython_is_inside_the_bound() -> None:
    bound = _bound()
    assert _version(Bio.__version__) < _version(bound), (
        f"Biopython {Bio.__version__} is installed, but pyproject.toml bounds it below {bound}. "
        f"Before raising the bound, check every internal listed in {__name__} against the new "
        f"release ({len(INTERNALS)} of them: Bio.Entrez.urlopen, _open.previous, max_tries, "
        "local_cache, Parser.urlopen, Parser.DataHandler.directory, the DTD-failure message, "
        "the Parser errors, the hard-coded E-utilities URL, the e-mail warning)."
    )


def _safe(check: Callable[[], bool]) -> bool:
    try:
        return bool(check())
    except (AttributeError, AssertionError, TypeError):
        return False
