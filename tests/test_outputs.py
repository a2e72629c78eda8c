"""The core owns the build (binhdan/outputs/pipeline.py, layout.py): run without MkDocs, its
pipeline writes the same site, byte for byte, as `mkdocs build` publishes. Moving to another engine
means rewriting the adapter, not the pages, feeds, search index, open data, cards or editor."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, TODAY, build

# Runs in its own process, so that nothing a test or conftest imported counts. The Markdown
# settings are the fixture's mkdocs.yml as MkDocs reads it (its built-in toc, tables and
# fenced_code first).
CORE_ONLY = """
import sys
from pathlib import Path
from binhdan.outputs.pipeline import Settings, start, write_site
from binhdan.slugs import heading_id

root = Path.cwd()
pipeline, problems = start(Settings(
    root / "mkdocs.yml", root / "content", "data", sys.argv[1],
    ["toc", "tables", "fenced_code", "attr_list"], {"toc": {"slugify": heading_id}}),
    report=lambda line: None)
assert pipeline is not None, problems.report()
pipeline.pages.threshold = int(sys.argv[3])  # pages on every core from this many
if pipeline.pages.threshold == 1:  # several processes even on a one-core machine
    import os
    os.cpu_count = lambda: 2
write_site(pipeline, Path(sys.argv[2]))
assert "mkdocs" not in sys.modules, sorted(m for m in sys.modules if m.startswith("mkdocs"))
assert "material" not in sys.modules
"""

SITE_URL = "https://eatrang.example.gov.vn/"


def _core_only(project: Path, folder: Path, pool_from: int = 200) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-c", CORE_ONLY, SITE_URL, str(folder),
                           str(pool_from)], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "BINHDAN_TODAY": TODAY})
    assert done.returncode == 0, done.stderr
    return _files(folder)


def _files(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): _digest(path)
            for path in site.rglob("*") if path.is_file()}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_core_alone_builds_the_same_site_as_mkdocs(project: Path, tmp_path: Path) -> None:
    """Every file, pages included: the pages, 404 page and service worker rendered by the
    core, the theme's files, editors' files, feeds, calendars, search index, open data,
    cards, the web editor, sitemap and robots. The theme here has a read-me, a Python file
    and an XML file that is not a template; the site's mkdocs.yml excludes PNG files from
    its documentation (which must not drop the share cards)."""
    theme = project / "overrides"
    shutil.copytree(ROOT / "overrides", theme)
    (theme / "README.md").write_text("# Our theme\n", encoding="utf-8")
    (theme / "tools.py").write_text("print('not published')\n", encoding="utf-8")
    (theme / "assets" / "browserconfig.xml").write_text("<browserconfig/>\n",
                                                       encoding="utf-8")
    settings = project / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        str(ROOT / "overrides"), "overrides") + "exclude_docs: |\n  *.png\n",
        encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    published = _files(built.site.resolve())
    alone = _core_only(project, tmp_path / "alone")
    assert alone == published
    kinds = ("index.html", "404.html", "sw.js", "assets/portal.css", "sitemap.xml",
             "robots.txt", "admin/index.html", "search-index/", "open-data/", "og/", ".ics")
    assert all(any(kind in address for address in alone) for kind in kinds)
    assert sum(address.endswith("/index.html") for address in alone) > 50
    assert "assets/browserconfig.xml" in alone and any(a.startswith("og/") for a in alone)
    assert not {"README.md", "tools.py"} & set(alone)


def test_pages_render_the_same_in_one_process_and_in_many(project: Path,
                                                          tmp_path: Path) -> None:
    """Pages are rendered by forked workers on a big site, in this process on a small
    one: the bytes are the same whichever did it."""
    many = _core_only(project, tmp_path / "many", pool_from=1)
    one = _core_only(project, tmp_path / "one", pool_from=1_000_000)
    assert many == one


def _fails(path: str) -> None:
    raise OSError(28, "No space left on device", path)


PARENT = os.getpid()


def _square_or_die(job: int) -> int:
    if os.getpid() != PARENT and job < 0:
        os.kill(os.getpid(), 9)  # a worker the system killed (out of memory)
    return job * job


def test_work_in_a_background_process_ends_the_build_as_it_would_here() -> None:
    """The search index is built in a forked process while the build goes on. Its result
    comes back; its error comes back as itself (a full disk still names its folder, see
    publish.storage_error); a process killed (out of memory) fails the build at once
    instead of leaving it waiting for ever."""
    from binhdan.common import parallel

    assert parallel.in_background(sorted, [3, 1, 2])() == [1, 2, 3]
    with pytest.raises(OSError) as raised:
        parallel.in_background(_fails, "/srv/site/search-index")()
    assert raised.value.filename == "/srv/site/search-index" and raised.value.errno == 28
    with pytest.raises(parallel.WorkerLost, match="exit code -9"):
        parallel.in_background(lambda: os.kill(os.getpid(), 9))()


def test_pages_shared_between_processes_come_back_once_or_fail_the_build(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages render on the other cores from early on, and this process takes the chunks
    left (parallel.Shared): every page comes back exactly once; a worker killed on the
    way fails the build at once instead of leaving it waiting for a page for ever."""
    from binhdan.common import parallel

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    shared = parallel.Shared(_square_or_die, range(500), chunksize=7, threshold=1)
    time.sleep(0.3)  # the worker has begun
    assert sorted(shared.results()) == [job * job for job in range(500)]
    shared = parallel.Shared(_square_or_die, range(-20, 480), chunksize=7, threshold=1)
    time.sleep(0.5)  # the worker has taken the first chunk, and died of it
    with pytest.raises(parallel.WorkerLost):
        list(shared.results())


