#!/usr/bin/env bash
# Sets up what the end-to-end tests need, idempotently, cached under .e2e/:
# Debian chromium (+ libkrb5-dev, pkg-config for code-server's native modules),
# Node 24 from npm (code-server 4.139 refuses Node 20), code-server 4.139.1 and
# playwright-core (never a browser download). Prints how long each part took.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
E2E="${KMFLOW_E2E_DIR:-$ROOT/.e2e}"
CODE_SERVER_VERSION=4.139.1
mkdir -p "$E2E"
t0=$(date +%s)
step() { echo "[setup] $1 ($(( $(date +%s) - t0 ))s)"; }

# 1. System packages, only if missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
step "system packages ready"

# 2. Node 24 from npm, in its own folder (shared with scripts/conformance.sh).
. "$ROOT/scripts/e2e/node24.sh"
step "node $("$NODE24_PKG/bin/node" -v) ready"

# 3. code-server, built with Node 24 first on PATH.
CS="$E2E/cs/node_modules/.bin/code-server"
if [ ! -x "$CS" ] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$E2E/cs/node_modules/code-server/package.json" 2>/dev/null; then
    step "installing code-server@$CODE_SERVER_VERSION (builds native modules; a few minutes)"
    mkdir -p "$E2E/cs" "$E2E/home"
    (cd "$E2E/cs" && [ -f package.json ] || echo '{"private":true}' > package.json)
    (
        cd "$E2E/cs"
        # Under `npm run test:e2e` the outer npm (Node 20) exports npm_* settings, among them
        # npm_config_user_agent, which code-server's postinstall reads to check the Node
        # version: drop them all so the inner npm describes Node 24.
        for v in $(env | grep -o '^npm_[A-Za-z0-9_]*' || true); do unset "$v"; done
        export PATH="$NODE24_PKG/bin:$PATH" npm_config_nodedir="$NODE24_PKG"
        export HOME="$E2E/home"
        npm install --no-audit --no-fund --save-exact --foreground-scripts "code-server@$CODE_SERVER_VERSION" > "$E2E/cs-install.log" 2>&1 \
            || { tail -40 "$E2E/cs-install.log"; exit 1; }
    )
fi
step "code-server ready"

# 4. playwright-core comes with the project's dev dependencies; never a browser download.
if [ ! -d "$ROOT/node_modules/playwright-core" ]; then
    step "installing the project's dev dependencies"
    (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
fi
step "done"
