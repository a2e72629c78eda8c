""""Illustrative" (invented people, places or figures) reaches every channel, and nothing real
is labelled: the walk reads EVERY file a build wrote (pages, share and data cards, RSS, Atom,
JSON Feed, radio text, calendars, the widget, search results, open data) and checks each
invented item, indicator, figure and task against what its own source file says. A file of a
kind the walk does not know fails the test, so a new channel cannot slip past unlabelled."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from icalendar import Calendar
from PIL import Image

from conftest import ROOT, TODAY, Built, build

# What readers see, word for word, per language (a language without its own label shows the
# Vietnamese one, as the Ea Trang fixture's "rad" does)
PREFIX = {"vi": "[Minh họa] ", "en": "[Illustrative] "}
CATEGORY = {"vi": "Minh họa", "en": "Illustrative"}
SENTENCE = {"vi": "Nội dung minh họa: người, nơi chốn hoặc số liệu trong bài là ví dụ, "
                  "không phải thật.",
            "en": "Illustrative content: the people, places or figures in this item are "
                  "examples, not real."}
RADIO = {"vi": "Tin minh họa. Người, nơi chốn và số liệu trong tin này là ví dụ, không có thật.",
         "en": "Illustrative item. The people, places and figures in it are examples, not real."}
FIGURES_NOTE = {"vi": "Dữ liệu minh họa: các con số về kết quả",
                "en": "Illustrative data: the results on this page"}
OTHER_PLAN = {"vi": "Chỉ tiêu lấy từ kế hoạch của địa phương khác",
              "en": "An indicator from another locality's plan"}
CARD_TEXT = {"vi": "Dữ liệu minh họa.", "en": "Illustrative data."}
TASKS_NOTE = {"vi": "Tình trạng các nhiệm vụ là minh họa", "en": "The status of the tasks is"}
WIDGET_FIGURE = {"vi": "minh họa", "en": "illustrative"}
# Files that carry no item, figure or task as text a reader takes for news: code, styles,
# the web editor, photo variants and uploads (their pages are checked), the sitemap, and the
# search index's word lists (its result records, d/*.json, are checked).
NOT_CHANNELS = re.compile(r"(^|/)(assets|admin|img|audio|media|files|search-index/[a-z]+/t)/"
                          r"|^(sitemap\.xml|robots\.txt|sw\.js|search-index/[a-z]+/"
                          r"manifest\.json)$")


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]) or {} if text.startswith("---\n") else {}


def yaml_rows(path: Path) -> list[dict]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


@dataclass
class Truth:
    """What the sources say is invented, read straight from content/ and data/."""

    languages: list[str]
    site_url: str
    accent: tuple[int, int, int]
    items: dict[str, bool]  # content key ("news/x") -> illustrative
    pages: dict[str, str]  # page URL ("tin-tuc/x/") -> content key
    indicators: dict[str, bool]  # id -> marked illustrative itself (another unit's plan)
    flagged_targets: set[str]  # indicators with a target marked illustrative
    flagged_target_rows: set[tuple[str, str, str]]  # (indicator, year, locality) of each
    names: dict[str, str]  # indicator name in any language -> id
    tasks: dict[str, bool]
    site_data: bool  # illustrative_data: every figure is invented

    def figures(self, indicator: str) -> bool:
        """Anything in the indicator's figures is invented: what its cards must say."""
        return self.site_data or self.indicators[indicator] or indicator in self.flagged_targets

    def lang_of(self, path: str) -> str:
        first = path.split("/", 1)[0]
        return first if first in self.languages[1:] else self.languages[0]


