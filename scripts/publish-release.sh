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
set -eu
site=${1%/}
target=$2
keep=${KEEP_RELEASES:-3}
release="releases/$(date -u +%Y%m%dT%H%M%SZ)-$$"
case "$target" in
  *:*) host=${target%%:*}; base=${target#*:}; destination="$host:$base/$release/"
       run() { ssh "$host" "$1"; } ;;
  *)   base=$target; destination="$base/$release/"
       run() { sh -c "$1"; } ;;
esac
[ -f "$site/index.html" ] || { echo "No built site in $site (run make build) / Chưa có trang đã dựng trong $site" >&2; exit 1; }
run "mkdir -p '$base/releases'"
previous=""
if run "test -d '$base/current/'"; then previous="--link-dest=$base/current/"; fi
# shellcheck disable=SC2086 # $previous is one option or nothing
rsync -rlt --checksum --chmod=D755,F644 $previous "$site/" "$destination"
run "cd '$base' && ln -sfn '$release' current.tmp && mv -T current.tmp current && ls -1d releases/* | sort | head -n -$keep | xargs -r rm -rf"
echo "Đã xuất bản / Published: $base/$release"
