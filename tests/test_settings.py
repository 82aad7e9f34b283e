"""ldn_graph.settings: the one reader of the environment; the cache and state folders
agree on every platform (platformdirs stubbed for Windows and macOS)."""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
import platformdirs.windows
import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from ldn_graph import settings

PACKAGE = Path(settings.__file__).parent
LOCAL_APPDATA = r"C:\Users\x\AppData\Local"


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (settings.CACHE_ENV, settings.STATE_ENV, settings.EUTILS_URL_ENV,
                 settings.EMAIL_ENV, settings.API_KEY_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def as_platform(monkeypatch: pytest.MonkeyPatch, name: str, home: Path) -> None:
    """Make platformdirs answer as it would on ``name`` (its class for that platform)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    if name == "windows":
        monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda _csidl: LOCAL_APPDATA)
    monkeypatch.setattr(platformdirs, "PlatformDirs",
                        {"windows": Windows, "macos": MacOS, "linux": Unix}[name])


@pytest.mark.parametrize("platform", ["windows", "macos", "linux"])
def test_the_state_folder_is_the_cache_folder_on_every_platform(
    no_env: pytest.MonkeyPatch, tmp_path: Path, platform: str
) -> None:
    as_platform(no_env, platform, tmp_path)
    expected = {
        # no app-author level: %LOCALAPPDATA%\ldn-graph\Cache (the stub keeps "\" in the base)
        "windows": Path(LOCAL_APPDATA) / "ldn-graph" / "Cache",
        "macos": tmp_path / "Library" / "Caches" / "ldn-graph",
        "linux": tmp_path / ".cache" / "ldn-graph",
    }[platform]
    assert settings.user_cache_dir() == expected
    assert settings.cache_dir() == expected
    assert settings.state_dir() == settings.cache_dir()
    # with LDN_GRAPH_CACHE alone, the state follows the cache there too
    no_env.setenv(settings.CACHE_ENV, str(tmp_path / "cache"))
    assert settings.state_dir() == settings.cache_dir() == tmp_path / "cache"


def test_the_windows_stub_shows_the_old_disagreement(no_env: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    """Before settings, the state folder was user_cache_dir("ldn-graph") (an app-author
    level on Windows) while the cache used appauthor=False: two different folders."""
    as_platform(no_env, "windows", tmp_path)
    old_state = Path(platformdirs.user_cache_dir("ldn-graph"))
    assert old_state == Path(LOCAL_APPDATA) / "ldn-graph" / "ldn-graph" / "Cache"
    assert old_state != settings.state_dir()


def test_folders_are_read_when_asked(no_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    no_env.setenv(settings.CACHE_ENV, str(tmp_path / "cache"))
    assert settings.cache_dir() == tmp_path / "cache"
    assert settings.cache_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert settings.cache_dir("") == tmp_path / "cache"  # an empty --cache-dir is no choice
    no_env.setenv(settings.STATE_ENV, str(tmp_path / "state"))
    assert settings.state_dir() == tmp_path / "state"
    no_env.setenv(settings.CACHE_ENV, "~/somewhere")
    assert settings.cache_dir() == Path("~/somewhere").expanduser()
    no_env.setenv(settings.CACHE_ENV, "  ")  # blank: the platform default
    assert settings.cache_dir() == settings.user_cache_dir()


def test_ncbi_settings_are_read_when_asked(no_env: pytest.MonkeyPatch) -> None:
    assert (settings.eutils_url(), settings.ncbi_email(), settings.ncbi_api_key()) == (
        None, None, None)
    no_env.setenv(settings.EUTILS_URL_ENV, "http://127.0.0.1:8/entrez/eutils/")
    no_env.setenv(settings.EMAIL_ENV, "tests@example.org")
    no_env.setenv(settings.API_KEY_ENV, "k")
    assert settings.eutils_url() == "http://127.0.0.1:8/entrez/eutils/"
    assert settings.ncbi_email() == "tests@example.org"
    assert settings.ncbi_api_key() == "k"
    no_env.setenv(settings.API_KEY_ENV, "")
    assert settings.ncbi_api_key() is None


def test_settings_is_the_only_reader_of_the_environment() -> None:
    readers = re.compile(r"\bos\.environ\b|\bgetenv\b|\benviron\.get\b")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "settings.py" and readers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
