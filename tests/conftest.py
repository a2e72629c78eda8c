"""Shared fixtures: build real sites (the example portal, the Ea Trang commune fixture) with the
real `mkdocs` and `binhdan` commands into temporary folders, and parse what they wrote."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from binhdan.outputs.pipeline import SCRATCH_PREFIX
from screenshots import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent
# Builds are pinned to one publishing day so that scheduled items and "upcoming" events
# do not change with the calendar.
TODAY = "2026-11-21"


@dataclass
class Result:
    code: int
    out: str  # stdout + stderr


@dataclass
class Built:
    site: Path
    result: Result

    def html(self, url: str) -> BeautifulSoup:
        path = self.site / url.lstrip("/")
        if url.endswith("/") or url == "":
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def exists(self, url: str) -> bool:
        return (self.site / url.lstrip("/") / "index.html").is_file()


COMMAND_TIMEOUT = 600  # seconds: the slowest build of the suite takes about a minute


def run(args: list[str], cwd: Path, **env: str) -> Result:
    """Run one of the installed commands (mkdocs, binhdan) as an editor would."""
    if not Path(args[0]).is_absolute():
        args = [str(BIN / args[0]), *args[1:]]
    environment = {**os.environ, "BINHDAN_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1", **env}
    # a command that hangs fails its test instead of the whole run
    done = subprocess.run(args, cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=COMMAND_TIMEOUT)
    return Result(done.returncode, done.stdout + done.stderr)


@contextmanager
def example_cache_held() -> Iterator[None]:
    """The example builds in place, so its build cache (ROOT/.cache) is shared by the test
    processes (`pytest -n 2`): its builds and copies of its cache take turns."""
    lock = Path(tempfile.gettempdir()) / f"binhdan-tests-{ROOT.stat().st_ino}.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


def build(project: Path, out: Path, strict: bool = True, dirty: bool = False,
          **env: str) -> Built:
    args = [str(BIN / "mkdocs"), "build", "--dirty" if dirty else "--clean", "-d", str(out)]
    if strict:
        args.append("--strict")
    if project != ROOT:
        return Built(out, run(args, project, **env))
    with example_cache_held():
        return Built(out, run(args, project, **env))


def forget_cache(project: Path) -> None:
    """Build from nothing, as on a new CI machine: the cache is moved out of the project in
    one step (its last build's scratch folder may still be being removed in the background)."""
    (project / ".cache").rename(Path(tempfile.mkdtemp(dir=project.parent)) / "old-cache")


def copy_example(target: Path) -> Path:
    """A writable copy of the example portal with its build cache (cards and pictures
    already drawn by the session's build): later builds of it start warm."""
    target.mkdir()
    for name in ("content", "data", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target)
    with example_cache_held():
        shutil.copytree(ROOT / ".cache", target / ".cache", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(f"{SCRATCH_PREFIX}*"))
    return target


def check(project: Path) -> Result:
    return run([str(BIN / "binhdan"), "check"], project)


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build(ROOT, tmp_path_factory.mktemp("example") / "site")
    assert built.result.code == 0, built.result.out
    return built


@pytest.fixture(scope="session")
def commune(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build(FIXTURES / "ea-trang", tmp_path_factory.mktemp("commune") / "site")
    assert built.result.code == 0, built.result.out
    return built


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium through Playwright (tools cannot download their own browsers)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def example_url(example: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example portal served under its sub-path, as under a provincial e-portal."""
    root = tmp_path_factory.mktemp("webroot")
    (root / "binh-dan-hoc-vu-so").symlink_to(example.site, target_is_directory=True)
    server, url = serve(root)
    yield url + "binh-dan-hoc-vu-so/"
    server.shutdown()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the Ea Trang fixture, for tests that break or change content."""
    target = tmp_path / "project"
    # without the build cache a session fixture may have left in the fixture folder
    shutil.copytree(FIXTURES / "ea-trang", target, ignore=shutil.ignore_patterns(".cache"))
    mkdocs_yml = target / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "../../../overrides", str(ROOT / "overrides")), encoding="utf-8")
    return target
