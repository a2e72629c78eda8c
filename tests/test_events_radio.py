"""Issue 17 points 8 and 9 on built sites (publishing day pinned to conftest.TODAY, 21/11/2026):
events upcoming and past apart, date ranges without "00:00", weekly classes in listings and
as RRULE in calendars, calendar links relative to where the site is served; radio feeds that
leave out what is over, read videos and documents by their summary, carry a commune's own
documents and those above it, and read document numbers as words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
from icalendar import Calendar

from conftest import build, check

EVENT = """---
title: {title}
date: 2026-08-01
summary: Tóm tắt {title}.
localities: [{locality}]
start: {start}
{extra}place: Nhà văn hóa
---
Nội dung.
"""
EVENTS = {  # file: (title, start, extra fields) in the Ea Trang fixture
    "hom-qua": ("Lớp học hôm qua", "2026-11-20 08:00", "end: 2026-11-20 10:00\n"),
    "cuoc-thi": ("Cuộc thi cả tháng", "2026-11-01", "end: 2026-11-30\n"),
    "cuoi-thang": ("Cuộc thi ghi giờ 23:59", "2026-11-01 00:00", "end: 2026-11-30 23:59\n"),
    "hang-tuan": ("Lớp học hằng tuần", "2026-09-01 18:00", "end: 2026-09-01 20:00\n"
                  "repeat: FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231\n"),
    "hang-thang": ("Lớp học hằng tháng", "2026-01-03", "repeat: FREQ=MONTHLY;BYDAY=1SA\n"),
    "thang-muoi": ("Tuần lễ tháng Mười", "2026-10-01", "end: 2026-10-05\n"),
    "thang-muoi-hai": ("Lớp học tháng Mười Hai", "2026-12-05 08:00",
                       "end: 2026-12-05 10:30\n"),
    "hom-nay": ("Buổi học hôm nay", "2026-11-21 19:00", ""),
}


def write(project: Path, path: str, text: str) -> None:
    target = project / "content" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def with_events(project: Path) -> None:
    site_yml = project / "data/site.yml"  # every event on the listing's first page
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "page_size: 2", "page_size: 20"), encoding="utf-8")
    for name, (title, start, extra) in EVENTS.items():
        locality = "buon-mot" if name == "hang-tuan" else "ea-trang"
        write(project, f"events/{name}.vi.md", EVENT.format(
            title=title, start=start, extra=extra, locality=locality))


def cards(page, heading: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Titles of the cards under the h2 `heading`, in order."""
    section = next(h for h in page.select("main h2") if h.get_text(strip=True) == heading)
    titles = []
    for element in section.find_all_next(["h2", "h3"]):
        if element.name == "h2":
            break
        titles.append(element.get_text(strip=True))
    return titles


