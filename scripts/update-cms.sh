#!/bin/sh
# Vendor the web editor (Decap CMS) into binhdan/vendor/decap-cms/, so that builds work offline
# and on editors' machines without npm, and /admin/ loads no script from a CDN.
#
#   sh scripts/update-cms.sh
#
# Fetches the pinned version with `npm pack` (the only step that needs the npm registry),
# checks the tarball's SHA-256, and copies the browser bundle: decap-cms.js, the chunks it
# loads on demand (NNNN.decap-cms.js, *.wasm) and the third-party licence notices.
# Our own files there are kept as they are: LICENSE (Decap's MIT licence, which the npm
# tarball lacks), README.md and vi.js (Vietnamese for the strings Decap's own locale lacks).
#
# To upgrade: read the release notes, set VERSION below, run once (the check fails and prints
# the new tarball's hash), put that hash in SHA256, run again, then `make test`.
set -eu

VERSION=3.16.3
SHA256=f1c0055411ebdbd5b7c77a835a68b92b5467622585838f8496223b27eee116d1

dest="$(cd "$(dirname "$0")/.." && pwd)/binhdan/vendor/decap-cms"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

npm pack --silent --pack-destination "$tmp" "decap-cms@$VERSION" >/dev/null
tarball="$tmp/decap-cms-$VERSION.tgz"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [ "$actual" != "$SHA256" ]; then
  echo "decap-cms@$VERSION: SHA-256 is $actual, expected $SHA256 (see the comment above)." >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/dist

mkdir -p "$dest"
rm -f "$dest"/decap-cms.js "$dest"/*.decap-cms.js "$dest"/*.wasm "$dest"/*.LICENSE.txt
dist="$tmp/package/dist"
cp "$dist"/decap-cms.js "$dist"/*.decap-cms.js "$dist"/*.wasm "$dist"/decap-cms.js.LICENSE.txt \
  "$dest"/
echo "$VERSION" > "$dest/VERSION"
(cd "$dest" && sha256sum -- decap-cms.js *.decap-cms.js *.wasm *.LICENSE.txt > SHA256SUMS)
echo "decap-cms $VERSION: $(du -sh "$dest" | cut -f1) in binhdan/vendor/decap-cms/"
