"""Command line for editors and CI: `binhdan check` lists every problem, in two languages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .portal import load_portal


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="binhdan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check", help="check content/ and data/ without building")
    check_parser.add_argument("--root", type=Path, default=Path.cwd(),
                              help="project folder (default: current folder)")
    check_parser.add_argument("--content", default="content")
    check_parser.add_argument("--data", default="data")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.root, args.content, args.data)
    return 2


if __name__ == "__main__":
    sys.exit(main())
