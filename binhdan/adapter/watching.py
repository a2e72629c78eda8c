"""`mkdocs serve` hears a saved file at once.

MkDocs' preview server polls the folders it watches every half second (walking content/ and
data/ each time): a saved edit waits a quarter of a second on average before its rebuild
even starts, a quarter of the one second an editor should wait. Linux tells a program of a
change the moment it happens (inotify, through watchdog, which MkDocs already uses).
`hear_at_once` moves MkDocs' watches to such an observer, on Linux and for folders on a
local disk only: the kernel tells nothing of a change made on another machine (a network
share, a Windows folder seen from WSL), and there MkDocs' polling stays as it is.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirModifiedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

log = logging.getLogger("mkdocs.plugins.binhdan")
# What polling can see. The kernel also tells of every file opened and closed: the build
# reading content/ would start the next rebuild, for ever.
_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
    DirCreatedEvent, DirDeletedEvent, DirModifiedEvent, DirMovedEvent]
# File systems whose changes are all made through this kernel, so it can tell of each
_LOCAL = {"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs",
          "bcachefs", "tmpfs", "overlay"}
_MOUNTS = Path("/proc/self/mounts")
_SETTLED = 0.03  # seconds without a change before a rebuild starts


class _Changes(Observer):  # on Linux, the inotify observer
    """The kernel's notifications of changes only, for every watch (MkDocs adds the paths of
    `mkdocs serve -w` after the plugin has moved the others); started once however often
    it is asked (`hear_at_once` starts it, to learn whether the system has watches left)."""

    def schedule(self, event_handler: Any, path: Any, *, recursive: bool = False,
                 event_filter: Any = None, follow_symlink: bool = False) -> ObservedWatch:
        return super().schedule(event_handler, path, recursive=recursive,
                                event_filter=event_filter or _CHANGES,
                                follow_symlink=follow_symlink)

    def start(self) -> None:
        if not self.is_alive():
            super().start()


def hear_at_once(server: Any) -> None:
    """Move the watches of `server` (MkDocs' LiveReloadServer, before it serves) from its
    polling observer to the system's notifications. Leaves polling as it is where the
    kernel may not hear every change, where the system has no watches left, and if MkDocs
    or watchdog keep their watches differently from MkDocs 1.6 with watchdog 4 to 7 (read
    from the polling observer, and MkDocs' record of them updated for `unwatch`)."""
    polling = getattr(server, "observer", None)
    handlers = getattr(polling, "_handlers", None)
    refs = getattr(server, "_watch_refs", None)
    if not isinstance(polling, BaseObserver) or not isinstance(handlers, dict) or not \
            isinstance(refs, dict) or not all(_local(watch.path) for watch in handlers):
        return
    fast, moved = _Changes(), {}
    try:
        for watch, watchers in handlers.items():
            for handler in watchers:  # a file's watch by the file, not its whole folder
                moved[watch] = fast.schedule(handler, getattr(watch, "raw_path", watch.path),
                                             recursive=watch.is_recursive)
        fast.start()  # the watches are made here: the system's limit may be reached
    except OSError as error:
        fast.stop()
        log.debug("binhdan: saved files are found by polling (%s)", error)
        return
    polling.unschedule_all()
    server.observer = fast  # MkDocs stops it (and asks to start it: done)
    for path, watch in list(refs.items()):
        refs[path] = moved.get(watch, watch)
    # MkDocs waits until nothing changed for 0.1 s, a pause polling needed; a save is told
    # in a few events within milliseconds (a checkout of many files may take two rebuilds)
    server.build_delay = _SETTLED


def _local(path: str) -> bool:
    """Whether `path` is on a local disk: the file system of the longest mount point that
    holds it (Linux's list of mounts; elsewhere, False)."""
    try:
        mounts = _MOUNTS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    real, found, kind = os.path.realpath(path), "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        if (real == point or real.startswith(point.rstrip("/") + "/")) and len(point) > len(
                found):
            found, kind = point, fields[2]
    return kind in _LOCAL
