"""Filesystem helpers shared by the tests: a folder nobody can write to, even as root."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def make_read_only(folder: Path) -> bool:
    """chmod 0555, or as root (who ignores modes) the immutable flag; False if neither
    stops a write here."""
    folder.chmod(0o555)
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return True
    probe.unlink()
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0:
        try:
            probe.write_text("x")
        except OSError:
            return True
        probe.unlink()
    return False


def undo_read_only(folder: Path) -> None:
    chattr = shutil.which("chattr")
    if chattr:
        subprocess.run([chattr, "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)
