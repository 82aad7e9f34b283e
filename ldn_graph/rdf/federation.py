"""Does a SPARQL query federate? (``SERVICE``: the engine would send HTTP to the host it names.)

pyoxigraph parses a query only to run it, so :func:`uses_service` scans the tokens the
way Oxigraph's parser reads them: comments, strings (short and long, with escapes), IRIs,
prefixed names, blank-node labels, variables and language tags are read whole and never
looked into; any remaining bare word that contains ``service`` (any case: Oxigraph reads
``SERVICESILENT`` as ``SERVICE SILENT``) counts. Where the scan and the parser could
disagree, the scan errs towards "federated": a false alarm costs ``--allow-service``,
a miss would cost a request to any host.
"""

from __future__ import annotations

import re

from ldn_graph.errors import InputError

_ESCAPE = r"\\."
_LONG = {q: re.compile(rf"(?s){q * 3}(?:(?:{q}|{q * 2})?(?:[^{q}\\]|{_ESCAPE}))*{q * 3}") for q in "'\""}
_SHORT = {q: re.compile(rf"{q}(?:[^{q}\\\r\n]|{_ESCAPE})*{q}") for q in "'\""}
_LINE_END = re.compile(r"[\r\n]|\Z")
_LOCAL = r"(?:[\w.\-:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKENS = re.compile(
    "|".join(
        (
            r"(?P<space>\s+)",
            r"(?P<comment>#[^\r\n]*)",
            r"(?P<iri><(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)",
            r"(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",
            r"(?P<var>[?$]\w+)",
            rf"(?P<pname>_?:{_LOCAL})",  # a blank-node label, or a name with the empty prefix
            # letters, digits, dots and hyphens: a prefixed name if a colon follows,
            # else words and punctuation (read in one go: never rescanned from each dot)
            rf"(?P<name>[^\W\d_][\w.\-]*)(?P<local>:{_LOCAL})?",
        )
    )
)
_WORDS = re.compile(r"\w+")


def uses_service(sparql: str) -> bool:
    """True if ``sparql`` holds a ``SERVICE`` clause (outside comments, strings and IRIs).

    Linear in the query's length: a quote that opens no string is read as punctuation,
    and the openers of its kind up to where its scan gave up (the line's end; the
    query's end for a long string) are known to fail too, so they are not scanned again.
    """
    position, end = 0, len(sparql)
    no_long = {q: False for q in _LONG}  # a long string failed to close: none after it can
    no_short = {q: -1 for q in _SHORT}  # a short string failed: so do its kind's openers before here
    while position < end:
        char = sparql[position]
        if char in _SHORT:
            found = None
            if not no_long[char] and sparql.startswith(char * 3, position):
                found = _LONG[char].match(sparql, position)
                no_long[char] = found is None
            if found is None and position >= no_short[char]:
                found = _SHORT[char].match(sparql, position)
                if found is None:
                    no_short[char] = _LINE_END.search(sparql, position).end()  # type: ignore[union-attr]
            position = found.end() if found else position + 1
            continue
        token = _TOKENS.match(sparql, position)
        if token is None:  # punctuation, digits, anything else: one character
            position += 1
            continue
        name = token["name"]
        if token.lastgroup != "local" and name and any("service" in w.lower() for w in _WORDS.findall(name)):
            return True
        position = token.end()
    return False


def refuse_federation(sparql: str, *, allow_service: bool = False) -> str:
    """``sparql`` unchanged, unless it federates and that was not allowed (InputError)."""
    if not allow_service and uses_service(sparql):
        raise InputError(
            "the query has a SERVICE clause, which would send HTTP requests to the host it names; "
            "run it with --allow-service if you trust that host"
        )
    return sparql
