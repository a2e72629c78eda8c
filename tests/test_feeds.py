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

from conftest import ROOT, Built, build, check

SITE_URL = "https://tuyenquang.example.gov.vn/binh-dan-hoc-vu-so/"


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
        text = entry.description
        assert not re.search(r"https?://|\]\(|<[a-z]|\*\*|^#", text, re.MULTILINE), text
        assert re.match(r"\d\d/\d\d/\d{4}", text)  # the date is read first
    news = next(e for e in radio.entries if "Ngày hội toàn dân" in e.title
                and "Sôi nổi" in e.title)
    assert "Ngày chuyển đổi số quốc gia" in news.description  # CĐS spelt out
    assert "CĐS" not in news.description
    assert news.description.startswith("11/10/2026 – Tỉnh Tuyên Quang")
    locality = feedparser.parse((example.site / "dia-phuong/lam-binh/radio.xml").read_bytes())
    assert locality.entries and all("Lâm Bình" in e.description for e in locality.entries)


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
    assert len(events) == 4
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
        assert [link["href"] for link in links] == [SITE_URL + feed], url
    page = example.html("nguon-tin/")
    assert f"{SITE_URL}dia-phuong/na-hang/radio.xml" in page.get_text()
    widget = example.html("tien-ich/")
    assert not widget.select("script")
    assert widget.select("a[target=_top]")
    assert "480" in page.select_one("pre").get_text()  # the documented iframe snippet


def test_ids_survive_rebuilds_and_edits(project: Path, tmp_path: Path) -> None:
    def ids(site: Path) -> dict[str, str]:
        feed = feedparser.parse((site / "feed.xml").read_bytes())
        return {e.link: e.id for e in feed.entries}

    first = build(project, tmp_path / "one")
    again = build(project, tmp_path / "two")
    assert ids(first.site) == ids(again.site)
    guide = project / "content/guides/cai-dat-vneid.vi.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "Cài đặt ứng dụng VNeID", "Cài ứng dụng VNeID trên điện thoại").replace(
        "Hỏi Tổ", "Nếu khó, hỏi Tổ"), encoding="utf-8")
    edited = build(project, tmp_path / "three")
    assert ids(edited.site) == ids(first.site)
    titles = {e.title for e in feedparser.parse((edited.site / "feed.xml").read_bytes()).entries}
    assert "Cài ứng dụng VNeID trên điện thoại" in titles


def test_drafts_and_scheduled_items_never_reach_a_feed(project: Path, tmp_path: Path) -> None:
    (project / "content/news/nhap.vi.md").write_text(
        "---\ntitle: Bản nháp bí mật\ndate: 2026-01-01\nsummary: S.\ndraft: true\n---\nx\n",
        encoding="utf-8")
    (project / "content/news/sau.vi.md").write_text(
        "---\ntitle: Tin ngày mai\ndate: 2026-12-25\nsummary: S.\n---\nx\n", encoding="utf-8")
    site = build(project, tmp_path / "site").site
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*")
                         if p.suffix in (".xml", ".json", ".ics"))
    assert "Bản nháp bí mật" not in everything and "Tin ngày mai" not in everything


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
