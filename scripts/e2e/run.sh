#!/usr/bin/env bash
# `npm run test:e2e`: set up (cached), package the extension, then run
#   (a) the extension tests inside code-server's Node extension host, and
#   (b) the UI test against the installed .vsix in headless Chromium.
# Screenshots go to test-results/. Prints how long each part took.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$E2E_ROOT"
t0=$(date +%s)
lap() { echo "[e2e] $1 after $(( $(date +%s) - t0 )) s"; }
rc=0

bash scripts/e2e/setup.sh || exit 1
lap "set-up done"
npm run -s package > "$E2E/package.log" 2>&1 || { tail -30 "$E2E/package.log"; exit 1; }
node scripts/e2e/build-tests.mjs || exit 1
lap "extension packaged, tests built"
mkdir -p test-results && rm -f test-results/e2e-failure.png

fresh_workspace() {
    rm -rf "$E2E/ws-$1"; mkdir -p "$E2E/ws-$1"
    cp test/e2e/workspace/*.kmflow "$E2E/ws-$1/"
    echo "$E2E/ws-$1"
}

# (a) extension tests in the extension host
PORT_A=${KMFLOW_E2E_PORT_A:-8765}
WS_A=$(fresh_workspace ext)
bash scripts/e2e/code-server.sh start ext "$PORT_A" --vscode-option enable-smoke-test-driver || exit 1
E2E="$E2E" node scripts/e2e/run-ext-tests.mjs "http://127.0.0.1:$PORT_A" "$WS_A" "$E2E_ROOT" "$E2E/tests/index.cjs" || rc=1
bash scripts/e2e/code-server.sh stop ext
lap "extension tests done (rc=$rc)"

# (a') Restricted Mode: Workspace Trust on, the folder untrusted
PORT_R=${KMFLOW_E2E_PORT_R:-8767}
WS_R=$(fresh_workspace untrusted)
TRUST=1 bash scripts/e2e/code-server.sh start untrusted "$PORT_R" --vscode-option enable-smoke-test-driver || exit 1
E2E="$E2E" node scripts/e2e/run-ext-tests.mjs "http://127.0.0.1:$PORT_R" "$WS_R" "$E2E_ROOT" "$E2E/tests/untrusted-index.cjs" || rc=1
bash scripts/e2e/code-server.sh stop untrusted
lap "Restricted Mode tests done (rc=$rc)"

# (b) UI test against the installed .vsix
PORT_B=${KMFLOW_E2E_PORT_B:-8766}
WS_B=$(fresh_workspace ui)
VSIX="$E2E_ROOT/kmflow.vsix" bash scripts/e2e/code-server.sh start ui "$PORT_B" || exit 1
E2E="$E2E" npx tsx test/e2e/ui/vsix-ui.ts "http://127.0.0.1:$PORT_B" "$WS_B" "$E2E_ROOT/test-results" || rc=1
bash scripts/e2e/code-server.sh stop ui
lap "UI test done (rc=$rc)"

exit $rc
