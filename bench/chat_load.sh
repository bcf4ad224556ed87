#!/usr/bin/env bash
# Chat service under load: `careline serve` on a free loopback port with a
# fresh data directory, driven by wrk (a second process) with POST /api/chat,
# each request a patient message from bench/data/chat_messages.txt starting a
# new conversation.
#
# Run from the repository root:
#     bash bench/chat_load.sh            # or: make bench-chat
#
# Steps:
#   1. target/release/careline is used as it is; it is built only when missing.
#      wrk is installed from Debian (apt-get install -y wrk) when missing.
#   2. The server starts with CARELINE_DATA_DIR in a new temporary directory
#      and CARELINE_LISTEN on a free port; the script waits for /readyz (200).
#   3. Warm-up: WARMUP (default 5s) at 4 connections, a few hundred requests.
#   4. One wrk run per connection count, DURATION each, one wrk thread.
#   5. SIGTERM; the server must exit 0.
#   6. A Markdown table on stdout; raw wrk output, the server log and a JSON
#      line per run under bench/results/chat-<time>/ (git-ignored).
#
# Environment: CONNECTIONS (default "1 4 16 32"), DURATION (default 20s),
# CARELINE_TRIAGE_BATCH (passed to the server; 1 turns encoder batching off),
# WARMUP (default 5s), MESSAGES (default bench/data/chat_messages.txt),
# RUST_LOG (default info, as in production: one log line per request).
# Exits 1 if any response is not 2xx, a socket error occurs, or the server
# does not stop cleanly. Keep the machine otherwise idle while this runs.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-"1 4 16 32"}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
MESSAGES=${MESSAGES:-bench/data/chat_messages.txt}
BINARY=target/release/careline
LUA=bench/chat_load.lua
RESULTS=bench/results/chat-$(date -u +%Y%m%dT%H%M%SZ)

log() { printf '[chat_load.sh] %s\n' "$*" >&2; }
fail() { log "error: $*"; exit 1; }

if [[ ! -f Cargo.toml || ! -f $LUA ]]; then
    echo "chat_load.sh: run this from the repository root (bash bench/chat_load.sh)" >&2
    exit 2
fi
[[ -s $MESSAGES ]] || fail "$MESSAGES is missing or empty"

# --- 1. binary and load generator -----------------------------------------
if [[ ! -x $BINARY ]]; then
    log "$BINARY not found: cargo build --release (about 20 minutes on two cores)"
    cargo build --release
fi
if ! command -v wrk >/dev/null; then
    log "installing wrk from Debian"
    sudo_cmd=()
    (( EUID != 0 )) && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y wrk >&2 \
        || { "${sudo_cmd[@]}" apt-get update >&2 && "${sudo_cmd[@]}" apt-get install -y wrk >&2; }
fi
command -v curl >/dev/null || fail "curl is needed to poll /readyz"

mkdir -p "$RESULTS"
clock_ticks=$(getconf CLK_TCK)

# --- 2. server ---------------------------------------------------------------
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

data_dir=$(mktemp -d "${TMPDIR:-/tmp}/careline-chat-load.XXXXXX")
port=$(free_port)
url="http://127.0.0.1:$port"
server_pid=""

cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$data_dir"
}
trap cleanup EXIT

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
    echo "binary: $BINARY built $(date -u -r "$BINARY" +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
    echo "wrk: $(wrk --version 2>&1 | head -1)"
    echo "messages: $MESSAGES ($(grep -c . "$MESSAGES") lines)"
    echo "triage_batch: ${CARELINE_TRIAGE_BATCH:-32 (default)}"
    echo "load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/env.txt"

log "starting careline serve on $url (data dir $data_dir)"
CARELINE_DATA_DIR=$data_dir CARELINE_LISTEN=127.0.0.1:$port RUST_LOG=${RUST_LOG:-info} \
    "$BINARY" serve 2> "$RESULTS/server.log" &
server_pid=$!

started=$SECONDS
until [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true) == 200 ]]; do
    kill -0 "$server_pid" 2>/dev/null || fail "the server stopped during start-up; see $RESULTS/server.log"
    (( SECONDS - started < 900 )) || fail "not ready after 900 s; see $RESULTS/server.log"
    sleep 0.5
done
log "ready after $((SECONDS - started)) s"

