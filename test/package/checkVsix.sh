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
# The daemon too, as the extension starts it: initialize answered, shutdown and exit obeyed
# (the LSP stack is a lazy bundle of its own, dist/lib/lsp.js, that only `serve` loads).
node - "$unpacked/extension/dist/cli.js" "$repo" <<'NODE'
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const [cli, repo] = process.argv.slice(2);
const daemon = spawn(process.execPath, [cli, 'serve', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const send = (message) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  daemon.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
};
const timer = setTimeout(() => { console.error('package: the daemon did not answer in 30 s'); daemon.kill(); process.exit(1); }, 30000);
let buffer = '';
daemon.stdout.setEncoding('utf8').on('data', (chunk) => {
  buffer += chunk;
  for (let header; (header = /Content-Length: (\d+)\r\n\r\n/.exec(buffer)) && buffer.length >= header.index + header[0].length + Number(header[1]);) {
    const start = header.index + header[0].length;
    const message = JSON.parse(buffer.slice(start, start + Number(header[1])));
    buffer = buffer.slice(start + Number(header[1]));
    if (message.id === 1) {
      if (!message.result?.capabilities) { console.error('package: unexpected initialize answer:', JSON.stringify(message)); process.exit(1); }
      send({ method: 'initialized', params: {} });
      send({ id: 2, method: 'shutdown' });
    } else if (message.id === 2) send({ method: 'exit' });
  }
});
daemon.on('exit', (code) => { clearTimeout(timer); if (code !== 0) { console.error(`package: the daemon exited with ${code}`); process.exit(1); } });
const root = pathToFileURL(repo).href;
send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: 'repo' }], capabilities: {} } });
NODE
# The bundles (the lazy ones too), the webviews' and the activity-bar icon ship; development source maps do not.
listing="$(unzip -l "$vsix")"
for shipped in dist/commands.js dist/lib/typescript.js dist/lib/secretlint.js dist/lib/openai.js dist/lib/octokit.js dist/lib/lsp.js dist/webview/feedback.js dist/webview/feedback.css dist/webview/metrics.js dist/webview/metrics.css resources/diffwise.svg resources/icon.png docs/walkthrough/review.md dist/webview/codicon.css dist/webview/codicon.ttf docs/rules/debug-leftover.md; do
  grep -q "extension/$shipped\$" <<<"$listing" || { echo "package: $shipped is missing from $vsix" >&2; exit 1; }
done
if grep -q '\.map$' <<<"$listing"; then echo "package: source maps in $vsix" >&2; exit 1; fi
files=$(tail -1 <<<"$listing" | awk '{print $2}')
echo "package: $vsix ($(du -h "$vsix" | cut -f1), $files files) reviews and serves from its installed layout"
