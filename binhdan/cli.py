"""Command line for editors and CI.

    binhdan check                 every problem in content/ and data/, in two languages
    binhdan new TYPE "TITLE"      a new draft item, one commented file per language
    binhdan template FILE.xlsx    an empty sheet of figures (drop-down lists of codes)
    binhdan import FILE.xlsx      check a sheet of figures, add it to data/observations/
    binhdan deploy nginx|caddy    web-server config with security headers (docs/deployment.md)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .common.cache import usable_folder
from .common.parallel import WorkerLost
from .common.problems import Problems
from .figures.progress import import_sheet, load_progress, write_template
from .model.content import Item
from .model.dates import today
from .model.mkdocs_yml import cache_folder
from .model.scaffold import ScaffoldError, new_item
from .model.site import load_site
from .model.site_url import read_site_url
from .plan.portal import Portal, load_portal
from .publishing import deploy
from .publishing.publish import storage_error, worker_lost


def check(root: Path, content: str, data: str) -> int:
    portal, problems = load_portal(root, root / content, data,
                                   usable_folder(cache_folder(root)))
    if (root / "mkdocs.yml").is_file():  # missing or malformed, as the build reports it
        read_site_url(root / "mkdocs.yml", problems)
    if problems.items:
        print(problems.report())
    if portal is None or problems.errors:
        print("\nChưa thể xuất bản: hãy sửa các lỗi trên. / Cannot publish: fix the errors above.")
        return 1
    pages, files = len(portal.plan.pages), len(portal.items)
    scheduled = _scheduled(portal)
    drafts = sum(item.draft for item in portal.items)
    if scheduled:
        print(f"Hẹn ngày đăng: {len(scheduled)} tệp chưa có trang, tự xuất bản vào ngày ghi bên "
              f"cạnh. / Scheduled: {len(scheduled)} files not on the site yet, published on the "
              "day shown.")
        for item in scheduled:
            print(f"  {item.date:%d/%m/%Y}  {item.source}")
    print(f"Nội dung hợp lệ: {files} tệp ({len(scheduled)} hẹn ngày đăng, {drafts} bản nháp), "
          f"{pages} trang. / Content is valid: {files} files ({len(scheduled)} scheduled, "
          f"{drafts} drafts), {pages} pages.")
    return 0


def _scheduled(portal: Portal) -> list[Item]:
    """Valid items that are not drafts but have no page yet: dated in the future, they are
    published by the first build on or after their date."""
    planned = {spec.src_uri for spec in portal.plan.pages}
    return sorted((item for item in portal.items
                   if not item.draft and item.src_uri not in planned),
                  key=lambda item: (str(item.date), item.source))


def new(root: Path, content: str, data: str, type_key: str, title: str) -> int:
    problems = Problems()
    site = load_site(root, problems, data)
    if site is None or problems.errors:
        print(problems.report())
        return 1
    try:
        paths = new_item(site, root / content, type_key, title, today())
    except ScaffoldError as error:
        print(error)
        return 1
    for path in paths:
        print(f"Đã tạo / Created: {path.relative_to(root)}")
    print("Điền các trường, xóa 'draft: true' khi muốn đăng, rồi chạy make check. / Fill in "
          "the fields, remove 'draft: true' to publish, then run make check.")
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
    imported = import_sheet(source, target, site, progress.indicators, problems, today(),
                            progress.observations)
    if problems.items:
        print(problems.report())
    if problems.errors:
        print("\nChưa nhập: hãy sửa các dòng trên. / Not imported: fix the rows above.")
        return 1
    sheet_vi = f" (đọc trang tính '{imported.sheet}')" if imported.sheet else ""
    sheet_en = f" (read sheet '{imported.sheet}')" if imported.sheet else ""
    print(f"Đã nhập {imported.rows} dòng vào {target}{sheet_vi} / Imported {imported.rows} "
          f"rows into {target}{sheet_en}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="binhdan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check", help="check content/ and data/ without building")
    check_parser.add_argument("--root", type=Path, default=Path.cwd(),
                              help="project folder (default: current folder)")
    check_parser.add_argument("--content", default="content")
    check_parser.add_argument("--data", default="data")
    new_parser = sub.add_parser("new", help="start a new item (a draft) in every language")
    new_parser.add_argument("type", help="guide, news, story, infographic, video, material, "
                            "document, event, page")
    new_parser.add_argument("title")
    template_parser = sub.add_parser(
        "template", help="write an empty observations sheet (.xlsx or .csv) for officers")
    template_parser.add_argument("out", type=Path, nargs="?",
                                 default=Path("mau-so-lieu.xlsx"))
    import_parser = sub.add_parser(
        "import", help="check a sheet of figures and add it to data/observations/")
    import_parser.add_argument("file", type=Path)
    import_parser.add_argument("--name", help="file name under data/observations/")
    for sub_parser in (template_parser, import_parser, new_parser):
        sub_parser.add_argument("--root", type=Path, default=Path.cwd())
        sub_parser.add_argument("--data", default="data")
    new_parser.add_argument("--content", default="content")
    deploy_parser = sub.add_parser(
        "deploy", help="print an nginx or Caddy config for the built site (docs/deployment.md)")
    deploy_parser.add_argument("server", choices=deploy.SERVERS)
    deploy_parser.add_argument("--prefix", help="the site's path on the portal "
                               "(default: the path of site_url in mkdocs.yml)")
    deploy_parser.add_argument("--root", help="server folder holding the built site "
                               "(default: /var/www + prefix)")
    deploy_parser.add_argument("--embed-from", default="*", help="who may frame the "
                               "widget pages: '*' or origins ('https://a.gov.vn https://b.gov.vn')")
    deploy_parser.add_argument("--project", type=Path, default=Path.cwd())
    deploy_parser.add_argument("--data", default="data")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # `binhdan check | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 1
    except OSError as error:  # a full disk, a folder we may not write: one line, no traceback
        print(storage_error(error), file=sys.stderr)
        return 1
    except WorkerLost:  # `binhdan check` resizes photos on every core
        print(worker_lost(Path.cwd()), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        return check(args.root, args.content, args.data)
    if args.command == "new":
        return new(args.root, args.content, args.data, args.type, args.title)
    if args.command == "template":
        return template(args.root, args.out, args.data)
    if args.command == "import":
        return import_file(args.root, args.file, args.data, args.name)
    if args.command == "deploy":
        return deploy.run(args.server, args.project, args.data, args.prefix, args.root,
                          args.embed_from)
    return 2


if __name__ == "__main__":
    sys.exit(main())
