#!/usr/bin/env bash
# start NAME PORT [extra code-server args...] | stop NAME
# Starts code-server (Node 24) in its own process group with throwaway user data and
# extensions folders under .e2e/run/NAME; `stop` kills that group by its PID.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cmd=$1 name=$2
RUN="$E2E/run/$name"
case "$cmd" in
start)
    port=$3; shift 3
    rm -rf "$RUN"; mkdir -p "$RUN/user-data/User" "$RUN/exts"
    # TRUST=1: Workspace Trust on, folders untrusted (no prompt); otherwise trust is off.
    trust=false; trust_flag=--disable-workspace-trust
    if [ "${TRUST:-0}" = 1 ]; then trust=true; trust_flag=; fi
    cat > "$RUN/user-data/User/settings.json" <<J
{ "telemetry.telemetryLevel": "off", "update.mode": "none", "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false, "workbench.startupEditor": "none", "security.workspace.trust.enabled": $trust,
  "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.emptyWindow": false,
  "workbench.enableExperiments": false, "chat.disableAIFeatures": true, "workbench.tips.enabled": false,
  "window.commandCenter": false, "git.openRepositoryInParentFolders": "never", "git.enabled": false, "workbench.welcomePage.walkthroughs.openOnInstall": false }
J
    if [ -n "${VSIX:-}" ]; then
        HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/.config" XDG_DATA_HOME="$E2E_HOME/.local/share" XDG_CACHE_HOME="$E2E_HOME/.cache" TMPDIR="$E2E/tmp" \
        PATH="$NODE24_BIN:$PATH" "$CODE_SERVER" --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/exts" \
            --install-extension "$VSIX" --force > "$RUN/install.log" 2>&1 || { cat "$RUN/install.log"; exit 1; }
    fi
    HOME="$E2E_HOME" XDG_CONFIG_HOME="$E2E_HOME/.config" XDG_DATA_HOME="$E2E_HOME/.local/share" XDG_CACHE_HOME="$E2E_HOME/.cache" TMPDIR="$E2E/tmp" \
    PATH="$NODE24_BIN:$PATH" setsid "$CODE_SERVER" --bind-addr "127.0.0.1:$port" --auth none \
        --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/exts" \
        --disable-telemetry --disable-update-check $trust_flag --disable-getting-started-override \
        --ignore-last-opened "$@" > "$RUN/code-server.log" 2>&1 < /dev/null &
    echo $! > "$RUN/code-server.pid"
    for _ in $(seq 1 240); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; then
            echo "[e2e] code-server $name up on port $port (pid $(cat "$RUN/code-server.pid"))"; exit 0
        fi
        sleep 0.25
    done
    echo "[e2e] code-server $name did not come up"; cat "$RUN/code-server.log"; exit 1
    ;;
stop)
    if [ -f "$RUN/code-server.pid" ]; then
        pid=$(cat "$RUN/code-server.pid")
        kill -- -"$pid" 2>/dev/null || true
        sleep 1
        kill -0 "$pid" 2>/dev/null && kill -9 -- -"$pid" 2>/dev/null || true
        rm -f "$RUN/code-server.pid"
        echo "[e2e] code-server $name stopped"
    fi
    ;;
esac
