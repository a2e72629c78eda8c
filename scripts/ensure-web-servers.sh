#!/bin/sh
# The deployment tests serve the built site with the configurations `binhdan deploy nginx`
# and `binhdan deploy caddy` write (docs/deploy/). Install Debian's nginx and Caddy when
# missing; needs root (CI runs as root). Only the binaries are used: the tests run their own
# instances on free local ports and do not touch the system's services. rsync: the release
# script (scripts/publish-release.sh) is tested too.
set -e
missing=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
command -v caddy >/dev/null 2>&1 || missing="$missing caddy"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
if [ -z "$missing" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "Missing:$missing. Run 'sudo apt-get install -y$missing' (the deployment tests need it)." >&2
  echo "Thiếu:$missing. Hãy chạy 'sudo apt-get install -y$missing' (bài kiểm thử triển khai cần)." >&2
  exit 1
fi
echo "Installing$missing (Debian packages) for the deployment tests..."
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