def test_events_apart_with_ranges_classes_and_calendars(project: Path, tmp_path: Path) -> None:
    with_events(project)
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    listing = built.html("su-kien/")
    # soonest first; happening now (started, not over) with the upcoming ones
    assert cards(listing, "Sắp diễn ra và đang diễn ra") == [
        "Cuộc thi cả tháng", "Cuộc thi ghi giờ 23:59", "Buổi học hôm nay",
        "Lớp học hằng tuần", "Lớp học hằng tháng", "Lớp học tháng Mười Hai"]  # 05/12 00:00, 08:00
    assert cards(listing, "Đã diễn ra") == [
        "Lớp học hôm qua", "Ngày hội toàn dân học tập số", "Tuần lễ tháng Mười"]
    meta = {card.h3.get_text(strip=True): " ".join(card.select_one(
        ".portal-card__meta").get_text(" ").split()) for card in listing.select(".portal-card")}
    assert "01/11 – 30/11/2026 · Đang diễn ra" in meta["Cuộc thi cả tháng"]
    assert "01/11 – 30/11/2026" in meta["Cuộc thi ghi giờ 23:59"]
    assert "01/10 – 05/10/2026 · Đã diễn ra" in meta["Tuần lễ tháng Mười"]
    assert "08:00–10:30, 05/12/2026 · Sắp diễn ra" in meta["Lớp học tháng Mười Hai"]
    assert "Thứ Ba, Thứ Năm hằng tuần, 18:00–20:00 (01/09 – 31/12/2026)" \
        in meta["Lớp học hằng tuần"]
    assert "Thứ Bảy đầu tiên hằng tháng (từ 03/01/2026)" in meta["Lớp học hằng tháng"]
    assert not any("00:00" in text or "23:59" in text for text in meta.values()), meta
    # listings of other kinds hold no events: no event headings over their cards
    for url in ("tin-tuc/", "huong-dan/", "guong-dien-hinh/", "en/news/"):
        headings = [h.get_text(strip=True) for h in built.html(url).select("h2")]
        assert not {"Đã diễn ra", "Sắp diễn ra và đang diễn ra", "Past events"} & {*headings}, url
    page = built.html("su-kien/hang-tuan/")
    assert "Buổi tới: 18:00, 24/11/2026" in page.select_one(".portal-facts").get_text()

    # a locality page: upcoming events on top under their heading, then everything else
    village = built.html("dia-phuong/buon-mot/")
    assert cards(village, "Sự kiện sắp diễn ra") == ["Lớp học hằng tuần"]
    assert "Lớp học kỹ năng số ở Buôn Một" in cards(village, "Tin, bài khác")
    commune = built.html("dia-phuong/ea-trang/")
    assert cards(commune, "Sự kiện sắp diễn ra")[0] == "Cuộc thi cả tháng"
    assert "Lớp học hôm qua" in cards(commune, "Tin, bài khác")

    # calendars: whole days as dates, the class as one VEVENT with its RRULE
    calendar = Calendar.from_ical((built.site / "su-kien/lich.ics").read_bytes())
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    for name in ("Cuộc thi cả tháng", "Cuộc thi ghi giờ 23:59"):
        assert events[name]["dtstart"].dt == date(2026, 11, 1), name
        assert events[name]["dtend"].dt == date(2026, 12, 1), name
    weekly = events["Lớp học hằng tuần"]
    assert weekly["rrule"]["FREQ"] == ["WEEKLY"] and weekly["rrule"]["BYDAY"] == ["TU", "TH"]
    # UNTIL as DTSTART's kind (UTC date-time): the session of Thursday 31/12 at 18:00 is in
    assert weekly["rrule"]["UNTIL"] == [datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)]
    monthly = events["Lớp học hằng tháng"]
    assert monthly["rrule"]["BYDAY"] == ["1SA"] and monthly["dtstart"].dt == date(2026, 1, 3)

    # calendar links: relative download (whatever address serves the site) and webcal:
    for url, calendar_file in (("su-kien/", "su-kien/lich.ics"),
                               ("su-kien/hang-tuan/", "su-kien/hang-tuan/lich.ics"),
                               ("dia-phuong/buon-mot/", "dia-phuong/buon-mot/lich.ics")):
        page = built.html(url)
        download = page.select_one('a[type="text/calendar"]')
        href = download["href"]
        assert "://" not in href and not href.startswith("/"), (url, href)
        assert (built.site / url / href).resolve() == (built.site / calendar_file).resolve()
        webcal = page.select_one("a[data-webcal]")
        assert webcal["href"] == f"webcal://eatrang.example.gov.vn/{calendar_file}", url
        assert webcal["data-webcal"] == href
        assert page.select_one('script[src*="assets/calendar.js"]')
    assert not built.html("su-kien/hom-qua/").select("a[data-webcal]")  # over: no subscribing

    # the radio, read on the publishing day: what is over is left out
    radio = feedparser.parse((built.site / "radio.xml").read_bytes())
    read = {e.title: e.description for e in radio.entries}
    assert "Lớp học hôm qua" not in read and "Tuần lễ tháng Mười" not in read
    assert "Thời gian: 01/11 – 30/11/2026." in read["Cuộc thi cả tháng"]
    assert "Thời gian: Thứ Ba, Thứ Năm hằng tuần, 18:00–20:00" in read["Lớp học hằng tuần"]
    assert "Buổi học hôm nay" in read
    assert not any("00:00" in text for text in read.values())
    everything = {e.title for e in feedparser.parse((built.site / "feed.xml").read_bytes()
                                                   ).entries}
    assert "Lớp học hôm qua" in everything  # other feeds keep the record


