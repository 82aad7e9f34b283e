"""``ldn-graph config``: the effective settings and where each came from."""

from __future__ import annotations

import click

from ldn_graph.cli.command import CONTEXT, Command

__all__ = ["config"]

#: The options ``config`` reports for each command, besides what the file sets.
_SHOWN = {"audit": ("fmt", "fail_on", "max_age", "vocabulary", "cache_dir", "offline")}


@click.command(cls=Command, context_settings=CONTEXT)
def config() -> None:
    """Show the effective settings and where each came from.

    Precedence: command line > environment > configuration file > built-in default.

    \b
    Example:
      ldn-graph config
      ldn-graph --config team.toml config
    """
    from ldn_graph import settings
    from ldn_graph.cli.config import Config

    ctx = click.get_current_context()
    root = ctx.find_root()
    found: Config = root.meta.get("ldn_graph.config") or Config(None)
    click.echo(f"configuration file: {found.path if found.path else 'none (looked in the user configuration folder)'}")
    group = root.command
    assert isinstance(group, click.Group)
    for table in sorted({*_SHOWN, *found.default_map}):
        command = group.get_command(root, table)
        if command is None:
            continue
        from_file = found.default_map.get(table, {})
        for param in command.params:
            if not isinstance(param, click.Option) or param.name is None:
                continue
            if param.name not in from_file and param.name not in _SHOWN.get(table, ()):
                continue
            name = next((o[2:] for o in param.opts if o.startswith("--")), param.name)
            if param.name in from_file:
                value, source = from_file[param.name], "configuration file"
            elif param.name == "cache_dir" and settings.env_is_set(settings.CACHE_ENV):
                value, source = str(settings.cache_dir()), f"environment ({settings.CACHE_ENV})"
            elif param.name == "cache_dir":
                value, source = str(settings.cache_dir()), "built-in default"
            else:
                plain = isinstance(param.default, str | int | float | bool | tuple | list)
                value = param.default if plain else (False if param.is_flag else None)
                source = "built-in default"
            click.echo(f"{table}.{name} = {value!r}  ({source})")
    email = settings.ncbi_email()
    click.echo(f"ncbi.email = {email!r}  ({settings.ncbi_email_source()})")
    key = "set (environment, NCBI_API_KEY)" if settings.ncbi_api_key() else "not set (NCBI_API_KEY only, never a file)"
    click.echo(f"ncbi.api_key: {key}")
    for shadowed in found.shadowed:
        click.echo(f"note: the file's {shadowed} is outranked by the environment", err=True)
