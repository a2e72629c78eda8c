"""Feeds as radio staff and other portals consume them: parsed by real parsers (feedparser,
icalendar), with ids that survive edits and rebuilds, Vietnam time, absolute addresses
under the site's sub-path, plain text for the loudspeakers, and audio enclosures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar

from conftest import ROOT, Built, build, check, forget_cache

SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"
RADIO_ILLUSTRATIVE = ("Tin minh họa. Người, nơi chốn và số liệu trong tin này là ví dụ, "
                      "không có thật.")


def feeds_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.xml") if p.name in ("feed.xml", "atom.xml",
                                                               "radio.xml"))


def test_every_feed_parses_with_absolute_links_and_vietnam_time(example: Built) -> None:
    paths = feeds_of(example.site)
    assert len(paths) > 60  # all, per type, topic and locality, in two languages
    for path in paths:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)), path
        for entry in parsed.entries:
            assert entry.link.startswith(SITE_URL), entry.link
            stamp = entry.get("published") or entry.get("updated")
            assert stamp.endswith(("+0700", "+07:00")), stamp
        if path.name == "atom.xml":
            self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
            assert self_link == SITE_URL + path.relative_to(example.site).as_posix()


def test_entries_carry_full_content_and_categories(example: Built) -> None:
    feed = feedparser.parse((example.site / "huong-dan/feed.xml").read_bytes())
    guide = next(e for e in feed.entries if e.link.endswith("/dang-ky-tai-khoan-vneid/"))
    html = guide.content[0].value
    assert "<ol>" in html and "Tải ứng dụng VNeID" in html  # the steps are in the feed
    assert 'href="../' not in html and 'src="../' not in html  # links made absolute
    assert {t.term for t in guide.tags} >= {"Hướng dẫn", "Định danh điện tử VNeID"}
    assert guide.author and feed.feed.language == "vi"
    english = feedparser.parse((example.site / "en/feed.xml").read_bytes())
    assert english.feed.language == "en"
    assert all(e.link.startswith(SITE_URL + "en/") for e in english.entries)


def test_radio_feed_is_plain_text_to_read_aloud(example: Built) -> None:
    radio = feedparser.parse((example.site / "radio.xml").read_bytes())
    for entry in radio.entries:
        text = entry.description.removeprefix(f"{RADIO_ILLUSTRATIVE}\n")
        assert not re.search(r"https?://|\]\(|<[a-z]|\*\*|^#", text, re.MULTILINE), text
        assert re.match(r"\d\d/\d\d/\d{4}", text)  # the date is read first (after "invented")
    news = next(e for e in radio.entries if "Ngày hội toàn dân" in e.title
                and "Sôi nổi" in e.title)
    assert "Ngày chuyển đổi số quốc gia" in news.description  # CĐS spelt out
    assert "CĐS" not in news.description
    assert news.description.startswith(f"{RADIO_ILLUSTRATIVE}\n11/10/2026 – Tỉnh Tuyên Quang")
    locality = feedparser.parse((example.site / "dia-phuong/lam-binh/radio.xml").read_bytes())
    headers = [e.description.removeprefix(f"{RADIO_ILLUSTRATIVE}\n").splitlines()[0]
               for e in locality.entries]
    assert any("Xã Lâm Bình" in header for header in headers)
    # the commune's own items, the province's, and those for everyone (only a date)
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}\.", header) or "Xã Lâm Bình" in header
               or "Tỉnh Tuyên Quang" in header for header in headers), headers


def test_audio_is_an_enclosure_with_its_length_and_type(example: Built) -> None:
    audio = ROOT / "content/news/audio/ngay-hoi-10-10.mp3"
    for name in ("feed.xml", "radio.xml", "tin-tuc/feed.xml"):
        feed = feedparser.parse((example.site / name).read_bytes())
        entry = next(e for e in feed.entries if e.get("enclosures"))
        enclosure = entry.enclosures[0]
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == audio.stat().st_size
        assert enclosure.href == SITE_URL + "news/audio/ngay-hoi-10-10.mp3"
    page = example.html("tin-tuc/ngay-hoi-toan-dan-hoc-tap-so-2026/")
    player = page.select_one(".portal-audio audio")
    assert player.has_attr("controls")
    assert "Lời của bản đọc" in page.select_one(".portal-audio details summary").get_text()


def test_json_feed_and_calendars(example: Built) -> None:
    feed = json.loads((example.site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    rss_ids = {e.id for e in feedparser.parse((example.site / "feed.xml").read_bytes()).entries}
    assert {item["id"] for item in feed["items"]} == rss_ids
    assert all(item["date_published"].endswith("+07:00") for item in feed["items"])
    calendar = Calendar.from_ical((example.site / "su-kien/lich.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5  # with the weekly class (one VEVENT, its RRULE)
    festival = next(e for e in events if "2026" in str(e["summary"])
                    and "Ngày hội" in str(e["summary"]))
    assert festival["dtstart"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert festival["dtstart"].dt.isoformat() == "2026-10-10T07:30:00+07:00"
    assert str(festival["uid"]) == "events/ngay-hoi-toan-dan-hoc-tap-so-2026@" \
        "tuyenquang.example.gov.vn"
    assert list(calendar.walk("VTIMEZONE"))
    assert (example.site / "en/events/calendar.ics").is_file()
    assert (example.site / "dia-phuong/lam-binh/lich.ics").is_file()


def test_pages_point_to_their_feeds(example: Built) -> None:
    for url, feed in (("", "feed.xml"), ("huong-dan/", "huong-dan/feed.xml"),
                      ("dia-phuong/na-hang/", "dia-phuong/na-hang/feed.xml"),
                      ("en/topics/vneid/", "en/topics/vneid/feed.xml")):
        links = example.html(url).select('link[rel=alternate][type="application/rss+xml"]')
        assert links[0]["href"] == SITE_URL + feed, url
        assert links[-1]["href"] == SITE_URL + feed.replace("feed.xml", "radio.xml") \
            if url in ("", "dia-phuong/na-hang/") else len(links) == 1, url
    page = example.html("nguon-tin/")
    assert f"{SITE_URL}dia-phuong/na-hang/radio.xml" in page.get_text()
    widget = example.html("tien-ich/")
    assert not widget.select("script")
    assert widget.select("a[target=_top]")
    assert "480" in page.select_one("pre").get_text()  # the documented iframe snippet


def feed_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.suffix in (".xml", ".json", ".ics")}


def test_ids_survive_rebuilds_and_edits(project: Path, tmp_path: Path) -> None:
    def ids(site: Path) -> dict[str, str]:
        feed = feedparser.parse((site / "feed.xml").read_bytes())
        return {e.link: e.id for e in feed.entries}

    first = build(project, tmp_path / "one")
    forget_cache(project)  # nothing reused: every page and image made again
    again = build(project, tmp_path / "two")
    assert feed_bytes(first.site) == feed_bytes(again.site)  # same commit, same bytes
    guide = project / "content/guides/cai-dat-vneid.vi.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("Cài đặt ứng dụng VNeID", "Cài ứng dụng VNeID trên điện "
                                  "thoại").replace("Hỏi Tổ", "Nếu khó, hỏi Tổ").replace(
        "\n---\n", "\nupdated: 2026-11-20\n---\n", 1), encoding="utf-8")
    edited = build(project, tmp_path / "three")
    assert len(ids(edited.site)) == len(ids(first.site)) > 3
    assert ids(edited.site) == ids(first.site)
    entry = next(e for e in feedparser.parse((edited.site / "atom.xml").read_bytes()).entries
                 if e.title == "Cài ứng dụng VNeID trên điện thoại")
    assert entry.updated == "2026-11-20T00:00:00+07:00"


def test_drafts_and_scheduled_items_never_reach_a_feed(project: Path, tmp_path: Path) -> None:
    (project / "content/news/nhap.vi.md").write_text(
        "---\ntitle: Bản nháp bí mật\ndate: 2026-01-01\nsummary: S.\ndraft: true\n---\nx\n",
        encoding="utf-8")
    (project / "content/news/sau.vi.md").write_text(
        "---\ntitle: Tin ngày mai\ndate: 2026-12-25\nsummary: S.\n---\nx\n", encoding="utf-8")
    (project / "content/news/hom-nay.vi.md").write_text(
        "---\ntitle: Tin hôm nay\ndate: 2026-11-21\nsummary: S.\n---\nx\n", encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    everything = "".join(text.decode() for text in feed_bytes(built.site).values())
    assert "Tin hôm nay" in everything  # published today: in the feeds
    assert "Bản nháp bí mật" not in everything and "Tin ngày mai" not in everything


def write(project: Path, path: str, text: str) -> None:
    target = project / "content" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_radio_text_reads_what_the_site_shows_without_markup(project: Path,
                                                             tmp_path: Path) -> None:
    (project / "data/abbreviations.yml").write_text(
        "- short: OTP\n  full: mã xác thực một lần\n- short: UBND\n  full: Ủy ban nhân dân\n",
        encoding="utf-8")
    config = project / "mkdocs.yml"  # the example portal's extensions
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - attr_list\n", "  - attr_list\n  - admonition\n  - tables\n"), encoding="utf-8")
    write(project, "news/doc-tren-loa.vi.md", """---
