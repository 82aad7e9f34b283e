"""One exception hierarchy. The library raises; only ``cli.py`` prints and exits."""

from __future__ import annotations


class LdnGraphError(Exception):
    """Base class: ``str(err)`` is a one-line message that says what to do next."""

    exit_code = 2


class InputError(LdnGraphError):
    """A user-supplied file or argument cannot be used."""

    exit_code = 2


class OntologyError(LdnGraphError):
    """The vocabulary / ontology file is missing or not of the expected shape."""

    exit_code = 2


class FetchError(LdnGraphError):
    """An external service (E-utilities) failed after retries."""

    exit_code = 3


class OfflineError(FetchError):
    """The network is not reachable (or ``--offline`` was given)."""


class RateLimitError(FetchError):
    """NCBI kept answering 429 after every retry."""


class StoreError(LdnGraphError):
    """A SPARQL endpoint or store refused or could not be reached."""

    exit_code = 3


class CacheError(LdnGraphError):
    """The record cache cannot be read or written."""

    exit_code = 4


class ExportError(LdnGraphError):
    """An output could not be written."""

    exit_code = 4
