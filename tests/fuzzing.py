"""Bounded fuzzing of `binhdan check` and `mkdocs build` (run by tests/test_fuzz.py).

Usage: python tests/fuzzing.py PROJECT SEED SECONDS

Each round restores the project's files, applies one random mutation to one file under
content/ or data/ (bytes, characters of every Unicode category, YAML structure, sizes), runs
`binhdan check` in this process and, every few rounds, `mkdocs build` as an editor would. It
prints one JSON line per finding: an uncaught exception, a traceback in the build's output, an
exit code other than 0/1, a failed check or build whose report names no file, or a failed
build that changed the published site. The memory and time of each round are bounded, so
an unbounded input shows up as a finding, not as a stuck machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from binhdan.cli import main as binhdan

ROUND_SECONDS = 30
MEMORY_LIMIT = 3 * 1024**3  # an alias bomb must be refused long before this

# Characters editors paste from Word, PDFs, chat apps and other scripts, by Unicode category.
ODD_CHARACTERS = [
    "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9b",  # controls (Cc)
    "\u00ad", "\u200b", "\u200d", "\u200e", "\u202e", "\u2066", "\ufeff",  # format (Cf)
    "\u2028", "\u2029",  # line and paragraph separators (Zl, Zp)
    "\u0301", "\u0323", "\u0309",  # combining tone marks alone (Mn)
    "\ue000", "\U000f0000",  # private use (Co)
    "\ufffd", "\ufffe", "\U0001f600", "\U0001f469\u200d\U0001f4bb",  # specials, emoji, ZWJ
    "中文", "ꀀ", "ꦲ", "𖬀",  # CJK, Yi, Javanese, Pahawh Hmong
    "a\u0308\u0301\u0323", "Đ", "Ǆ", "ß", "ﬁ", "Ａ",  # stacked marks, case and width oddities
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "{{ config }}", "{% raw %}", "&amp;&#0;&#x110000;", "${PATH}", "%s%n", "../../../etc/passwd",
]
YAML_SNIPPETS = [
    "&a [x, x]", "*a", "*missing", "!!python/object/apply:os.system ['true']", "!!binary aGk=",
    "? complex\n: key", "<<: *a", "[", "{", "]", "}", "'unclosed", "\"unclosed", "|", ">-",
    "- item", "key: value: other", "@reserved", "`tick", "%YAML 1.1", "---", "...", "#",
    "0x1F", "1e999", "-.inf", ".nan", "2026-02-31", "31/02/2026", "null", "~", "true",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
]


def _flip_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw or b" ")
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _insert_character(raw: bytes, rng: random.Random) -> bytes:
    text = raw.decode("utf-8", "replace")
    at = rng.randint(0, len(text))
    return (text[:at] + rng.choice(ODD_CHARACTERS) + text[at:]).encode("utf-8", "surrogatepass")


def _invalid_utf8(raw: bytes, rng: random.Random) -> bytes:
    at = rng.randint(0, len(raw))
    return raw[:at] + rng.choice([b"\xed\xa0\x80", b"\xff", b"\xc3", b"\xe1\xbb"]) + raw[at:]


def _yaml_line(raw: bytes, rng: random.Random) -> bytes:
    """Break the structure of a YAML line: the front matter's or a data file's."""
    lines = raw.decode("utf-8", "replace").split("\n")
    yaml_end = len(lines)
    if lines and lines[0].strip() == "---":  # front matter: stay inside it
        yaml_end = next((n for n in range(1, len(lines)) if lines[n].strip() == "---"),
                        len(lines))
    index = rng.randrange(max(1, yaml_end))
    line = lines[index] if index < len(lines) else ""
    choice = rng.randrange(8)
    if choice == 0:
        lines.pop(index) if lines else None
    elif choice == 1:
        lines.insert(index, line)
    elif choice == 2:
        lines[index:index + 1] = [" " * rng.randint(1, 7) + line]
    elif choice == 3:
        lines[index:index + 1] = [line.replace(": ", ":", 1).replace(":", ": :", 1)]
    elif choice == 4:
        lines[index:index + 1] = ["\t" + line]
    elif choice == 5:
        key = line.split(":", 1)[0] if ":" in line else "title"
        lines[index:index + 1] = [f"{key}: {rng.choice(YAML_SNIPPETS)}"]
    elif choice == 6:
        lines.insert(index, rng.choice(YAML_SNIPPETS))
    else:
        key = line.split(":", 1)[0] if ":" in line else "title"
        lines[index:index + 1] = [f"{key}: |", "  first line", "  second line"]
    return "\n".join(lines).encode("utf-8")


def _alias_bomb(raw: bytes, rng: random.Random) -> bytes:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, rng.randint(6, 12)):
        previous = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    bomb = "\n".join(levels) + "\n"
    if raw.startswith(b"---"):
        return b"---\n" + bomb.encode() + raw[4:]
    return bomb.encode() + raw


def _resize(raw: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return raw[:rng.randint(0, len(raw))]
    if choice == 1:
        return b""
    lines = raw.split(b"\n")
    index = rng.randrange(len(lines))
    if choice == 2:
        lines[index:index + 1] = [lines[index]] * rng.choice([100, 5000])
        return b"\n".join(lines)
    return raw + b"\n" + (b"x" * rng.choice([70_000, 2_000_000]))


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip_bytes": _flip_bytes,
    "insert_character": _insert_character,
    "invalid_utf8": _invalid_utf8,
    "yaml_line": _yaml_line,
    "alias_bomb": _alias_bomb,
    "resize": _resize,
}


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: object) -> None:
    raise _Timeout(f"round took over {ROUND_SECONDS} s")


def _check(project: Path) -> tuple[int | None, str, str | None]:
    """`binhdan check` in this process: (exit code, what it printed, uncaught traceback)."""
    out = io.StringIO()
    signal.alarm(ROUND_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = binhdan(["check", "--root", str(project)])
        return code, out.getvalue(), None
    except SystemExit as exit_:
        return (exit_.code if isinstance(exit_.code, int) else 1), out.getvalue(), None
    except BaseException:  # every escape is the finding
        return None, out.getvalue(), traceback.format_exc()
    finally:
        signal.alarm(0)


def _build(project: Path, site: Path) -> tuple[int | None, str]:
    """`mkdocs build` of the project; a build still running after its time is stopped with
    SIGABRT so that Python prints where it was (faulthandler) into the finding."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONFAULTHANDLER": "1"}
    with subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict",
                           "-d", str(site)], cwd=project, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as child:
        try:
            out, _ = child.communicate(timeout=ROUND_SECONDS * 8)  # 1 MB bodies: slow, no crash
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGABRT)
            out, _ = child.communicate()
            return None, "build timed out; where it was:\n" + out
    return child.returncode, out