title: Họp dân về VNeID
date: 2026-11-20
summary: Ủy ban nhân dân (UBND) xã mời bà con dự họp.
localities: [buon-mot]
---
Theo Kế hoạch 76/KH-UBND, bà con đọc mã OTP cho ai cũng là bị lừa; tệp ke_hoach_2026 có 5*3 mục.

!!! note "Lưu ý"
    Mang theo căn cước &amp; điện thoại.

| Thôn | Số người |
|------|----------|
| Buôn Một | 20 |

---

![Ảnh lớp học](lop.png){ width=300 }

Xem [trang của xã][xa] hoặc <https://eatrang.example.gov.vn/> hay [![logo](logo.png)](https://x.vn).

## Lịch họp { #lich }

[xa]: https://eatrang.example.gov.vn/
""")
    (project / "content/news/lop.png").write_bytes(_png())
    (project / "content/news/logo.png").write_bytes(_png())
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    radio = feedparser.parse((built.site / "radio.xml").read_bytes())
    text = next(e.description for e in radio.entries if e.title == "Họp dân về VNeID")
    assert text.splitlines() == [
        "20/11/2026 – Buôn Một (minh họa).",
        "Họp dân về VNeID.",
        "Ủy ban nhân dân xã mời bà con dự họp.",
        "Theo Kế hoạch số 76 kế hoạch Ủy ban nhân dân, bà con đọc mã xác thực một lần cho ai "
        "cũng là bị lừa; tệp ke_hoach_2026 có 5*3 mục.",
        "Lưu ý",
        "Mang theo căn cước & điện thoại.",
        "Thôn, Số người.",
        "Buôn Một, 20.",
        "Xem trang của xã hoặc hay.",
        "Lịch họp.",
    ]


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def test_abbreviations_are_read_in_the_text_language(project: Path, tmp_path: Path) -> None:
    (project / "data/abbreviations.yml").write_text(
        "- short: OTP\n  full: {vi: mã xác thực một lần, en: one-time password}\n"
        "- short: UBND\n  full: Ủy ban nhân dân\n", encoding="utf-8")
    write(project, "news/otp.vi.md", "---\ntitle: Tin\ndate: 2026-11-20\nsummary: Đừng đọc "
          "mã OTP. Hỏi UBND xã.\n---\nx\n")
    write(project, "news/otp.en.md", "---\ntitle: News\nsummary: Never share your OTP. Ask "
          "the UBND.\n---\nx\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    vi = feedparser.parse((built.site / "radio.xml").read_bytes()).entries
    en = feedparser.parse((built.site / "en/radio.xml").read_bytes()).entries
    assert "Đừng đọc mã xác thực một lần. Hỏi Ủy ban nhân dân xã." in vi[0].description
    # English text gets English readings only; an abbreviation without one stays
    assert "Never share your one-time password. Ask the UBND." in en[0].description


def test_newest_publications_lead_every_feed(project: Path, tmp_path: Path) -> None:
    """A document issued long ago but published today, and an event held next year but
    announced today, are what a subscriber has not seen yet: first, never cut off."""
    for number in range(40):
        write(project, f"news/tin-{number:02d}.vi.md", f"---\ntitle: Tin cũ {number}\n"
              f"date: 2026-0{1 + number % 9}-1{number % 10}\nsummary: S.\n---\nx\n")
    write(project, "documents/quyet-dinh-cu.vi.md", "---\ntitle: Quyết định cũ\ndate: 2026-11-21"
          "\nsummary: S.\nnumber: 1/QĐ-UBND\nissued: 2024-03-01\nissuer: UBND huyện cũ\n"
          "doc_kind: quyet-dinh\n---\nVăn bản cũ, nay mới đăng.\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    for name in ("feed.xml", "radio.xml"):
        entries = feedparser.parse((built.site / name).read_bytes()).entries
        assert entries[0].title == "Quyết định cũ", name
        assert entries[0].author == "UBND huyện cũ"  # the issuing office
        dates = [e.published_parsed for e in entries]
        assert dates == sorted(dates, reverse=True), name
    json_feed = json.loads((built.site / "feed.json").read_text(encoding="utf-8"))
    assert json_feed["items"][0]["title"] == "Quyết định cũ"


def test_a_village_feed_carries_what_concerns_it(project: Path, tmp_path: Path) -> None:
    write(project, "news/toan-xa.vi.md", "---\ntitle: Tin cả xã\ndate: 2026-11-01\n"
          "summary: S.\n---\nx\n")
    write(project, "news/thon-hai.vi.md", "---\ntitle: Tin Thôn Hai\ndate: 2026-11-02\n"
          "summary: S.\nlocalities: [thon-hai]\n---\nx\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    for name in ("feed.xml", "atom.xml", "radio.xml"):
        village = feedparser.parse((built.site / f"dia-phuong/buon-mot/{name}").read_bytes())
        titles = {e.title.removeprefix("[Minh họa] ") for e in village.entries}
        # its own news, the commune's (the unit above) and the whole unit's; not a neighbour's;
        # the festival of 10/10 is over on the publishing day: not read on the radio
        assert {"Lớp học kỹ năng số ở Buôn Một", "Tin cả xã"} <= titles, name
        assert ("Ngày hội toàn dân học tập số" in titles) == (name != "radio.xml"), name
        assert "Tin Thôn Hai" not in titles, name
    commune = feedparser.parse((built.site / "dia-phuong/ea-trang/feed.xml").read_bytes())
    assert {"Tin Thôn Hai", "[Minh họa] Lớp học kỹ năng số ở Buôn Một"} <= {
        e.title for e in commune.entries}  # an invented item says so in its title
    calendar = Calendar.from_ical((built.site / "dia-phuong/buon-mot/lich.ics").read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Ngày hội toàn dân học tập số"]
    assert "Buôn Một" in str(calendar["x-wr-calname"])


def test_a_feed_follows_the_pages_it_links_to(project: Path, tmp_path: Path) -> None:
    """The feed cache must not keep an address that no longer exists."""
    build(project, tmp_path / "one")
    guide = project / "content/guides/cai-dat-vneid.vi.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "\n---\n", "\nslug: cai-vneid-moi\n---\n", 1), encoding="utf-8")
    built = build(project, tmp_path / "two")
    assert built.result.code == 0, built.result.out
    feed = feedparser.parse((built.site / "huong-dan/feed.xml").read_bytes())
    linking = next(e for e in feed.entries if "nop-ho-so-truc-tuyen" in e.link)
    assert 'href="https://eatrang.example.gov.vn/huong-dan/cai-vneid-moi/"' in \
        linking.content[0].value


def test_events_can_be_added_one_by_one_and_all_day(project: Path, tmp_path: Path) -> None:
    write(project, "events/ngay-sach.vi.md", "---\ntitle: Ngày hội đọc sách số\n"
          "date: 2026-11-20\nsummary: S.\nstart: 2026-12-05\nplace: Thư viện xã\n---\nx\n")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    page = built.html("su-kien/ngay-sach/")
    button = page.select_one('a[href$="su-kien/ngay-sach/lich.ics"]')
    assert button and "Thêm vào lịch" in button.get_text()
    one = Calendar.from_ical((built.site / "su-kien/ngay-sach/lich.ics").read_bytes())
    (event,) = one.walk("VEVENT")
    assert event["dtstart"].dt.isoformat() == "2026-12-05"  # a date without a time: all day
    assert event["dtend"].dt.isoformat() == "2026-12-06"
    assert event["last-modified"].dt.isoformat() == "2026-11-19T17:00:00+00:00"
    assert str(event["uid"]) == "events/ngay-sach@eatrang.example.gov.vn"
    links = built.html("su-kien/").select('link[rel=alternate][type="text/calendar"]')
    assert [link["href"] for link in links] == ["https://eatrang.example.gov.vn/su-kien/lich.ics"]


def test_feeds_need_the_published_address(project: Path, tmp_path: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_url: https://eatrang.example.gov.vn/\n", ""), encoding="utf-8")
    assert "mkdocs.yml [site_url]" in check(project).out  # the check says it too
    built = build(project, tmp_path / "site")
    assert built.result.code == 1
    assert "mkdocs.yml [site_url]" in built.result.out
    assert "Chưa có địa chỉ xuất bản" in built.result.out
    assert "The published address is missing" in built.result.out
    assert "Traceback" not in built.result.out and not (tmp_path / "site").exists()


@pytest.mark.parametrize(("extra", "expected"), [
    ("audio: am-thanh/khong-co.mp3\naudio_transcript: Lời.\n",
     "content/news/loa.vi.md:5 [audio]"),
    ("audio: ../guides/cai-dat-vneid.vi.md\naudio_transcript: Lời.\n",
     "must end in .mp3, .m4a, .ogg, .oga"),
])
def test_missing_or_wrong_audio_is_an_error(project: Path, extra: str, expected: str) -> None:
    (project / "content/news/loa.vi.md").write_text(
        f"---\ntitle: Tin\ndate: 2026-01-01\nsummary: S.\n{extra}---\nx\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert expected in result.out


def test_audio_without_transcript_is_an_error(project: Path) -> None:
    (project / "content/news/am-thanh").mkdir()
    (project / "content/news/am-thanh/ban-tin.mp3").write_bytes(b"ID3" + bytes(100))
    (project / "content/news/loa.vi.md").write_text(
        "---\ntitle: Tin\ndate: 2026-01-01\nsummary: S.\naudio: am-thanh/ban-tin.mp3\n---\nx\n",
        encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "content/news/loa.vi.md:5 [audio_transcript]" in result.out
    assert "The audio 'am-thanh/ban-tin.mp3' has no transcript" in result.out
