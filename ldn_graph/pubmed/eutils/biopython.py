"""Bio.Entrez, as ldn-graph uses it: the only module that touches Biopython's internals.

Every E-utilities request goes through ``Bio.Entrez`` (its parameter encoding, GET/POST
choice, ``tool``/``email``/``api_key``); esearch, elink and epost replies are read with
``Entrez.read``. What Biopython 1.85-1.88 leaves out, or does in a way we cannot use, is
changed here, and only while one of our calls runs:

* **Routing.** Bio.Entrez hard-codes ``https://eutils.ncbi.nlm.nih.gov/entrez/eutils/``
  and calls ``urllib.request.urlopen`` with no timeout. During our calls the module
  globals ``Bio.Entrez.urlopen`` and ``Bio.Entrez.Parser.urlopen`` are swapped for a
  dispatcher (reference-counted, restored when the last call ends). Inside our calls it
  opens the request with our own ``OpenerDirector`` (:mod:`~ldn_graph.pubmed.eutils.transport`:
  http(s) only, redirects kept on the configured host) whose first handler
  (:class:`EutilsRedirectHandler`) rewrites the NCBI URL to the configured base
  (``LDN_GRAPH_EUTILS_URL``: a mirror, a proxy, or the loopback stand-in in tests), and
  reads the whole reply within the try's deadline and size limit
  (:class:`~ldn_graph.pubmed.eutils.transport.Exchange`); anywhere else (another thread,
  another library) it is plain ``urllib.request.urlopen``. We do not ``install_opener()``:
  that would redirect and time out every urllib user of the process.
* **No retries, no pause of its own.** ``Bio.Entrez.max_tries`` is 1 during our calls
  (the client retries, with backoff) and ``Bio.Entrez._open.previous`` is reset before
  each request (the shared rate limiter already spaced it).
* **No DTD download.** DTD and XSD downloads asked for by Bio.Entrez's parser during our
  calls (the request and the parse of its reply) are refused. ``Entrez.local_cache``
  points at a directory under our state directory (set before ``Bio.Entrez.Parser`` is
  imported), so an unwritable HOME does not matter and a missing DTD can be dropped there
  by hand. Files there that cannot be schemas (an HTML error page or an empty file saved
  by an earlier Biopython run) are deleted whenever a client is created;
  :func:`clear_schema_cache` empties it.

``pyproject.toml`` bounds Biopython below its next minor version;
``tests/pubmed/test_biopython_canary.py`` fails, naming what moved, when a Biopython
release renames one of these internals.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import tempfile
import threading
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from Bio import Entrez

from ldn_graph import settings
from ldn_graph.errors import FetchError
from ldn_graph.pubmed.eutils import transport
from ldn_graph.pubmed.eutils.replies import Transient, check_xml_reply
from ldn_graph.text import one_line

__all__ = [
    "NCBI_BASE_URL",
    "UTILITIES",
    "EutilsRedirectHandler",
    "build_opener",
    "clear_schema_cache",
    "drop_unusable_schemas",
    "read",
    "schema_cache",
    "send",
]

logger = logging.getLogger(__name__)

NCBI_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"  # Bio.Entrez hard-codes it

#: The E-utilities ldn-graph calls, by name.
UTILITIES: Mapping[str, Callable[..., Any]] = {
    "efetch": Entrez.efetch,
    "epost": Entrez.epost,
    "esearch": Entrez.esearch,
    "elink": Entrez.elink,
    "ecitmatch": Entrez.ecitmatch,
}

_DTD_FAILURE_RE = re.compile(r"Failed to access (\S+)")


# ------------------------------------------------------------------ the schema cache
_bio_lock = threading.Lock()
_bio_cache_dir: Path | None = None


def schema_cache(state_dir: Path) -> Path:
    """Point Biopython's DTD/XSD cache at ``<state_dir>/biopython`` (once per process)
    and return that folder.

    Must run before ``Bio.Entrez.Parser`` is imported: importing it creates the cache
    directory, by default under ``~/.config``.
    """
    global _bio_cache_dir
    with _bio_lock:
        if _bio_cache_dir is not None:
            return _bio_cache_dir
        target = state_dir / "biopython"
        try:
            for folder in _schema_dirs(target):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            target = Path(tempfile.mkdtemp(prefix="ldn-graph-biopython-"))
        imported_before = "Bio.Entrez.Parser" in sys.modules
        setattr(Entrez, "local_cache", str(target))  # noqa: B010 - typed None upstream
        from Bio.Entrez import Parser  # creates its cache folders under `target`

        if imported_before:  # imported earlier by someone else: move its cache too
            with contextlib.suppress(OSError):
                Parser.DataHandler.directory = str(target)
        _bio_cache_dir = target
        return target


def _schema_dirs(root: Path) -> list[Path]:
    return [root / "Bio" / "Entrez" / "DTDs", root / "Bio" / "Entrez" / "XSDs"]


def _schema_problem(head: bytes) -> str | None:
    """Why the start of a cached DTD/XSD file shows it is not one (HTML, empty), or None."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        return "an empty file"
    low = stripped.lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low or b"<body" in low:
        return "an HTML page"
    if not stripped.startswith(b"<"):
        return "not XML"
    return None


