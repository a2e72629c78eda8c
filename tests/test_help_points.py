"""Issue 17 point 1, help near you: help points and community digital teams as data
(data/help-points.yml, data/community-teams.yml), checked with messages an editor can act on,
shown on locality pages, on a help page per commune and at the end of every guide, where the
reader's chosen commune is remembered on the phone (Chromium at 360 x 740)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from test_accessibility import WCAG

from conftest import Built, build, check, serve

PHONE = {"width": 360, "height": 740}
POINTS = "data/help-points.yml"
TEAMS = "data/community-teams.yml"


def edit(project: Path, rel: str, change: dict[str, object], index: int = 0) -> None:
    """Change fields of one entry of a data file (None removes the field)."""
    path = project / rel
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in change.items():
        if value is None:
            rows[index].pop(key, None)
        else:
            rows[index][key] = value
    path.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def problem(out: str, rel: str, field: str) -> str:
    """The message block of the problem on `rel` at `field` (vi and en lines)."""
    match = re.search(rf"(LỖI / ERROR|CẢNH BÁO / WARNING)  {re.escape(rel)}:\d+ \[{field}\]\n"
                      r"  vi: .*\n  en: .*", out)
    assert match, out
    return match[0]


# ---- checking the data ----

@pytest.mark.parametrize(("rel", "value", "suggested"), [
    (POINTS, "ea-trnag", "ea-trang"),  # a typo
    (POINTS, "Ea Trang", "ea-trang"),  # the name instead of the code
    (TEAMS, "buon-mott", "buon-mot"),
])
def test_unknown_locality_is_named_with_a_suggestion(project: Path, rel: str, value: str,
                                                     suggested: str) -> None:
    edit(project, rel, {"locality": value})
    result = check(project)
    assert result.code != 0
    message = problem(result.out, rel, "locality")
    assert f"'{value}'" in message and "data/localities.yml" in message
    assert f"Có phải là '{suggested}'?" in message and f"Did you mean '{suggested}'?" in message
    assert "Traceback" not in result.out


def test_unknown_topic_is_named(project: Path) -> None:
    edit(project, POINTS, {"topics": ["vneid", "dich-vu-cogn"]})
    message = problem(check(project).out, POINTS, "topics")
    assert "'dich-vu-cogn'" in message and "Did you mean 'dich-vu-cong'?" in message


@pytest.mark.parametrize("phone", ["0262 abc 0001", "0262;000", "12", ["0262"]])
def test_bad_phone_is_refused(project: Path, phone: object) -> None:
    edit(project, POINTS, {"phone": phone})
    result = check(project)
    assert result.code != 0
    assert "0207 000 0000" in problem(result.out, POINTS, "phone")  # the example to follow


@pytest.mark.parametrize("coordinates", [{"lat": 108.45, "lon": 12.75}, {"lat": 12.7},
                                         {"lat": 12.7, "lon": 181}, {"lat": "12,7", "lon": 108},
                                         [12.7, 108.4]])
def test_coordinates_out_of_range_are_refused(project: Path, coordinates: object) -> None:
    edit(project, POINTS, {"coordinates": coordinates})
    result = check(project)
    assert result.code != 0
    message = problem(result.out, POINTS, "coordinates")
    assert "lat" in message and "lon" in message and "swapped" in message


@pytest.mark.parametrize("field", ["name", "person"])
def test_a_persons_name_on_a_team_is_refused_for_consent(project: Path, field: str) -> None:
    edit(project, TEAMS, {field: "Nguyễn Văn A"})
    result = check(project)
    assert result.code != 0
    message = problem(result.out, TEAMS, field)
    assert "đồng ý" in message and "consent" in message and "role" in message


@pytest.mark.parametrize(("hours", "ok"), [
    ([{"days": "mon-fri", "times": ["7:30-11:30", "13:30-17:00"]}], True),
    ([{"days": ["sat", "sun"], "times": "19:00-21:00"}], True),
    ([{"days": "mon-fry", "times": ["7:30-11:30"]}], False),
    ([{"days": "mon-fri", "times": ["11:30-7:30"]}], False),
    ([{"days": "mon-fri", "times": ["7h30"]}], False),
    ("Thứ Hai đến Thứ Sáu", False),
])
def test_opening_hours_are_checked(project: Path, hours: object, ok: bool) -> None:
    edit(project, POINTS, {"hours": hours})
    result = check(project)
    assert (result.code == 0) is ok, result.out
    if not ok:
        assert "mon-fri" in problem(result.out, POINTS, "hours")


@pytest.mark.parametrize(("checked", "stale"), [("2025-10-01", True), ("2024-01-05", True),
                                                ("2026-01-10", False)])
def test_a_point_not_checked_for_a_year_is_warned(project: Path, checked: str,
                                                  stale: bool) -> None:
    edit(project, POINTS, {"last_checked": checked})
    result = check(project)
    assert result.code == 0, result.out  # a warning: the point is still shown
    if stale:
        message = problem(result.out, POINTS, "last_checked")
        assert message.startswith("CẢNH BÁO / WARNING") and "last_checked" in message
    else:
        assert "[last_checked]" not in result.out


def test_bad_language_code_is_refused(project: Path) -> None:
    edit(project, POINTS, {"languages": ["vi", "Ê Đê"]})
    assert "BCP 47" in problem(check(project).out, POINTS, "languages")


# ---- what readers see ----

def test_locality_page_lists_its_points_with_call_and_directions(commune: Built) -> None:
    page = commune.html("dia-phuong/ea-trang/")
    point = page.select_one(".help-point")
    assert point is not None
    assert "Bộ phận Một cửa xã Ea Trang" in point.get_text()
    assert point.select_one("a.help-point__call")["href"] == "tel:02620000001"
    geo = point.select_one("a.help-point__map")["href"]
    assert geo.startswith("geo:12.7562,108.4501?q=12.7562,108.4501(B%E1%BB%99")
    assert "Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00" in point.get_text()
    assert point.select_one(".portal-badge--illustrative") is not None
    # a village's team on the village's page: its role and phone, no person's name
    team = commune.html("dia-phuong/buon-mot/").select_one(".help-point--team")
    assert "Tổ trưởng" in team.get_text()
    assert team.select_one("a")["href"] == "tel:0905000001"
    # no map or script from another host on any help page
    for url in ("diem-ho-tro/", "diem-ho-tro/buon-mot/", "en/help-points/ea-trang/"):
        html = commune.html(url)
        assert all(src["src"].startswith(("../", "assets/")) or "://" not in src["src"]
                   for src in html.select("script[src], iframe[src], img[src]"))


def test_help_page_per_commune_nearest_first_in_both_languages(commune: Built) -> None:
    village = commune.html("diem-ho-tro/buon-mot/")
    groups = [group.h2.get_text(strip=True) for group in village.select(".help-group")]
    assert groups == ["Buôn Một (minh họa)", "Gần đó – Xã Ea Trang"]
    # a village without help of its own shows its commune's
    assert [g.h2.get_text(strip=True) for g in
            commune.html("diem-ho-tro/thon-hai/").select(".help-group")] == [
        "Gần đó – Xã Ea Trang"]
    english = commune.html("en/help-points/ea-trang/")
    text = english.get_text(" ")
    assert "Monday–Friday 7:30–11:30, 13:30–17:00" in text
    assert english.select_one(".portal-notice--illustrative") is not None
    spoken = {span.get_text(): span["lang"] for span in english.select(".help-point span[lang]")}
    assert spoken == {"Tiếng Việt": "vi", "Ê Đê (thử nghiệm)": "rad"}  # as site.yml names it
    # every commune's list: printable, each commune linked for the guides' box
    index = commune.html("diem-ho-tro/")
    assert [a["data-help-commune"] for a in index.select("[data-help-commune]")] == [
        "ea-trang", "buon-mot", "thon-hai"]
    assert index.select_one("button[data-print]") is not None
    assert "diem-ho-tro/" in {a["href"].split("../")[-1] for a in
                              commune.html("").select(".site-footer a")}


def test_guide_box_links_to_help_without_javascript(commune: Built) -> None:
    # a guide about the commune links to its help page, and to every commune's
    box = commune.html("huong-dan/cai-dat-vneid/").select_one("aside.help-box")
    assert box.h2.get_text() == "Cần người giúp?"
    assert [a["href"] for a in box.select(".help-box__links a")] == [
        "../../diem-ho-tro/ea-trang/", "../../diem-ho-tro/"]
    assert box.select_one(".help-box__chooser").has_attr("hidden")
    # a guide about nowhere in particular: every commune's list; in English too
    other = commune.html("huong-dan/bao-mat-tai-khoan/").select_one("aside.help-box")
    assert [a["href"] for a in other.select(".help-box__links a")] == ["../../diem-ho-tro/"]
    english = commune.html("en/guides/cai-dat-vneid/").select_one("aside.help-box")
    assert english.h2.get_text() == "Need help?"
    assert english.select_one(".help-box__links a")["href"] == "../../../en/help-points/ea-trang/"
    # not on other kinds of page
    assert commune.html("tin-tuc/lop-hoc-buon-mot/").select_one("aside.help-box") is None


def test_a_page_asks_for_the_box_with_help_box(project: Path, tmp_path: Path) -> None:
    (project / "content/pages/ho-tro.vi.md").write_text(
        "---\ntitle: Hỗ trợ\nhelp_box: true\n---\nAi giúp bạn, ở đâu.\n", encoding="utf-8")
    (project / "content/pages/ho-tro.en.md").write_text(
        "---\ntitle: Help\n---\nWho helps you, and where.\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    for page in ("ho-tro/", "en/ho-tro/"):
        box = built.html(page).select_one("aside.help-box")
        assert box is not None, page
        assert box.select(".help-box__links a")[-1]["href"].endswith(
            "diem-ho-tro/" if page == "ho-tro/" else "en/help-points/")
    others = [p.parent.relative_to(built.site).as_posix() + "/" for p in
              built.site.rglob("index.html") if not re.search("ho-tro|huong-dan|guide", str(p))]
    assert len(others) > 10
    assert not [page for page in others if built.html(page).select_one("aside.help-box")]


def test_no_help_data_no_help_pages(project: Path, tmp_path: Path) -> None:
    (project / POINTS).unlink()
    (project / TEAMS).unlink()
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    assert not built.exists("diem-ho-tro/")
    assert built.html("huong-dan/cai-dat-vneid/").select_one("aside.help-box") is None


# ---- the box remembers the reader's commune (Chromium, 360 x 740) ----

@pytest.fixture(scope="module")
def commune_url(commune: Built) -> Iterator[str]:
    server, url = serve(commune.site)
    yield url
    server.shutdown()


def test_guide_box_remembers_the_chosen_commune(browser, commune_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(commune_url + "huong-dan/bao-mat-tai-khoan/")
    select = page.locator("#help-commune")
    select.wait_for(state="visible")
    select.select_option("buon-mot")
    page.locator(".help-box__points .help-point").first.wait_for()
    page.reload()
    page.locator(".help-box__points .help-point").first.wait_for()
    assert select.input_value() == "buon-mot"
    shown = page.locator(".help-box__points")
    # the village's team first, then its commune's desk
    assert shown.locator(".help-point a[href^='tel:']").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))") == [
        "tel:0905000001", "tel:02620000001"]
    assert shown.locator(".portal-badge--illustrative").count() == 2
    box = page.locator("aside.help-box")
    box.scroll_into_view_if_needed()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    for link in shown.locator("a.button").all():
        assert link.bounding_box()["height"] >= 44
    # another commune replaces the list
    select.select_option("thon-hai")
    page.wait_for_function("document.querySelectorAll('.help-box__points .help-point').length"
                           " === 1")
    context.close()


def test_help_pages_and_the_open_box_meet_wcag(browser, commune_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    failures = {}
    for path in ("diem-ho-tro/", "diem-ho-tro/buon-mot/", "en/help-points/ea-trang/",
                 "dia-phuong/ea-trang/", "huong-dan/cai-dat-vneid/"):
        page.goto(commune_url + path)
        if path.startswith("huong-dan/"):  # the box with a commune's points in it
            page.locator("#help-commune").select_option("buon-mot")
            page.locator(".help-box__points .help-point").first.wait_for()
        violations = Axe().run(page, options=WCAG).response["violations"]
        if violations:
            failures[path] = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.close()
    assert not failures