def read_truth(root: Path, monkeypatch: pytest.MonkeyPatch) -> Truth:
    site = yaml.safe_load((root / "data/site.yml").read_text(encoding="utf-8"))
    items: dict[str, bool] = {}
    for path in (root / "content").rglob("*.md"):
        key = path.relative_to(root / "content").as_posix().rsplit(".", 2)[0]
        items[key] = items.get(key, False) or bool(front_matter(path).get("illustrative"))
    monkeypatch.setenv("BINHDAN_TODAY", TODAY)
    from binhdan.plan.portal import load_portal  # the plan only tells which page is which file

    portal, _ = load_portal(root, root / "content")
    assert portal is not None
    # every item's page, its easy-read version's too
    pages = {spec.url: spec.entry.item.key for spec in portal.plan.pages if spec.entry}
    indicators = yaml_rows(root / "data/indicators.yml")
    accent = site.get("colours", {}).get("accent", "#ffc94d").lstrip("#")
    site_url = re.search(r"^site_url:\s*(\S+)", (root / "mkdocs.yml").read_text("utf-8"),
                         re.MULTILINE)
    assert site_url is not None
    return Truth(
        [lang["code"] for lang in site["languages"]], site_url[1],
        (int(accent[0:2], 16), int(accent[2:4], 16), int(accent[4:6], 16)),
        items, pages, {row["id"]: bool(row.get("illustrative")) for row in indicators},
        {row["indicator"] for row in yaml_rows(root / "data/targets.yml")
         if row.get("illustrative")},
        {(row["indicator"], str(row["year"]), row.get("locality") or portal.progress.unit)
         for row in yaml_rows(root / "data/targets.yml") if row.get("illustrative")},
        {name: row["id"] for row in indicators for name in (
            row["name"].values() if isinstance(row["name"], dict) else [row["name"]])},
        {row["id"]: bool(row.get("illustrative")) for row in yaml_rows(root / "data/tasks.yml")},
        bool(site.get("illustrative_data")))


