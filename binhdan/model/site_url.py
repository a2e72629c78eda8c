"""mkdocs.yml's `site_url`, read without MkDocs: the address every feed, the sitemap,
robots.txt and the server configuration are built on. `binhdan check` and `binhdan deploy`
read it here; the build checks MkDocs' own reading of it with `check_site_url`."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..common.problems import Problems
from . import mkdocs_yml
from .values import WEB_ADDRESS


def read_site_url(path: Path, problems: Problems) -> str:
    """site_url from mkdocs.yml, without MkDocs (its Python and !ENV tags are neither run nor
    read). An unreadable file or a missing or malformed site_url is reported (`binhdan
    check`, `binhdan deploy`) and "" returned."""
    try:
        value, _ = _site_url_node(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        problems.add("bad_config_file", path.name, mark.line + 1 if mark else None,
                     file=path.name, detail=(
                         "tệp không đọc được hoặc sai cú pháp YAML (thụt lề, dấu hai chấm, dấu "
                         "ngoặc kép)", "the file is unreadable or not valid YAML (indentation, "
                         "colons, quotes)"))
        return ""
    return value if check_site_url(value, path, problems) else ""


def check_site_url(value: str, config_file: Path, problems: Problems) -> bool:
    """Report a missing or malformed site_url (ours or MkDocs' reading of it): it becomes the
    address in feeds, the sitemap and robots.txt, and the host and path of the server
    configuration. True when it is usable."""
    rel = config_file.name
    if not value:
        problems.add("missing_site_url", rel, field="site_url")
        return False
    try:
        line = _site_url_node(config_file)[1]
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        line = None
    return WEB_ADDRESS.check(value, rel, line, "site_url", problems,
                             example="https://tuyenquang.gov.vn/binh-dan-hoc-vu-so/")


def _site_url_node(path: Path) -> tuple[str, int | None]:
    """The plain-text value of mkdocs.yml's `site_url` and its line ("" when absent or
    given by a tag such as !ENV)."""
    node = mkdocs_yml.setting(mkdocs_yml.compose(path), "site_url")
    if not isinstance(node, yaml.ScalarNode):
        return "", None
    text = node.value if node.tag == "tag:yaml.org,2002:str" else ""
    return text, node.start_mark.line + 1