def test_webcal_follows_the_served_address(example_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    """Served from another address than site_url (here a local server under a sub-path), the
    webcal: link subscribes to that address's calendar, made by calendar.js."""
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(example_url + "su-kien/")
    served = example_url.split("://", 1)[1]
    assert page.get_attribute("a[data-webcal]", "href") == f"webcal://{served}su-kien/lich.ics"
    assert page.is_visible("a[data-webcal]")
    page.close()


def test_repeat_rules_are_checked(project: Path) -> None:
    for name, rule in (("chu", "thứ ba hằng tuần"), ("nam", "FREQ=YEARLY"),
                       ("ngay", "FREQ=WEEKLY;BYDAY=XX"), ("ca-hai",
                        "FREQ=WEEKLY;COUNT=3;UNTIL=20261231"),
                       ("gio", "FREQ=DAILY;BYHOUR=7")):
        write(project, f"events/{name}.vi.md", EVENT.format(
            title=name, start="2026-12-01 18:00", locality="ea-trang",
            extra=f"repeat: {rule}\n"))
    write(project, "events/truoc.vi.md", EVENT.format(
        title="truoc", start="2026-12-01 18:00", locality="ea-trang",
        extra="repeat: FREQ=WEEKLY;UNTIL=20261101\n"))
    result = check(project)
    assert result.code != 0
    for name in ("chu", "nam", "ngay", "ca-hai", "gio"):
        assert re.search(rf"content/events/{name}\.vi\.md:7 \[repeat\]\n  vi: .*không đọc "
                         r"được\. Viết theo mẫu FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231",
                         result.out), name
    assert "content/events/truoc.vi.md:7 [repeat]" in result.out
    assert "ends before the start" in result.out
    assert "Traceback" not in result.out


def test_radio_feed_fit_to_broadcast(project: Path, tmp_path: Path) -> None:
    (project / "data/abbreviations.yml").write_text(
        "- short: UBND\n  full: {vi: Ủy ban nhân dân}\n", encoding="utf-8")
    body = "Điều 1. " + "Nội dung kế hoạch rất dài. " * 80
    documents = {  # file: (localities, number, issuer)
        "ke-hoach-xa": ("[ea-trang]", "76/KH-UBND", "UBND xã Ea Trang"),
        "ke-hoach-thon": ("[buon-mot]", "12/KH-UBND", "Ban nhân dân Buôn Một"),
        "tinh-khac": ("[]", "3200/KH-UBND", "UBND tỉnh khác"),
    }
    for name, (places, number, issuer) in documents.items():
        write(project, f"documents/{name}.vi.md", f"---\ntitle: Kế hoạch {name}\n"
              f"date: 2026-11-10\nsummary: Tóm tắt {name}.\nlocalities: {places}\n"
              f"number: {number}\nissued: 2026-11-01\nissuer: {issuer}\n"
              f"doc_kind: ke-hoach\n---\n{body}\nTheo Nghị định 13/2023/NĐ-CP.\n")
    (project / "content/videos").mkdir(parents=True, exist_ok=True)
    (project / "content/videos/loi.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:02.000\nBa điều cần nhớ\n", encoding="utf-8")
    write(project, "videos/ba-dieu.vi.md", "---\ntitle: Video ba điều cần nhớ\n"
          "date: 2026-11-12\nsummary: Video ngắn nhắc ba quy tắc tránh lừa đảo.\n"
          "video_url: https://www.youtube.com/watch?v=abc\ncaptions: loi.vtt\n---\n"
          "Màn hình 1 (chữ trên màn hình: BA ĐIỀU CẦN NHỚ). Nhạc nền.\n\n"
          "Màn hình 2 (cảnh người cầm điện thoại).\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out

    def read(path: str) -> dict[str, str]:
        feed = feedparser.parse((built.site / path).read_bytes())
        return {e.title: e.description for e in feed.entries}

    everything = read("radio.xml")
    video = everything["Video ba điều cần nhớ"]
    assert "Video ngắn nhắc ba quy tắc tránh lừa đảo." in video
    assert "Màn hình" not in video and "Nhạc nền" not in video
    plan = everything["Kế hoạch ke-hoach-xa"]
    assert "Văn bản số 76 kế hoạch Ủy ban nhân dân do Ủy ban nhân dân xã Ea Trang ban hành " \
        "ngày 01/11/2026." in plan
    assert "/KH" not in plan and "Nội dung kế hoạch rất dài" not in plan and len(plan) < 400
    assert "3200/KH" not in everything["Kế hoạch tinh-khac"]
    # a village reads its own and the commune's documents; a commune not its villages';
    # neither reads another unit's
    village, commune = read("dia-phuong/buon-mot/radio.xml"), \
        read("dia-phuong/ea-trang/radio.xml")
    assert {"Kế hoạch ke-hoach-xa", "Kế hoạch ke-hoach-thon"} <= set(village)
    assert "Kế hoạch ke-hoach-xa" in commune and "Kế hoạch ke-hoach-thon" not in commune
    assert "Kế hoạch tinh-khac" not in village and "Kế hoạch tinh-khac" not in commune
    # the feed readers' version of a document keeps its number as written
    atom = feedparser.parse((built.site / "feed.xml").read_bytes())
    assert any("13/2023/NĐ-CP" in e.content[0].value for e in atom.entries)


def test_document_numbers_read_the_same_everywhere(project: Path, tmp_path: Path) -> None:
    write(project, "news/so-van-ban.vi.md", "---\ntitle: Tin văn bản\ndate: 2026-11-15\n"
          "summary: Theo Kế hoạch số 76/KH-UBND và Quyết định 1234/QĐ-UBND.\n---\n"
          "Nghị định 13/2023/NĐ-CP; Kế hoạch …/KH-UBND; Nghị quyết 57-NQ/TW; ngày 10/10/2026.\n")
    (project / "data/abbreviations.yml").write_text(
        "- short: UBND\n  full: {vi: Ủy ban nhân dân}\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    text = next(e.description for e in feedparser.parse(
        (built.site / "radio.xml").read_bytes()).entries if e.title == "Tin văn bản")
    assert "Theo Kế hoạch số 76 kế hoạch Ủy ban nhân dân và Quyết định số 1234 quyết định " \
        "Ủy ban nhân dân." in text
    assert "Nghị định số 13 năm 2023 nghị định Chính phủ; Kế hoạch kế hoạch Ủy ban nhân dân; " \
        "Nghị quyết số 57 nghị quyết Trung ương; ngày 10/10/2026." in text