def _names_a_file(report: str) -> bool:
    return any(marker in report for marker in ("content/", "data/", "mkdocs.yml"))


def main() -> int:
    project, seed, seconds = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _on_alarm)
    rng = random.Random(seed)
    files = sorted(p for folder in ("content", "data") for p in (project / folder).rglob("*")
                   if p.is_file() and p.suffix in (".md", ".yml", ".csv"))
    originals = {path: path.read_bytes() for path in files}
    site = project / "site"
    code, out = _build(project, site)
    if code != 0:
        print(json.dumps({"finding": "the unmutated project does not build", "output": out}))
        return 1
    published = _tree_digest(site)
    deadline = time.monotonic() + seconds
    rounds = builds = 0
    while time.monotonic() < deadline:
        rounds += 1
        path = rng.choice(files)
        name = rng.choice(sorted(MUTATIONS))
        path.write_bytes(MUTATIONS[name](originals[path], rng))
        case = {"seed": seed, "round": rounds, "file": str(path.relative_to(project)),
                "mutation": name}
        code, out, crash = _check(project)
        if crash or code not in (0, 1) or (code == 1 and not _names_a_file(out)):
            print(json.dumps({**case, "finding": "check", "code": code,
                              "output": (crash or out)[-3000:]}), flush=True)
        elif rounds % 4 == 0 or (code == 0 and rounds % 2 == 0):
            builds += 1
            checked = code
            code, out = _build(project, site)
            now = _tree_digest(site)
            if code is None or "Traceback" in out or code not in (0, 1) or (
                    code == 1 and (checked == 0 or not _names_a_file(out) or now != published)):
                print(json.dumps({**case, "finding": "build", "code": code,
                                  "check_code": checked, "site_changed": now != published,
                                  "output": out[-3000:]}), flush=True)
            published = now
        path.write_bytes(originals[path])
    print(json.dumps({"rounds": rounds, "builds": builds}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