@pytest.mark.parametrize("runner", ["map_all", "start_all"])
def test_a_pool_worker_killed_fails_the_build_instead_of_waiting_for_ever(
        monkeypatch: pytest.MonkeyPatch, runner: str) -> None:
    """Markdown, cards, QR codes and photos go to pools: a worker the system kills on the
    way (out of memory) fails the build; multiprocessing's own Pool waited for its jobs for
    ever. Every job comes back once when none dies."""
    from binhdan.common import parallel

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    run = getattr(parallel, runner)
    assert sorted(run(_square_or_die, range(500), chunksize=7, threshold=1)) == [
        job * job for job in range(500)]
    raised: list[BaseException] = []

    def killed() -> None:  # the parent takes the first half in map_all
        try:
            list(run(_square_or_die, [*range(300), *range(-20, 0)], chunksize=7, threshold=1))
        except BaseException as error:
            raised.append(error)

    waiting = threading.Thread(target=killed, daemon=True)
    waiting.start()
    waiting.join(60)
    assert not waiting.is_alive(), "still waiting for a killed worker's jobs"
    assert [type(error) for error in raised] == [parallel.WorkerLost]


ENGINE_NAMES = {"page", "config", "nav", "base_url", "extra_css", "extra_javascript",
                "mkdocs_version", "build_date_utc", "lang", "i18n_page_locale"}


def test_templates_read_only_the_cores_view() -> None:
    """Templates lay out what `portal` (PortalView) gives them and nothing an engine would:
    a template still written for MkDocs' page object would render an empty body, silently."""
    from jinja2 import meta

    from binhdan.outputs.layout import Layout

    env = Layout(ROOT / "overrides").env
    templates = [*(ROOT / "overrides").rglob("*.html"), ROOT / "overrides" / "sw.js"]
    assert len(templates) > 30
    for path in templates:
        names = meta.find_undeclared_variables(env.parse(path.read_text(encoding="utf-8")))
        assert not names & ENGINE_NAMES, (path.name, names & ENGINE_NAMES)


# An address assembled in a template: a word of the URL scheme or a folder the build writes,
# joined by hand. Such addresses drift from the pages the plan makes (pages.Urls, portal.py).
HAND_MADE_ADDRESS = re.compile(
    r"""~\s*['"]/|['"]/['"]\s*~|i18n\.path\(|['"](?:open-data|search-index|og|admin)/""")


def test_templates_take_every_address_from_its_owner() -> None:
    """Pages, feeds, calendars, data pages, downloads and the search index each have one
    owner in the core; a template asks it (`portal.urls.report(label)`), never builds one."""
    templates = [*(ROOT / "overrides").rglob("*.html"), ROOT / "overrides" / "sw.js"]
    made = [(path.name, line.strip()) for path in templates
            for line in path.read_text(encoding="utf-8").splitlines()
            if HAND_MADE_ADDRESS.search(line)]
    assert made == []


# A preview's rebuilds in one process, as `make serve` runs them: each an in-place build
# (not staged) after an edit, with the memory a preview keeps between rebuilds.
PREVIEW = """
import gc, sys, time, weakref
from pathlib import Path
from binhdan.model.content import Memory
from binhdan.outputs.pipeline import Settings, put
from binhdan.publishing.publish import Build

root, site = Path.cwd(), Path(sys.argv[1])
edited = root / "content/news/lop-hoc-buon-mot.vi.md"
text = edited.read_text(encoding="utf-8")
memory, builds = Memory(), []
for number in range(4):
    edited.write_text(text.replace("title: ", f"title: Lần {number} ", 1), encoding="utf-8")
    build = Build(site, locked=False, dirty=True, lock_timeout=10, report=lambda line: None,
                  alarm=print)
    pipeline = build.start(Settings(root / "mkdocs.yml", root / "content", "data",
                                    "http://127.0.0.1:8000/", ["toc"], {}), memory)
    if builds:  # while this build runs, the one before it is gone already
        assert builds[-1][0]() is None, f"build {number - 1} still in memory in build {number}"
    builds.append((weakref.ref(pipeline), weakref.ref(pipeline.portal)))
    for published in build.files():
        put(published, site / published.address)
    build.written()
    del pipeline, published
    time.sleep(1)  # the editor reads the page
assert "Lần 3 Lớp học" in (site / "tin-tuc/lop-hoc-buon-mot/index.html").read_text()
alive = [number for number, (pipeline, portal) in enumerate(builds[:-1])
         if pipeline() is not None or portal() is not None]
assert not alive, f"builds still in memory: {alive} of {len(builds)}"
"""


def test_a_long_preview_keeps_no_earlier_build_in_memory(project: Path, tmp_path: Path
                                                        ) -> None:
    """An officer keeps `make serve` open all day: each saved edit rebuilds in the same
    process. Nothing of an earlier rebuild (its pipeline, its portal with every item, page
    and feed) may stay alive after the next, nor the previous build's pipeline during the
    next: a cache kept on a class held every build's feeds (20 MB more per saved edit at
    1,000 items x 2), and a finished build kept its pipeline until the next rebuild."""
    done = subprocess.run([sys.executable, "-c", PREVIEW, str(tmp_path / "site")],
                          cwd=project, capture_output=True, text=True,
                          env={**os.environ, "BINHDAN_TODAY": TODAY})
    assert done.returncode == 0, done.stdout + done.stderr
