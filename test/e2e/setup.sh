#!/usr/bin/env bash
# Idempotent installer for the offline extension-host tests (see /work/shared/vscode-host/README.md):
# Debian chromium + ripgrep + code-server's native build deps, Debian's postgresql for the team service's
# tests (they start a throw-away cluster of their own: test/helpers/postgres.ts), Debian's neovim (0.7.2 on bookworm) for
# the integration tier's Neovim test, a seeded @vscode/ripgrep cache, and
# code-server@4.100.3 in the git-ignored .vscode-test/code-server/. Needs root for apt; Node 20.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CS_DIR="$ROOT/.vscode-test/code-server"
DEBS=(libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config ripgrep chromium neovim postgresql)
t0=$SECONDS
step() { echo "[setup] $1 ($((SECONDS - t0)) s)"; }

# 1. Debian packages. Skipped when the binaries exist and the -dev packages are installed, so a
#    developer without root can re-run this once CI or an admin has installed them.
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/rg ] && [ ${#missing[@]} -eq 0 ]; then
  step "apt: all packages present, skipped"
else
  # A fresh container has no package lists; refresh them only then (apt-get update is slow).
  # (Captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail.)
  policy="$(apt-cache policy chromium 2>/dev/null || true)"
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    step "apt-get update"
    apt-get update >/dev/null
  fi
  step "apt-get install ${missing[*]:-${DEBS[*]}}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${DEBS[@]}" >/dev/null
  step "apt done"
fi

# 2. @vscode/ripgrep@1.15.11's postinstall downloads rg from GitHub unless this cache holds the
#    tarball; Debian's rg is the same upstream 13.0.0. Cheap, so always (re)seeded.
RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg

# 3. code-server, pinned exactly: later 4.x need Node 22+. Its own package.json keeps it out of
#    ours. The variables are inherited by the nested `npm install`s its postinstall runs in
#    lib/vscode and lib/vscode/extensions:
#    - npm_config_yes: node-pty's postinstall `npx node-gyp` runs without a prompt;
#    - npm_config_unsafe_perm: its postinstall refuses to run as root without it (npm 11 no
#      longer knows the flag, so it is passed as the variable the script reads);
#    - npm_config_dangerously_allow_all_scripts: npm 11 skips dependency install scripts unless
#      allow-listed, and code-server's whole install IS install scripts (its postinstall, then
#      the native modules of VS Code: node-pty, spdlog, watcher, kerberos...). Scoped to this
#      one command and this pinned version, in a folder of its own.
# Done means the bin AND VS Code's native modules (a failed postinstall leaves only the bin).
PTY="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node"
if [ -x "$CS_DIR/node_modules/.bin/code-server" ] && [ -f "$PTY" ]; then
  step "code-server already installed in $CS_DIR, skipped"
else
  step "npm install code-server@4.100.3 into $CS_DIR"
  mkdir -p "$CS_DIR"
  [ -f "$CS_DIR/package.json" ] || (cd "$CS_DIR" && npm init -y >/dev/null)
  (cd "$CS_DIR" && npm_config_yes=true npm_config_unsafe_perm=true npm_config_dangerously_allow_all_scripts=true \
    npm install code-server@4.100.3 --save-exact --no-audit --no-fund)
  [ -f "$PTY" ] || { echo "[setup] code-server's postinstall did not build VS Code's native modules" >&2; exit 1; }
fi
step "setup done"
