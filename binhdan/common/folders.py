"""Folders the build is done with, deleted in a detached process: tens of thousands of
files (an old release, a build's scratch folder) take seconds nobody need wait for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def remove_later(path: Path) -> None:
    """Delete a folder (or link) in a detached process, which outlives the build. Removing
    a release a web server is still reading from is safe: open files stay readable until
    closed."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    rm = shutil.which("rm")
    if rm is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", str(path)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
