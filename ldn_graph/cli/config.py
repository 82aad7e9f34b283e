"""The configuration file: settings a team pins for every run.

``ldn-graph --config FILE``, else ``config.toml`` in the user configuration folder
(``$XDG_CONFIG_HOME/ldn-graph/`` through platformdirs), read with ``tomllib``. One table
per command fills that command's option defaults (Click's ``default_map``), by the
option's name as written on the command line (``format``, ``fail_on``, ``max_age``,
``vocabulary``, ``cache_dir`` …); ``[ncbi] email`` is the contact address E-utilities
requests carry. The API key is never read from a file (it is a secret: the environment
only). Precedence: command line > environment > file > built-in default. ``ldn-graph
config`` shows the effective settings and where each came from.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

__all__ = ["CONFIG_TABLES", "Config", "config_path", "load_config"]

#: The tables a configuration file may hold: the commands with options, and ``ncbi``.
CONFIG_TABLES = ("audit", "export", "push", "query", "build", "fetch", "search", "evaluate", "ncbi")
#: Option → the environment variable that outranks the file for it.
_ENV_OF = {"cache_dir": "LDN_GRAPH_CACHE"}


@dataclass
class Config:
    path: Path | None  # the file read, or None (none found)
    default_map: dict[str, dict[str, Any]] = field(default_factory=dict)
    email: str | None = None
    shadowed: list[str] = field(default_factory=list)  # file settings the environment outranks


def config_path(explicit: Path | None) -> Path | None:
    """``explicit``, else the user configuration file when it exists."""
    if explicit is not None:
        return explicit
    import platformdirs

    found = Path(platformdirs.user_config_dir("ldn-graph", appauthor=False)) / "config.toml"
    return found if found.is_file() else None


def _param_names(command: click.Command) -> dict[str, str]:
    """What a file may call each option of ``command`` (its name, or its long flag with
    ``_`` for ``-``) → the parameter's name."""
    names: dict[str, str] = {}
    for param in command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        names[param.name] = param.name
        for flag in param.opts:
            if flag.startswith("--"):
                names[flag[2:].replace("-", "_")] = param.name
    return names


def load_config(explicit: Path | None, group: click.Group, ctx: click.Context) -> Config:
    """The configuration file's settings, checked against the commands' options; a
    usage error (one line, naming the file) for a file that cannot be used."""
    from ldn_graph import settings

    path = config_path(explicit)
    config = Config(path)
    if path is None:
        return config
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.UsageError(f"{path}: cannot read the configuration file ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{path}: not valid TOML ({str(exc).splitlines()[0]})") from None
    for table, values in data.items():
        if table not in CONFIG_TABLES or not isinstance(values, dict):
            raise click.UsageError(f"{path}: [{table}] is not a table ldn-graph reads; use "
                                   f"{', '.join(f'[{t}]' for t in CONFIG_TABLES)}")
        if table == "ncbi":
            unknown = set(values) - {"email"}
            if unknown:
                what = "the API key is read from NCBI_API_KEY only, never a file" if "api_key" in unknown else (
                    f"unknown key {sorted(unknown)[0]!r}; [ncbi] takes email")
                raise click.UsageError(f"{path}: [ncbi] {what}")
            config.email = str(values.get("email") or "") or None
            if config.email and settings.ncbi_email() is not None:
                config.shadowed.append("ncbi.email")
            continue
        command = group.get_command(ctx, table)
        assert command is not None
        names = _param_names(command)
        defaults: dict[str, Any] = {}
        for key, value in values.items():
            if key not in names:
                raise click.UsageError(f"{path}: [{table}] has no option {key!r}; it takes "
                                       f"{', '.join(sorted(n for n in names if '_' in n or n == names[n]))}")
            if settings.env_is_set(_ENV_OF.get(names[key], "")):
                config.shadowed.append(f"{table}.{key}")
                continue
            defaults[names[key]] = value
        config.default_map[table] = defaults
    return config
