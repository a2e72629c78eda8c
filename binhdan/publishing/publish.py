"""Publishing you can trust: one build at a time per output folder, and a switch in one step.

The layout beside the published folder (`site` here; any `-d` folder works the same):

    site -> .site.releases/20261121T101500Z-3f9a2c     a symbolic link: what visitors get
    .site.releases/
        .lock                       held by the build that is running (flock: freed by the
                                    kernel when that build ends, even when it is killed)
        .building-<pid>-<random>/   that build's own staging folder
        20261121T101500Z-3f9a2c/    the current release
        20261120T000500Z-b71e04/    the previous one (kept for going back, nothing older)

A web server may be serving `site` while a build runs, a second build may start (CI, a
second terminal) and any build can fail or be killed halfway (an error in the content, a
strict-mode warning, a full disk). So:

- a build waits for the lock before it touches anything here, and only ever writes its own
  staging folder; leftovers of killed builds are removed only under the lock, when their
  owner is provably gone;
- publishing switches `site` to the finished release with one `rename` of a new symbolic
  link over the old one: atomic on POSIX file systems, so visitors, web servers and a crash
  at any moment see the whole old site or the whole new one, never a mix and never none
  (nginx and Caddy follow the link on every request; `scripts/publish-release.sh` does the
  same on the server);
- a `site` that is still a real folder (built before this layout) is exchanged with the
  link in one step where Linux offers it (`renameat2`), and kept as the previous release.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from ..common.folders import remove_later
from ..common.parallel import WorkerLost
from ..common.problems import Problem
from ..model.content import Memory
from ..outputs.pipeline import Pipeline, Published, Settings, start
from ..plan.pages import Plan


class PublishError(Exception):
    """A problem with the output folder, not with the content: its message is one bilingual
    line for the officer (what happened to which folder, and what to do)."""


def storage_error(error: OSError, shown: Path | None = None) -> PublishError:
    """A disk-full, permission or read-only error as one line naming the folder, instead of a
    traceback. `shown` replaces a path nobody needs to know (a staging folder) when given."""
    codes = {errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full", errno.EFBIG: "disk_full",
             errno.EACCES: "no_permission", errno.EPERM: "no_permission",
             errno.EROFS: "read_only_disk"}
    path = Path(error.filename) if error.filename else Path.cwd()
    folder = shown or (path if path.is_dir() else path.parent)
    problem = Problem(codes.get(error.errno or 0, "storage_error"), str(folder),
                      params=(("folder", str(folder)), ("reason", error.strerror or str(error))))
    return PublishError(one_line(problem))


def worker_lost(folder: Path) -> PublishError:
    """A process of the build that the system stopped (`WorkerLost`), as one line."""
    return PublishError(one_line(Problem("worker_lost", str(folder))))


def one_line(problem: Problem, label: str = "LỖI / ERROR: ") -> str:
    """A build or publish message on one line, Vietnamese first (they are few and short)."""
    return f"{label}{problem.text('vi')} / {problem.text('en')}"


class Stopped(Exception):
    """Content or data has errors: the message is the editor-facing report."""


class Build:
    """One build of an output folder, whatever engine writes the files: wait for the lock,
    read and check (`pipeline.start`), hand the engine the folder to write and the files,
    then publish the finished release in one step or leave the site as it was.

    `locked`: one build at a time per folder (`build`; a preview writes its own folder);
    `staged`: written to a staging folder and switched in (not for a build in place, `dirty`,
    which rewrites only the pages an edit changed); `lasting`: the process goes on after
    the build (a preview server)."""

    def __init__(self, target: Path, *, locked: bool, dirty: bool, lock_timeout: float,
                 report: Callable[[str], None], alarm: Callable[[str], None],
                 lasting: bool = False) -> None:
        self.target, self.dirty, self.report, self.alarm = target, dirty, report, alarm
        self.lasting = lasting
        self.output = StagedSite(target) if locked else None
        self.staged = locked and not dirty
        self.lock_timeout = lock_timeout
        self.site_dir = target  # where the engine writes
        self.pipeline: Pipeline | None = None
        self.started = time.monotonic()
        self.warnings = 0
        self.finished = False  # every file was written

    def start(self, settings: Settings, memory: Memory | None = None) -> Pipeline:
        """Lock first (the build after a wait reads the latest content), then read, check and
        prepare. Raises PublishError (the folder) or Stopped (the content)."""
        if self.output is not None:
            self.output.lock(self.lock_timeout, self.report)
            self.started = time.monotonic()  # the summary tells the build's time, not the wait
        pipeline, problems = start(settings, memory, self.report,
                                   self.site_dir if self.dirty else None)
        self.warnings = len(problems.warnings)
        if pipeline is None:
            raise Stopped("\n" + problems.report())
        pipeline.track(self.output.releases if self.output else self.target)
        if self.staged and self.output is not None:
            self.site_dir = self.output.stage()
        self.pipeline = pipeline
        return pipeline

    def files(self) -> Iterator[Published]:
        """Every file to write; in place, only the pages an edit changed."""
        assert self.pipeline is not None, "start() first"
        if self.dirty:
            self.pipeline.leave_unchanged(self.site_dir)
        return self.pipeline.files()

    def written(self) -> None:
        """The engine wrote every file: in place, delete what is gone and remember."""
        assert self.pipeline is not None
        if self.dirty:
            self.pipeline.drop_stale(self.site_dir)
        if not self.staged:
            self.pipeline.remember()
        self.pipeline.close(self.lasting)
        self.finished = True
        if not self.staged:  # nothing is published after: let the collector free the build
            self.pipeline = None  # (make serve holds this Build until its next rebuild)

    def storage_error(self, error: OSError) -> PublishError:
        return self.output.storage_error(error) if self.output else storage_error(error)

    def told(self, error: Exception) -> PublishError | None:
        """A failure that is neither the content's nor a defect, as the one line an officer
        is told: a disk that is full, read-only or not ours, a process the system stopped.
        None for anything else."""
        if isinstance(error, OSError):
            return self.storage_error(error)
        if isinstance(error, WorkerLost):
            return worker_lost(self.target)
        return None

    def finish(self, failed: bool) -> None:
        """Publish the staged release if every file was written and nothing failed (else
        tell the officer the site is unchanged), then let the next build in. Raises
        PublishError when the disk refuses."""
        output, self.output = self.output, None
        if self.pipeline is not None:
            self.pipeline.close()  # a failed build's too
        if output is None:
            return
        try:
            if self.staged:
                self._publish(output, failed)
        finally:
            output.release()

    def _publish(self, output: StagedSite, failed: bool) -> None:
        if failed or not self.finished:
            self.alarm(output.unchanged())
            return
        assert self.pipeline is not None
        try:
            output.publish()
        except OSError as error:
            self.alarm(output.unchanged())
            raise output.storage_error(error) from None
        self.site_dir = output.target
        self.report(build_summary(self.pipeline.portal.plan, output.target, self.warnings,
                                  time.monotonic() - self.started))
        try:
            self.pipeline.remember()
        except OSError as error:
            raise output.storage_error(error) from None


class StagedSite:
    """One build's hold on an output folder: the lock, its staging folder, the switch."""

    def __init__(self, target: Path) -> None:
        # `site` itself may be a link: never resolve its last part
        self.target = Path(os.path.abspath(target))
        self.releases = self.target.with_name(f".{self.target.name}.releases")
        self.staging: Path | None = None
        self._lock: FileLock | None = None

    def lock(self, wait: float, say: Callable[[str], None]) -> None:
        """Wait up to `wait` seconds for a build of the same folder to finish: CI and a
        second terminal expect the second build to run after the first, not to fail."""
        try:
            self.releases.mkdir(parents=True, exist_ok=True)
            lock = FileLock(self.releases / ".lock")
            try:
                lock.acquire(timeout=0)
            except Timeout:
                say(one_line(Problem("build_waiting", str(self.target), params=(
                    ("folder", str(self.target)), ("minutes", _minutes(wait)))), label=""))
                lock.acquire(timeout=wait)
        except Timeout:
            raise PublishError(one_line(Problem("build_still_running", str(self.target), params=(
                ("folder", str(self.target)), ("minutes", _minutes(wait)))))) from None
        except OSError as error:
            raise self.storage_error(error) from None
        self._lock = lock

    def stage(self) -> Path:
        """A staging folder of this build's own. Anything else whose name starts with a dot
        (staging folders, links half made) was left by a build that was killed: we hold the
        lock, so its owner is gone."""
        assert self._lock is not None, "stage() needs the lock"
        for leftover in self.releases.iterdir():
            if leftover.name.startswith(".") and leftover.name != ".lock":
                remove_later(leftover)
        self.staging = self.releases / f".building-{os.getpid()}-{secrets.token_hex(4)}"
        self.staging.mkdir()
        return self.staging

    def publish(self) -> None:
        """Make the staged build the site in one step; keep the previous release for going
        back and delete older ones in the background (tens of thousands of files take
        seconds the officer need not wait for)."""
        assert self.staging is not None
        release = self.releases / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-" \
                                  f"{secrets.token_hex(3)}"
        os.rename(self.staging, release)
        self.staging = None
        previous = self._current()
        link = self.releases / f".link-{release.name}"
        os.symlink(os.path.join(self.releases.name, release.name), link)
        if self.target.is_dir() and not self.target.is_symlink():
            previous = self.releases / f"{release.name}-before"
            _exchange(link, self.target)  # the old folder is now at `link`
            os.rename(link, previous)
        else:
            os.replace(link, self.target)
        keep = {release.name, ".lock", previous.name if previous else ""}
        try:  # the site is published: an old release left here is removed next time
            for old in self.releases.iterdir():
                if old.name not in keep:
                    remove_later(old)
        except OSError:
            pass

    def unchanged(self) -> str:
        """What the officer reads when a build is not published."""
        return (f"Bản dựng lỗi: {self.target} không thay đổi. / "
                f"The build failed: {self.target} is unchanged.")

    def _current(self) -> Path | None:
        """The release `site` points to now, if it is one of ours."""
        if not self.target.is_symlink():
            return None
        current = (self.target.parent / os.readlink(self.target)).resolve()
        return current if current.parent == self.releases.resolve() else None

    def storage_error(self, error: OSError) -> PublishError:
        """Name the output folder, not a path inside its hidden releases, nor the current
        folder when the system does not say which file a full disk refused (write, close)."""
        if not error.filename:
            return storage_error(error, self.target)
        path = Path(error.filename)
        inside = path != self.releases and path.is_relative_to(self.releases)
        return storage_error(error, self.target if inside else None)

    def release(self) -> None:
        """Remove an unfinished staging folder (a failed or interrupted build) and let the
        next build in."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}"


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`; no maintained Python
    package wraps it). Only used once per output folder: to turn a real `site` folder into
    the link. Elsewhere the two renames leave a moment without `site`, once."""
    libc = ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_cwd, exchange = -100, 2
        if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # file system can't
            raise OSError(code, os.strerror(code), str(second))
    aside = first.with_name(first.name + "-aside")
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)


def build_summary(plan: Plan, target: Path, warnings: int, seconds: float) -> str:
    """One screen for the officer: what was published, in which languages, how long it took."""
    pages = Counter(spec.lang for spec in plan.pages)
    items = Counter(spec.entry.item.type for spec in plan.pages
                    if spec.entry and spec.kind == "item" and not spec.entry.fallback)
    item_counts = " · ".join(f"{t.label[0]}/{t.key} {n}" for t, n in
                             sorted(items.items(), key=lambda pair: pair[0].key))
    page_counts = " · ".join(f"{lang} {n}" for lang, n in pages.items())
    warned = (f"{warnings} (xem ở trên / listed above)" if warnings else "0")
    return "\n".join([
        f"Đã xuất bản / Published: {target} ({seconds:.1f} s)",
        f"  Trang theo ngôn ngữ / pages per language: {page_counts}",
        f"  Bài theo loại / items per type: {item_counts}",
        f"  Cảnh báo / warnings: {warned}",
    ])
