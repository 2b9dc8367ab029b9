#!/usr/bin/env bash
# Contract test of the HTTP API: schemathesis generates requests from the OpenAPI schema at /api/schema/ and
# fails on any 5xx, any response that does not match its documented schema or Content-Type, and any status
# code the operation does not document (docs/api.md, "Checking the contract").
#
#   bash .ci/schemathesis.sh            # from the repository root, after `make install-test`
#
# It builds a fresh SQLite database in a temporary directory (or migrates the one DATABASE_URL names: give a
# disposable one, the run writes into it), loads the small demo county, serves the app with gunicorn
# (`manage.py serve`) on 127.0.0.1 at the first free port of SCHEMATHESIS_PORTS, signs in as the county
# regulator admin jc_admin, runs every operation of the schema (none excluded) and stops the server.
#
# Knobs (environment): SCHEMATHESIS_MAX_EXAMPLES (25 per operation and phase), SCHEMATHESIS_SEED (fixed, so a
# run is repeatable; `random` explores new inputs), SCHEMATHESIS_WORKERS (2), SCHEMATHESIS_PORTS,
# SCHEMATHESIS_REPORT_DIR (JUnit report, default var/schemathesis). Exit code 0 when every check passed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY="$ROOT/.venv/bin/python"
ST="$ROOT/.venv/bin/st"
PORTS="${SCHEMATHESIS_PORTS:-8121 8122 8123 8124 8125}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
SEED="${SCHEMATHESIS_SEED:-20240301}"
WORKERS="${SCHEMATHESIS_WORKERS:-2}"
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-$ROOT/var/schemathesis}"
USERNAME=jc_admin
PASSWORD='Zhiben@2024'

log() { printf '[schemathesis %s] %s\n' "$(date '+%H:%M:%S')" "$*"; }
fail() { log "FAILED: $*" >&2; exit 1; }

[[ -x "$ST" ]] || fail "schemathesis is not installed: run \`make install-test\` first (it is in the test extra)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhiben-schemathesis.XXXXXX")
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true   # `serve` stops its gunicorn and waits for it
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A fresh embedded database (and secret key, uploads) under the temporary directory, unless DATABASE_URL is set.
export ZHIBEN_VAR_DIR="$WORK/var"
export DJANGO_SETTINGS_MODULE=config.settings
export WEB_CONCURRENCY=2
# The public report endpoints are rate-limited per address (429 is documented); a fuzzer from one address would
# mostly meet the limit, so the served app gets generous limits to reach the logic behind them.
export REPORT_SUBMIT_RATE=100000/h REPORT_TRACK_RATE=100000/h REPORT_TRACK_FAILURE_RATE=100000/h
if [[ -n "${DATABASE_URL:-}" ]]; then
    log "database: DATABASE_URL (${DATABASE_URL%%\?*})"
else
    log "database: fresh SQLite in $ZHIBEN_VAR_DIR"
fi
START=$SECONDS
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_demo --size 300 -v 0 >"$WORK/load_demo.log" 2>&1 \
    || { cat "$WORK/load_demo.log" >&2; fail "manage.py load_demo failed"; }
log "migrated and loaded the demo county in $((SECONDS - START))s"

free_port() {
    "$PY" - "$@" <<'EOF'
import socket, sys
for port in sys.argv[1:]:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", int(port)))
        except OSError:
            continue
        print(port)
        break
EOF
}
PORT=$(free_port $PORTS)
[[ -n "$PORT" ]] || fail "none of the ports $PORTS is free"
BASE="http://127.0.0.1:$PORT"

"$PY" manage.py serve --host 127.0.0.1 --port "$PORT" --workers 2 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$BASE/healthz" \
        2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$WORK/server.log" >&2; fail "the server did not start"; }
    sleep 1
done
log "server up at $BASE (pid $SERVER_PID)"

TOKEN=$("$PY" - "$BASE/api/v1/auth/token/" "$USERNAME" "$PASSWORD" <<'EOF'
import json, sys, urllib.request
url, username, password = sys.argv[1:]
request = urllib.request.Request(url, data=json.dumps({"username": username, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as response:
    print(json.load(response)["token"])
EOF
) || fail "could not obtain a token for $USERNAME"
log "token obtained for $USERNAME (county regulator admin, 141122)"

mkdir -p "$REPORT_DIR"
SEED_ARGS=()
[[ "$SEED" == random ]] || SEED_ARGS=(--seed "$SEED")
log "running schemathesis over every operation of $BASE/api/schema/ (max $MAX_EXAMPLES examples per operation)"
ST_START=$SECONDS
set +e
# Run from the temporary directory so hypothesis keeps nothing in the work tree.
(cd "$WORK" && "$ST" run "$BASE/api/schema/" \
    --header "Authorization: Token $TOKEN" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --max-examples "$MAX_EXAMPLES" "${SEED_ARGS[@]}" --workers "$WORKERS" \
    --generation-database none --request-timeout 30 \
    --report junit --report-junit-path "$REPORT_DIR/junit.xml" \
    --no-color)
RC=$?
set -e
log "schemathesis finished in $((SECONDS - ST_START))s with exit code $RC"
if grep -q -E 'Traceback|Internal Server Error' "$WORK/server.log"; then
    log "server log excerpt (errors):"
    grep -n -E -A 3 'Traceback|Internal Server Error|Error' "$WORK/server.log" | tail -n 60 >&2 || true
fi
[[ $RC -eq 0 ]] || fail "schemathesis found contract violations (see above; JUnit report: $REPORT_DIR/junit.xml)"
log "OK: no 5xx, no schema violation, no undocumented status or Content-Type in $((SECONDS - START))s"
