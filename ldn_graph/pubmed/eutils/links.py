"""ELink (citation links between PubMed records) and ECitMatch (citation → PMID).

Requests go through the client's :meth:`~ldn_graph.pubmed.eutils.api.Transport.request`
(retries, rate limit). ELink replies are read with Bio.Entrez; ECitMatch answers plain
text, read here. Ids and citation keys that went wrong are in ``client.last_errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ldn_graph.errors import InputError
from ldn_graph.ids import is_pmid
from ldn_graph.pubmed.eutils import biopython
from ldn_graph.pubmed.eutils.api import Transport
from ldn_graph.pubmed.eutils.replies import Transient, body_problem, error_texts
from ldn_graph.text import one_line

__all__ = ["ecitmatch", "elink"]

_CITATION_FIELDS = ("journal_title", "year", "volume", "first_page", "author_name")


def elink(client: Transport, pmids: Iterable[str], linkname: str = "pubmed_pubmed_refs",
          ) -> dict[str, list[str]]:
    """Linked PMIDs per source PMID (``pubmed_pubmed_refs``, ``…_citedin``…).

    One ``id=`` per PMID (one LinkSet each), ``link_batch_size`` ids per request. Every
    valid requested PMID is a key; ids without links map to ``[]``.
    """
    wanted = list(dict.fromkeys(str(p).strip() for p in pmids))
    out: dict[str, list[str]] = {}
    for pmid in wanted:
        if not is_pmid(pmid):
            client.last_errors[pmid] = "not a PMID"
    valid = [p for p in wanted if is_pmid(p)]

    def check(body: bytes) -> list[Any]:  # Bio.Entrez's LinkSet records
        record = biopython.read(body, "elink")
        problems = error_texts(body)
        if problems:
            raise Transient("NCBI reported: " + "; ".join(problems))
        return list(record)

    size = client.link_batch_size
    for start in range(0, len(valid), size):
        batch = valid[start:start + size]
        linksets = client.request("elink", check, dbfrom="pubmed", db="pubmed", id=batch,
                                  linkname=linkname, cmd="neighbor")
        for linkset in linksets:
            sources = [str(i) for i in linkset.get("IdList", [])]
            if len(sources) != 1:
                continue
            links: list[str] = []
            for db in linkset.get("LinkSetDb", []):
                if str(db.get("LinkName", "")) == linkname:
                    links.extend(str(link["Id"]) for link in db.get("Link", []))
            out.setdefault(sources[0], []).extend(links)
        for pmid in batch:
            if pmid not in out:
                client.last_errors[pmid] = "no LinkSet in NCBI's reply"
    return {p: list(dict.fromkeys(out.get(p, []))) for p in valid}


def _clean_field(value: object) -> str:
    """A citation field safe for ecitmatch's ``|``-separated, CR-delimited bdata."""
    return one_line(str(value if value is not None else "").replace("|", " "))


def _text_reply(body: bytes) -> str:
    problem = body_problem(body, xml=False)
    if problem:
        raise Transient(problem)
    return body.decode("utf-8", "replace")


def ecitmatch(client: Transport, citations: Sequence[Mapping[str, object]],
              ) -> dict[str, str | None]:
    """PMIDs for citations (``journal_title``, ``year``, ``volume``, ``first_page``,
    ``author_name``, ``key``); ``None`` where NCBI found no (unique) match.

    Keys default to the citation's position. The text reply is parsed here
    (``Entrez.read`` cannot read it).
    """
    keys = [str(c.get("key") if c.get("key") not in (None, "") else i)
            for i, c in enumerate(citations)]
    if len(set(keys)) != len(keys):
        raise InputError("ecitmatch citation keys must be unique")
    result: dict[str, str | None] = {k: None for k in keys}
    for start in range(0, len(citations), 100):
        part = list(enumerate(citations[start:start + 100], start))
        # A preformatted string: given a list, Bio.Entrez drops tool/email/api_key.
        bdata = "\r".join(
            "|".join([_clean_field(c.get(f)) for f in _CITATION_FIELDS] + [str(i), ""])
            for i, c in part
        )
        text = client.request("ecitmatch", _text_reply, db="pubmed", bdata=bdata)
        for line in text.splitlines():
            cells = line.rstrip("\r").split("|")
            if len(cells) < 7 or not cells[5].strip().isdigit():
                continue
            index = int(cells[5].strip())
            if not start <= index < start + len(part):
                continue
            answer = cells[6].strip()
            if is_pmid(answer):
                result[keys[index]] = answer
            else:
                client.last_errors[keys[index]] = one_line(client.redact(answer or "no answer"), 80)
    return result