# utime + stime of a process, in milliseconds.
cpu_ms() {
    local fields
    [[ -r /proc/$1/stat ]] || fail "the server is no longer running (something else stopped it?); see $RESULTS/server.log"
    read -ra fields < <(sed 's/^.*) //' "/proc/$1/stat")
    # After the command name: field 12 is utime, 13 stime (1-based, from state).
    echo $(( (fields[11] + fields[12]) * 1000 / clock_ticks ))
}

# --- 3. warm-up ---------------------------------------------------------------
log "warm-up: $WARMUP at 4 connections"
wrk -t1 -c4 -d"$WARMUP" --timeout 10s -s "$LUA" "$url/api/chat" -- "$MESSAGES" \
    > "$RESULTS/wrk-warmup.txt"
warmup=$(sed -n 's/^CHAT_LOAD_RESULT //p' "$RESULTS/wrk-warmup.txt")
[[ $warmup == *'"non_2xx":0,'* ]] || fail "warm-up got non-2xx responses; see $RESULTS/wrk-warmup.txt"
log "warm-up: $(grep -o '"requests":[0-9]*' <<< "$warmup" | cut -d: -f2) requests"

# --- 4. measured runs -------------------------------------------------------
: > "$RESULTS/results.jsonl"
for connections in $CONNECTIONS; do
    log "$connections connection(s) for $DURATION (load $(cut -d' ' -f1 /proc/loadavg))"
    before_ms=$(cpu_ms "$server_pid")
    wrk -t1 -c"$connections" -d"$DURATION" --timeout 10s --latency -s "$LUA" \
        "$url/api/chat" -- "$MESSAGES" > "$RESULTS/wrk-c$connections.txt"
    after_ms=$(cpu_ms "$server_pid")

    result=$(sed -n 's/^CHAT_LOAD_RESULT //p' "$RESULTS/wrk-c$connections.txt")
    [[ -n $result ]] || fail "no result line in $RESULTS/wrk-c$connections.txt"
    rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status")
    printf '{"connections":%d,"server_cpu_ms":%d,"server_rss_kb":%d,"load_after":"%s","wrk":%s}\n' \
        "$connections" "$((after_ms - before_ms))" "$rss_kb" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$result" >> "$RESULTS/results.jsonl"
done

# --- 5. stop ------------------------------------------------------------------
log "stopping the server (SIGTERM)"
kill -TERM "$server_pid"
set +e
wait "$server_pid"
exit_code=$?
set -e
server_pid=""
echo "server exit code: $exit_code" >> "$RESULTS/env.txt"
echo "database: $(du -sh "$data_dir" | cut -f1) in the data dir after the run" >> "$RESULTS/env.txt"

# --- 6. report ----------------------------------------------------------------
python3 - "$RESULTS" <<'EOF'
import json, pathlib, sys

results = pathlib.Path(sys.argv[1])
runs = [json.loads(line) for line in (results / "results.jsonl").read_text().splitlines()]
lines = [
    "| connections | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | socket errors | server CPU ms/req |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]
for run in runs:
    w = run["wrk"]
    errors = sum(w["socket_errors"].values())
    cpu_per_request = run["server_cpu_ms"] / max(w["requests"], 1)
    lines.append(
        f"| {run['connections']} | {w['requests']} | {w['requests_per_s']:.1f} | {w['p50_ms']:.1f} "
        f"| {w['p95_ms']:.1f} | {w['p99_ms']:.1f} | {w['max_ms']:.1f} | {w['non_2xx']} | {errors} "
        f"| {cpu_per_request:.1f} |"
    )
kinds = {}
for run in runs:
    for kind, count in run["wrk"]["kinds"].items():
        kinds[kind] = kinds.get(kind, 0) + count
total = sum(kinds.values()) or 1
mix = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
lines += ["", f"Reply kinds over all runs: {mix}."]
table = "\n".join(lines)
(results / "summary.md").write_text(table + "\n")
print(table)
EOF
cat "$RESULTS/env.txt"
log "raw output in $RESULTS"

bad=$(python3 -c '
import json, sys
bad = 0
for line in open(sys.argv[1]):
    w = json.loads(line)["wrk"]
    bad += w["non_2xx"] + sum(w["socket_errors"].values())
print(bad)' "$RESULTS/results.jsonl")
(( bad == 0 )) || fail "$bad failed requests (non-2xx or socket errors)"
(( exit_code == 0 )) || fail "the server exited with $exit_code after SIGTERM"
