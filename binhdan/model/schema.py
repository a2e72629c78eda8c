"""The content model: which content types exist and which front-matter fields each one takes.

This is the single source of truth for the validator, the editor documentation and (later) the
scaffolding command and the web editor's configuration, so they can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


class Kind(Enum):
    TEXT = "text"  # one line of text
    MARKDOWN = "markdown"  # several lines, Markdown allowed
    DATE = "date"  # 2026-10-10 or 10/10/2026
    DATETIME = "datetime"  # 2026-10-10 08:00, Vietnam time
    BOOL = "bool"
    INT = "int"
    URL = "url"
    FILE = "file"  # path relative to the Markdown file (or to content/ when it starts with /)
    CHOICE = "choice"  # one of a fixed list of ids
    REF = "ref"  # one id from a taxonomy in data/
    REFS = "refs"  # a list of ids from a taxonomy in data/
    TEXTS = "texts"  # a list of short texts
    OBJECTS = "objects"  # a list of small records, each with its own fields


# Human words for each kind, used in messages and docs: (Vietnamese, English).
KIND_WORDS: dict[Kind, tuple[str, str]] = {
    Kind.TEXT: ("một dòng chữ", "a line of text"),
    Kind.MARKDOWN: ("đoạn văn bản", "a block of text"),
    Kind.DATE: ("một ngày (2026-10-10)", "a date (2026-10-10)"),
    Kind.DATETIME: ("ngày giờ (2026-10-10 08:00)", "a date and time (2026-10-10 08:00)"),
    Kind.BOOL: ("true hoặc false", "true or false"),
    Kind.INT: ("một số nguyên", "a whole number"),
    Kind.URL: ("một địa chỉ web", "a web address"),
    Kind.FILE: ("đường dẫn tới một tệp", "the path of a file"),
    Kind.CHOICE: ("một giá trị trong danh sách", "one value from the list"),
    Kind.REF: ("một mã", "an id"),
    Kind.REFS: ("danh sách mã", "a list of ids"),
    Kind.TEXTS: ("danh sách dòng chữ", "a list of lines of text"),
    Kind.OBJECTS: ("danh sách mục", "a list of entries"),
}

# Characters a field may hold unless it sets its own limit: every text that reaches a page,
# a feed or a calendar is bounded (a 10 MB value once crashed the Markdown converter).
MAX_LENGTHS = {Kind.TEXT: 300, Kind.TEXTS: 300, Kind.FILE: 300, Kind.URL: 2000,
               Kind.MARKDOWN: 50_000}

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".svg", ".gif")
DOCUMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".pptx", ".zip")


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    label: tuple[str, str]  # (vi, en)
    help: tuple[str, str] = ("", "")
    required: bool = False
    # Translatable fields may differ between language versions of one item; the others are
    # inherited from the first language when a translation leaves them out.
    translatable: bool = True
    choices: tuple[str, ...] = ()  # for CHOICE; labels come from the locale files
    taxonomy: str | None = None  # for REF/REFS: topics, audiences, localities, story_models
    extensions: tuple[str, ...] = ()  # for FILE
    alt: str | None = None  # for FILE images: the field holding the alternative text
    transcript: str | None = None  # for FILE audio: the field holding its transcript
    fields: tuple[Field, ...] = ()  # for OBJECTS
    example: object = None  # shown in docs and templates
    # Longer is an error (cut off in shares and results); None: the kind's limit (below)
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.max_length is None and self.kind in MAX_LENGTHS:
            object.__setattr__(self, "max_length", MAX_LENGTHS[self.kind])


@dataclass(frozen=True)
class ContentType:
    key: str  # guide, news, ...
    folder: str  # folder under content/
    label: tuple[str, str]
    fields: tuple[Field, ...]
    body: tuple[str, str] | None = None  # why a body is required, or None when optional
    one_of: tuple[str, ...] = ()  # at least one of these fields must be set
    sort_field: str = "date"  # listings: newest first by this field
    listed: bool = True  # has a listing page and appears in feeds/related items
    # Personal-data rule: photos of people or named people need `consent: true`.
    needs_consent: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def _f(name: str, kind: Kind, vi: str, en: str, **options: object) -> Field:
    return Field(name, kind, (vi, en), **options)  # type: ignore[arg-type]


TITLE = _f("title", Kind.TEXT, "Tiêu đề", "Title", required=True, example="Cài đặt VNeID",
           max_length=150)
SUMMARY = _f("summary", Kind.TEXT, "Tóm tắt (1–2 câu)", "Summary (1–2 sentences)",
             required=True, max_length=400)
DATE = _f("date", Kind.DATE, "Ngày đăng", "Publication date", required=True,
          translatable=False, help=("Bài có ngày trong tương lai sẽ tự xuất bản vào ngày đó.",
                                    "Items dated in the future are published on that day."))
UPDATED = _f("updated", Kind.DATE, "Ngày cập nhật", "Last updated", translatable=False)
TOPICS = _f("topics", Kind.REFS, "Chủ đề", "Topics", taxonomy="topics", translatable=False)
AUDIENCES = _f("audiences", Kind.REFS, "Đối tượng", "Audiences", taxonomy="audiences",
               translatable=False)
LOCALITIES = _f("localities", Kind.REFS, "Địa phương", "Localities", taxonomy="localities",
                translatable=False)
DRAFT = _f("draft", Kind.BOOL, "Bản nháp (không xuất bản)", "Draft (not published)",
           translatable=False)
SLUG = _f("slug", Kind.TEXT, "Địa chỉ trang (không dấu)", "Page address (plain letters)",
          help=("Để trống để dùng tên tệp.", "Leave out to use the file name."))
AUTHOR = _f("author", Kind.TEXT, "Cơ quan / người viết", "Office or author")
IMAGE = _f("image", Kind.FILE, "Ảnh đại diện", "Cover image", extensions=IMAGE_EXTENSIONS,
           alt="image_alt", translatable=False)
IMAGE_ALT = _f("image_alt", Kind.TEXT, "Mô tả ảnh cho người khiếm thị",
               "Image description for blind readers")
ILLUSTRATIVE = _f("illustrative", Kind.BOOL, "Nội dung minh họa (không có thật)",
                  "Illustrative (invented) content", translatable=False,
                  help=("Đặt true khi bài có số liệu, người hoặc nơi chốn được bịa ra làm ví dụ.",
                        "Set to true when the item has invented figures, people or places."))

# What `binhdan new` writes where the officer has to write the real thing. An item that
# still holds one of the PLACEHOLDER_TEXTS when it is no longer a draft is stopped by the
# check (content.py); the other samples are plausible real values.
SAMPLE_TEXTS: dict[str, str] = {
    "summary": "Viết 1–2 câu tóm tắt nội dung.",
    "service": "VNeID",
    "place": "Nhà văn hóa thôn",
    "number": "01/KH-UBND",
    "issuer": "UBND tỉnh",
    "image_alt": "Mô tả những gì có trong ảnh.",
}
SAMPLE_BODY = ("Viết nội dung ở đây. Mỗi đoạn cách nhau một dòng trống; đề mục bắt đầu bằng "
               "## (ví dụ: ## Cần chuẩn bị).\n")
SAMPLE_STEP = "Việc cần làm"
PLACEHOLDER_TEXTS = frozenset({SAMPLE_TEXTS["summary"], SAMPLE_TEXTS["image_alt"], SAMPLE_STEP,
                               "...", SAMPLE_BODY.strip()})

# Audio files by extension and the type feeds announce for them (podcast apps need it exact)
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
               ".oga": "audio/ogg"}
AUDIO_EXTENSIONS = tuple(AUDIO_TYPES)
AUDIO = _f("audio", Kind.FILE, "Tệp âm thanh (bản đọc)", "Audio recording",
           extensions=AUDIO_EXTENSIONS, transcript="audio_transcript",
           help=("Đài truyền thanh và ứng dụng podcast sẽ phát được tệp này.",
                 "Radio staff and podcast apps can play it."))
AUDIO_TRANSCRIPT = _f("audio_transcript", Kind.MARKDOWN, "Lời của tệp âm thanh",
                      "Transcript of the audio")
RADIO_TEXT = _f("radio_text", Kind.MARKDOWN, "Bản đọc trên loa truyền thanh",
                "Text for reading on the radio",
                help=("Để trống để dùng tóm tắt và nội dung bài.",
                      "Leave out to use the summary and the body."))
ABBREVIATIONS = _f("abbreviations", Kind.OBJECTS, "Chữ viết tắt (đọc đầy đủ trên đài)",
                   "Abbreviations (read in full on the radio)",
                   fields=(_f("short", Kind.TEXT, "Viết tắt", "Short form", required=True),
                           _f("full", Kind.TEXT, "Đọc là", "Read as", required=True)))

COMMON = (TITLE, DATE, UPDATED, SUMMARY, TOPICS, AUDIENCES, LOCALITIES, AUTHOR, IMAGE,
          IMAGE_ALT, AUDIO, AUDIO_TRANSCRIPT, RADIO_TEXT, ABBREVIATIONS, ILLUSTRATIVE, DRAFT,
          SLUG)


def _required(base: Field) -> Field:
    return replace(base, required=True)


STEP_FIELDS = (
    _f("title", Kind.TEXT, "Việc cần làm", "What to do", required=True),
    _f("text", Kind.MARKDOWN, "Giải thích", "Explanation"),
    _f("image", Kind.FILE, "Ảnh minh họa", "Picture", extensions=IMAGE_EXTENSIONS, alt="alt"),
    _f("alt", Kind.TEXT, "Mô tả ảnh", "Picture description"),
)

ATTACHMENT_FIELDS = (
    _f("file", Kind.FILE, "Tệp", "File", required=True,
       extensions=DOCUMENT_EXTENSIONS + IMAGE_EXTENSIONS),
    _f("title", Kind.TEXT, "Tên tệp hiển thị", "Shown name", required=True),
)

GUIDE = ContentType(
    "guide", "guides", ("Hướng dẫn", "Guide"),
    (*COMMON,
     _f("service", Kind.TEXT, "Dịch vụ / ứng dụng", "Service or app", required=True,
        example="VNeID"),
     _f("difficulty", Kind.CHOICE, "Mức độ", "Difficulty", required=True,
        choices=("co-ban", "trung-binh", "nang-cao"), translatable=False),
     _f("time_needed", Kind.INT, "Thời gian cần (phút)", "Time needed (minutes)",
        translatable=False),
     _f("requirements", Kind.TEXTS, "Cần chuẩn bị", "What you need"),
     _f("steps", Kind.OBJECTS, "Các bước", "Steps", required=True, fields=STEP_FIELDS),
     _f("help_url", Kind.URL, "Trang hỗ trợ chính thức", "Official help page",
        translatable=False)),
)

NEWS = ContentType("news", "news", ("Tin tức", "News"), COMMON,
                   body=("tin tức cần có nội dung.", "a news item needs text."))

STORY = ContentType(
    "story", "stories", ("Gương điển hình", "Model story"),
    (*(_required(f) if f is LOCALITIES else f for f in COMMON),
     _f("model", Kind.REF, "Mô hình", "Model", required=True, taxonomy="story_models",
        translatable=False),
     _f("people", Kind.TEXTS, "Người được nêu tên trong bài", "People named in the story",
        translatable=False,
        help=("Tên những người được nêu tên đầy đủ hoặc có ảnh trong bài.",
              "Full names of the people named or pictured in the story.")),
     _f("consent", Kind.BOOL, "Đã có đồng ý của người trong bài",
        "People shown have given consent", translatable=False,
        help=("Ghi true khi mọi người được nêu tên hoặc có ảnh đã đồng ý cho đăng.",
              "Set to true when everyone named or pictured has agreed to publication."))),
    body=("câu chuyện cần có nội dung.", "a story needs text."),
    needs_consent=True,
)

INFOGRAPHIC = ContentType(
    "infographic", "infographics", ("Infographic", "Infographic"),
    (*(_required(f) if f in (IMAGE, IMAGE_ALT) else f for f in COMMON),),
    body=("nội dung đầy đủ của infographic dạng chữ, cho người không xem được ảnh.",
          "the full text of the infographic, for people who cannot see the image."),
)

VIDEO = ContentType(
    "video", "videos", ("Video", "Video"),
    (*COMMON,
     _f("video_file", Kind.FILE, "Tệp video", "Video file", extensions=(".mp4", ".webm"),
        translatable=False),
     _f("video_url", Kind.URL, "Địa chỉ video trên trang khác", "Video address elsewhere",
        translatable=False),
     _f("captions", Kind.FILE, "Phụ đề (.vtt)", "Captions (.vtt)", required=True,
        extensions=(".vtt",)),
     _f("duration", Kind.TEXT, "Thời lượng (phút:giây)", "Duration (min:sec)",
        translatable=False),
     _f("poster", Kind.FILE, "Ảnh bìa video", "Poster image", extensions=IMAGE_EXTENSIONS,
        translatable=False)),
    body=("bản chép lời đầy đủ của video.", "the full transcript of the video."),
    one_of=("video_file", "video_url"),
)

MATERIAL = ContentType(
    "material", "materials", ("Tài liệu học tập", "Learning material"),
    (*(_required(f) if f is AUDIENCES else f for f in COMMON),
     _f("attachments", Kind.OBJECTS, "Tệp đính kèm", "Attachments", fields=ATTACHMENT_FIELDS),
     _f("url", Kind.URL, "Địa chỉ khóa học / tài liệu trực tuyến", "Online course or material",
        translatable=False)),
    one_of=("attachments", "url"),
)

DOCUMENT = ContentType(
    "document", "documents", ("Văn bản", "Official document"),
    (*COMMON,
     _f("number", Kind.TEXT, "Số, ký hiệu", "Number", required=True, translatable=False,
        example="3200/KH-UBND"),
     _f("issued", Kind.DATE, "Ngày ban hành", "Date issued", required=True,
        translatable=False),
     _f("issuer", Kind.TEXT, "Cơ quan ban hành", "Issued by", required=True),
     _f("doc_kind", Kind.CHOICE, "Loại văn bản", "Kind of document", required=True,
        choices=("ke-hoach", "quyet-dinh", "nghi-quyet", "chi-thi", "cong-van", "huong-dan",
                 "thong-bao"), translatable=False),
     _f("attachment", Kind.FILE, "Tệp văn bản", "Document file",
        extensions=DOCUMENT_EXTENSIONS),
     _f("source_url", Kind.URL, "Nguồn chính thức", "Official source", translatable=False)),
    sort_field="issued",
)

# What an event is, for the indicators that count events (computed.py): a class, a training
# for officials, an open day, a contest, a meeting.
EVENT_KINDS = ("lop-hoc", "tap-huan", "ngay-hoi", "cuoc-thi", "hoi-nghi")

EVENT = ContentType(
    "event", "events", ("Sự kiện", "Event"),
    (*COMMON,
     _f("start", Kind.DATETIME, "Bắt đầu", "Starts", required=True, translatable=False),
     _f("end", Kind.DATETIME, "Kết thúc", "Ends", translatable=False,
        help=("Với sự kiện lặp lại: giờ kết thúc của mỗi buổi, cùng ngày với Bắt đầu.",
              "For a repeating event: when each session ends, on the day of the start.")),
     _f("repeat", Kind.TEXT, "Lặp lại (RRULE)", "Repeats (RRULE)", translatable=False,
        example="FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231",
        help=("Lớp học hằng tuần: FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231 (Thứ Ba, Thứ Năm "
              "đến hết 31/12/2026). MO TU WE TH FR SA SU là Thứ Hai đến Chủ Nhật; hằng tháng: "
              "FREQ=MONTHLY;BYDAY=1SA (Thứ Bảy đầu tiên); COUNT=10 thay UNTIL: 10 buổi.",
              "Weekly class: FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231 (Tuesdays and Thursdays "
              "until 31/12/2026). MO TU WE TH FR SA SU are Monday to Sunday; monthly: "
              "FREQ=MONTHLY;BYDAY=1SA (first Saturday); COUNT=10 instead of UNTIL: 10 "
              "sessions.")),
     _f("place", Kind.TEXT, "Địa điểm", "Place", required=True),
     _f("online", Kind.BOOL, "Có tham gia trực tuyến", "Can join online", translatable=False),
     _f("event_kind", Kind.CHOICE, "Loại sự kiện", "Kind of event", translatable=False,
        choices=EVENT_KINDS,
        help=("Chỉ số tự đếm (computed trong data/indicators.yml) đếm sự kiện theo loại này, "
              "ví dụ số lớp học đã tổ chức.",
              "Indicators the site counts (computed in data/indicators.yml) count events by "
              "this kind, e.g. the classes held.")),
     _f("registration_url", Kind.URL, "Đăng ký tham gia", "Registration",
        translatable=False)),
    sort_field="start",
)

PAGE = ContentType(
    "page", "pages", ("Trang", "Page"),
    (TITLE, _f("summary", Kind.TEXT, "Tóm tắt", "Summary"), SLUG,
     _f("order", Kind.INT, "Thứ tự trong menu", "Position in the menu", translatable=False),
     _f("nav", Kind.BOOL, "Hiện trong menu", "Show in the menu", translatable=False),
     _f("footer", Kind.BOOL, "Liên kết ở chân trang", "Linked from the footer",
        translatable=False),
     _f("help_box", Kind.BOOL, "Hiện ô Cần người giúp?", "Show the Need help? box",
        translatable=False), DRAFT),
    body=("trang cần có nội dung.", "a page needs text."),
    listed=False,
)

CONTENT_TYPES: tuple[ContentType, ...] = (GUIDE, NEWS, STORY, INFOGRAPHIC, VIDEO, MATERIAL,
                                          DOCUMENT, EVENT, PAGE)
TYPES_BY_FOLDER = {t.folder: t for t in CONTENT_TYPES}
LISTED_TYPES = tuple(t for t in CONTENT_TYPES if t.listed)
# Every kind of file some field accepts: the only files a text may link to and the site may
# publish. A page or script (.html, .js) published on the portal's own address would run there.
PUBLISHABLE_EXTENSIONS = tuple(sorted({
    extension for t in CONTENT_TYPES for f in t.fields for spec in (f, *f.fields)
    for extension in spec.extensions}))

# Fixed pages every site has; their file names under content/pages/.
HOME_PAGE = "home"


@dataclass(frozen=True)
class TaxonomyField:
    """A field of a row in a data/*.yml reference file."""

    name: str
    kind: str  # "id" | "text" | "localized" | "ref" | "bool" | "int" | "items"
    required: bool = False
    ref: str | None = None  # for "ref": which taxonomy


@dataclass(frozen=True)
class Taxonomy:
    key: str  # topics, audiences, localities, story_models
    file: str  # under data/
    fields: tuple[TaxonomyField, ...] = field(default_factory=tuple)
    id_field: str = "id"


TAXONOMIES: tuple[Taxonomy, ...] = (
    Taxonomy("topics", "topics.yml", (
        TaxonomyField("id", "id", True), TaxonomyField("name", "localized", True),
        TaxonomyField("description", "localized"), TaxonomyField("icon", "text"))),
    Taxonomy("audiences", "audiences.yml", (
        TaxonomyField("id", "id", True), TaxonomyField("name", "localized", True),
        TaxonomyField("description", "localized"), TaxonomyField("priority", "bool"),
        TaxonomyField("icon", "text"), TaxonomyField("path", "items"))),
    Taxonomy("localities", "localities.yml", (
        TaxonomyField("code", "id", True), TaxonomyField("name", "localized", True),
        TaxonomyField("kind", "localized", True),
        TaxonomyField("parent", "ref", ref="localities"),
        TaxonomyField("illustrative", "bool")), id_field="code"),
    Taxonomy("story_models", "story-models.yml", (
        TaxonomyField("id", "id", True), TaxonomyField("name", "localized", True),
        TaxonomyField("description", "localized"))),
)
TAXONOMIES_BY_KEY = {t.key: t for t in TAXONOMIES}