def banded(png: Path, accent: tuple[int, int, int]) -> bool:
    """The "illustrative" band: the card's bottom rows in the accent colour edge to edge,
    with dark text in the middle."""
    image = Image.open(png).convert("RGB")
    width, height = image.size
    row = height - 8
    edges = all(image.getpixel((x, row)) == accent for x in (2, width // 4, width - 3))
    text = any(sum(image.getpixel((x, height - 30))) < 200 for x in range(width // 3,
                                                                         2 * width // 3))
    return edges and text


class Walk:
    """Checks one built site file by file; `seen` counts what was checked, labelled or not,
    per channel, so that a test can tell the walk did not pass by finding nothing."""

    def __init__(self, site: Path, truth: Truth) -> None:
        self.site, self.truth = site, truth
        self.seen: Counter[str] = Counter()
        self.cards_shown: set[str] = set()

    def check(self, channel: str, key: str, invented: bool, labelled: bool,
              where: str) -> None:
        assert labelled == invented, (
            f"{channel}: {key} is {'' if invented else 'not '}illustrative but "
            f"{'is' if labelled else 'is not'} labelled in {where}")
        self.seen[f"{channel} {'labelled' if invented else 'real'}"] += 1

    def key_of(self, entry_id: str) -> str:  # tag:host,2025:news/x.vi or news/x@host
        return re.sub(r"^tag:[^:]+:|\.[a-z]+$|@.*$", "", entry_id)

    def run(self) -> None:
        for path in sorted(p for p in self.site.rglob("*") if p.is_file()):
            rel = path.relative_to(self.site).as_posix()
            lang = self.truth.lang_of(rel)
            if path.suffix == ".html":
                self.page(rel, lang)
            elif path.name in ("feed.xml", "atom.xml", "radio.xml"):
                self.feed(rel, lang)
            elif path.name == "feed.json":
                self.json_feed(rel, lang)
            elif path.suffix == ".ics":
                self.calendar(rel, lang)
            elif re.fullmatch(r"search-index/[a-z]+/d/\d+\.json", rel):
                self.search(rel)
            elif rel.startswith("open-data/"):
                self.open_data(rel)
            elif rel.startswith("og/"):
                self.seen["card files"] += 1
            else:
                assert NOT_CHANNELS.search(rel), f"an output the walk does not know: {rel}"
        # the cards pages show were checked above; the rest are shown nowhere (the widget's:
        # an iframe page with no preview) and carry no label either
        for card in (self.site / "og").glob("*.png"):
            if card.relative_to(self.site).as_posix() not in self.cards_shown:
                assert not banded(card, self.truth.accent), card

    # ------------------------------------------------------------------ pages -------------
    def page(self, rel: str, lang: str) -> None:
        url = "" if rel in ("index.html", "404.html") else rel.removesuffix("index.html")
        soup = BeautifulSoup((self.site / rel).read_text(encoding="utf-8"), "html.parser")
        lang = soup.html.get("lang", lang)
        labels = lang if lang in PREFIX else "vi"
        key = self.truth.pages.get(url) if rel != "404.html" else None
        if key is not None:
            notice = soup.select(".portal-item .portal-notice--illustrative, "
                                 "main .portal-notice--illustrative")
            self.check("page", key, self.truth.items[key], bool(notice), rel)
        for card in soup.select(".portal-card"):
            target = urlsplit(urljoin(f"/{url}", card.a["href"])).path.lstrip("/")
            if target in self.truth.pages:
                item = self.truth.pages[target]
                self.check("listing card", item, self.truth.items[item],
                           card.select_one(".portal-badge--illustrative") is not None, rel)
        image = soup.select_one('meta[property="og:image"]')
        if image is not None:
            card = urlsplit(image["content"]).path.split("/og/", 1)[1]
            self.cards_shown.add(f"og/{card}")
            indicator = self.indicator_page(url)
            if key is not None:
                self.check("share card", key, self.truth.items[key],
                           banded(self.site / "og" / card, self.truth.accent), rel)
            elif indicator is not None:  # its data card; a share card while it has no figures
                invented = self.truth.figures(indicator) if soup.select("a[download]") \
                    else self.truth.indicators[indicator] or indicator in self.truth.flagged_targets
                self.check("indicator card", indicator, invented,
                           banded(self.site / "og" / card, self.truth.accent), rel)
            else:
                assert not banded(self.site / "og" / card, self.truth.accent), rel
        for link in soup.select('a[download][href*="og/"]'):  # share-ready data cards
            card = urlsplit(urljoin(f"/{url}", link["href"])).path.lstrip("/")
            self.cards_shown.add(card)
            said = CARD_TEXT[labels] in link.get_text(" ", strip=True)
            self.check("data card", card, said, banded(self.site / card, self.truth.accent),
                       f"{rel} (its text says {'' if said else 'not '}illustrative)")
            indicator = self.indicator_page(url)
            if indicator is not None:
                self.check("data card text", indicator, self.truth.figures(indicator), said,
                           rel)
        if key is None and soup.select(".data-card, .data-table, .data-shares"):
            text = soup.get_text(" ", strip=True)
            indicator = self.indicator_page(url)
            if indicator is not None:  # invented figures, or another unit's indicator
                self.check("indicator page", indicator, self.truth.figures(indicator),
                           FIGURES_NOTE[labels] in text or OTHER_PLAN[labels] in text, rel)
            else:  # the dashboard, reports, a locality's figures: the site's whole data
                self.check("figures page", url, self.truth.site_data,
                           FIGURES_NOTE[labels] in text, rel)
        if soup.select(".task"):
            note = TASKS_NOTE[labels] in soup.get_text(" ", strip=True)
            self.check("tasks page", url, any(self.truth.tasks.values()), note, rel)
        if soup.select_one(".widget"):
            self.widget(soup, rel, labels)

    def indicator_page(self, url: str) -> str | None:
        parts = url.rstrip("/").split("/")
        return parts[-1] if len(parts) >= 2 and parts[-1] in self.truth.indicators else None

    def widget(self, soup: BeautifulSoup, rel: str, labels: str) -> None:
        for news in soup.select(".widget__news li"):
            item = self.truth.pages[news.a["href"].removeprefix(self.truth.site_url)]
            self.check("widget news", item, self.truth.items[item],
                       news.select_one(".widget__badge") is not None, rel)
        invented = []
        for figure in soup.select(".widget__figures li"):
            name = next(n for n in self.truth.names if f" {n} " in figure.get_text(" "))
            indicator = self.truth.names[name]
            invented.append(self.truth.figures(indicator))
            badge = figure.select_one(".widget__badge")
            self.check("widget figure", indicator, self.truth.figures(indicator),
                       badge is not None and badge.get_text() == WIDGET_FIGURE[labels], rel)
        note = soup.select_one(".widget__note") is not None
        self.check("widget note", rel, any(invented), note, rel)

    # ------------------------------------------------------------------ feeds -------------
    def feed(self, rel: str, lang: str) -> None:
        parsed = feedparser.parse((self.site / rel).read_bytes())
        assert not parsed.bozo, rel
        labels = lang if lang in PREFIX else "vi"
        for entry in parsed.entries:
            key = self.key_of(entry.id)
            invented = self.truth.items[key]
            channel = "radio" if rel.endswith("radio.xml") else "feed"
            self.check(f"{channel} title", key, invented,
                       entry.title.startswith(PREFIX[labels]), rel)
            self.check(f"{channel} category", key, invented,
                       CATEGORY[labels] in {t.get("label") or t.term  # Atom: label
                                            for t in entry.get("tags", [])}, rel)
            text = entry.get("summary", "")
            if channel == "radio":  # spoken before anything else
                self.check("radio text", key, invented, text.startswith(RADIO[labels]), rel)
            else:
                self.check("feed description", key, invented,
                           text.startswith(SENTENCE[labels]), rel)
                content = entry.content[0].value if "content" in entry else ""
                self.check("feed content", key, invented, SENTENCE[labels] in content, rel)

    def json_feed(self, rel: str, lang: str) -> None:
        labels = lang if lang in PREFIX else "vi"
        for item in json.loads((self.site / rel).read_text(encoding="utf-8"))["items"]:
            key = self.key_of(item["id"])
            invented = self.truth.items[key]
            self.check("JSON Feed title", key, invented, item["title"].startswith(
                PREFIX[labels]), rel)
            self.check("JSON Feed tags", key, invented, CATEGORY[labels] in item["tags"], rel)
            self.check("JSON Feed summary", key, invented,
                       item["summary"].startswith(SENTENCE[labels]), rel)
            self.check("JSON Feed content", key, invented,
                       SENTENCE[labels] in item["content_html"], rel)

    def calendar(self, rel: str, lang: str) -> None:
        labels = lang if lang in PREFIX else "vi"
        for event in Calendar.from_ical((self.site / rel).read_bytes()).walk("VEVENT"):
            key = self.key_of(str(event["uid"]))
            invented = self.truth.items[key]
            self.check("calendar SUMMARY", key, invented,
                       str(event["summary"]).startswith(PREFIX[labels]), rel)
            self.check("calendar DESCRIPTION", key, invented,
                       str(event["description"]).startswith(SENTENCE[labels]), rel)
            groups = event.get("categories") or []
            categories = [str(c) for group in (groups if isinstance(groups, list) else [groups])
                          for c in group.cats]
            self.check("calendar CATEGORIES", key, invented, CATEGORY[labels] in categories,
                       rel)

    def search(self, rel: str) -> None:
        for url, _title, kind, _summary in json.loads((self.site / rel).read_text("utf-8")):
            key = self.truth.pages[url]
            self.check("search result", key, self.truth.items[key],
                       any(label in kind for label in CATEGORY.values()), rel)

    # ------------------------------------------------------------------ open data ---------
    def open_data(self, rel: str) -> None:
        name = Path(rel).stem
        path = self.site / rel
        if path.suffix == ".json":
            rows = json.loads(path.read_text(encoding="utf-8"))["rows"]
            flags = [row["illustrative"] for row in rows]
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
            flags = [{"True": True, "False": False}[row["illustrative"]] for row in rows]
        for row, flag in zip(rows, flags, strict=True):
            if name == "tasks":
                invented = self.truth.tasks[row["id"]]
            elif name == "indicators":  # the indicator itself comes from another plan
                invented = self.truth.indicators[row["id"]]
            elif name == "targets":  # each target: the province's own next to a borrowed one
                invented = (self.truth.indicators[row["indicator"]]
                            or (row["indicator"], str(row["year"]), row["locality"])
                            in self.truth.flagged_target_rows)
            else:
                invented = self.truth.figures(row["indicator"])
            self.check(f"open data {name}", f"{row}", invented, flag, rel)


def walk(root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    walker = Walk(site, read_truth(root, monkeypatch))
    walker.run()
    return walker.seen


def test_every_output_of_the_example_labels_what_is_invented_and_nothing_else(
        example: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = walk(ROOT, example.site, monkeypatch)
    # every channel met invented things; real ones where the example has some (its events,
    # latest news and figures are all invented: the next test has real ones)
    for channel in (*CHANNELS, "figures page"):
        assert seen[f"{channel} labelled"], channel
    for channel in ("page", "listing card", "share card", "feed title", "feed description",
                    "feed category", "feed content", "radio title", "radio text",
                    "JSON Feed title", "JSON Feed tags", "JSON Feed summary", "search result",
                    "open data indicators", "open data targets"):
        assert seen[f"{channel} real"], channel


CHANNELS = ("page", "listing card", "share card", "indicator card", "data card",
            "data card text", "feed title", "feed category", "feed description",
            "feed content", "radio title", "radio category", "radio text", "JSON Feed title",
            "JSON Feed tags", "JSON Feed summary", "JSON Feed content", "calendar SUMMARY",
            "calendar DESCRIPTION", "calendar CATEGORIES", "widget news", "search result",
            "indicator page", "tasks page", "open data indicators", "open data targets",
            "open data observations", "open data tasks")


def test_a_real_site_labels_only_what_is_invented(project: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Real figures beside one indicator from another unit's plan, a real and an invented
    event, a real and an invented task: each channel labels the invented one only."""
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "illustrative_data: true", "illustrative_data: false"), encoding="utf-8")
    (project / "data/indicators.yml").write_text(
        "- id: vneid-xac-nhan\n"
        "  name: {vi: Người trưởng thành được xác nhận kỹ năng số, en: Adults certified}\n"
        "  unit: percent\n"
        "- id: chu-ky-so\n"
        "  name: {vi: Người dùng chữ ký số cá nhân, en: Adults with a digital signature}\n"
        "  unit: percent\n"
        "  illustrative: true\n", encoding="utf-8")
    (project / "content/documents").mkdir(exist_ok=True)  # the commune's own plan
    (project / "content/documents/ke-hoach-76-kh-ubnd.vi.md").write_text(
        "---\ntitle: Kế hoạch Bình dân học vụ số năm 2026 của xã Ea Trang\ndate: 2026-05-06\n"
        "summary: Chỉ tiêu năm 2026 của xã.\nnumber: 76/KH-UBND\nissued: 2026-04-15\n"
        "issuer: Ủy ban nhân dân xã Ea Trang\ndoc_kind: ke-hoach\nlocalities: [ea-trang]\n"
        "---\nKế hoạch của xã.\n", encoding="utf-8")
    (project / "data/targets.yml").write_text(
        "- {indicator: vneid-xac-nhan, year: 2026, value: 80, plan: ke-hoach-76-kh-ubnd,"
        " section: II}\n"
        "- {indicator: chu-ky-so, year: 2026, value: 30, illustrative: true}\n", encoding="utf-8")
    (project / "data/observations").mkdir()
    (project / "data/observations/2026.csv").write_text(
        "locality,indicator,period,numerator,denominator,value,source,note\n"
        "buon-mot,vneid-xac-nhan,2026-10,300,400,,Công an xã,\n"
        "thon-hai,vneid-xac-nhan,2026-10,250,350,,Công an xã,\n"
        "buon-mot,chu-ky-so,2026-10,60,400,,Công an xã,\n"
        "thon-hai,chu-ky-so,2026-10,40,350,,Công an xã,\n", encoding="utf-8")
    (project / "data/tasks.yml").write_text(
        "- {id: t-1, text: Mở lớp học ở Buôn Một, lead: Đoàn Thanh niên xã, "
        "deadline: 2026-12-31, status: in-progress}\n"
        "- {id: t-2, text: Mở lớp học ở Thôn Hai, lead: Đoàn Thanh niên xã, "
        "deadline: 2026-12-31, status: done, illustrative: true}\n", encoding="utf-8")
    (project / "content/events/lop-hoc-thon-hai.vi.md").write_text(
        "---\ntitle: Lớp học ở Thôn Hai\ndate: 2026-11-01\nsummary: Lớp học buổi tối.\n"
        "start: 2026-12-05 19:00\nplace: Nhà văn hóa Thôn Hai\nlocalities: [thon-hai]\n"
        "illustrative: true\n---\nMang theo điện thoại.\n", encoding="utf-8")
    (project / "content/news/hop-ban-chi-dao.vi.md").write_text(
        "---\ntitle: Họp Ban Chỉ đạo xã\ndate: 2026-11-15\nsummary: Bàn việc tháng 12.\n"
        "---\nBan Chỉ đạo xã họp.\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    seen = walk(project, built.site, monkeypatch)
    for channel in CHANNELS:  # the tasks page has one note for all its tasks
        assert seen[f"{channel} labelled"] and (seen[f"{channel} real"]
                                                 or channel == "tasks page"), channel
    for channel in ("widget news", "widget figure", "widget note", "figures page"):
        assert seen[f"{channel} real"], channel


def test_the_label_is_part_of_the_card_key(project: Path, tmp_path: Path) -> None:
    """Cards come from a cache keyed by what they show: marking an item invented (or real
    again) must redraw its card, not reuse the one drawn before."""
    news = project / "content/news/lop-hoc-buon-mot.vi.md"
    invented = news.read_text(encoding="utf-8")
    assert "illustrative: true\n" in invented
    accent = (0xFF, 0xC9, 0x4D)

    def card_is_banded() -> bool:
        built = build(project, tmp_path / "site")  # the same project: its cache is reused
        assert built.result.code == 0, built.result.out
        image = built.html("tin-tuc/lop-hoc-buon-mot/").select_one(
            'meta[property="og:image"]')["content"]
        return banded(built.site / "og" / image.rsplit("/og/", 1)[1], accent)

    assert card_is_banded()
    news.write_text(invented.replace("illustrative: true\n", ""), encoding="utf-8")
    assert not card_is_banded()
    news.write_text(invented, encoding="utf-8")
    assert card_is_banded()


def test_the_half_year_news_quotes_the_dashboards_figures(example: Built) -> None:
    """An invented story beside invented figures must at least agree with them: every
    "<locality>: NN,N%" and the province's rates in the June 2026 news are the Data pages'."""
    rows = json.loads((example.site / "open-data/observations.json").read_text("utf-8"))["rows"]
    names = {term["name"]["vi"]: term["code"]
             for term in yaml_rows(ROOT / "data/localities.yml")}

    def rate(indicator: str, codes: set[str] | None = None) -> str:
        chosen = [r for r in rows if r["indicator"] == indicator and r["period"] == "2026-06"
                  and (codes is None or r["locality"] in codes)]
        value = 100 * sum(r["numerator"] for r in chosen) / sum(r["denominator"]
                                                                for r in chosen)
        return f"{value:.1f}".replace(".", ",")

    page = example.html("tin-tuc/ket-qua-sau-thang-dau-nam-2026/")
    text = page.select_one(".portal-item").get_text(" ", strip=True)
    quoted = re.findall(r"((?:phường|xã) [^:;,.]+?): (\d+,\d)%", text)
    assert len(quoted) == 4, quoted
    for name, value in quoted:
        code = names[name[0].upper() + name[1:]]
        assert value == rate("vneid-xac-nhan", {code}), name
    assert f"toàn tỉnh có {rate('vneid-xac-nhan')}%" in text
    assert f"{rate('can-bo-hoan-thanh-khoa-hoc')}% cán bộ" in text
    report = example.html("so-lieu/bao-cao/2026-06/").get_text(" ", strip=True)
    assert f"{rate('vneid-xac-nhan')}%" in report and \
        f"{rate('can-bo-hoan-thanh-khoa-hoc')}%" in report
