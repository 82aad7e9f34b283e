"""HTTP for E-utilities: what the opener may do, and the bounds of one try.

* **The opener** (:func:`build_opener`) holds http(s) handlers only: no FTP, ``file:`` or
  ``data:`` handler, so no reply can make ldn-graph open anything but HTTP. Proxies come
  from the environment (http and https only), or none for a loopback host.
* **Redirects** (:class:`SameHostRedirectHandler`) are followed only to the configured
  host over http(s) (never from https down to http); a redirect anywhere else raises
  :class:`~ldn_graph.errors.FetchError` before anything is sent there. The body of a
  redirect is never read.
* **One try** (:class:`Exchange`) has a deadline on the whole exchange — connecting,
  the status line and headers, redirects and the whole body — not on each socket read:
  a watchdog shuts the try's sockets down when the deadline passes, so a server sending
  one byte per second is cut off (a :class:`TimeoutError`, as for a silent server). The
  reply is read in chunks and refused (a :class:`~ldn_graph.errors.FetchError`) as soon
  as it grows past the size limit, or at once when its ``Content-Length`` says it will;
  an HTTP error body is read up to 64 KB, within the same deadline.
* **Network errors** are told apart: the network is not there (:func:`offline_reason`),
  or a try failed in a way worth retrying (:func:`describe_network_error`).

The TLS handshake and a proxy's CONNECT answer are bounded by the per-read timeout only.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import io
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPMessage
from typing import IO, Any

from ldn_graph import settings
from ldn_graph.errors import FetchError, LdnGraphError
from ldn_graph.text import one_line

__all__ = [
    "Exchange",
    "SameHostRedirectHandler",
    "build_opener",
    "describe_network_error",
    "describe_size",
    "is_loopback",
    "offline_reason",
    "redirect_allowed",
]

_CHUNK = 65536
_ERROR_BODY_LIMIT = 65536  # the most of an HTTP error body read (its detail is shown)
_DEFAULT_PORTS = {"http": 80, "https": 443}

_current = threading.local()  # .exchange: the Exchange of this thread's running try


# ------------------------------------------------------------------------ redirects
def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``; port None when it cannot be read."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def redirect_allowed(base_url: str, target: str) -> bool:
    """True when a redirect to ``target`` stays on ``base_url``'s host over http(s).

    The port must stay the same, except for an upgrade from http on its default port to
    https on its default port; https never goes down to http.
    """
    scheme, host, port = _origin(base_url)
    new_scheme, new_host, new_port = _origin(target)
    if new_scheme not in _DEFAULT_PORTS or not new_host or new_host != host:
        return False
    if scheme == "https" and new_scheme == "http":
        return False
    if new_port == port and new_port is not None:
        return True
    return (scheme, port, new_scheme, new_port) == ("http", 80, "https", 443)


def _shown_origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (never its path, query or user info)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "?"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ":?"
    return one_line(f"{parts.scheme or '?'}://{host}{port}", 80)


class SameHostRedirectHandler(urllib.request.HTTPRedirectHandler):
    """urllib's redirect handling, limited to the configured E-utilities host over
    http(s) (:func:`redirect_allowed`); any other target is a
    :class:`~ldn_graph.errors.FetchError`. The redirect's own body is never read."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def http_error_302(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                       msg: str, headers: HTTPMessage) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urllib.parse.urljoin(req.full_url, str(location).strip())
            if not redirect_allowed(self.base_url, target):
                with contextlib.suppress(Exception):
                    fp.close()
                raise FetchError(
                    f"NCBI E-utilities answered with a redirect (HTTP {code}) to "
                    f"{_shown_origin(target)}, which is not {_shown_origin(self.base_url)} "
                    f"over http(s); it was not followed. Check {settings.EUTILS_URL_ENV}: "
                    "a proxy or mirror may be redirecting requests"
                )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int,
                         msg: str, headers: HTTPMessage, newurl: str,
                         ) -> urllib.request.Request | None:
        with contextlib.suppress(Exception):
            fp.close()  # urllib would read the whole body of the redirect: never read it
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# ------------------------------------------------------------------ watched sockets
def _watch(sock: socket.socket | None) -> None:
    exchange = getattr(_current, "exchange", None)
    if exchange is not None and sock is not None:
        exchange.watch(sock)


class _WatchedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_WatchedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_WatchedHTTPSConnection, req,
                            context=self._context)  # type: ignore[attr-defined]


def build_opener(base_url: str, *extra: urllib.request.BaseHandler, direct: bool = False,
                 ) -> urllib.request.OpenerDirector:
    """An opener with http(s) handlers only (no FTP, ``file:`` or ``data:``), redirects
    limited to ``base_url``'s host, and the ``extra`` handlers; ``direct`` ignores proxy
    settings (a loopback host)."""
    proxies = {} if direct else {k: v for k, v in urllib.request.getproxies().items()
                                 if k in _DEFAULT_PORTS}
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(proxies), urllib.request.UnknownHandler(),
                    _HTTPHandler(), _HTTPSHandler(), urllib.request.HTTPDefaultErrorHandler(),
                    SameHostRedirectHandler(base_url), urllib.request.HTTPErrorProcessor(),
                    *extra):
        opener.add_handler(handler)
    return opener


