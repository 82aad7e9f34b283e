"""Instance IRIs of the graph, minted from hashes, PMIDs and percent-encoded slugs, never
from raw user text (which is kept as a literal), so every store accepts them and the same
input always gets the same IRI.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import quote

from ldn_graph.errors import InputError
from ldn_graph.model import AuditResult, Claim, Concept, Record, Reference, RunInfo
from ldn_graph.rdf.namespaces import INSTANCES
from ldn_graph.text import replace_unsafe

# RFC 3987: characters never allowed in an IRI (plus controls and spaces).
_IRI_BAD_RE = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_IRI_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]")
_GRAPH_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]+$")


def slug(text: str) -> str:
    """A percent-encoded IRI segment (never raw user text)."""
    return quote(replace_unsafe(text), safe="")


def short_hash(*parts: str, n: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:n]


def safe_iri(iri: str) -> str:
    """An IRI every RDF store accepts, for IRIs that come from outside (a vocabulary file).

    Characters RFC 3987 forbids are percent-encoded; something that is not an absolute
    IRI at all is replaced by a hash IRI under the instance namespace.
    """
    text = replace_unsafe(str(iri)).strip()
    if not _IRI_SCHEME_RE.match(text):
        return f"{INSTANCES}concept/{short_hash(str(iri))}"
    if _IRI_BAD_RE.search(text) is None:
        return text
    return _IRI_BAD_RE.sub(lambda m: quote(m.group(0), safe=""), text)


def validate_graph_iri(iri: str) -> str:
    """A named-graph IRI given by the user, checked (never silently rewritten)."""
    if not _GRAPH_IRI_RE.match(iri or ""):
        raise InputError(
            f"--graph {iri!r} is not an absolute IRI; use something like https://example.org/graph/ldn"
        )
    return iri


def document_iri(doc_sha256: str) -> str:
    return f"{INSTANCES}document/{doc_sha256[:16]}"


def claim_iri(doc_sha256: str, claim: Claim) -> str:
    """A claim of a document: the document's hash and the claim's id (which names the
    sentence and concept, the same in every document), its ``:`` kept."""
    return f"{INSTANCES}claim/{doc_sha256[:16]}-{quote(replace_unsafe(claim.id), safe=':')}"


def assessment_iri(doc_sha256: str, claim: Claim) -> str:
    return f"{INSTANCES}assessment/{claim_iri(doc_sha256, claim).rsplit('/', 1)[1]}"


def finding_iri(doc_sha256: str, n: int, kind: str) -> str:
    """The ``n``-th finding of a document."""
    return f"{INSTANCES}finding/{doc_sha256[:16]}-{n}-{slug(kind)}"


def study_iri(pmid: str) -> str:
    return f"{INSTANCES}pubmed/{pmid}"


def record_iri(record: Record) -> str:
    key = record.provenance.sha256 or short_hash(record.provenance.origin, record.provenance.retrieved_at)
    return f"{INSTANCES}record/{record.study.pmid}-{key[:16]}"


def reference_iri(doc_sha256: str, ref: Reference) -> str:
    return f"{INSTANCES}reference/{doc_sha256[:16]}-{short_hash(ref.label, n=12)}"


def source_iri(url: str) -> str:
    return f"{INSTANCES}source/{short_hash(url)}"


def journal_iri(title: str) -> str:
    return f"{INSTANCES}journal/{short_hash(title.casefold())}"


def concept_iri(concept: Concept) -> str:
    return safe_iri(concept.iri)


def vocabulary_entity_iri(sha256: str) -> str:
    return f"{INSTANCES}vocabulary/{sha256[:16]}"


def run_iri(run: RunInfo, doc_sha256s: Iterable[str]) -> str:
    return f"{INSTANCES}run/{short_hash(run.generated_at, *doc_sha256s)}"


def build_iri(started: str, records: int) -> str:
    """The activity of a store build from the cache, started at ``started`` over ``records`` records."""
    return f"{INSTANCES}build/{short_hash(started, str(records))}"


def agent_iri(tool_version: str) -> str:
    return f"{INSTANCES}software/ldn-graph/{slug(tool_version)}"


def graph_iri(doc_sha256s: Iterable[str]) -> str:
    """The default named graph of a set of inputs: a hash of their sorted sha256s.

    The same documents give the same graph IRI whatever their paths or order, so pushing
    them again replaces the graph instead of adding a second copy.
    """
    shas = sorted(set(doc_sha256s))
    return f"{INSTANCES}graph/{short_hash(*shas, n=32) if shas else 'empty'}"


def result_graph_iri(result: AuditResult) -> str:
    return graph_iri(d.document.sha256 for d in result.documents)
