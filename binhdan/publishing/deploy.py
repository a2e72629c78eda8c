"""Web-server configuration for the built site: `binhdan deploy nginx|caddy`.

Generated, not hand-written, because the Content-Security-Policy holds the hash of the one
inline script (`portal.PREFERENCES_SCRIPT`): a copied config would drift from the code and
browsers would then silently block the script. The widget pages (one per language, their
URL words come from the locale files) and the video hosts editors may embed
(`safety.EMBED_HOSTS`) come from the code and data too. docs/deploy/ holds this module's
output for the example portal, and a test keeps it identical.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..common.problems import Problems
from ..model.i18n import Localizer, load_labels
from ..model.safety import EMBED_HOSTS
from ..model.site import CmsSettings, load_site
from ..model.site_url import read_site_url
from ..model.sources import load_yaml_file
from ..model.values import URL_WORD, shown
from ..plan.feeds import FEED_FORMATS
from ..plan.pages import Urls
from ..plan.portal import EDITOR_FOLDER, OPEN_DATA_FOLDER, PREFERENCES_SCRIPT

SERVERS = ("nginx", "caddy")
YEAR = 31536000

# Every kind of file the site publishes (editors' attachments included, see schema.py), so
# the served type never depends on the server's own MIME table: with `nosniff` a wrong type
# breaks the file. Feeds are matched by name below (feed.xml is RSS, sitemap.xml is not).
TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript",
    "json": "application/json", "xml": "application/xml", "txt": "text/plain",
    "csv": "text/csv", "ics": "text/calendar", "vtt": "text/vtt",
    "webmanifest": "application/manifest+json", "wasm": "application/wasm",
    "yml": "application/yaml", "yaml": "application/yaml",  # the web editor's config.yml
    "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "webp": "image/webp", "gif": "image/gif", "avif": "image/avif", "ico": "image/x-icon",
    "woff2": "font/woff2", "woff": "font/woff",
    "mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "m4a": "audio/mp4",
    "ogg": "audio/ogg", "oga": "audio/ogg",
    "pdf": "application/pdf", "zip": "application/zip", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
# Caddy takes types from Go's built-in table, which gives these the same types as ours; the
# others it lacks or names otherwise (text/xml, no charset on JSON), so they are set.
GO_SAME = ("html", "css", "js", "wasm", "png", "jpg", "jpeg", "webp", "gif", "avif", "pdf")


def _feeds_by_type() -> tuple[tuple[str, str, str], ...]:
    """Feed files by media type, as feeds.py names them: (a name for the rule, a pattern of
    the file names, the type)."""
    by_type: dict[str, list[tuple[str, str]]] = {}
    for kind, (name, mime) in FEED_FORMATS.items():
        by_type.setdefault(mime, []).append((kind, re.escape(name)))
    return tuple((f"feed_{formats[0][0]}", "(" + "|".join(name for _, name in formats) + ")",
                  mime) for mime, formats in by_type.items())


FEEDS = _feeds_by_type()
# Feeds, calendars and open data may be read by other sites' scripts (a provincial portal's
# "latest news" box): public files, no cookies, so any origin may read them.
SHARED = ("/(" + "|".join(re.escape(name) for name, _ in FEED_FORMATS.values())
          + r"|[^/]+\.ics)$")
SHARED_FOLDER = OPEN_DATA_FOLDER
CORS = ("Access-Control-Allow-Origin", "*")
TEXT = ("text/", "+xml", "+json", "application/json", "application/xml", "application/yaml")
COMPRESS = ("text/html", "text/css", "text/javascript", "application/json", "application/xml",
            "application/rss+xml", "application/atom+xml", "application/feed+json",
            "application/manifest+json", "text/calendar", "text/vtt", "text/csv", "text/plain",
            "application/yaml", "image/svg+xml", "application/wasm")

NO_CACHE = "no-cache"  # kept, but asked again each time (a 304 when unchanged)
IMMUTABLE = f"public, max-age={YEAR}, immutable"
# The same on every response.
COMMON = (
    # Not includeSubDomains: the host is the provincial portal, whose other names are not ours.
    ("Strict-Transport-Security", f"max-age={YEAR}"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                           "magnetometer=(), microphone=(), payment=(), usb=()"),
)


# An SVG opened on its own is a document that can run scripts: whatever a sanitiser missed
# (another module's job) runs with no rights here. Pictures shown by <img> ignore it.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
# Never served (404): dotfiles and dot-folders (.git/, .env, .cache/, .site.building/) and
# editors' backups (x~, .x.swp, x.bak, #x#, Office's ~$x.docx) that a copy or an rsync may
# bring into the web root, except /.well-known/ (security.txt, ACME). Both servers match the
# decoded path (%2e is a dot), case-insensitively.
BACKUP_NAMES = r"~|/#[^/]*#|/~\$[^/]*|\.(swp|swo|swx|bak|orig)"
HIDDEN = rf"/\.(?!well-known/)|({BACKUP_NAMES})$"  # nginx (PCRE)
# Caddy (Go's RE2 has no look-ahead): a dot segment, unless the path is /.well-known/ with
# plain segments only; and the backups.
DOT_SEGMENT = r"/\."
WELL_KNOWN = r"^/\.well-known(/[^./][^/]*)*/?$"
BACKUP = rf"(?i)({BACKUP_NAMES})$"


def script_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def content_security_policy(frame_ancestors: str = "'self'") -> str:
    """What every public page needs and nothing more: our own files, the preferences script
    by its hash (no 'unsafe-inline'), no inline styles, videos from the allowed hosts only."""
    return "; ".join((
        "default-src 'none'",
        f"script-src 'self' {script_hash(PREFERENCES_SCRIPT)}",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "media-src 'self'",  # videos, audio and their captions are published with the site
        "connect-src 'self'",  # search index shards (search.js), the service worker's fetches
        "worker-src 'self'",  # sw.js
        "manifest-src 'self'",
        "frame-src " + " ".join(f"https://{host}" for host in EMBED_HOSTS),
        "form-action 'self'",
        "base-uri 'none'",
        f"frame-ancestors {frame_ancestors}",
    ))


# The web editor's git host when site.yml's `cms:` block gives no api_root (Decap's defaults).
GIT_APIS = {"github": "https://api.github.com", "gitlab": "https://gitlab.com"}


def admin_csp(cms: CmsSettings | None) -> str:
    """The policy of the web editor (Decap CMS under admin/), a large single-page application
    for officers, not the public: it needs what public pages refuse (see the comments). It
    talks to the git host of site.yml's `cms:` block: after changing that, regenerate."""
    hosts: list[str] = []  # the git host's API and sign-in server
    extra: list[str] = []  # GitHub's status page, which Decap shows
    avatars: list[str] = []
    if cms is not None:
        hosts = [_origin(url) for url in (cms.api_root or GIT_APIS.get(cms.backend, ""),
                                          cms.base_url) if url]
        extra = ["https://www.githubstatus.com"] if cms.backend == "github" else []
        avatars = ["https://avatars.githubusercontent.com" if cms.backend == "github"
                   else "https://secure.gravatar.com"]
    for source in hosts:  # checked at `check` already (site.load_site); never trusted here
        if not _SOURCE.fullmatch(source):
            raise UnsafeValue(source)
    return "; ".join((
        "default-src 'self'",
        # its content-schema validator (ajv) compiles checks with new Function(); WebAssembly
        "script-src 'self' 'unsafe-eval'",
        # it styles itself by inserting <style> elements at run time (emotion)
        "style-src 'self' 'unsafe-inline'",
        # previews of images being uploaded (blob:, data:), files and avatars from the git host
        " ".join(["img-src 'self' data: blob:", *dict.fromkeys(hosts + avatars)]),
        "media-src 'self' blob:",
        # it reads and commits content through the git host's API (and signs in there)
        " ".join(["connect-src 'self'", *dict.fromkeys(hosts + extra)]),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


@dataclass(frozen=True)
class Target:
    """Where and how one built site is served."""

    prefix: str  # "/binh-dan-hoc-vu-so/": the site's path on the portal's host
    root: str  # the folder on the server that holds the built files (the contents of site/)
    widgets: tuple[str, ...]  # site paths of the embeddable pages: "tien-ich/", "en/widget/"
    embed_from: str  # who may frame the widgets: "*" or a list of origins
    admin_csp: str  # the web editor's policy, see admin_csp()
    host: str  # the portal's host name, from site_url (Caddy's site address)
    command: str  # the command line that regenerates the file

    @property
    def admin(self) -> str:
        return f"{self.prefix}{EDITOR_FOLDER}/"

    def headers(self, csp: str, cache: str, frame: str | None = "SAMEORIGIN"
                ) -> list[tuple[str, str]]:
        """`frame`: X-Frame-Options, for browsers older than CSP frame-ancestors."""
        found = [("Content-Security-Policy", csp), *COMMON, ("Cache-Control", cache)]
        return found if frame is None else [found[0], ("X-Frame-Options", frame), *found[1:]]


class UnsafeValue(ValueError):
    """A value that would change the meaning of a generated configuration. load_target
    refuses bad values with the field to correct; this is the writers' own last check."""


def nginx(target: Target) -> str:
    """Location blocks for the portal's existing HTTPS `server { }`.

    nginx forgets a level's add_header lines as soon as an inner location has one of its own,
    so every location that changes a header repeats the whole set. Under a `^~` location
    nginx consults no regular expression of the outer level, so each of them repeats the
    hidden-file and SVG rules too (`_nginx_location`)."""
    p = target.prefix
    csp = content_security_policy()
    out = _comment(target, [
        "Đặt vào khối server { } HTTPS của cổng thông tin (include), ví dụ:",
        "Include it in the portal's HTTPS server { } block, for example:",
        "    include /etc/nginx/snippets/binh-dan-hoc-vu-so.conf;",
        f"The built site (the contents of site/) goes to {target.root}/.",
        "Brotli: stock nginx has no Brotli module. On Debian/Ubuntu install",
        "libnginx-mod-http-brotli-filter and uncomment the brotli lines below.",
    ])
    if p != "/":  # the address without its last slash
        out += [f"location = {_token(p.rstrip('/'))} {{", "    absolute_redirect off;",
                f"    return 301 {_token(p)};", "}", ""]
    pages = target.headers(csp, NO_CACHE)
    out += [
        f"location ^~ {_token(p)} {{",
        f"    alias {_token(target.root)}/;",
        "    index index.html;",
        "    # /x -> /x/ redirects keep the visitor's scheme, host and port (TLS proxies)",
        "    absolute_redirect off;",
        "    server_tokens off;",
        f"    error_page 404 {_token(p)}404.html;",
        "",
        "    types {",
        *(f"        {mime} {ext};" for ext, mime in TYPES.items()),
        "    }",
        "    default_type application/octet-stream;",
        "    charset utf-8;",
        "    charset_types " + " ".join(_text_types()) + ";",
        "",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_comp_level 5;",
        "    gzip_min_length 512;",
        "    gzip_types " + " ".join(t for t in COMPRESS if t != "text/html") + ";",
        "    # brotli on;",
        "    # brotli_comp_level 5;",
        "    # brotli_types " + " ".join(t for t in COMPRESS if t != "text/html") + ";",
        "",
        "    # Pages, feeds, search index, open data, sw.js: the browser asks again every time",
        "    # (a 304 when unchanged), so a new day's publication is seen at once.",
        *_nginx_headers(pages),
        "",
        "    # Dotfiles, dot-folders and editors' backups are never served (404), except",
        "    # .well-known/. The first regular expression: it wins over those below.",
        *_nginx_hidden("    "),
        "",
        "    # Styles and scripts: the page asks for portal.css?v=<hash of its content>; a",
        "    # changed file gets a new URL, so a versioned URL never changes. Kept a year.",
        *_nginx_location(f"^~ {_token(p)}assets/", target.headers(csp, _ASSETS_CACHE),
                         prelude=[f'set {_ASSETS_CACHE} "{NO_CACHE}";',
                                  f'if ($arg_v) {{ set {_ASSETS_CACHE} "{IMMUTABLE}"; }}']),
        "",
        "    # Photos and share images: named by the hash of their content, kept a year.",
        *_nginx_location(f"~ ^{_token(p).replace('.', '[.]')}(img|og)/",
                         target.headers(csp, IMMUTABLE), hidden=False),
        "",
        "    # The widget pages: other portals show them in an <iframe>.",
    ]
    widget_csp = content_security_policy(target.embed_from)
    for widget in target.widgets:
        out += _nginx_location(f"^~ {_token(p + widget)}",
                               target.headers(widget_csp, NO_CACHE, frame=None))
    shared = [*pages, CORS]
    out += [
        "",
        "    # Feeds (their own types: feed readers and radio scripts check them), calendars",
        "    # and open data: readable by other sites' scripts too.",
        *(line for _, pattern, mime in FEEDS for line in _nginx_location(
            f"~ /{pattern}$", shared, prelude=[f"types {{ }} default_type {mime};"],
            hidden=False, svg=False)),
        *_nginx_location("~ [.]ics$", shared, hidden=False, svg=False),
        *_nginx_location(f"^~ {_token(p + SHARED_FOLDER)}", shared),
        "",
        "    # The web editor (Decap CMS) for officers: see admin_csp() in",
        "    # binhdan/publishing/deploy.py for why its policy is looser.",
        "    # Never framed, never indexed.",
        *_nginx_location(f"^~ {_token(target.admin)}",
                         [*target.headers(target.admin_csp, NO_CACHE, frame="DENY"),
                          ("X-Robots-Tag", "noindex")]),
        "",
        "    # SVG pictures opened on their own: a document that may hold a script, so no rights",
        "    # at all (the locations above repeat this for their own SVG files).",
        *_nginx_svg(pages, [], "    "),
        "}",
    ]
    return "\n".join(out) + "\n"


def caddy(target: Target) -> str:
    """A snippet for the portal's site block (Caddy ≥ 2.6).

    Header lines sit in a `route` so that they apply in the order written (Caddy sorts
    bare `header` directives by their paths): general first, exceptions after."""
    p = target.prefix
    csp = content_security_policy()
    out = _comment(target, [
        "Nạp tệp này ở đầu Caddyfile rồi dùng đoạn (binh-dan-hoc-vu-so) trong khối trang",
        "của cổng thông tin. / Import this file at the top of the Caddyfile, then use the",
        "snippet in the portal's site block:",
        "    import /etc/caddy/binh-dan-hoc-vu-so.caddy",
        f"    {_token(target.host)} {{",
        "        import binh-dan-hoc-vu-so",
        "        # ... the rest of the portal",
        "    }",
        f"The built site (the contents of site/) goes to {target.root}/.",
        "Caddy compresses with zstd and gzip; it has no Brotli compression on the fly.",
    ])
    out += [
        "(binh-dan-hoc-vu-so) {",
        *([f"\tredir {_token(p.rstrip('/'))} {_token(p)} permanent"] if p != "/" else []),
        f"\thandle_path {_token(p)}* {{",
        f"\t\troot * {_token(target.root)}",
        "\t\tencode zstd gzip {",
        "\t\t\tmatch {",
        *(f"\t\t\t\theader Content-Type {t}*" for t in COMPRESS),
        "\t\t\t}",
        "\t\t}",
        "\t\troute {",
        "\t\t\t# Pages, feeds, search index, open data, sw.js: asked again every time.",
        "\t\t\theader {",
        *(f"\t\t\t\t{name} {_quoted(value)}" for name, value in target.headers(csp, NO_CACHE)),
        "\t\t\t}",
        "\t\t\t# Dotfiles, dot-folders and editors' backups are never served (404), except",
        "\t\t\t# .well-known/.",
        "\t\t\t@hidden {",
        f"\t\t\t\tpath_regexp {DOT_SEGMENT}",
        f"\t\t\t\tnot path_regexp {WELL_KNOWN}",
        "\t\t\t}",
        "\t\t\terror @hidden 404",
        f"\t\t\t@backup path_regexp {BACKUP}",
        "\t\t\terror @backup 404",
        "\t\t\t# Styles and scripts under a versioned URL (?v=<hash of the content>),",
        "\t\t\t# photos and share images (named by the hash of their content): a year.",
        "\t\t\t@immutable {",
        "\t\t\t\texpression `path('/img/*', '/og/*') || (path('/assets/*') && {query.v} != '')`",
        "\t\t\t}",
        f"\t\t\theader @immutable Cache-Control {_quoted(IMMUTABLE)}",
        "\t\t\t# Feeds, calendars and open data: readable by other sites' scripts too.",
        f"\t\t\t@shared path_regexp {SHARED}",
        f"\t\t\theader @shared {CORS[0]} {_quoted(CORS[1])}",
        f"\t\t\t@open_data path /{SHARED_FOLDER}*",
        f"\t\t\theader @open_data {CORS[0]} {_quoted(CORS[1])}",
        "\t\t\t# The widget pages: other portals show them in an <iframe>.",
        "\t\t\t@widget path " + " ".join(f"/{_token(w)}*" for w in target.widgets),
        "\t\t\theader @widget Content-Security-Policy "
        + _quoted(content_security_policy(target.embed_from)),
        "\t\t\t# (a deletion is deferred to the response: on a line of its own, so that the",
        "\t\t\t# line above keeps its place in the order)",
        "\t\t\theader @widget -X-Frame-Options",
        "\t\t\t# The web editor (Decap CMS) for officers: see admin_csp() in",
        "\t\t\t# binhdan/publishing/deploy.py for why its policy is looser.",
        "\t\t\t# Never framed, never indexed.",
        f"\t\t\theader /{EDITOR_FOLDER}/* {{",
        f"\t\t\t\tContent-Security-Policy {_quoted(target.admin_csp)}",
        "\t\t\t\tX-Frame-Options DENY",
        "\t\t\t\tX-Robots-Tag noindex",
        "\t\t\t}",
        "\t\t\t# Types Go's table lacks or names otherwise, then the feeds' own types. SVG",
        "\t\t\t# pictures opened on their own are documents that may hold a script: no rights",
        "\t\t\t# at all, wherever they are (after the rules above, so their policy wins).",
    ]
    for ext in (ext for ext in TYPES if ext not in GO_SAME):
        out += [f"\t\t\t@{ext} path *.{ext}",
                f"\t\t\theader @{ext} Content-Type {_quoted(_typed(TYPES[ext]))}"]
        if ext == "svg":
            out.append(f"\t\t\theader @svg Content-Security-Policy {_quoted(SVG_CSP)}")
    for name, pattern, mime in FEEDS:
        out += [f"\t\t\t@{name} path_regexp /{pattern}$",
                f"\t\t\theader @{name} Content-Type {_quoted(_typed(mime))}"]
    out += [
        "\t\t\tfile_server",
        "\t\t}",
        "\t}",
        "\thandle_errors {",
        f"\t\t@binhdan expression `{{http.request.orig_uri.path}}.startsWith('{_token(p)}')`",
        "\t\thandle @binhdan {",
        f"\t\t\troot * {_token(target.root)}",
        "\t\t\trewrite * /404.html",
        "\t\t\tfile_server",
        "\t\t}",
        "\t}",
        "}",
    ]
    return "\n".join(out) + "\n"


def load_target(project: Path, data: str, prefix: str | None, root: str | None,
                embed_from: str, server: str) -> tuple[Target | None, str]:
    """The target for a project's mkdocs.yml and data/, or None and what is wrong. A message
    with a target is a warning. Every value that reaches the configuration is checked by its
    type first: the command's options here, site_url, the `cms:` block (site.load_site)
    and the widget pages' URL words."""
    problems = Problems()
    site_url = read_site_url(project / "mkdocs.yml", problems)
    if problems.errors:
        return None, problems.report()
    site_path = urlsplit(site_url).path or "/"
    prefix = prefix or site_path
    # the release switched in by scripts/publish-release.sh
    root = (root or "/var/www" + prefix + "current").rstrip("/") or "/"
    for option, value, pattern, example in (
            ("--prefix", prefix, _PREFIX, "/binh-dan-hoc-vu-so/"),
            ("--root", root, _ROOT, "/var/www/binh-dan-hoc-vu-so/current"),
            *(("--embed-from", source, _SOURCE, "'https://tuyenquang.gov.vn https:'")
              for source in embed_from.split())):
        if not pattern.fullmatch(value):
            return None, (f"{option} '{shown(value)}' không dùng được, ví dụ đúng: {example}. / "
                          f"{option} '{shown(value)}' cannot be used; for example: {example}.")
    site = load_site(project, problems, data)
    if site is None or problems.errors:
        return None, problems.report()
    labels = load_labels(site, project / data, problems, data)
    for code in site.site_language_codes:  # the widget pages' address is written into the config
        rel = f"{data}/locales/{code}.yml"
        path = project / rel
        doc = load_yaml_file(path, rel, Problems()) if path.is_file() else None
        URL_WORD.check(labels[code].get("paths.widget"), rel,
                       doc.line("paths", "widget") if doc else None, "paths.widget", problems)
    if problems.errors:
        return None, problems.report()
    widgets = tuple(Urls(Localizer(site, site.language(code), labels[code]),
                         site.default_language).section("widget")
                    for code in site.site_language_codes)
    command = f"binhdan deploy {server} --prefix {prefix} --root {root}"
    if embed_from != "*":
        command += f" --embed-from '{embed_from}'"
    warning = "" if prefix == site_path else (
        f"Lưu ý: --prefix {prefix} khác đường dẫn của site_url trong mkdocs.yml ({site_path}); "
        "trang 404 và nguồn tin dùng site_url: hãy sửa site_url rồi build lại. / Note: "
        f"--prefix {prefix} differs from the path of site_url in mkdocs.yml ({site_path}); the "
        "404 page and the feeds use site_url: correct site_url and build again.")
    try:
        editor = admin_csp(site.cms)
    except UnsafeValue as error:
        return None, _refusal(error)
    return Target(prefix, root, widgets, embed_from, editor,
                  urlsplit(site_url).hostname or "example.gov.vn", command), warning


# What may go into the generated files unquoted: a URL path, a folder, a CSP source.
_PREFIX = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")
_ROOT = re.compile(r"/[A-Za-z0-9._~/-]*")
_SOURCE = re.compile(r"\*|https?:|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?")
_TOKEN = re.compile(r"[A-Za-z0-9._~/-]+")
# Inside double quotes nginx still reads `$name` as a variable and `\` as an escape, Caddy
# `{name}` as a placeholder; a line break or a control character ends a directive.
_UNQUOTABLE = re.compile(r'[$\\{}"\x00-\x1f\x7f]|[^\x00-\x7f]')
_ASSETS_CACHE = "$binhdan_assets_cache"  # the one variable we write into a header


def run(server: str, project: Path, data: str, prefix: str | None, root: str | None,
        embed_from: str) -> int:
    """Print the configuration for `server` (the command line's `deploy`): all of it, or
    nothing and the reason."""
    target, message = load_target(project, data, prefix, root, embed_from, server)
    if message:
        print(message, file=sys.stderr)
    if target is None:
        return 1
    try:
        text = nginx(target) if server == "nginx" else caddy(target)
    except UnsafeValue as error:
        print(_refusal(error), file=sys.stderr)
        return 1
    print(text, end="")
    return 0


def _refusal(error: UnsafeValue) -> str:
    refused = Problems()
    refused.add("unsafe_server_value", "mkdocs.yml, data/site.yml", value=shown(str(error)))
    return refused.report()


def _comment(target: Target, lines: list[str]) -> list[str]:
    found = [f"# Tạo bởi / generated by: {target.command}",
             "# Không sửa tay: chạy lại lệnh trên (make deploy-config) sau mỗi lần nâng cấp "
             "binhdan.",
             "# Do not edit: run the command again (make deploy-config) after upgrading binhdan;",
             "# the Content-Security-Policy holds the hash of the pages' inline script.",
             "# Hướng dẫn / guide: docs/deployment.md", "#", *(f"# {line}" for line in lines)]
    for line in found:  # a line break would end the comment
        if not line.isprintable():
            raise UnsafeValue(line)
    return [*found, ""]


def _token(value: str) -> str:
    """A path or folder written unquoted: plain characters only."""
    if not _TOKEN.fullmatch(value):
        raise UnsafeValue(value)
    return value


def _quoted(value: str) -> str:
    """A header value in double quotes, for nginx and Caddy alike."""
    if _UNQUOTABLE.search(value):
        raise UnsafeValue(value)
    return f'"{value}"'


def _nginx_headers(headers: list[tuple[str, str]], indent: str = "    ") -> list[str]:
    return [f"{indent}add_header {name} "
            f"{value if value == _ASSETS_CACHE else _quoted(value)} always;"
            for name, value in headers]


def _nginx_location(match: str, headers: list[tuple[str, str]], prelude: Sequence[str] = (),
                    hidden: bool = True, svg: bool = True) -> list[str]:
    """A nested location with its own headers. `hidden` and `svg` repeat those rules inside
    (a `^~` location hides the outer level's regular expressions from nginx)."""
    inner = "        "
    return [f"    location {match} {{", *(inner + line for line in prelude),
            *_nginx_headers(headers, inner),
            *(_nginx_hidden(inner) if hidden else []),
            *(_nginx_svg(headers, prelude, inner) if svg else []), "    }"]


def _nginx_hidden(indent: str) -> list[str]:
    return [f'{indent}location ~* "{HIDDEN}" {{', f"{indent}    return 404;", f"{indent}}}"]


def _nginx_svg(headers: list[tuple[str, str]], prelude: Sequence[str], indent: str
               ) -> list[str]:
    """SVG files with the headers of where they are, their policy replaced by SVG_CSP (nginx
    does not inherit the `set` of an outer location: the prelude is repeated)."""
    svg = [(name, SVG_CSP if name == "Content-Security-Policy" else value)
           for name, value in headers]
    return [f"{indent}location ~* [.]svg$ {{", *(f"{indent}    {line}" for line in prelude),
            *_nginx_headers(svg, indent + "    "), f"{indent}}}"]


def _text_types() -> list[str]:
    """Types that get "; charset=utf-8" (nginx adds it to text/html itself)."""
    mimes = {*TYPES.values(), *(mime for _, _, mime in FEEDS)} - {"text/html"}
    return sorted(m for m in mimes if any(part in m for part in TEXT))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _typed(mime: str) -> str:
    return f"{mime}; charset=utf-8" if any(part in mime for part in TEXT) else mime
