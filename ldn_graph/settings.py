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
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "API_KEY_ENV",
    "APP_NAME",
    "CACHE_ENV",
    "EMAIL_ENV",
    "EUTILS_URL_ENV",
    "STATE_ENV",
    "cache_dir",
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


def eutils_url() -> str | None:
    """``$LDN_GRAPH_EUTILS_URL`` as set (unchecked), or ``None`` when unset or empty."""
    return os.environ.get(EUTILS_URL_ENV) or None


def ncbi_email() -> str | None:
    """``$NCBI_EMAIL``, or ``None`` when unset or empty."""
    return os.environ.get(EMAIL_ENV) or None


def ncbi_api_key() -> str | None:
    """``$NCBI_API_KEY``, or ``None`` when unset or empty."""
    return os.environ.get(API_KEY_ENV) or None