def drop_unusable_schemas(root: Path) -> list[str]:
    """Delete files of our Biopython DTD/XSD cache that cannot be schemas.

    Biopython saves whatever a DTD download returns (an HTML error page included) and
    then prefers that file over the DTDs it ships, failing every later parse with a
    misleading ``NotXMLError`` (RELIABILITY.md item 13). Returns the names removed.
    """
    removed: list[str] = []
    for folder in _schema_dirs(root):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            try:
                if not path.is_file():
                    continue
                with open(path, "rb") as handle:
                    problem = _schema_problem(handle.read(2048))
                if problem is None:
                    continue
                path.unlink()
            except OSError:
                continue
            removed.append(path.name)
            logger.warning("removed %s from Biopython's schema cache %s: it is %s, not a "
                           "DTD/XSD", path.name, folder, problem)
    return removed


def clear_schema_cache(state_dir: Path | str | None = None) -> int:
    """Delete every DTD/XSD file of ldn-graph's Biopython schema cache; returns how many.

    The cache lives under ``<state dir>/biopython`` (:func:`ldn_graph.settings.state_dir`:
    ``$LDN_GRAPH_STATE``, else the record cache folder). Biopython falls back to the DTDs
    it ships; ldn-graph never downloads.
    """
    root = schema_cache(Path(state_dir) if state_dir is not None else settings.state_dir())
    count = 0
    for folder in _schema_dirs(root):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            with contextlib.suppress(OSError):
                if path.is_file():
                    path.unlink()
                    count += 1
    return count


# ------------------------------------------------------------------------- routing
class EutilsRedirectHandler(urllib.request.BaseHandler):
    """urllib pre-processor: NCBI E-utilities URL → configured base (and a timeout, when
    given; our own opener leaves the timeout to the try's
    :class:`~ldn_graph.pubmed.eutils.transport.Exchange`).

    ``handler_order`` 100 runs it before urllib's own HTTP pre-processing, so the Host
    header and the scheme (https → http for a loopback stand-in) follow the new URL.
    """

    handler_order = 100

    def __init__(self, base_url: str, timeout: float | None = None) -> None:
        self.base_url = base_url
        self.timeout = timeout

    def _rewrite(self, request: urllib.request.Request) -> urllib.request.Request:
        url = request.full_url
        if url.startswith(NCBI_BASE_URL) and self.base_url != NCBI_BASE_URL:
            request.full_url = self.base_url + url[len(NCBI_BASE_URL):]
        if self.timeout is not None:
            request.timeout = self.timeout
        return request

    http_request = _rewrite
    https_request = _rewrite


def build_opener(base_url: str, *, direct: bool = False) -> urllib.request.OpenerDirector:
    """The opener our Bio.Entrez requests go through (:func:`transport.build_opener
    <ldn_graph.pubmed.eutils.transport.build_opener>`: http(s) only, redirects kept on
    ``base_url``'s host), NCBI's URL rewritten to ``base_url``; ``direct`` ignores proxy
    settings (a loopback host)."""
    return transport.build_opener(base_url, EutilsRedirectHandler(base_url), direct=direct)


_route = threading.local()
_patch_lock = threading.Lock()
_patch_depth = 0
_saved: dict[str, Any] = {}


def _dispatch_urlopen(url: Any, *args: Any, **kwargs: Any) -> Any:
    opener = getattr(_route, "opener", None)
    if opener is None:
        return urllib.request.urlopen(url, *args, **kwargs)
    exchange: transport.Exchange | None = getattr(_route, "exchange", None)
    if exchange is None:
        return opener.open(url)
    return exchange.open(opener, url)


