"""Command line for editors and CI.

    binhdan check                 every problem in content/ and data/, in two languages
    binhdan template FILE.xlsx    an empty sheet of figures (drop-down lists of codes)
    binhdan import FILE.xlsx      check a sheet of figures, add it to data/observations/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dates import today
from .portal import load_portal
from .problems import Problems
from .progress import import_sheet, load_progress, write_template
from .site import load_site


def check(root: Path, content: str, data: str) -> int:
    portal, problems = load_portal(root, root / content, data, root / ".cache" / "binhdan")
    if problems.items:
        print(problems.report())
    if portal is None or problems.errors:
        print("\nChưa thể xuất bản: hãy sửa các lỗi trên. / Cannot publish: fix the errors above.")
        return 1
    pages = len(portal.plan.pages)
    print(f"Nội dung hợp lệ: {len(portal.items)} tệp, {pages} trang. / "
          f"Content is valid: {len(portal.items)} files, {pages} pages.")
    return 0


def template(root: Path, out: Path, data: str) -> int:
    problems = Problems()
    site = load_site(root, problems, data)
    if site is None or problems.errors:
        print(problems.report())
        return 1
    progress = load_progress(site, root / data, data, problems, today())
    write_template(out, site, progress.indicators)
    print(f"Đã tạo bảng mẫu / Template written: {out}")
    return 0


def import_file(root: Path, source: Path, data: str, name: str | None) -> int:
    problems = Problems()
    site = load_site(root, problems, data)
    if site is None or problems.errors:
        print(problems.report())
        return 1
    progress = load_progress(site, root / data, data, problems, today())
    if problems.errors:
        print(problems.report())
        return 1
    folder = root / data / "observations"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name or source.stem}.csv"
    if target.exists():
        print(f"Tệp đã có / Already exists: {target}. Dùng --name / use --name.")
        return 1
    written = import_sheet(source, target, site, progress.indicators, problems, today(),
                           progress.observations)
    if problems.errors:
        print(problems.report())
        print("\nChưa nhập: hãy sửa các dòng trên. / Not imported: fix the rows above.")
        return 1
    print(f"Đã nhập {written} dòng vào {target} / Imported {written} rows into {target}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="binhdan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check", help="check content/ and data/ without building")
    check_parser.add_argument("--root", type=Path, default=Path.cwd(),
                              help="project folder (default: current folder)")
    check_parser.add_argument("--content", default="content")
    check_parser.add_argument("--data", default="data")
    template_parser = sub.add_parser(
        "template", help="write an empty observations sheet (.xlsx or .csv) for officers")
    template_parser.add_argument("out", type=Path, nargs="?",
                                 default=Path("mau-so-lieu.xlsx"))
    import_parser = sub.add_parser(
        "import", help="check a sheet of figures and add it to data/observations/")
    import_parser.add_argument("file", type=Path)
    import_parser.add_argument("--name", help="file name under data/observations/")
    for sub_parser in (template_parser, import_parser):
        sub_parser.add_argument("--root", type=Path, default=Path.cwd())
        sub_parser.add_argument("--data", default="data")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.content, args.data)
    if args.command == "template":
        return template(args.root, args.out, args.data)
    if args.command == "import":
        return import_file(args.root, args.file, args.data, args.name)
    return 2


if __name__ == "__main__":
    sys.exit(main())