# ------------------------------------------------------------------- network errors
def is_loopback(base_url: str) -> bool:
    """True for a URL on this machine (localhost, 127.x, ::1): no proxy for it."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    return host in ("localhost", "::1") or host.startswith("127.")


def offline_reason(exc: BaseException) -> str | None:
    """Why ``exc`` means the network is not there (refused, no DNS, unreachable), or None."""
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name could not be resolved"
    if isinstance(reason, OSError) and reason.errno in (
        errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN
    ):
        return "network unreachable"
    return None


def describe_network_error(exc: BaseException) -> str:
    """``exc`` (a timeout, a cut or reset transfer…) in a few words, for a retry message."""
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "no reply within the timeout"
    if isinstance(reason, http.client.IncompleteRead):
        return "the reply was cut short (incomplete read)"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without a reply"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    return f"network error ({type(reason).__name__})"


# ------------------------------------------------------------------------- one try
def describe_size(size: int) -> str:
    """``size`` bytes as ``"4 KB"``, ``"256 MB"``… (1024-based)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


class _Reply(io.BytesIO):
    """A reply read whole (within the bounds): what ``Bio.Entrez`` gets for a response."""

    def __init__(self, body: bytes, headers: HTTPMessage, url: str) -> None:
        super().__init__(body)
        self.headers = headers
        self.url = url


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes up a read blocked in another thread


class Exchange:
    """One try of one E-utilities request: ``budget`` seconds from now for the whole
    exchange, at most ``max_bytes`` of reply. ``expired`` tells whether the watchdog cut
    it off."""

    def __init__(self, utility: str, budget: float, max_bytes: int) -> None:
        self.utility = utility
        self.budget = budget
        self.max_bytes = max_bytes
        self.deadline = time.monotonic() + budget
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            late = self.expired
        if late:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def _timed_out(self) -> TimeoutError:
        return TimeoutError(f"no reply within the timeout (the whole reply within "
                            f"{self.budget:.3g} s)")

    def open(self, opener: urllib.request.OpenerDirector,
             request: str | urllib.request.Request) -> _Reply:
        """Send ``request`` through ``opener`` and read the whole reply, within the
        bounds. Raises urllib's errors (``HTTPError`` with its body read up to 64 KB),
        :class:`TimeoutError` when the deadline passed, :class:`FetchError` for a reply
        over the size limit or a refused redirect."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self._timed_out()
        timer = threading.Timer(remaining, self._expire)
        timer.daemon = True
        previous = getattr(_current, "exchange", None)
        _current.exchange = self
        timer.start()
        error: urllib.error.HTTPError | None = None
        try:
            try:
                response = opener.open(request, timeout=remaining)
            except urllib.error.HTTPError as exc:
                error = exc
            if error is not None:
                # raised outside the except clause: the new error carries no __context__
                # (the original one holds the request URL, api_key included)
                raise self._bounded(error)
            with contextlib.closing(response):
                return self._read(response)
        except LdnGraphError:
            raise
        except Exception:
            if not self.expired:
                raise
        finally:
            timer.cancel()
            _current.exchange = previous
        raise self._timed_out()  # the watchdog cut the try off (whatever urllib made of it)

    def _too_large(self) -> FetchError:
        return FetchError(
            f"NCBI E-utilities {self.utility}: the reply is larger than "
            f"{describe_size(self.max_bytes)}, the limit for one reply "
            f"({settings.EUTILS_MAX_REPLY_ENV}); it was refused while reading. Check "
            f"{settings.EUTILS_URL_ENV} (a proxy or mirror may be misbehaving) or raise the limit"
        )

    def _read(self, response: Any) -> _Reply:
        declared = str(response.headers.get("Content-Length") or "").strip()
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large()
        read = getattr(response, "read1", None) or response.read
        body = io.BytesIO()
        while True:
            chunk = read(_CHUNK)
            if not chunk:
                break
            body.write(chunk)
            if body.tell() > self.max_bytes:
                raise self._too_large()
        if self.expired:  # the watchdog's shutdown looks like the end of the reply
            raise self._timed_out()
        left = getattr(response, "length", None)
        if isinstance(left, int) and left > 0:
            raise http.client.IncompleteRead(b"", left)
        parts = urllib.parse.urlsplit(str(getattr(response, "url", "") or ""))
        return _Reply(body.getvalue(), response.headers, parts._replace(query="").geturl())

    def _bounded(self, error: urllib.error.HTTPError) -> urllib.error.HTTPError:
        """``error`` with its body read now (at most 64 KB, within the deadline)."""
        try:
            body = error.read(_ERROR_BODY_LIMIT) or b""
        except Exception:  # a cut-off error body tells us nothing more
            body = b""
        finally:
            with contextlib.suppress(Exception):
                error.close()
        return urllib.error.HTTPError(error.url, error.code, error.msg, error.headers,
                                      io.BytesIO(body))
