#!/bin/sh
# Publish a built site as a new release and switch to it with one rename, so visitors see
# all of the old site or all of the new one, never a mix (docs/deployment.md).
#
#   sh scripts/publish-release.sh site/ deploy@portal.example.gov.vn:/var/www/binh-dan-hoc-vu-so
#   sh scripts/publish-release.sh site/ /var/www/binh-dan-hoc-vu-so         # on this machine
#
# The web server serves <base>/current (binhdan deploy nginx --root <base>/current). Each
# release is a folder under <base>/releases; files unchanged since the previous release are
# hard links to it (rsync --link-dest), so a release costs only what changed. The newest
# KEEP_RELEASES (default 3) are kept for going back:
#   cd <base> && ln -sfn releases/<older> current.tmp && mv -T current.tmp current
# Needs rsync here and on the server, and a Linux server (GNU mv -T, head, xargs).
set -eu
if [ $# -ne 2 ]; then
  echo "Usage / Cách dùng: sh scripts/publish-release.sh site/ [user@host:]/absolute/base" >&2
  exit 2
fi
site=${1%/}
target=$2
keep=${KEEP_RELEASES:-3}
case "$keep" in ''|*[!0-9]*|0) echo "KEEP_RELEASES must be 1 or more / phải từ 1 trở lên" >&2; exit 2 ;; esac
release="releases/$(date -u +%Y%m%dT%H%M%SZ)-$$"
case "$target" in
  *:*) host=${target%%:*}; base=${target#*:}; destination="$host:$base/$release/"
       run() { ssh "$host" "$1"; } ;;
  *)   base=$target; destination="$base/$release/"
       run() { sh -c "$1"; } ;;
esac
case "$base" in
  /*) ;;
  *) echo "The base folder must be an absolute path / Thư mục phải là đường dẫn tuyệt đối: $base" >&2; exit 2 ;;
esac
case "$base" in
  *"'"*) echo "The base folder must not contain ' / Đường dẫn không được có dấu ': $base" >&2; exit 2 ;;
esac
[ -f "$site/index.html" ] || { echo "No built site in $site (run make build) / Chưa có trang đã dựng trong $site" >&2; exit 1; }
if run "test -f '$base/index.html'"; then  # the old layout: the site copied straight into base
  echo "$base holds a site itself (the old layout). Serve $base/current instead: regenerate the web-server configuration with --root $base/current, publish once into a new base folder, or move the old files away. / $base đang chứa trực tiếp một trang (cách cũ): hãy cấu hình máy chủ phục vụ $base/current." >&2
  exit 1
fi
run "mkdir -p '$base/releases'"
# No -t: every build writes fresh files, and a different mtime would stop rsync from linking
# an unchanged file to the previous release. Linked files keep their old time (HTTP caches).
rsync -rl --checksum --chmod=D755,F644 --link-dest=../../current/ "$site/" "$destination"
run "cd '$base' && ln -sfn '$release' current.tmp && mv -T current.tmp current && ls -1d releases/* | sort | head -n -$keep | grep -vx '$release' | xargs -r rm -rf"
echo "Đã xuất bản / Published: $base/$release"
