"""Folders the build is done with, deleted in a detached process: tens of thousands of
files (an old release, a build's scratch folder) take seconds nobody need wait for."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def temporary_folder(prefix: str) -> Path:
    """A folder for pictures or cards when there is no build cache: deleted when this
    process ends (its files are linked into the site by then), not left behind in the
    system's temporary folder (unless the process is killed). Forked workers end without
    running this."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(remove_later, path)
    return path


def remove_later(path: Path) -> None:
    """Delete a folder (or link) in a detached process, which outlives the build. Removing
    a release a web server is still reading from is safe: open files stay readable until
    closed. In CI (the `CI` variable GitHub Actions, GitLab and others set) the job's cache
    is saved as soon as the build ends: the folder is deleted before it ends."""
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    rm = shutil.which("rm")
    if rm is None or os.environ.get("CI"):
        shutil.rmtree(path, ignore_errors=True)
        return
    subprocess.Popen([rm, "-rf", str(path)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