def _refuse_download(url: Any, *args: Any, **kwargs: Any) -> Any:
    if getattr(_route, "opener", None) is None:
        return urllib.request.urlopen(url, *args, **kwargs)
    raise OSError("ldn-graph does not download DTDs or schemas")


# An opener with no handlers: routes nothing anywhere. Installed while Biopython parses a
# reply, so that its DTD/XSD downloads are refused (see _refuse_download).
_NO_NETWORK = urllib.request.OpenerDirector()


@contextlib.contextmanager
def _routed(opener: urllib.request.OpenerDirector,
            exchange: transport.Exchange | None = None) -> Iterator[None]:
    """Route this thread's Bio.Entrez traffic through ``opener`` (within the bounds of
    ``exchange``) for the duration."""
    global _patch_depth
    from Bio.Entrez import Parser  # after schema_cache()

    with _patch_lock:
        if _patch_depth == 0:
            _saved.update(entrez_urlopen=Entrez.urlopen, parser_urlopen=Parser.urlopen,
                          max_tries=Entrez.max_tries)
            Entrez.urlopen = _dispatch_urlopen
            Parser.urlopen = _refuse_download
            Entrez.max_tries = 1  # our loop retries, with backoff
        _patch_depth += 1
    previous = getattr(_route, "opener", None), getattr(_route, "exchange", None)
    _route.opener, _route.exchange = opener, exchange
    try:
        yield
    finally:
        _route.opener, _route.exchange = previous
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                Entrez.urlopen = _saved["entrez_urlopen"]
                Parser.urlopen = _saved["parser_urlopen"]
                Entrez.max_tries = _saved["max_tries"]


# -------------------------------------------------------------------- the two calls
def send(utility: str, params: Mapping[str, object], opener: urllib.request.OpenerDirector,
         *, budget: float, max_bytes: int) -> bytes:
    """One request of ``utility`` (a key of :data:`UTILITIES`) through ``opener``, its
    whole reply within ``budget`` seconds and ``max_bytes``; the reply body. urllib's
    errors (``HTTPError``, ``URLError``, timeouts) propagate; a reply over the limit or a
    refused redirect is a :class:`~ldn_graph.errors.FetchError`."""
    func = UTILITIES[utility]
    exchange = transport.Exchange(utility, budget, max_bytes)
    with _routed(opener, exchange), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*Email address is not specified",
                                category=UserWarning)
        if hasattr(Entrez._open, "previous"):
            # Biopython's per-process pause: our shared limiter already spaced this request
            setattr(Entrez._open, "previous", 0)  # noqa: B010
        handle = func(**params)
        try:
            body = handle.read()
        finally:
            handle.close()
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def read(body: bytes, what: str) -> Any:
    """``Entrez.read`` of an XML reply (esearch/elink/epost: DTDs shipped with Biopython).

    ``ignore_errors=True`` keeps ``<ERROR>`` elements as values; callers inspect them.
    Raises :class:`~ldn_graph.pubmed.eutils.replies.Transient` for a reply worth asking
    again, :class:`~ldn_graph.errors.FetchError` for one that would fail the same way.
    """
    from Bio.Entrez.Parser import CorruptedXMLError, NotXMLError, ValidationError

    check_xml_reply(body, what)
    try:
        # parsing runs after the request's routing has ended: keep DTD downloads refused
        with _routed(_NO_NETWORK):
            try:
                return Entrez.read(io.BytesIO(body), validate=True, ignore_errors=True)
            except ValidationError as exc:
                # A tag newer than Biopython's DTD: keep what it knows, say so in the log.
                logger.debug("%s reply has an element unknown to Biopython: %s", what, exc)
                return Entrez.read(io.BytesIO(body), validate=False, ignore_errors=True)
    except (CorruptedXMLError, NotXMLError) as exc:
        raise Transient(f"malformed or truncated XML ({one_line(str(exc), 80)})") from None
    except RuntimeError as exc:
        found = _DTD_FAILURE_RE.search(str(exc))
        if found:
            name = found.group(1)
            folder = Path(Entrez.local_cache or ".") / "Bio" / "Entrez" / "DTDs"
            raise FetchError(
                f"NCBI's {what} reply uses {name}, a DTD this Biopython does not ship; "
                f"upgrade biopython or put {name} into {folder}"
            ) from None
        raise Transient(f"unreadable reply ({one_line(str(exc), 80)})") from None
