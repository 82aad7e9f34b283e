"""Running ``ldn-graph`` from tests: in-process through click's CliRunner (:func:`cli`), or
the installed console script in a subprocess (:func:`console_script`, :func:`python_env`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from ldn_graph.cli.group import main

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str | os.PathLike[str], obj: dict[str, Any] | None = None) -> Result:
    """Run ``ldn-graph ARGS`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], obj=obj, catch_exceptions=False)


def console_script() -> Path:
    """The installed ``ldn-graph`` script beside this interpreter."""
    script = Path(sys.executable).with_name("ldn-graph")
    assert script.exists(), "install the project (pip install -e .) to get the console script"
    return script


def python_env(**extra: str) -> dict[str, str]:
    """This environment plus the repository on PYTHONPATH (for ``python -c`` children)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env
