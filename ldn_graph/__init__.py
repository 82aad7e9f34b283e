"""ldn-graph: check whether health claims are backed by the literature they cite."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
