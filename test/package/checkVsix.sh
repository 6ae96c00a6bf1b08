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
files=$(unzip -l "$vsix" | tail -1 | awk '{print $2}')
echo "package: $vsix ($(du -h "$vsix" | cut -f1), $files files) reviews from its installed layout"
