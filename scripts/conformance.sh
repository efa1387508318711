#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, a pinned dev
# dependency) against `kmflow mcp --http`: starts the built server on a free loopback
# port, runs every server scenario that applies to a tools-only server, one by one, with
# Node 24 (the suite needs Node >= 22; installed once under .e2e/ by the same script as
# the end-to-end set-up), and fails on any failed check. Results: test-results/conformance/.
#
# Run (each must pass):
#   server-initialize            the initialize / initialized handshake
#   ping                         ping answers {}
#   tools-list                   every tool has a name, a description and an inputSchema
#   server-sse-multiple-streams  concurrent POSTs in one session each get their answer
#   dns-rebinding-protection     a foreign Host/Origin gets a 4xx, a loopback one a 2xx
# Skipped as not applicable (kmflow offers one tool and no other capability):
#   logging-set-level                       no `logging` capability: logs go to stderr
#   completion-complete                     completions complete prompt and resource-template arguments: none here
#   resources-*, prompts-*                  no resources, no prompts
#   tools-call-simple-text, -image, -audio, -embedded-resource, -mixed-content, -with-logging,
#   -error, -with-progress, -sampling, -elicitation, json-schema-2020-12, server-sse-polling,
#   elicitation-sep1034-defaults, elicitation-sep1330-enums
#                                           each calls a fixture tool of the suite's reference
#                                           server (test_simple_text, test_reconnection, ...),
#                                           which kmflow does not have (two of them pass anyway,
#                                           on kmflow's error answer for an unknown tool: not a
#                                           check of anything kmflow does, so not run)
# A scenario the installed suite lists that is in neither list fails the run: classify it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
E2E="${KMFLOW_E2E_DIR:-$ROOT/.e2e}"
mkdir -p "$E2E"
. "$ROOT/scripts/e2e/node24.sh"
NODE24="$NODE24_PKG/bin/node"
SUITE="$ROOT/node_modules/@modelcontextprotocol/conformance/dist/index.js"
OUT="$ROOT/test-results/conformance"

RUN=(server-initialize ping tools-list server-sse-multiple-streams dns-rebinding-protection)
SKIP=(logging-set-level completion-complete
    tools-call-simple-text tools-call-image tools-call-audio tools-call-embedded-resource tools-call-mixed-content
    tools-call-with-logging tools-call-error tools-call-with-progress tools-call-sampling tools-call-elicitation
    json-schema-2020-12 elicitation-sep1034-defaults elicitation-sep1330-enums server-sse-polling
    resources-list resources-read-text resources-read-binary resources-templates-read resources-subscribe resources-unsubscribe
    prompts-list prompts-get-simple prompts-get-with-args prompts-get-embedded-resource prompts-get-with-image)

[ -f "$SUITE" ] || { echo "conformance: $SUITE missing: run npm ci" >&2; exit 1; }
[ -f out/cli.js ] || npm run -s build

# Every scenario the suite has must be classified.
listed=$("$NODE24" "$SUITE" list --server | sed -n 's/^  - \([a-z0-9-]*\).*/\1/p')
unknown=()
for s in $listed; do
    case " ${RUN[*]} ${SKIP[*]} " in *" $s "*) ;; *) unknown+=("$s") ;; esac
done
if [ ${#unknown[@]} -gt 0 ]; then
    echo "conformance: scenarios neither run nor skipped (classify them in scripts/conformance.sh): ${unknown[*]}" >&2
    exit 1
fi

# The server, on a free loopback port, in a fresh root; the URL from its startup line.
WS=$(mktemp -d "${TMPDIR:-/tmp}/kmflow-conformance-XXXXXX")
LOG="$WS.log"
node bin/kmflow mcp --http 127.0.0.1:0 --root "$WS" 2> "$LOG" &
PID=$!
cleanup() {
    kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
    rm -rf "$WS" "$LOG"
}
trap cleanup EXIT
URL=""
for _ in $(seq 1 100); do
    URL=$(sed -n 's/^kmflow mcp: serving streamable HTTP on \(http:[^ ]*\).*/\1/p' "$LOG")
    [ -n "$URL" ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
done
[ -n "$URL" ] || { echo "conformance: kmflow mcp --http did not start:" >&2; cat "$LOG" >&2; exit 1; }
echo "conformance: @modelcontextprotocol/conformance $("$NODE24" "$SUITE" --version) against $URL (node $("$NODE24" -v))"

rm -rf "$OUT" && mkdir -p "$OUT"
passed=0 failed=0
for s in "${RUN[@]}"; do
    if "$NODE24" "$SUITE" server --url "$URL" --scenario "$s" -o "$OUT" > "$OUT/$s.log" 2>&1; then
        passed=$((passed + 1))
        echo "  pass  $s  ($(grep -m1 '^Passed:' "$OUT/$s.log" || echo 'no count'))"
    else
        failed=$((failed + 1))
        echo "  FAIL  $s"
        sed 's/^/        /' "$OUT/$s.log"
    fi
done
skip_reason() {
    case "$1" in
        logging-set-level) echo "no logging capability" ;;
        completion-complete) echo "no prompts or resource templates to complete" ;;
        resources-*) echo "no resources" ;;
        prompts-*) echo "no prompts" ;;
        *) echo "calls a fixture tool of the suite's reference server" ;;
    esac
}
for s in "${SKIP[@]}"; do echo "  skip  $s  ($(skip_reason "$s"))"; done
[ "$failed" -eq 0 ] || { echo "  server log:"; sed 's/^/        /' "$LOG"; }
echo "conformance: ${passed} passed, ${failed} failed, ${#SKIP[@]} skipped"
[ "$failed" -eq 0 ]
