"""Problems found in content and data, explained to editors in Vietnamese and English.

Every check in the project reports through :class:`Problems` instead of raising, so that an
editor sees the whole list at once: which file, which line, which field, what is wrong and
what to do. Messages live in one catalogue so wording stays consistent and testable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

# code -> (Vietnamese, English). Placeholders are filled from Problem.params.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_utf8": (
        "Tệp không ở dạng mã hóa UTF-8 (có thể là {guess}). Hãy mở tệp và lưu lại với mã hóa "
        "UTF-8.",
        "The file is not encoded as UTF-8 (it looks like {guess}). Open it and save it again "
        "as UTF-8.",
    ),
    "no_front_matter": (
        "Thiếu phần thông tin đầu tệp. Tệp phải bắt đầu bằng dòng '---', tiếp theo là các trường "
        "(title, date, ...) và một dòng '---' nữa. Hãy chép lại từ mẫu trong docs/.",
        "Front matter is missing. The file must start with a '---' line, then the fields "
        "(title, date, ...), then another '---' line. Copy a template from docs/.",
    ),
    "front_matter_not_closed": (
        "Phần thông tin đầu tệp mở bằng '---' ở dòng 1 nhưng không có dòng '---' để đóng. Hãy thêm "
        "một dòng '---' sau trường cuối cùng.",
        "The front matter opens with '---' on line 1 but is never closed. Add a '---' line after "
        "the last field.",
    ),
    "yaml_tab": (
        "Dòng này thụt lề bằng phím Tab. YAML chỉ chấp nhận dấu cách: hãy thay Tab bằng 2 dấu "
        "cách.",
        "This line is indented with a Tab. YAML only accepts spaces: replace the Tab with 2 "
        "spaces.",
    ),
    "yaml_syntax": (
        "YAML không đọc được dòng này. Hãy kiểm tra: sau tên trường là dấu hai chấm và một "
        "dấu cách; các dòng cùng cấp thụt lề bằng cùng số dấu cách; giá trị có dấu ':' hoặc "
        "'#' thì đặt trong ngoặc kép. (Lỗi cú pháp YAML: {detail}.)",
        "YAML cannot read this line. Check that each field name is followed by a colon and a "
        "space, that lines at the same level are indented by the same number of spaces, and "
        "that values containing ':' or '#' are in double quotes. (YAML syntax error: "
        "{detail}.)",
    ),
    "yaml_colon_in_value": (
        "Giá trị ở dòng này có dấu hai chấm và dấu cách (': '), nên YAML tưởng là một trường "
        "mới. Hãy đặt cả giá trị trong dấu ngoặc kép: {suggestion} (Lỗi cú pháp YAML: "
        "{detail}.)",
        "The value on this line contains a colon followed by a space (': '), which YAML "
        "takes for a new field. Put the whole value in double quotes: {suggestion} (YAML "
        "syntax error: {detail}.)",
    ),
    "yaml_colon": (
        "Có dấu hai chấm ở chỗ YAML không chờ. Hãy kiểm tra dòng này và dòng ngay trên: mỗi "
        "trường viết 'tên: giá trị' trên một dòng, thụt lề như các trường cùng cấp; giá trị "
        "có dấu ':' thì đặt trong ngoặc kép. (Lỗi cú pháp YAML: {detail}.)",
        "There is a colon where YAML does not expect one. Check this line and the one above: "
        "each field is 'name: value' on one line, indented like the fields at its level; a "
        "value containing ':' goes in double quotes. (YAML syntax error: {detail}.)",
    ),
    "yaml_quote": (
        "Dấu ngoặc {char} mở ở dòng này nhưng không được đóng. Hãy thêm dấu {char} ở cuối giá "
        "trị, trên cùng dòng; nếu trong giá trị có dấu ngoặc kép thì bọc ngoài bằng ngoặc đơn "
        "('...'). (Lỗi cú pháp YAML: {detail}.)",
        "The quote {char} opened on this line is never closed. Add a closing {char} at the "
        "end of the value, on the same line; if the value itself contains double quotes, "
        "wrap it in single quotes ('...'). (YAML syntax error: {detail}.)",
    ),
    "yaml_backslash": (
        "Trong ngoặc kép, dấu '\\' bắt đầu một ký hiệu đặc biệt (như \\n), nên YAML không "
        "đọc được giá trị này. Hãy dùng ngoặc đơn ('...') thay cho ngoặc kép, hoặc viết '/' "
        "thay cho '\\' trong đường dẫn. (Lỗi cú pháp YAML: {detail}.)",
        "Inside double quotes a '\\' starts a special sign (like \\n), so YAML cannot read "
        "this value. Use single quotes ('...') instead of double quotes, or write '/' instead "
        "of '\\' in a path. (YAML syntax error: {detail}.)",
    ),
    "yaml_bracket": (
        "Danh sách (hoặc nhóm) mở bằng '{char}' ở dòng này không được đóng đúng. Hãy kiểm tra: "
        "có dấu '{closing}' ở cuối, trên cùng dòng; các mục cách nhau bằng dấu phẩy; mục nào "
        "có dấu ':' hoặc dấu ngoặc thì đặt trong ngoặc kép. (Lỗi cú pháp YAML: {detail}.)",
        "The list (or group) opened with '{char}' on this line is not closed properly. Check "
        "that a '{closing}' ends it on the same line, that entries are separated by commas, "
        "and that an entry containing ':' or brackets is in double quotes. (YAML syntax "
        "error: {detail}.)",
    ),
    "yaml_reserved_start": (
        "Giá trị ở dòng này bắt đầu bằng ký tự '{char}', mà YAML dành cho việc khác (tham "
        "chiếu, thẻ, ký hiệu riêng). Hãy đặt cả giá trị trong dấu ngoặc kép: {suggestion} "
        "(Lỗi cú pháp YAML: {detail}.)",
        "The value on this line starts with '{char}', which YAML reserves for other uses "
        "(references, tags, special signs). Put the whole value in double quotes: "
        "{suggestion} (YAML syntax error: {detail}.)",
    ),
    "yaml_block": (
        "Sau dấu '|' hoặc '>' không được viết gì trên cùng dòng: hãy xuống dòng rồi viết nội "
        "dung, mỗi dòng thụt lề 2 dấu cách. (Lỗi cú pháp YAML: {detail}.)",
        "Nothing may follow '|' or '>' on its line: start the text on the next line, each "
        "line indented by 2 spaces. (YAML syntax error: {detail}.)",
    ),
    "yaml_indent": (
        "Dòng này thụt lề không khớp với các dòng xung quanh, hoặc có chữ thừa sau dấu ngoặc "
        "kép đóng. Các trường cùng cấp phải thẳng hàng (cùng số dấu cách ở đầu dòng), các mục "
        "'- ' của một danh sách cũng vậy; sau dấu ngoặc đóng không viết thêm gì. (Lỗi cú pháp "
        "YAML: {detail}.)",
        "This line is indented differently from the lines around it, or has text after a "
        "closing quote. Fields at the same level line up (the same number of spaces at the "
        "start of the line), so do the '- ' entries of a list; nothing follows a closing "
        "quote. (YAML syntax error: {detail}.)",
    ),
    "yaml_alias": (
        "Tệp dùng tham chiếu YAML ('&tên' rồi '*tên') cho giá trị ở dòng này. Để một tệp nhỏ "
        "không thể phình thành hàng tỷ giá trị, cổng không nhận tham chiếu: hãy viết đầy đủ "
        "giá trị ở mỗi chỗ. Nếu '*' hay '&' là chữ của bạn, hãy đặt cả giá trị trong ngoặc "
        "kép.",
        "The file uses a YAML reference ('&name', then '*name') for the value on this line. "
        "So that a small file can never expand into billions of values, the portal accepts "
        "no references: write the value out in full at each place. If the '*' or '&' is part "
        "of your text, put the whole value in double quotes.",
    ),
    "yaml_too_deep": (
        "Giá trị ở dòng này lồng quá nhiều tầng (tối đa {limit} tầng danh sách hoặc nhóm lồng "
        "nhau). Hãy kiểm tra các dấu '[', '{{' và thụt lề: nội dung của cổng không cần lồng "
        "sâu như vậy.",
        "The value on this line is nested too deeply (at most {limit} levels of lists or "
        "groups inside each other). Check the '[' and '{{' signs and the indentation: the "
        "portal's content never needs such depth.",
    ),
    "yaml_too_many": (
        "Tệp có quá nhiều trường và giá trị (tối đa {limit}); phần vượt quá bắt đầu từ dòng "
        "này. Hãy kiểm tra có dán nhầm nội dung khác vào không, hoặc chia thành nhiều tệp.",
        "The file has too many fields and values (at most {limit}); the excess starts on this "
        "line. Check whether something else was pasted into it, or split it into several "
        "files.",
    ),
    "control_removed": (
        "Dòng này có ký tự ẩn {name} ({unicode}, {count} chỗ kể từ dòng này), thường do chép "
        "từ Word hoặc trang web; {done}. Không cần làm gì; muốn tệp gọn, hãy gõ lại dòng này.",
        "This line has a hidden {name} ({unicode}, {count} from this line on), usually "
        "pasted from Word or a web page; {done}. Nothing to do; to tidy the file, retype this "
        "line.",
    ),
    "control_refused": (
        "Dòng này có ký tự ẩn không được phép: {name} ({unicode}, {count} chỗ kể từ dòng "
        "này). Trang của cơ quan nhà nước không đăng văn bản có ký tự này. Hãy gõ lại dòng "
        "này (đừng dán từ nơi khác) rồi chạy lại make check.",
        "This line has a hidden character that is not allowed: {name} ({unicode}, {count} "
        "from this line on). A government site does not publish text containing it. "
        "Retype this line (do not paste it) and run make check again.",
    ),
    "text_file_too_large": (
        "Tệp nặng {size} MB, quá giới hạn {limit} MB cho một bài (khoảng 300 trang giấy) nên "
        "không được đọc. Hãy chia thành nhiều bài, hoặc đăng văn bản dài dạng tệp PDF đính "
        "kèm.",
        "The file is {size} MB, over the limit of {limit} MB for one item (about 300 printed "
        "pages), so it was not read. Split it into several items, or publish a long text as "
        "an attached PDF.",
    ),
    "paragraph_too_many_links": (
        "Đoạn văn bắt đầu từ dòng này có hơn {limit} dấu '[' (đường link, chú thích): chuyển "
        "đổi một đoạn như vậy mất nhiều phút nên bài không được đăng. Hãy ngăn các đường "
        "link bằng dòng trống, hoặc viết thành danh sách (mỗi dòng bắt đầu bằng '- ').",
        "The paragraph starting on this line has more than {limit} '[' (links, notes): "
        "converting such a paragraph takes minutes, so the item is not published. Separate "
        "the links with blank lines, or write them as a list (each line starting with '- ').",
    ),
    "data_file_too_large": (
        "Tệp dữ liệu nặng {size} MB, quá giới hạn {limit} MB nên không được đọc. Tệp dữ liệu "
        "chỉ chứa danh mục (chủ đề, địa phương, ...): hãy kiểm tra có dán nhầm nội dung khác "
        "vào không.",
        "The data file is {size} MB, over the limit of {limit} MB, so it was not read. Data "
        "files hold only lists (topics, localities, ...): check whether something else was "
        "pasted into it.",
    ),
    "multi_line": (
        "Trường '{field}' phải viết trên một dòng, nhưng đang có {lines} dòng (do xuống dòng "
        "trong giá trị, hoặc viết '{field}: |'). Hãy viết cả giá trị trên cùng dòng với "
        "'{field}:'.",
        "Field '{field}' must be written on one line, but it has {lines} lines (a line break "
        "inside the value, or '{field}: |'). Write the whole value on the same line as "
        "'{field}:'.",
    ),
    "markdown_too_long": (
        "Trường '{field}' dài {length} ký tự, quá giới hạn {limit}. Hãy rút gọn, hoặc chuyển "
        "phần dài vào nội dung bài.",
        "Field '{field}' is {length} characters long, over the limit of {limit}. Shorten it, "
        "or move the long part into the body.",
    ),
    "html_in_field": (
        "Trường '{field}' có mã HTML ('{value}'). Trường này là chữ thường: trang, nguồn tin "
        "và lịch hiện nguyên văn, người đọc sẽ thấy cả '{value}'. Hãy xóa mã HTML (chữ đậm và "
        "liên kết thì viết trong phần nội dung); dấu & thì viết thẳng, không viết &amp;.",
        "Field '{field}' contains HTML ('{value}'). This field is plain text: pages, feeds "
        "and calendars show it as typed, so readers will see '{value}'. Remove the HTML (bold "
        "text and links belong in the body); write & itself, not &amp;.",
    ),
    "unknown_ref_near": (
        "Trường '{field}': '{value}' không có trong {source}. Có phải là {suggestion}? Hãy "
        "sửa lại cho đúng mã. Các mã có: {allowed}; hoặc thêm mã mới vào {source}.",
        "Field '{field}': '{value}' is not defined in {source}. Did you mean {suggestion}? "
        "Use one of: {allowed}; or add it to {source}.",
    ),
    "unknown_path_step": (
        "Lộ trình 'Bắt đầu từ đây' của nhóm '{audience}' có bước '{value}', nhưng trong "
        "content/ không có bài nào như vậy. {suggestion}Mỗi bước viết tên thư mục và tên tệp, "
        "bỏ phần ngôn ngữ và đuôi .md: bài content/guides/dang-ky-tai-khoan-vneid.vi.md viết "
        "là 'guides/dang-ky-tai-khoan-vneid'. Hãy sửa lại cho đúng, hoặc xóa dòng này.",
        "The 'Start here' path of the group '{audience}' has the step '{value}', but there is "
        "no such item in content/. {suggestion}Write each step as its folder and file name "
        "without the language and .md: content/guides/dang-ky-tai-khoan-vneid.vi.md is "
        "written 'guides/dang-ky-tai-khoan-vneid'. Correct it, or delete this line.",
    ),
    "path_step_unpublished": (
        "Bước '{value}' trong lộ trình 'Bắt đầu từ đây' của nhóm '{audience}' là bản nháp "
        "hoặc chưa đến ngày đăng, nên lộ trình tạm chưa có bước này. Bài được đăng thì bước "
        "tự hiện; nếu không định đăng bài, hãy xóa dòng này.",
        "The step '{value}' of the 'Start here' path of the group '{audience}' is a draft or "
        "scheduled for later, so the path leaves it out for now. It appears when the item is "
        "published; if the item will not be published, delete this line.",
    ),
    "refs_not_list": (
        "Trường '{field}' là một danh sách, nhưng '{value}' được viết không có dấu ngoặc "
        "vuông nên bị đọc thành một mã duy nhất. Hãy viết: {field}: [{suggestion}]",
        "Field '{field}' is a list, but '{value}' is written without square brackets, so it "
        "is read as one single code. Write: {field}: [{suggestion}]",
    ),
    "bad_choice_near": (
        "Trường '{field}' có giá trị '{value}' không hợp lệ. Có phải là {suggestion}? Chọn "
        "một trong: {allowed}.",
        "Field '{field}' has the value '{value}', which is not allowed. Did you mean "
        "{suggestion}? Choose one of: {allowed}.",
    ),
    "unknown_field_near": (
        "Trường '{field}' không dùng được cho loại '{type}'. Có phải là {suggestion}? Các "
        "trường hợp lệ: {allowed}.",
        "Field '{field}' is not allowed for type '{type}'. Did you mean {suggestion}? Allowed "
        "fields: {allowed}.",
    ),
    "original_unreadable": (
        "Chưa kiểm tra và chưa đăng bản dịch này: bản gốc {other} có lỗi nên chưa đọc được "
        "(các trường dùng chung như ngày đăng, chủ đề được lấy từ bản gốc). Hãy sửa {other} "
        "trước.",
        "This translation is not checked or published yet: its original {other} has an error "
        "and cannot be read (shared fields such as the date and topics come from the "
        "original). Fix {other} first.",
    ),
    "yaml_not_mapping": (
        "Nội dung phải là danh sách các trường dạng 'tên: giá trị'.",
        "The content must be a list of 'name: value' fields.",
    ),
    "yaml_duplicate_key": (
        "Trường '{field}' xuất hiện hai lần. Hãy xóa một lần.",
        "Field '{field}' appears twice. Remove one of them.",
    ),
    "unknown_field": (
        "Trường '{field}' không dùng được cho loại '{type}'. Các trường hợp lệ: {allowed}. "
        "Kiểm tra lỗi chính tả hoặc xóa trường này.",
        "Field '{field}' is not allowed for type '{type}'. Allowed fields: {allowed}. Check "
        "the spelling or remove it.",
    ),
    "missing_field": (
        "Thiếu trường bắt buộc '{field}' ({label_vi}). Hãy thêm dòng '{field}: ...'.",
        "Required field '{field}' ({label_en}) is missing. Add a line '{field}: ...'.",
    ),
    "empty_field": (
        "Trường '{field}' đang để trống. Hãy điền nội dung.",
        "Field '{field}' is empty. Fill it in.",
    ),
    "wrong_type": (
        "Trường '{field}' phải là {expected_vi}, nhưng đang là {actual}.",
        "Field '{field}' must be {expected_en}, but it is {actual}.",
    ),
    "bad_date": (
        "Trường '{field}' có ngày '{value}' không hợp lệ. Viết theo dạng 2026-10-10 hoặc "
        "10/10/2026.",
        "Field '{field}' has an invalid date '{value}'. Write it as 2026-10-10 or 10/10/2026.",
    ),
    "impossible_date": (
        "Trường '{field}': ngày '{value}' không tồn tại trên lịch. Kiểm tra lại ngày và tháng.",
        "Field '{field}': the date '{value}' does not exist. Check the day and month.",
    ),
    "implausible_year": (
        "Trường '{field}': năm {year} có vẻ gõ nhầm (chỉ chấp nhận từ 1945 đến 2100).",
        "Field '{field}': the year {year} looks like a typo (only 1945 to 2100 is accepted).",
    ),
    "bad_datetime": (
        "Trường '{field}' có thời điểm '{value}' không hợp lệ. Viết theo dạng 2026-10-10 08:00 "
        "hoặc 10/10/2026 08:00 (giờ Việt Nam).",
        "Field '{field}' has an invalid date and time '{value}'. Write it as 2026-10-10 08:00 "
        "or 10/10/2026 08:00 (Vietnam time).",
    ),
    "end_before_start": (
        "Thời điểm kết thúc '{end}' sớm hơn thời điểm bắt đầu '{start}'.",
        "The end '{end}' is earlier than the start '{start}'.",
    ),
    "bad_repeat": (
        "Trường 'repeat' (lặp lại) có giá trị '{value}' không đọc được. Viết theo mẫu "
        "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231 (Thứ Ba và Thứ Năm hằng tuần, đến hết "
        "31/12/2026): FREQ là DAILY (hằng ngày), WEEKLY (hằng tuần) hoặc MONTHLY (hằng "
        "tháng); BYDAY là các ngày MO TU WE TH FR SA SU (Thứ Hai đến Chủ Nhật), hằng tháng "
        "thêm số thứ tự (1SA: Thứ Bảy đầu tiên); INTERVAL=2 là hai tuần một lần; kết thúc "
        "bằng UNTIL=NămThángNgày hoặc COUNT=số buổi, không dùng cả hai. Sự kiện không lặp "
        "lại thì xóa dòng 'repeat'.",
        "Field 'repeat' has the value '{value}', which cannot be read. Write it like "
        "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261231 (every Tuesday and Thursday until "
        "31/12/2026): FREQ is DAILY, WEEKLY or MONTHLY; BYDAY lists days MO TU WE TH FR SA "
        "SU, with a number for monthly rules (1SA: the first Saturday); INTERVAL=2 is every "
        "other week; end it with UNTIL=YearMonthDay or COUNT=number of sessions, not both. "
        "For an event that does not repeat, delete the 'repeat' line.",
    ),
    "repeat_ends_before_start": (
        "Lịch lặp lại '{value}' kết thúc trước ngày bắt đầu '{start}', nên không có buổi nào. "
        "Sửa UNTIL thành ngày của buổi cuối cùng (ví dụ UNTIL=20261231), hoặc sửa trường "
        "'start' thành ngày của buổi đầu tiên.",
        "The repeat rule '{value}' ends before the start '{start}', so it has no session. "
        "Set UNTIL to the day of the last session (for example UNTIL=20261231), or set "
        "'start' to the day of the first session.",
    ),
    "bad_choice": (
        "Trường '{field}' có giá trị '{value}' không hợp lệ. Chọn một trong: {allowed}.",
        "Field '{field}' has the value '{value}', which is not allowed. Choose one of: "
        "{allowed}.",
    ),
    "unknown_ref": (
        "Trường '{field}': '{value}' không có trong {source}. Dùng một trong: {allowed}; hoặc "
        "thêm nó vào {source}.",
        "Field '{field}': '{value}' is not defined in {source}. Use one of: {allowed}; or add "
        "it to {source}.",
    ),
    "missing_file": (
        "Trường '{field}' trỏ tới tệp '{value}' nhưng không tìm thấy tệp này (đã tìm ở {looked}). "
        "Kiểm tra tên tệp hoặc tải tệp lên.",
        "Field '{field}' points to '{value}', but that file does not exist (looked in "
        "{looked}). Check the file name or upload the file.",
    ),
    "bad_file_kind": (
        "Trường '{field}': tệp '{value}' phải có đuôi {allowed}.",
        "Field '{field}': the file '{value}' must end in {allowed}.",
    ),
    "bad_url": (
        "Trường '{field}': '{value}' không phải là địa chỉ web hợp lệ (phải bắt đầu bằng "
        "https:// hoặc http://).",
        "Field '{field}': '{value}' is not a valid web address (it must start with https:// or "
        "http://).",
    ),
    "empty_body": (
        "Phần nội dung (sau dòng '---' thứ hai) đang trống. Loại '{type}' cần nội dung: "
        "{why_vi}",
        "The body (after the second '---' line) is empty. Type '{type}' needs a body: {why_en}",
    ),
    "broken_link": (
        "Liên kết '{value}' trỏ tới '{target}', nhưng trang đó không có (tệp không tồn tại, là "
        "bản nháp, chưa đến ngày đăng hoặc chưa được dịch). Kiểm tra tên tệp trong liên kết.",
        "The link '{value}' points to '{target}', but there is no such page (the file does not "
        "exist, is a draft, is scheduled for later or is not translated). Check the file name "
        "in the link.",
    ),
    "broken_file_link": (
        "Liên kết hoặc ảnh '{value}' trỏ tới '{target}', nhưng không có tệp này. Kiểm tra tên "
        "tệp hoặc tải tệp lên.",
        "The link or image '{value}' points to '{target}', but that file does not exist. "
        "Check the file name or upload the file.",
    ),
    "duplicate_slug": (
        "Địa chỉ trang '{url}' trùng với tệp {other}. Hãy đổi tên tệp hoặc đặt trường 'slug' "
        "khác.",
        "The page address '{url}' is also used by {other}. Rename the file or set a different "
        "'slug'.",
    ),
    "same_name_files": (
        "Tệp này và tệp {other} cho cùng một địa chỉ trang '…/{name}/' (tên tệp giống nhau khi "
        "đã bỏ dấu, chữ hoa và dấu cách), nên một bài sẽ bị mất. Hãy đổi tên một trong hai "
        "tệp (vd. '{name}-2.{lang}.md'), hoặc gộp hai bài làm một.",
        "This file and {other} give the same page address '…/{name}/' (their names are the "
        "same once accents, capitals and spaces are removed), so one item would be lost. "
        "Rename one of them (e.g. '{name}-2.{lang}.md'), or merge the two items.",
    ),
    "empty_file_name": (
        "Tên tệp '{value}' không có chữ cái hay chữ số nào để làm địa chỉ trang. Hãy đặt tên "
        "tệp theo nội dung bài, vd. 'dang-ky-tai-khoan.{lang}.md'.",
        "The file name '{value}' has no letter or digit to make a page address from. Name the "
        "file after its content, e.g. 'dang-ky-tai-khoan.{lang}.md'.",
    ),
    "empty_slug": (
        "Trường 'slug' ('{value}') không có chữ cái hay chữ số nào để làm địa chỉ trang. Hãy "
        "viết chữ thường không dấu, số và dấu '-' (vd. 'dang-ky-tai-khoan'), hoặc xóa dòng "
        "này để dùng tên tệp.",
        "The 'slug' ('{value}') has no letter or digit to make a page address from. Write "
        "lowercase plain letters, digits and '-' (e.g. 'dang-ky-tai-khoan'), or delete the "
        "line to use the file name.",
    ),
    "address_taken": (
        "Địa chỉ trang '{url}' đã thuộc về {other}, phần trang web tự tạo ra: bài này sẽ bị "
        "che mất hoặc che mất phần đó.{note} Hãy đặt trường 'slug' khác (hoặc đổi tên tệp).",
        "The page address '{url}' belongs to {other}, which the site generates: this item "
        "would hide it or be hidden by it.{note} Set a different 'slug' (or rename the file).",
    ),
    "file_address_taken": (
        "Tệp này sẽ được đăng ở địa chỉ '{url}', trùng với {other}: một trong hai sẽ bị mất."
        "{note} Hãy đổi tên tệp (hoặc chuyển nó vào thư mục của bài) rồi sửa các liên kết "
        "tới nó.",
        "This file would be published at '{url}', where {other} is too: one of them would be "
        "lost.{note} Rename the file (or move it into its item's folder) and update the links "
        "to it.",
    ),
    "not_regular_file": (
        "Đây là {kind}, không phải một tệp thật. Trang chỉ đọc và đăng các tệp thường nằm "
        "trong dự án, để không bao giờ lộ tệp của máy (vd. /etc/passwd) hay mật khẩu trong "
        "thư mục .git. {fix_vi}",
        "This is {kind}, not a real file. The site only reads and publishes regular files "
        "inside the project, so that no file of the computer (such as /etc/passwd) or "
        "password in the .git folder can ever leak. {fix_en}",
    ),
    "link_outside_content": (
        "Liên kết '{value}' trỏ ra ngoài thư mục content/: chỉ tệp trong content/ mới được "
        "đăng. Hãy chép tệp vào thư mục của bài và sửa liên kết cho đúng.",
        "The link '{value}' points outside the content/ folder: only files in content/ are "
        "published. Copy the file into the item's folder and fix the link.",
    ),
    "hidden_file_link": (
        "Liên kết '{value}' trỏ tới '{target}', một tệp ẩn (tên hoặc thư mục bắt đầu bằng "
        "dấu chấm) hoặc tệp sao lưu của trình soạn thảo (~, .swp): những tệp này không bao "
        "giờ được đăng, người đọc sẽ gặp trang lỗi. Hãy trỏ tới tệp thật, hoặc xóa liên kết.",
        "The link '{value}' points to '{target}', a hidden file (its name or folder starts "
        "with a dot) or an editor's backup (~, .swp): such files are never published, so "
        "readers would get an error page. Link to the real file, or remove the link.",
    ),
    "duplicate_id": (
        "Mã '{value}' đã được dùng ở dòng {other_line}. Mỗi mã chỉ được dùng một lần.",
        "The id '{value}' is already used on line {other_line}. Each id must be unique.",
    ),
    "unknown_language": (
        "Tên tệp có mã ngôn ngữ '{value}' không được cấu hình. Ngôn ngữ đang dùng: {allowed}. "
        "Đặt tên tệp như 'ten-bai.vi.md'.",
        "The file name has the language code '{value}', which is not configured. Configured "
        "languages: {allowed}. Name files like 'my-item.vi.md'.",
    ),
    "unknown_variant": (
        "Tên tệp có phần '{value}' sau dấu chấm, không phải là mã ngôn ngữ hay bản dễ đọc. Bài "
        "thường đặt tên 'ten-bai.vi.md'; bản dễ đọc của nó đặt tên 'ten-bai.vi-easy.md'.",
        "The file name ends in '{value}', which is neither a language code nor an easy-read "
        "version. Name an item 'my-item.vi.md' and its easy-read version 'my-item.vi-easy.md'.",
    ),
    "easy_read_without_original": (
        "Đây là bản dễ đọc nhưng chưa có bài gốc '{original}' (hoặc bài gốc chưa được đăng vì "
        "có lỗi): bản dễ đọc chỉ hiện cạnh bài gốc. Hãy tạo bài gốc, hoặc kiểm tra lại tên tệp.",
        "This is an easy-read version but its item '{original}' does not exist (or has errors "
        "and is not published): an easy-read version is shown beside its item. Write the item "
        "first, or check the file name.",
    ),
    "items_only_wrong": (
        "Ngôn ngữ '{language}': 'items_only' chỉ nhận true hoặc false (đang là '{value}'), và "
        "ngôn ngữ đầu tiên trong danh sách (ngôn ngữ chính của trang) không được đặt true. "
        "Chỉ đặt 'items_only: true' cho tiếng dân tộc chỉ có vài bài.",
        "Language '{language}': 'items_only' takes true or false (it is '{value}'), and the first "
        "language of the list (the site's main language) cannot have it. Set "
        "'items_only: true' only for a minority language with a few items.",
    ),
    "unknown_type_folder": (
        "Thư mục '{value}' không phải là loại nội dung. Các thư mục hợp lệ: {allowed}.",
        "The folder '{value}' is not a content type. Valid folders: {allowed}.",
    ),
    "unknown_language_key": (
        "'{value}' không phải mã ngôn ngữ đã cấu hình ({allowed}). Nếu nội dung có dấu phẩy, "
        "hãy viết mỗi ngôn ngữ trên một dòng riêng ('vi: ...' rồi xuống dòng 'en: ...') hoặc "
        "đặt nội dung trong dấu ngoặc kép.",
        "'{value}' is not a configured language code ({allowed}). If the text contains a "
        "comma, write each language on its own line ('vi: ...' then 'en: ...') or put the "
        "text in double quotes.",
    ),
    "missing_translation_label": (
        "Thiếu bản dịch cho ngôn ngữ '{lang}'. Hãy thêm '{lang}: ...'.",
        "The '{lang}' translation is missing. Add '{lang}: ...'.",
    ),
    "missing_site_url": (
        "Chưa có địa chỉ xuất bản. Hãy thêm dòng 'site_url: https://…/binh-dan-hoc-vu-so/' "
        "(địa chỉ đầy đủ, kể cả đường dẫn con): nguồn tin, mã QR và ảnh chia sẻ cần địa chỉ "
        "này, và mã của mỗi tin trong nguồn tin được tạo từ nó.",
        "The published address is missing. Add a line 'site_url: https://…/binh-dan-hoc-vu-so/' "
        "(the full address, with its sub-path): feeds, QR codes and share previews need it, "
        "and feed entry ids are made from it.",
    ),
    # Build and publish: the output folder, not the content (one line each, see publish.py).
    "disk_full": (
        "Ổ đĩa đã đầy (hoặc hết hạn mức) khi ghi vào thư mục {folder}. Hãy xóa bớt tệp không "
        "cần trên ổ đĩa đó rồi chạy lại.",
        "The disk is full (or the quota is used up) while writing to the folder {folder}. Free "
        "some space on that disk and run again.",
    ),
    "no_permission": (
        "Không có quyền ghi (hoặc đọc) thư mục {folder}. Hãy kiểm tra quyền của tài khoản đang "
        "chạy lệnh với thư mục này (hỏi người quản trị máy), hoặc chọn thư mục khác.",
        "No permission to write (or read) the folder {folder}. Check that the account running "
        "the command may write there (ask the machine's administrator), or choose another "
        "folder.",
    ),
    "read_only_disk": (
        "Thư mục {folder} nằm trên ổ đĩa chỉ cho đọc. Hãy chọn thư mục trên ổ đĩa ghi được (ví "
        "dụ: mkdocs build -d <thư mục khác>) hoặc nhờ người quản trị máy mở quyền ghi.",
        "The folder {folder} is on a read-only disk. Choose a folder on a writable disk (for "
        "example: mkdocs build -d <another folder>) or ask the administrator to make it "
        "writable.",
    ),
    "storage_error": (
        "Không dùng được thư mục {folder} ({reason}). Hãy kiểm tra ổ đĩa rồi chạy lại.",
        "Could not use the folder {folder} ({reason}). Check the disk and run again.",
    ),
    "build_waiting": (
        "Một bản dựng khác đang ghi vào {folder}: chờ nó xong (tối đa {minutes} phút)…",
        "Another build is writing to {folder}: waiting for it to finish (up to {minutes} "
        "min)…",
    ),
    "build_still_running": (
        "Sau {minutes} phút chờ, một bản dựng khác vẫn đang ghi vào {folder}. Hãy đợi bản dựng "
        "đó xong (hoặc dừng nó) rồi chạy lại.",
        "After waiting {minutes} min, another build is still writing to {folder}. Wait for "
        "that build to finish (or stop it), then run again.",
    ),
    "date_far_ahead": (
        "Ngày đăng {value} còn hơn một năm nữa: bài sẽ không hiện cho đến ngày đó. Nếu gõ nhầm "
        "năm, hãy sửa lại.",
        "The publication date {value} is more than a year away: the item stays hidden until "
        "then. If the year is a typo, correct it.",
    ),
    "placeholder_left": (
        "Vẫn còn chữ mẫu của tệp mới ('{value}'). Hãy thay bằng nội dung thật, hoặc giữ "
        "'draft: true' nếu bài chưa viết xong.",
        "The new file's sample text is still here ('{value}'). Replace it with the real "
        "content, or keep 'draft: true' until the item is finished.",
    ),
    "misnamed_item": (
        "Tệp '{value}' có vẻ là một bài viết nhưng tên sai nên sẽ không được đăng (Notepad "
        "hoặc Windows hay tự thêm đuôi .txt hoặc viết hoa). Hãy đổi tên tệp thành "
        "'{suggestion}'.",
        "The file '{value}' looks like an item but is misnamed, so it would not be published "
        "(Notepad and Windows often add .txt or capitals). Rename it to '{suggestion}'.",
    ),
    "unused_file": (
        "Không bài nào dùng tệp này nên tệp không được đăng lên trang. Nếu cần đăng, hãy chèn "
        "đường link tới tệp trong một bài; nếu không, hãy xóa tệp (đừng để tài liệu có thông "
        "tin cá nhân trong kho).",
        "No item uses this file, so it is not published. To publish it, link to it from an "
        "item; otherwise delete it (do not keep documents with personal data in the "
        "repository).",
    ),
    "corrupt_file": (
        "Tệp này không phải tệp {kind} đọc được (hỏng, tải lên chưa hết, hoặc bị đổi đuôi). "
        "Dùng ở: {used_in}. Hãy mở tệp trên máy tính, lưu lại đúng dạng rồi tải lên lại.",
        "This file is not a readable {kind} file (damaged, uploaded only in part, or renamed). "
        "Used in: {used_in}. Open it on a computer, save it again in the right format and "
        "upload it again.",
    ),
    "file_large": (
        "Tệp nặng {size} MB. Dùng ở: {used_in}. Nhiều người đọc bằng điện thoại, mạng 3G: nên "
        "nén tệp (PDF: lưu với chất lượng ảnh thấp hơn) hoặc chia nhỏ.",
        "The file is {size} MB. Used in: {used_in}. Many readers are on phones and 3G: "
        "compress it (PDF: save with lower image quality) or split it.",
    ),
    "file_too_large": (
        "Tệp quá nặng ({size} MB, tối đa {limit} MB): kho git và điện thoại của người dân "
        "đều không tải được. Dùng ở: {used_in}. Hãy nén hoặc chia nhỏ tệp; video dài thì "
        "đăng ở trang khác và dùng 'video_url'.",
        "The file is too large ({size} MB, at most {limit} MB): neither git hosts nor "
        "residents' phones can take it. Used in: {used_in}. Compress or split it; put a long "
        "video on another site and use 'video_url'.",
    ),
    "bad_colour": (
        "Màu {value} không đúng dạng. Hãy viết mã màu 6 chữ số sau dấu #, trong ngoặc kép, ví "
        "dụ \"#0b4f8a\".",
        "The colour {value} is not in the right form. Write a 6-digit colour code after #, in "
        "quotes, e.g. \"#0b4f8a\".",
    ),
    "low_contrast": (
        "Màu {value} quá gần màu {text} đi cùng nó trên trang (chữ trên nền, hoặc nền của chữ; "
        "độ tương phản {ratio}:1, cần ít nhất 4,5:1 để người nhìn kém đọc được). Hãy chọn màu "
        "đậm hơn (hoặc nhạt hơn).",
        "The colour {value} is too close to {text}, which it meets on the page (text on a "
        "background, or the background of text; contrast {ratio}:1, at least 4.5:1 is needed "
        "for people with low vision). Choose a darker (or lighter) colour.",
    ),
    "bad_config": (
        "Cấu hình không hợp lệ: {detail_vi}",
        "Invalid configuration: {detail_en}",
    ),
    "bad_config_value": (
        "Trường '{field}': giá trị '{value}' không dùng được vì {reason}. Giá trị này được ghi "
        "vào cấu hình máy chủ web, trang soạn bài hoặc liên kết của trang, nên phải là {kind}; "
        "ví dụ: {example}. Hãy sửa lại theo đúng dạng đó.",
        "Field '{field}': the value '{value}' cannot be used because {reason}. It is written "
        "into the web server's configuration, the web editor or the pages' links, so it must "
        "be {kind}; for example: {example}. Correct it to that form.",
    ),
    "bad_config_file": (
        "Không đọc được tệp {file}: {detail}. Hãy sửa tệp (xem ví dụ trong docs/deployment.md) "
        "rồi chạy lại lệnh.",
        "{file} cannot be read: {detail}. Correct the file (see the example in "
        "docs/deployment.md) and run the command again.",
    ),
    "unsafe_server_value": (
        "Không tạo cấu hình máy chủ: giá trị '{value}' có ký tự đặc biệt với nginx/Caddy "
        "(dấu ngoặc kép, dấu ngoặc nhọn, $, dấu gạch chéo ngược, xuống dòng hoặc chữ có dấu). "
        "Hãy chạy binhdan check và sửa trường được báo.",
        "No server configuration written: the value '{value}' holds a character that nginx "
        "or Caddy gives a meaning to (a quote, a brace, $, a backslash, a line break or an "
        "accented letter). Run binhdan check and correct the field it names.",
    ),
    "missing_alt": (
        "Ảnh '{value}' chưa có mô tả cho người khiếm thị. Hãy thêm trường '{alt}' mô tả ảnh "
        "trong một câu.",
        "The image '{value}' has no description for blind readers. Add the field '{alt}' "
        "describing it in one sentence.",
    ),
    "missing_transcript": (
        "Tệp âm thanh '{value}' chưa có lời. Hãy thêm trường '{transcript}' ghi đầy đủ lời "
        "đọc, cho người không nghe được.",
        "The audio '{value}' has no transcript. Add the field '{transcript}' with every word "
        "spoken, for people who cannot hear it.",
    ),
    "help_unknown_ref": (
        "Trường '{field}': '{value}' không có trong {source}.{suggestion} Hãy viết đúng mã "
        "như trong {source}, hoặc thêm mục đó vào {source} trước.",
        "Field '{field}': '{value}' is not in {source}.{suggestion} Write the code exactly as "
        "in {source}, or add it to {source} first.",
    ),
    "help_bad_hours": (
        "Giờ mở cửa {value} không đọc được. Viết mỗi nhóm ngày một mục, ví dụ: "
        "'- {{days: mon-fri, times: [\"7:30-11:30\", \"13:30-17:00\"]}}'. Ngày: mon, tue, wed, "
        "thu, fri, sat, sun; giờ kết thúc phải sau giờ bắt đầu.",
        "The opening hours {value} cannot be read. Write one entry per group of days, e.g. "
        "'- {{days: mon-fri, times: [\"7:30-11:30\", \"13:30-17:00\"]}}'. Days: mon, tue, wed, "
        "thu, fri, sat, sun; each closing time must come after its opening time.",
    ),
    "help_bad_coordinates": (
        "Tọa độ {value} không đúng. Viết 'coordinates: {{lat: 21.82, lon: 105.21}}': vĩ độ "
        "(lat) từ -90 đến 90, kinh độ (lon) từ -180 đến 180; ở Việt Nam vĩ độ khoảng 8–24, kinh "
        "độ khoảng 102–110 (kiểm tra xem có đảo ngược hai số không). Lấy tọa độ bằng cách giữ "
        "ngón tay lên điểm đó trong ứng dụng bản đồ của điện thoại.",
        "The coordinates {value} are not valid. Write 'coordinates: {{lat: 21.82, lon: "
        "105.21}}': latitude (lat) from -90 to 90, longitude (lon) from -180 to 180; in Viet "
        "Nam latitude is about 8–24 and longitude about 102–110 (check the two are not "
        "swapped). Get them by holding a finger on the place in the phone's map app.",
    ),
    "help_bad_language": (
        "Ngôn ngữ {value} không phải mã BCP 47. Viết mã ngắn như 'vi' (tiếng Việt), 'en', "
        "'hmn' (H'Mông), 'tay' (Tày), 'ede' (Ê Đê); mỗi ngôn ngữ một mã.",
        "The language {value} is not a BCP 47 code. Write a short code such as 'vi' "
        "(Vietnamese), 'en', 'hmn' (Hmong), 'tay' (Tay), 'ede' (Rade); one code per language.",
    ),
    "help_person_name": (
        "Trường '{field}' ghi tên một người. Không đăng tên người lên trang khi chưa có sự đồng "
        "ý của họ: hãy xóa trường này và ghi vai trò ('role: Tổ trưởng') cùng số điện thoại "
        "của tổ.",
        "The field '{field}' names a person. No one's name is published without their "
        "consent: remove this field and write the role ('role: Tổ trưởng') and the team's "
        "phone instead.",
    ),
    "help_stale": (
        "Điểm hỗ trợ này được kiểm tra lần cuối ngày {value}, đã hơn {months} tháng. Hãy gọi "
        "điện hoặc đến xác nhận địa chỉ, giờ mở cửa và số điện thoại còn đúng, rồi sửa "
        "'last_checked' thành ngày kiểm tra.",
        "This help point was last checked on {value}, more than {months} months ago. Call or "
        "visit to confirm its address, opening hours and phone are still right, then set "
        "'last_checked' to the day you checked.",
    ),
    "one_of_missing": (
        "Loại '{type}' cần ít nhất một trong các trường: {fields}.",
        "Type '{type}' needs at least one of these fields: {fields}.",
    ),
    "translation_mismatch": (
        "Trường '{field}' phải giống bản {lang} ({other}): đang là '{value}', bản kia là "
        "'{expected}'. Hãy sửa cho giống hoặc xóa trường này khỏi bản dịch để dùng chung.",
        "Field '{field}' must match the {lang} version ({other}): it is '{value}' here and "
        "'{expected}' there. Make them equal, or remove the field from the translation to "
        "share it.",
    ),
    "file_name_fixed": (
        "Tên tệp có dấu, chữ hoa hoặc dấu cách; địa chỉ trang dùng '{slug}'. Nên đổi tên tệp "
        "thành '{suggested}'.",
        "The file name has diacritics, capitals or spaces; the page address uses '{slug}'. "
        "Rename the file to '{suggested}'.",
    ),
    "bad_slug": (
        "Trường 'slug' chỉ được gồm chữ thường không dấu, số và dấu '-' (vd. '{suggested}').",
        "The 'slug' may only hold lowercase plain letters, digits and '-' (e.g. '{suggested}').",
    ),
    "text_cleaned": (
        "Trường '{field}' có ký tự ẩn (dấu cách không ngắt hoặc ký tự độ rộng 0, thường do chép "
        "từ Word/Zalo); đã tự xóa.",
        "Field '{field}' had hidden characters (non-breaking or zero-width spaces, usually "
        "pasted from Word or Zalo); they were removed.",
    ),
    "sheet_columns": (
        "Dòng tiêu đề của bảng không đúng. Thiếu cột: {missing}; cột lạ: {unknown}. Dòng 1 "
        "phải có các cột: {expected}. Hãy dùng bảng mẫu (binhdan template).",
        "The sheet's header row is wrong. Missing columns: {missing}; unknown columns: "
        "{unknown}. Row 1 must have the columns: {expected}. Use the template "
        "(binhdan template).",
    ),
    "bad_spreadsheet": (
        "Không mở được tệp Excel này (tệp hỏng hoặc không phải .xlsx). Hãy lưu lại bằng Excel "
        "dạng .xlsx hoặc xuất ra .csv (UTF-8).",
        "This Excel file cannot be opened (damaged or not .xlsx). Save it again from Excel as "
        ".xlsx, or export it as .csv (UTF-8).",
    ),
    "csv_unreadable": (
        "Không đọc được tệp CSV từ dòng này: có ô quá dài (trên 100.000 ký tự) hoặc ký tự lạ. "
        "Hãy mở tệp bằng Excel, kiểm tra dòng này rồi lưu lại dạng CSV UTF-8.",
        "The CSV file cannot be read from this line on: a cell is too long (over 100,000 "
        "characters) or holds a stray character. Open it in Excel, check this line and save it "
        "again as CSV UTF-8.",
    ),
    "bad_period": (
        "Cột '{field}': '{value}' không phải kỳ báo cáo. Viết tháng dạng 2026-10 hoặc quý "
        "dạng 2026-Q3.",
        "Column '{field}': '{value}' is not a reporting period. Write a month as 2026-10 or a "
        "quarter as 2026-Q3.",
    ),
    "future_period": (
        "Cột '{field}': kỳ {value} chưa bắt đầu (hôm nay là {today}). Kiểm tra lại năm và "
        "tháng.",
        "Column '{field}': the period {value} has not started yet (today is {today}). Check "
        "the year and month.",
    ),
    "bad_number": (
        "Cột '{field}': '{value}' không phải là một số hợp lệ (không âm). Chỉ ghi số, ví dụ "
        "1250 hoặc 72,5.",
        "Column '{field}': '{value}' is not a valid (non-negative) number. Write only the "
        "number, e.g. 1250 or 72.5.",
    ),
    "number_not_finite": (
        "Cột '{field}': '{value}' không phải một con số mà là kết quả của một phép tính lỗi "
        "(không xác định hoặc vô cực, thường do chia cho 0 hoặc số quá lớn). Hãy ghi số thật; "
        "nếu ô là công thức, hãy sửa công thức hoặc gõ kết quả bằng số.",
        "Column '{field}': '{value}' is not a number but the result of a failed calculation "
        "(undefined or infinite, usually a division by 0 or a number too large). Write the "
        "real figure; if the cell is a formula, correct it or type the result as a number.",
    ),
    "percent_not_expected": (
        "Cột '{field}': '{value}' là tỷ lệ phần trăm (ô định dạng % trong Excel, hoặc có dấu "
        "%), nhưng ở đây cột này phải là số lượng ({why}). Hãy bỏ định dạng % (Format Cells "
        "→ Number) và ghi số lượng.",
        "Column '{field}': '{value}' is a percentage (an Excel cell formatted as %, or written "
        "with %), but here this column must be a count ({why}). Remove the % format "
        "(Format Cells → Number) and write the count.",
    ),
    "hidden_sheet_skipped": (
        "Trang tính đầu tiên '{hidden}' đang bị ẩn nên không được đọc; đã đọc trang tính "
        "'{sheet}' (trang tính hiện đầu tiên). Nếu số liệu nằm ở trang ẩn, hãy bỏ ẩn "
        "(Unhide) và kéo nó lên đầu.",
        "The first sheet '{hidden}' is hidden, so it is not read; the sheet '{sheet}' (the "
        "first visible one) was read. If the figures are on the hidden sheet, unhide it and "
        "move it to the front.",
    ),
    "no_visible_sheet": (
        "Tệp Excel này không có trang tính nào đang hiện. Hãy bỏ ẩn (Unhide) trang tính chứa "
        "số liệu và đặt nó lên đầu.",
        "This Excel file has no visible sheet. Unhide the sheet that holds the figures and "
        "move it to the front.",
    ),
    "formula_empty_input": (
        "Cột '{field}': ô {cell} tính bằng công thức {formula}, nhưng ô {empty} mà công thức "
        "dùng đang trống. Excel coi ô trống là 0, nên kết quả {value} có thể sai (ví dụ một "
        "thôn chưa báo cáo). Hãy ghi số vào ô {empty} (ghi 0 nếu đúng là 0) hoặc thay công "
        "thức bằng số.",
        "Column '{field}': cell {cell} is computed by the formula {formula}, but the cell "
        "{empty} it uses is empty. Excel counts an empty cell as 0, so the result {value} may "
        "be wrong (a village that has not reported, for instance). Write a number in {empty} "
        "(0 if it really is 0) or replace the formula with the number.",
    ),
    "formula_no_result": (
        "Cột '{field}': ô {cell} là công thức {formula} nhưng tệp không lưu kết quả của nó "
        "(tệp được tạo bằng chương trình khác, chưa mở bằng Excel). Hãy mở tệp bằng Excel "
        "hoặc LibreOffice, lưu lại, rồi làm lại.",
        "Column '{field}': cell {cell} holds the formula {formula} but the file has no saved "
        "result for it (it was made by another program and never opened in Excel). Open it "
        "in Excel or LibreOffice, save it, and try again.",
    ),
    "half_fraction": (
        "Có tử số hoặc mẫu số nhưng thiếu số còn lại (cột '{field}'). Ghi cả hai, hoặc chỉ "
        "ghi cột 'value'.",
        "A numerator or a denominator is given without the other (column '{field}'). Give "
        "both, or only the 'value' column.",
    ),
    "numerator_over_denominator": (
        "Tử số {numerator} lớn hơn mẫu số {denominator}: số người đạt không thể nhiều hơn tổng "
        "số. Kiểm tra lại hai cột.",
        "The numerator {numerator} is larger than the denominator {denominator}: more people "
        "cannot reach the goal than there are. Check both columns.",
    ),
    "target_no_plan": (
        "Mục tiêu này không ghi lấy từ kế hoạch nào. Hãy thêm 'plan:' là mã văn bản kế hoạch "
        "đã đăng trên trang (tên tệp trong content/documents/, ví dụ ke-hoach-tuyen-quang-2025) "
        "và 'section:' là mục của kế hoạch (ví dụ \"III.2\"). Nếu mục tiêu chỉ để làm ví dụ, "
        "ghi 'illustrative: true'.",
        "This target does not say which plan sets it. Add 'plan:' with the code of the plan "
        "published on the site (the file name in content/documents/, e.g. "
        "ke-hoach-tuyen-quang-2025) and 'section:' with the plan's section (e.g. \"III.2\"). "
        "If the target is only an example, write 'illustrative: true'.",
    ),
    "target_plan_elsewhere": (
        "Kế hoạch '{plan}' không phải của {scope} (trường 'localities' của văn bản: "
        "{localities}), nên mục tiêu này không thể là chỉ tiêu của {scope}. Nếu đúng là kế "
        "hoạch của đơn vị, thêm mã địa phương vào 'localities' của văn bản; nếu mục tiêu chỉ "
        "để làm ví dụ, ghi 'illustrative: true'.",
        "Plan '{plan}' is not a plan of {scope} (the document's 'localities': {localities}), "
        "so this target cannot be one of {scope}'s. If it is the unit's plan, add the locality "
        "code to the document's 'localities'; if the target is only an example, write "
        "'illustrative: true'.",
    ),
    "target_due_year": (
        "Hạn '{due}' không thuộc năm {year} của mục tiêu. Ghi hạn trong năm {year} (ví dụ "
        "30/11/{year}), hoặc sửa 'year'.",
        "The due date '{due}' is not in the target's year {year}. Give a date in {year} (e.g. "
        "30/11/{year}), or correct 'year'.",
    ),
    "target_milestones": (
        "Các mốc phải là 'ngày: con số', mỗi mốc một dòng thụt vào dưới 'milestones:' (ví dụ "
        "'30/06/{year}: 3'), với ngày trong năm {year} và trước hạn của mục tiêu.",
        "Milestones must be 'date: number', one per indented line under 'milestones:' (e.g. "
        "'30/06/{year}: 3'), dated in {year} and before the target's due date.",
    ),
    "target_rate": (
        "'per: {per}' (mục tiêu mỗi kỳ) chỉ dùng cho chỉ tiêu đếm số lượng (unit: count) và "
        "không đi cùng 'milestones'. Với tỷ lệ hoặc mục tiêu có mốc, hãy xóa dòng 'per'.",
        "'per: {per}' (a target for each period) is only for counted indicators (unit: count) "
        "and cannot be combined with 'milestones'. For a percentage or a target with "
        "milestones, remove the 'per' line.",
    ),
    "bad_deadline": (
        "Không hiểu thời hạn '{value}'. Ghi một ngày (30/10/2025), một tháng (10/2025 hoặc "
        "tháng 10/2025), một quý (Quý III/2025 hoặc Q3/2025), 'thường xuyên', hoặc ghi nguyên "
        "văn lời của kế hoạch (ví dụ: theo hướng dẫn của Trung ương).",
        "The deadline '{value}' cannot be read. Write a date (30/10/2025), a month (10/2025 "
        "or tháng 10/2025), a quarter (Quý III/2025 or Q3/2025), 'regular', or the plan's own "
        "words (e.g. theo hướng dẫn của Trung ương).",
    ),
    "value_mismatch": (
        "Cột '{field}' ghi {value} nhưng tử số / mẫu số cho {computed}. Hãy xóa cột 'value' "
        "hoặc sửa cho khớp.",
        "Column '{field}' says {value} but numerator / denominator give {computed}. Leave "
        "'value' empty or make them agree.",
    ),
    "missing_value": (
        "Dòng này không có số liệu: hãy ghi tử số và mẫu số, hoặc cột 'value'.",
        "This row has no figure: give a numerator and a denominator, or the 'value' column.",
    ),
    "percent_out_of_range": (
        "Cột '{field}': {value} không phải tỷ lệ phần trăm hợp lệ (từ 0 đến 100).",
        "Column '{field}': {value} is not a valid percentage (0 to 100).",
    ),
    "duplicate_row": (
        "Dòng này trùng với {other_line} (cùng chỉ tiêu, địa phương và kỳ). Hãy xóa một "
        "dòng.",
        "This row repeats {other_line} (same indicator, locality and period). Remove one of "
        "them.",
    ),
    "computed_rule": (
        "Cách tự đếm (computed) của chỉ số này chưa đúng ở '{key}': đang ghi '{value}', cần "
        "một trong: {allowed}. Ví dụ: 'computed: {{from: items, types: [news, story], per: "
        "month}}' để đếm tin, bài đã đăng mỗi tháng, hoặc 'computed: {{from: events, kind: "
        "lop-hoc}}' để đếm lớp học đã tổ chức (sự kiện có 'event_kind: lop-hoc').",
        "The counting rule (computed) of this indicator is wrong at '{key}': it says "
        "'{value}', it needs one of: {allowed}. For example 'computed: {{from: items, types: "
        "[news, story], per: month}}' counts the news and stories published each month, and "
        "'computed: {{from: events, kind: lop-hoc}}' counts the classes held (events with "
        "'event_kind: lop-hoc').",
    ),
    "computed_not_count": (
        "Chỉ số do cổng tự đếm (có 'computed') là số lượng: hãy ghi 'unit: count' thay cho "
        "'unit: {value}', hoặc xóa 'computed' nếu số liệu được nhập tay.",
        "An indicator the site counts (with 'computed') is a count: write 'unit: count' "
        "instead of 'unit: {value}', or remove 'computed' if its figures are typed in.",
    ),
    "computed_source": (
        "Chỉ số này do cổng tự đếm (có 'computed'), nên nguồn luôn là chính cổng thông tin "
        "này. Hãy xóa dòng 'source'; muốn giải thích cách đếm thì viết vào 'definition'.",
        "The site counts this indicator itself (it has 'computed'), so its source is always "
        "this portal. Remove the 'source' line; explain what is counted in 'definition'.",
    ),
    "computed_typed": (
        "Chỉ số '{value}' do cổng tự đếm từ các bài đã đăng ('computed' trong {source}), "
        "không nhập tay. Hãy xóa dòng này. Nếu muốn nhập tay số liệu của chỉ số này, xóa "
        "'computed' của nó trong {source}.",
        "The site counts indicator '{value}' itself from what it has published ('computed' "
        "in {source}); it is not typed in. Delete this row. To type its figures by hand "
        "instead, remove its 'computed' in {source}.",
    ),
    "corrupt_image": (
        "Không đọc được ảnh này (tệp hỏng hoặc không phải ảnh). Dùng ở: {used_in}. Hãy mở ảnh "
        "trên máy tính, lưu lại dạng JPEG hoặc PNG rồi tải lên lại.",
        "This image cannot be read (damaged, or not an image). Used in: {used_in}. Open it on "
        "a computer, save it again as JPEG or PNG and upload it again.",
    ),
    "svg_unsafe_removed": (
        "Ảnh SVG có phần có thể chạy mã hoặc tải nội dung từ nơi khác; đã xóa trước khi xuất "
        "bản: {removed}. Dùng ở: {used_in}. Ảnh vẫn hiển thị; nếu thiếu chi tiết, hãy xuất lại "
        "ảnh từ phần mềm vẽ ở dạng 'SVG thuần' (Plain SVG), không kèm mã hay liên kết.",
        "This SVG image had parts that can run code or load content from elsewhere; they were "
        "removed before publishing: {removed}. Used in: {used_in}. The image is still shown; if "
        "something is missing, export it again from the drawing program as 'Plain SVG', "
        "without scripts or links.",
    ),
    "svg_entities": (
        "Ảnh SVG khai báo thực thể hoặc DTD riêng (<!ENTITY>, <!DOCTYPE [...]>), cách thường "
        "dùng để tấn công máy chủ; ảnh không được xuất bản. Dùng ở: {used_in}. Hãy xuất lại ảnh "
        "ở dạng 'SVG thuần' (Plain SVG) hoặc lưu thành PNG.",
        "This SVG image declares entities or its own DTD (<!ENTITY>, <!DOCTYPE [...]>), a "
        "common way to attack servers; it is not published. Used in: {used_in}. Export it "
        "again as 'Plain SVG' or save it as PNG.",
    ),
    "svg_unreadable": (
        "Không đọc được ảnh SVG này ({detail}). Dùng ở: {used_in}. Hãy mở ảnh bằng phần mềm "
        "vẽ, xuất lại ở dạng 'SVG thuần' (Plain SVG) hoặc PNG rồi tải lên lại.",
        "This SVG image cannot be read ({detail}). Used in: {used_in}. Open it in a drawing "
        "program, export it again as 'Plain SVG' or PNG and upload it again.",
    ),
    "cache_unusable": (
        "Không dùng được bộ nhớ đệm của bản dựng ({reason}). Bản dựng vẫn tiếp tục, chậm hơn, "
        "kết quả không đổi. Để nhanh trở lại: xóa thư mục .cache rồi dựng lại, hoặc cho phép "
        "ghi vào nó.",
        "The build cache cannot be used ({reason}). The build goes on without it, slower, with "
        "the same result. To make it fast again: delete the .cache folder and build again, or "
        "make it writable.",
    ),
    "cache_busy": (
        "Một chương trình khác đang giữ tệp bộ nhớ đệm này ({reason}); lần này dựng không dùng "
        "nó, kết quả không đổi. Nếu không có bản dựng nào khác đang chạy, hãy xóa tệp này.",
        "Another program holds this cache file ({reason}); this build goes on without it, with "
        "the same result. If no other build is running, delete this file.",
    ),
    "cache_damaged": (
        "Tệp bộ nhớ đệm này bị hỏng hoặc không đúng dạng: bản dựng không dùng nó mà tạo lại. "
        "Kết quả không đổi (lần này chậm hơn).",
        "This cache file is damaged or not in the expected form: the build does not use it and "
        "makes it again. Same result (slower this time).",
    ),
    "cache_entries_damaged": (
        "{count} mục trong bộ nhớ đệm bị thiếu, hỏng hoặc bị sửa (không khớp mã kiểm tra); đã "
        "làm lại, bản cũ không được dùng.",
        "{count} cache entries were missing, damaged or edited (they did not match their "
        "checksum); they were made again and the old ones were not used.",
    ),
    "image_too_large": (
        "Ảnh rất lớn ({size} MB, {dimensions} điểm ảnh). Dùng ở: {used_in}. Trang web vẫn dùng "
        "bản thu nhỏ, nhưng kho lưu trữ nặng thêm: nên thu ảnh về dưới 2000 điểm ảnh chiều rộng "
        "trước khi tải lên.",
        "Very large image ({size} MB, {dimensions} pixels). Used in: {used_in}. The site serves "
        "small copies, but the repository grows: shrink it to under 2000 pixels wide before "
        "uploading.",
    ),
    "image_too_many_pixels": (
        "Ảnh quá lớn để xử lý an toàn ({millions} triệu điểm ảnh, tối đa {limit} triệu). Dùng ở: "
        "{used_in}. Hãy thu nhỏ ảnh (dưới 2000 điểm ảnh chiều rộng là đủ) rồi tải lên lại.",
        "The image is too large to process safely ({millions} million pixels, at most {limit} "
        "million). Used in: {used_in}. Shrink it (under 2000 pixels wide is enough) and upload "
        "it again.",
    ),
    "animated_image": (
        "Ảnh động (GIF) được giữ nguyên, không thu nhỏ được, có thể nặng với điện thoại. Nên "
        "dùng video ngắn thay thế.",
        "Animated GIF kept as it is: it cannot be resized and may be heavy on phones. Consider "
        "a short video instead.",
    ),
    "body_image_alt": (
        "Ảnh '{value}' chưa có mô tả: viết mô tả trong ngoặc vuông, ví dụ ![Màn hình đăng "
        "nhập VNeID]({value}). Nếu ảnh chỉ để trang trí, ghi ![]({value}){{.decorative}}.",
        "The image '{value}' has no description: write it in the brackets, e.g. ![VNeID login "
        "screen]({value}). If it is purely decorative, write ![]({value}){{.decorative}}.",
    ),
    "too_long": (
        "Trường '{field}' dài {length} ký tự, quá giới hạn {limit}. Hãy viết ngắn lại: chữ dài "
        "bị cắt khi chia sẻ lên Zalo, Facebook và khó đọc trên điện thoại.",
        "The field '{field}' is {length} characters long, over the limit of {limit}. Shorten "
        "it: long text is cut off in Zalo and Facebook shares and is hard to read on a phone.",
    ),
    "consent_missing": (
        "Bài có người có thể nhận ra ({shown}) nhưng chưa ghi 'consent: true'. Chỉ đăng khi "
        "những người này đã đồng ý (quy định bảo vệ dữ liệu cá nhân, Nghị định 13/2023/NĐ-CP): "
        "khi đã có đồng ý, ghi 'consent: true'; nếu không, bỏ ảnh và chỉ gọi tên tắt (bà L.).",
        "The story shows identifiable people ({shown}) but does not say 'consent: true'. "
        "Publish only with their agreement (personal-data rules, Decree 13/2023/NĐ-CP): once "
        "they have agreed, add 'consent: true'; otherwise remove the photos and use initials.",
    ),
    "unsafe_tag": (
        "Thẻ HTML <{tag}> không được phép trong bài và đã bị bỏ khỏi trang: trang của cơ quan "
        "nhà nước không chạy mã, kiểu chữ riêng hay biểu mẫu chép vào bài. Hãy xóa thẻ này "
        "(muốn đăng video thì dùng loại nội dung video).",
        "The HTML tag <{tag}> is not allowed in content and was removed from the page: a "
        "government page runs no scripts, styles or forms pasted into an item. Delete it (to "
        "publish a video, use the video content type).",
    ),
    "unsafe_iframe": (
        "Khung nhúng <iframe> từ '{host}' không nằm trong danh sách máy chủ được phép "
        "({allowed}) và đã bị bỏ. Hãy dùng loại nội dung video, hoặc nhúng từ đúng một máy chủ "
        "trong danh sách.",
        "The embedded frame (<iframe>) from '{host}' is not on the allowed list of hosts "
        "({allowed}) and was removed. Use the video content type, or embed from exactly one "
        "of the hosts on the list.",
    ),
    "unsafe_attribute": (
        "Thuộc tính '{attribute}' của {tag} không được phép và đã bị bỏ: đó là mã lệnh chạy "
        "khi người đọc bấm, rê chuột hoặc mở trang, mà trang của cơ quan nhà nước không chạy "
        "mã chép vào bài. Hãy xóa nó.",
        "The attribute '{attribute}' on {tag} is not allowed and was removed: it is an event "
        "handler, code that runs when a reader clicks, points at it or opens the page, and a "
        "government page runs no code pasted into an item. Delete it.",
    ),
    "unsafe_url": (
        "Địa chỉ '{value}' dùng kiểu '{scheme}:' không an toàn và đã bị bỏ. Chỉ dùng địa chỉ "
        "https://, mailto:, tel: hoặc đường dẫn tới tệp trong content/.",
        "The address '{value}' uses the unsafe '{scheme}:' scheme and was removed. Use "
        "https://, mailto:, tel: addresses or the path of a file in content/.",
    ),
    "unsafe_style": (
        "Thuộc tính 'style' của {tag} (kiểu chữ, màu, cỡ chữ riêng) đã bị bỏ: mọi trang dùng "
        "chung một kiểu để dễ đọc trên điện thoại, và chính sách bảo mật của trang (CSP) chặn "
        "kiểu chữ viết trong bài. Hãy xóa nó; muốn nhấn mạnh, dùng **chữ đậm**, tiêu đề ## "
        "hoặc khung ghi chú !!! note.",
        "The 'style' attribute on {tag} (its own font, colour or size) was removed: every page "
        "shares one style so that it reads well on phones, and the site's security policy "
        "(CSP) blocks styles written into items. Delete it; to stress something, use **bold**, "
        "a ## heading or a !!! note box.",
    ),
    "unknown_attribute": (
        "Thuộc tính '{attribute}' không có tác dụng với {tag} trên trang này nên đã bị bỏ "
        "(phần còn lại giữ nguyên). {tag} chỉ dùng được: {allowed}. Hãy xóa nó.",
        "The attribute '{attribute}' has no use on {tag} on this site, so it was removed "
        "(everything else is kept). {tag} may only have: {allowed}. Delete it.",
    ),
    "unknown_tag": (
        "Thẻ HTML <{tag}> không dùng trên trang này nên đã bị bỏ; chữ bên trong vẫn giữ "
        "nguyên (thẻ như vậy thường đi theo khi chép từ Word hoặc trang web khác). Hãy xóa "
        "thẻ và định dạng bằng Markdown: **chữ đậm**, ## tiêu đề, danh sách '- '.",
        "The HTML tag <{tag}> is not used on this site, so it was removed; the text inside "
        "it is kept (such tags usually come along when copying from Word or another web "
        "page). Delete the tag and format with Markdown: **bold**, ## headings, '- ' lists.",
    ),
    "angle_address": (
        "'<{value}>' là một địa chỉ trong ngoặc nhọn, nhưng chỉ địa chỉ https://... và thư "
        "điện tử mới thành đường link theo cách này; cái khác bị coi là thẻ HTML và mất hẳn "
        "khỏi trang. Hãy viết thành đường link Markdown, ví dụ [0912 345 678](tel:0912345678) "
        "hoặc [Cổng dịch vụ công](https://dichvucong.gov.vn).",
        "'<{value}>' is an address in angle brackets, but only https://... addresses and "
        "e-mail addresses become links this way; anything else is taken for an HTML tag and "
        "disappears from the page. Write a Markdown link, e.g. [0912 345 678](tel:0912345678) "
        "or [Public services portal](https://dichvucong.gov.vn).",
    ),
    "odd_address": (
        "Địa chỉ '{value}' không viết theo dạng thông thường (https://tên-miền/đường-dẫn: có "
        "dấu '\\', tên người dùng trước '@', cổng lạ hoặc ngoặc vuông sai) nên đã bị bỏ. Hãy "
        "chép lại địa chỉ từ thanh địa chỉ của trình duyệt (video YouTube: Chia sẻ → Nhúng).",
        "The address '{value}' is not written the usual way (https://domain/path: it has a "
        "'\\', a user name before '@', an unusual port or broken square brackets), so it was "
        "removed. Copy the address again from the browser's address bar (a YouTube video: "
        "Share → Embed).",
    ),
    "empty_attachment": (
        "Tệp trống (0 byte) nhưng được dùng ở: {used_in}; người đọc sẽ tải về một tệp rỗng. "
        "Hãy tải lên lại tệp đầy đủ, hoặc bỏ đường link tới tệp.",
        "The file is empty (0 bytes) but is used in: {used_in}; readers would download an "
        "empty file. Upload the complete file again, or remove the link to it.",
    ),
    "unpublishable_file": (
        "Tệp '{kind}' không được đăng lên cổng (dùng ở: {used_in}): trang web hoặc mã chạy "
        "(.html, .js…) đặt trên địa chỉ của cổng sẽ chạy như chính cổng. Chỉ đăng các loại: "
        "{allowed}. Hãy chuyển nội dung thành bài Markdown, hoặc lưu tệp sang một trong các "
        "loại trên.",
        "A '{kind}' file cannot be published on the portal (used in: {used_in}): a web page "
        "or script (.html, .js…) on the portal's own address would run as the portal. Only "
        "these kinds are published: {allowed}. Turn the content into a Markdown item, or "
        "save the file as one of those kinds.",
    ),
    "csv_delimiter": (
        "Tệp dùng {delimiter} giữa các cột thay cho dấu phẩy (Excel cài tiếng Việt hay lưu như "
        "vậy), nên không đọc được các cột. Trong Excel, chọn Lưu thành (Save As) → CSV UTF-8 "
        "(phân cách bằng dấu phẩy), hoặc lưu dạng .xlsx.",
        "The file uses {delimiter} between columns instead of commas (Excel set to Vietnamese "
        "saves it that way), so its columns cannot be read. In Excel, use Save As → CSV UTF-8 "
        "(Comma delimited), or save it as .xlsx.",
    ),
    "merged_cells": (
        "Các ô {cells} đang được gộp (Merge), nên chỉ ô đầu có giá trị, các dòng còn lại bị "
        "trống. Hãy bỏ gộp ô (Unmerge) và ghi đủ giá trị vào từng dòng.",
        "The cells {cells} are merged, so only the first one holds a value and the other rows "
        "are empty. Unmerge them and fill in every row.",
    ),
    "empty_cell": (
        "Cột '{field}' đang trống ở dòng này. Mỗi dòng cần đủ mã địa phương, mã chỉ tiêu và kỳ "
        "báo cáo (vd. 2026-10 hoặc 2026-Q3). Nếu bảng gốc có ô gộp (Merge), hãy bỏ gộp và ghi "
        "đủ từng dòng.",
        "Column '{field}' is empty on this row. Every row needs its locality code, indicator "
        "code and period (e.g. 2026-10 or 2026-Q3). If the original sheet has merged cells, "
        "unmerge them and fill in every row.",
    ),
    "raw_image": (
        "Ảnh được chèn bằng thẻ HTML <img> ('{value}'): ảnh như vậy không được thu nhỏ cho "
        "điện thoại, không được xóa thông tin vị trí (GPS), không có mô tả và sẽ hiện thành ô "
        "trống. Hãy viết theo cách của Markdown: ![mô tả ảnh](ten-anh.jpg).",
        "An image is inserted with an HTML <img> tag ('{value}'): such an image is not resized "
        "for phones, not stripped of its location (GPS), has no description and would show as "
        "an empty box. Write it the Markdown way: ![description](image-name.jpg).",
    ),
    "raw_link": (
        "Đường link tới tệp '{value}' được viết bằng thẻ HTML <a>: trên trang, đường link như "
        "vậy sẽ hỏng và tệp không được đăng. Hãy viết theo cách của Markdown: [chữ của đường "
        "link]({value}).",
        "A link to the file '{value}' is written with an HTML <a> tag: on the page it would be "
        "broken and the file would not be published. Write it the Markdown way: [link "
        "text]({value}).",
    ),
    "pasted_image": (
        "Ảnh được dán thẳng vào văn bản (data:image...) và đã bị bỏ. Hãy lưu ảnh thành tệp "
        "trong thư mục của bài rồi chèn ![mô tả ảnh](ten-anh.jpg).",
        "An image was pasted into the text as data (data:image...) and was removed. Save it "
        "as a file next to the item and insert it with ![description](image-name.jpg).",
    ),
    "empty_file": (
        "Tệp trống: đã bỏ qua, không xuất bản gì. Xóa tệp nếu không cần.",
        "The file is empty: it was skipped and nothing is published. Delete it if not needed.",
    ),
    "translation_not_written": (
        "Bản dịch này chưa có gì của riêng nó (không có tiêu đề, tóm tắt hay nội dung): chưa "
        "xuất bản bản này. Hãy dịch, hoặc xóa tệp.",
        "This translation has nothing of its own yet (no title, summary or body): it is not "
        "published. Translate it, or delete the file.",
    ),
    "nfc_fixed": (
        "Dấu tiếng Việt ở dòng này được gõ tách rời khỏi chữ (thường do chép từ PDF hoặc máy "
        "Mac); đã tự ghép lại để tìm kiếm, đường dẫn và nguồn tin dùng đúng chữ. Không cần làm "
        "gì; nếu muốn tệp gọn, hãy gõ lại dòng này.",
        "The Vietnamese marks on this line were typed apart from their letters (usually text "
        "copied from a PDF or a Mac); they were joined so that search, addresses and feeds "
        "use the right letters. Nothing to do; to tidy the file, retype the line.",
    ),
    "bom_removed": (
        "Tệp bắt đầu bằng ký tự BOM; đã bỏ qua ký tự này.",
        "The file starts with a byte-order mark (BOM); it was ignored.",
    ),
}


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in the content or data tree."""

    code: str
    path: str  # relative to the project root, with forward slashes
    line: int | None = None
    field: str | None = None
    severity: Severity = Severity.ERROR
    params: tuple[tuple[str, object], ...] = ()

    @property
    def where(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        return where + (f" [{self.field}]" if self.field else "")

    def text(self, lang: str) -> str:
        """The message in `lang`; a detail given as a (Vietnamese, English) pair is told in
        the message's own language."""
        vi, en = MESSAGES[self.code]
        template = vi if lang == "vi" else en
        values = {"field": self.field or "", **{
            key: (value[0] if lang == "vi" else value[1]) if isinstance(value, tuple) else value
            for key, value in self.params}}
        return template.format(**values)

    def format(self) -> str:
        label = "LỖI / ERROR" if self.severity is Severity.ERROR else "CẢNH BÁO / WARNING"
        return f"{label}  {self.where}\n  vi: {self.text('vi')}\n  en: {self.text('en')}"


@dataclass
class Problems:
    """Collects problems across the whole tree so an editor can fix them all in one pass."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        code: str,
        path: str,
        line: int | None = None,
        field: str | None = None,
        *,
        warning: bool = False,
        **params: object,
    ) -> None:
        if code not in MESSAGES:
            raise KeyError(f"no message for problem code {code!r}")
        severity = Severity.WARNING if warning else Severity.ERROR
        self.items.append(Problem(code, path, line, field, severity, tuple(params.items())))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def report(self) -> str:
        """The whole list, errors first, in file order: what `binhdan check` prints."""
        def ordered(problems: list[Problem]) -> list[str]:
            return [p.format() for p in sorted(problems, key=lambda p: (p.path, p.line or 0))]

        blocks = []
        if self.errors:
            blocks += ["== Lỗi: phải sửa trước khi xuất bản / Errors: fix before publishing ==",
                       *ordered(self.errors)]
        if self.warnings:
            blocks += ["== Cảnh báo: đã tự xử lý, không chặn xuất bản / Warnings: handled "
                       "automatically, publishing goes ahead ==", *ordered(self.warnings)]
        summary = (f"{len(self.errors)} lỗi, {len(self.warnings)} cảnh báo / "
                   f"{len(self.errors)} errors, {len(self.warnings)} warnings")
        return "\n\n".join([*blocks, summary])

