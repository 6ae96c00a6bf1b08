#!/usr/bin/env bash
# Packs the .vsix and proves that the daemon starts from the unpacked, installed
# layout (bundles + the native better-sqlite3 binding, nothing else).
set -euo pipefail
cd "$(dirname "$0")/../.."
vsix="diffwise-$(node -p 'require("./package.json").version').vsix"
npx vsce package --skip-license -o "$vsix" >/dev/null
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
unzip -q "$vsix" -d "$unpacked"
repo="$unpacked/repo"
mkdir "$repo" && git -C "$repo" init -q && printf 'debugger;\n' > "$repo/a.js"
node "$unpacked/extension/dist/cli.js" review --repo "$repo" --format json --fail-on never | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const findings = JSON.parse(s).findings;
    if (findings.length !== 1 || findings[0].ruleId !== "debug-leftover") { console.error("unexpected review:", s); process.exit(1); }
  });'
# The webviews' bundles and the activity-bar icon ship; development source maps do not.
listing="$(unzip -l "$vsix")"
for shipped in dist/commands.js dist/webview/feedback.js dist/webview/feedback.css dist/webview/metrics.js dist/webview/metrics.css resources/diffwise.svg; do
  grep -q "extension/$shipped\$" <<<"$listing" || { echo "package: $shipped is missing from $vsix" >&2; exit 1; }
done
if grep -q '\.map$' <<<"$listing"; then echo "package: source maps in $vsix" >&2; exit 1; fi
files=$(tail -1 <<<"$listing" | awk '{print $2}')
echo "package: $vsix ($(du -h "$vsix" | cut -f1), $files files) reviews from its installed layout"
