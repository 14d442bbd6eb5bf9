#!/usr/bin/env bash
# Installs what the editor end-to-end test needs: Debian's chromium,
# ripgrep and libkrb5-dev, g++, make and python3 (code-server's native modules build here),
# python3-skimage (for its public-domain portrait, which the predict step opens), and code-server
# 4.100.3 under test/e2e/.tools (gitignored). Idempotent: a second run finds everything in place
# and returns at once.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/.tools"
prefix="$tools/code-server-$CODE_SERVER_VERSION"
marker="$prefix/.installed"

phase_started=$SECONDS
phase() { echo "setup: $1 ($((SECONDS - phase_started)) s)"; phase_started=$SECONDS; }

# --- Debian packages -------------------------------------------------------------------------
missing=()
for pkg in chromium ripgrep libkrb5-dev g++ make python3 python3-skimage; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: apt-get install ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    phase "Debian packages installed"
else
    phase "Debian packages present"
fi

# --- code-server -----------------------------------------------------------------------------
if [ -f "$marker" ]; then
    phase "code-server $CODE_SERVER_VERSION present"
    exit 0
fi
rm -rf "$prefix"
mkdir -p "$prefix"
# Its own postinstall is denied (it would run VS Code's nested install with ripgrep's download);
# argon2 builds from source when its prebuilt download fails.
cat > "$prefix/package.json" <<JSON
{
  "name": "persemon-e2e-tools",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": false, "argon2": true }
}
JSON
# node-gyp must not download Node's headers (offline): use the installed ones when present.
if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
(cd "$prefix" && npm install --no-audit --no-fund --loglevel=error)
phase "code-server installed from npm"

cs="$prefix/node_modules/code-server"
# VS Code's own dependencies: ripgrep's postinstall downloads from GitHub, so it is denied and Debian's
# rg takes its place; the native modules build here.
node - "$cs/lib/vscode/package.json" <<'JS'
const fs = require('fs');
const file = process.argv[2];
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.allowScripts = {
    '@vscode/ripgrep': false,
    'node-pty': true,
    '@vscode/spdlog': true,
    'native-watchdog': true,
    '@vscode/deviceid': true,
    kerberos: true,
    '@parcel/watcher': true,
    // Windows-only modules: nothing to build here.
    '@vscode/windows-process-tree': false,
    '@vscode/windows-registry': false
};
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
JS
# node-pty's build calls npx, which must not stop to ask.
# The script reads npm's user agent to pick the package manager and check Node's major version.
(cd "$cs" && npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64" \
    npm_config_unsafe_perm=true npm_config_yes=true sh ./postinstall.sh)
phase "VS Code dependencies built"

for rgdir in "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin"; do
    mkdir -p "$rgdir"
    ln -sf "$(command -v rg)" "$rgdir/rg"
done
touch "$marker"
phase "ripgrep linked"
