#!/usr/bin/env bash
# Lays out the release pairs of pairs.json under /tmp/release-pairs (rerunnable):
#   /tmp/release-pairs/<pkg>/{old,new}/            the package as published (npm pack + tar)
#   /tmp/release-pairs/<pkg>/{old,new}/node_modules/<dep>   its direct dependencies (one level, no scripts)
# <pkg> is the package name with '/' replaced by '+'. Only the npm registry is used (npm pack).
# Usage: bash fetch.sh [package-name ...]   (default: every pair)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${RELEASE_PAIRS_DIR:-/tmp/release-pairs}"
TARBALLS="$OUT/.tarballs"
mkdir -p "$OUT" "$TARBALLS"

# pack NAME@SPEC -> path of the tarball (cached by the spec asked for)
pack() {
  local spec="$1" key
  key="$(printf '%s' "$spec" | tr '/@^~<>=* ' '++______-_')"
  if [ ! -s "$TARBALLS/$key.tgz" ]; then
    local tmp; tmp="$(mktemp -d "$TARBALLS/pack.XXXXXX")"
    (cd "$tmp" && npm pack "$spec" --pack-destination "$tmp" --silent >/dev/null)
    mv "$tmp"/*.tgz "$TARBALLS/$key.tgz"
    rmdir "$tmp"
  fi
  printf '%s\n' "$TARBALLS/$key.tgz"
}

extract() { # tarball dir
  rm -rf "$2"; mkdir -p "$2"
  tar xzf "$1" -C "$2" --strip-components=1 --no-same-owner
}

layout() { # name version dir
  local name="$1" version="$2" dir="$3"
  extract "$(pack "$name@$version")" "$dir"
  node -e '
    const m = require(process.argv[1]);
    for (const [d, r] of Object.entries(m.dependencies || {})) console.log(`${d}\t${r}`);
  ' "$dir/package.json" | while IFS=$'\t' read -r dep range; do
    case "$range" in *:*) echo "  skip $dep@$range (not a registry range)"; continue;; esac
    extract "$(pack "$dep@$range")" "$dir/node_modules/$dep"
  done
}

node -e 'for (const p of require(process.argv[1])) console.log(`${p.package}\t${p.old}\t${p.new}`)' "$HERE/pairs.json" |
while IFS=$'\t' read -r name old new; do
  if [ "$#" -gt 0 ] && ! printf '%s\n' "$@" | grep -qxF "$name"; then continue; fi
  safe="${name//\//+}"
  echo "== $name $old -> $new"
  layout "$name" "$old" "$OUT/$safe/old"
  layout "$name" "$new" "$OUT/$safe/new"
done
echo "done: $OUT"
