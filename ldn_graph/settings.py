"""The only reader of the environment in ldn-graph: folders, the E-utilities URL, and the
NCBI contact and key.

Every function reads the environment when it is called (nothing is cached at import), so
a variable set later — by a test, or by a program embedding ldn-graph — takes effect.

Folders:

* the **cache folder** (:func:`cache_dir`): the writable record cache, ``records.sqlite3``.
  ``$LDN_GRAPH_CACHE``, else the platform's user cache folder for ``ldn-graph``
  (:func:`user_cache_dir`: ``~/.cache/ldn-graph`` on Linux, ``~/Library/Caches/ldn-graph``
  on macOS, ``%LOCALAPPDATA%\\ldn-graph\\Cache`` on Windows).
* the **state folder** (:func:`state_dir`): the cross-process rate-limit file and
  Biopython's DTD cache. ``$LDN_GRAPH_STATE``, else **the cache folder itself** (the same
  folder, not a subfolder or a sibling), as the README promises. Both defaults come from
  the one :func:`user_cache_dir` call, so they agree on every platform.

Bounds of an E-utilities request: :func:`eutils_deadline` (``$LDN_GRAPH_EUTILS_DEADLINE``,
seconds for one request, retries included; default 90) and :func:`eutils_max_reply`
(``$LDN_GRAPH_EUTILS_MAX_REPLY``, the largest reply accepted; default 256 MB). A value
that cannot be used is an :class:`~ldn_graph.errors.InputError`.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from ldn_graph.errors import InputError

__all__ = [
    "API_KEY_ENV",
    "APP_NAME",
    "CACHE_ENV",
    "EMAIL_ENV",
    "EUTILS_DEADLINE_ENV",
    "EUTILS_MAX_REPLY_ENV",
    "EUTILS_URL_ENV",
    "STATE_ENV",
    "cache_dir",
    "eutils_deadline",
    "eutils_max_reply",
    "eutils_url",
    "ncbi_api_key",
    "ncbi_email",
    "state_dir",
    "user_cache_dir",
]

APP_NAME = "ldn-graph"
#: The writable record cache folder.
CACHE_ENV = "LDN_GRAPH_CACHE"
#: The folder of the rate-limit file and Biopython's DTD cache.
STATE_ENV = "LDN_GRAPH_STATE"
#: The E-utilities base URL (a mirror, a proxy, a loopback stand-in).
EUTILS_URL_ENV = "LDN_GRAPH_EUTILS_URL"
#: The contact address NCBI asks for with E-utilities requests.
EMAIL_ENV = "NCBI_EMAIL"
#: The NCBI API key (10 requests/s instead of 3).
API_KEY_ENV = "NCBI_API_KEY"
#: Seconds one E-utilities request may take, retries included.
EUTILS_DEADLINE_ENV = "LDN_GRAPH_EUTILS_DEADLINE"
#: The largest E-utilities reply accepted (bytes, or with a unit: ``512KB``, ``256MB``).
EUTILS_MAX_REPLY_ENV = "LDN_GRAPH_EUTILS_MAX_REPLY"
#: How many processes audit a run's files when --jobs is not given (else the core count).
JOBS_ENV = "LDN_GRAPH_JOBS"
DEFAULT_EUTILS_DEADLINE = 90.0
DEFAULT_EUTILS_MAX_REPLY = 256 * 1024 * 1024

_SIZE_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(|b|bytes?|k|kb|kib|m|mb|mib|g|gb|gib)", re.I)
_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1024, "kb": 1024, "kib": 1024,
          "m": 1024**2, "mb": 1024**2, "mib": 1024**2, "g": 1024**3, "gb": 1024**3,
          "gib": 1024**3}


def _folder_from_env(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def user_cache_dir() -> Path:
    """The platform's user cache folder for ldn-graph (``platformdirs``, no app-author
    level on Windows): the one default of both the cache and the state folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def cache_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The writable cache folder: ``explicit`` (``--cache-dir``) when given and not empty,
    else ``$LDN_GRAPH_CACHE``, else :func:`user_cache_dir`."""
    if explicit is not None and str(explicit) != "":
        return Path(explicit).expanduser()
    return _folder_from_env(CACHE_ENV) or user_cache_dir()


def state_dir() -> Path:
    """The state folder: ``$LDN_GRAPH_STATE``, else the cache folder (``$LDN_GRAPH_CACHE``,
    else :func:`user_cache_dir`)."""
    return _folder_from_env(STATE_ENV) or cache_dir()


#: The contact address a configuration file gives (``[ncbi] email``), below the environment.
_configured_email: str | None = None


def use_configured_email(email: str | None) -> None:
    """Take the configuration file's contact address (the environment still wins)."""
    global _configured_email
    _configured_email = email


def env_is_set(name: str) -> bool:
    """Whether the environment sets ``name`` (to something not blank)."""
    return bool(name) and bool(os.environ.get(name, "").strip())


def jobs_from_env() -> int | None:
    """``LDN_GRAPH_JOBS`` as a process count (a whole number from 1), or None."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(f"{JOBS_ENV}={_shown(raw)} is not a whole number from 1; unset it or give one")
    return int(raw)


def color_from_env() -> bool | None:
    """What the environment says of colour: False when ``NO_COLOR`` is set (and not
    empty), True when ``FORCE_COLOR`` is (and not "0"), else None."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") not in (None, "", "0"):
        return True
    return None


def eutils_url() -> str | None:
    """``$LDN_GRAPH_EUTILS_URL`` as set (unchecked), or ``None`` when unset or empty."""
    return os.environ.get(EUTILS_URL_ENV) or None


def ncbi_email_source() -> str:
    """Where the contact address comes from: "environment", "configuration file" or "not set"."""
    if os.environ.get(EMAIL_ENV):
        return "environment"
    return "configuration file" if _configured_email else "not set"


def ncbi_email() -> str | None:
    """``$NCBI_EMAIL``, else the configuration file's ``[ncbi] email``, else ``None``."""
    return os.environ.get(EMAIL_ENV) or _configured_email or None


def ncbi_api_key() -> str | None:
    """``$NCBI_API_KEY``, or ``None`` when unset or empty."""
    return os.environ.get(API_KEY_ENV) or None


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


def eutils_deadline() -> float:
    """``$LDN_GRAPH_EUTILS_DEADLINE`` (seconds, above 0), else 90."""
    raw = os.environ.get(EUTILS_DEADLINE_ENV, "").strip()
    if not raw:
        return DEFAULT_EUTILS_DEADLINE
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{EUTILS_DEADLINE_ENV} must be a number of seconds above 0 "
                         f"(default {DEFAULT_EUTILS_DEADLINE:g}), got {_shown(raw)}")
    return value


def eutils_max_reply() -> int:
    """``$LDN_GRAPH_EUTILS_MAX_REPLY`` in bytes (a number, or with a unit ``KB``, ``MB``,
    ``GB``, 1024-based), else 256 MB."""
    raw = os.environ.get(EUTILS_MAX_REPLY_ENV, "").strip()
    if not raw:
        return DEFAULT_EUTILS_MAX_REPLY
    found = _SIZE_RE.fullmatch(raw)
    value = int(float(found.group(1)) * _UNITS[found.group(2).lower()]) if found else 0
    if value < 1:
        raise InputError(f"{EUTILS_MAX_REPLY_ENV} must be a size above 0, in bytes or with "
                         f"a unit (e.g. 256MB, the default), got {_shown(raw)}")
    return value
