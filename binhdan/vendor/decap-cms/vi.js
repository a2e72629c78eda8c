/* Vietnamese for the Decap CMS strings that its own "vi" locale lacks (Decap 3.16: the Markdown
   toolbar, the translation pane, lists, notes...), so officers see no English. Ours, not
   vendored: scripts/update-cms.sh leaves it alone. Runs right after decap-cms.js, before the
   editor has read its configuration and picked its phrases. */
(function () {
  "use strict";
  var cms = window.CMS;
  if (!cms || !cms.getLocale) { return; }
  var extra = {
    auth: { loginWithAzure: "Đăng nhập bằng Azure", loginWithForgejo: "Đăng nhập bằng Forgejo" },
    collection: {
      collectionTop: { viewAsList: "Xem dạng danh sách", viewAsGrid: "Xem dạng lưới",
        groupBy: "Nhóm theo" },
      entries: { unpublishedHeader: "Bài chưa xuất bản" },
      groups: { other: "Khác", negateLabel: "Không phải %{label}" }
    },
    editor: {
      editorControl: { field: { widgetLabel: "Trường %{widgetLabel}" } },
      editorControlPane: { i18n: {
        writingInLocale: "Đang soạn bản %{locale}",
        copyFromLocale: "Chép từ bản ngôn ngữ khác",
        copyFromLocaleConfirm: "Chép nội dung từ bản %{locale}?\nMọi nội dung đang có ở bản này sẽ bị ghi đè."
      } },
      editorInterface: { toggleI18n: "Hiện/ẩn bản dịch", togglePreview: "Hiện/ẩn xem trước",
        toggleScrollSync: "Cuộn cùng nhau", toggleNotes: "Hiện/ẩn ghi chú" },
      editorNotesPane: {
        title: "Ghi chú", emptyState: "Chưa có ghi chú. Thêm ghi chú đầu tiên ở dưới.",
        addNote: "Thêm ghi chú", addPlaceholder: "Viết ghi chú...",
        editPlaceholder: "Sửa ghi chú...", save: "Lưu", cancel: "Hủy", edit: "Sửa",
        "delete": "Xóa", resolve: "Đã xử lý", unresolve: "Mở lại",
        confirmDelete: "Xóa ghi chú này?", shortcut: "Mẹo: bấm Ctrl+Enter để thêm nhanh"
      },
      editorToolbar: {
        statusInfoTooltipDraft: "Bài đang là bản nháp. Khi viết xong, chuyển trạng thái sang ‘Đang duyệt’ để gửi duyệt.",
        statusInfoTooltipInReview: "Bài đang được duyệt, không cần làm gì thêm. Bạn vẫn có thể sửa trong lúc chờ duyệt."
      },
      editorWidgets: {
        markdown: {
          bold: "Chữ đậm", italic: "Chữ nghiêng", strikethrough: "Gạch ngang", code: "Mã",
          link: "Liên kết", linkPrompt: "Nhập địa chỉ của liên kết", headings: "Tiêu đề mục",
          quote: "Trích dẫn", bulletedList: "Danh sách gạch đầu dòng",
          numberedList: "Danh sách đánh số", addComponent: "Thêm thành phần",
          toggleMode: { rich: "Chuyển sang chế độ soạn thảo trực quan",
            markdown: "Chuyển sang chế độ Markdown" }
        },
        image: { chooseMultiple: "Chọn ảnh", chooseUrl: "Chèn từ địa chỉ web",
          replaceUrl: "Thay bằng địa chỉ web", promptUrl: "Nhập địa chỉ của ảnh",
          addMore: "Thêm ảnh", removeAll: "Gỡ tất cả ảnh" },
        file: { chooseUrl: "Chèn từ địa chỉ web", chooseMultiple: "Chọn tệp",
          replaceUrl: "Thay bằng địa chỉ web", promptUrl: "Nhập địa chỉ của tệp",
          addMore: "Thêm tệp", removeAll: "Gỡ tất cả tệp" },
        datetime: { setToNow: "Đặt %{fieldLabel} là bây giờ" },
        list: { add: "Thêm %{item}", addType: "Thêm %{item}" },
        object: { expand: "Mở rộng", collapse: "Thu gọn" }
      }
    },
    mediaLibrary: {
      mediaLibraryCard: { copy: "Sao chép", copyUrl: "Sao chép địa chỉ",
        copyPath: "Sao chép đường dẫn", copyName: "Sao chép tên", copied: "Đã sao chép" },
      mediaLibraryModal: { close: "Đóng" }
    },
    ui: {
      settingsDropdown: { account: "Tài khoản" },
      toast: {
        noteAdded: "Đã thêm ghi chú", onFailToAddNote: "Không thêm được ghi chú: %{details}",
        noteUpdated: "Đã sửa ghi chú", onFailToUpdateNote: "Không sửa được ghi chú: %{details}",
        noteDeleted: "Đã xóa ghi chú", onFailToDeleteNote: "Không xóa được ghi chú: %{details}",
        noteResolved: "Đã đánh dấu xử lý xong", noteReopened: "Đã mở lại ghi chú",
        onFailToToggleNote: "Không đổi được trạng thái ghi chú: %{details}"
      }
    }
  };

  function merge(base, add) {
    var result = {};
    Object.keys(base).forEach(function (key) { result[key] = base[key]; });
    Object.keys(add).forEach(function (key) {
      var mine = add[key];
      var theirs = result[key];
      if (typeof mine === "object" && typeof theirs === "object" && theirs !== null) {
        result[key] = merge(theirs, mine);
      } else if (theirs === undefined) {
        result[key] = mine;  // Decap's own translation wins when it has one
      }
    });
    return result;
  }

  cms.registerLocale("vi", merge(cms.getLocale("vi") || {}, extra));
}());
