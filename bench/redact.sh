#!/usr/bin/env bash
# PHI redaction benchmark: Careline's redactor vs Microsoft Presidio, same
# messages, same machine, one run. Throughput, per-character recall and
# over-redaction, peak memory.
#
# Run from the repository root, after `cargo build --release`:
#     bash bench/redact.sh                  # both sides and the comparison
#     bash bench/redact.sh --presidio-only  # Presidio scored alone
#
# Steps:
#   1. bench/.venv-presidio: created if missing; bench/requirements-presidio.txt
#      (pinned) installed whenever it changed since the last install (~500 MB).
#   2. Presidio: bench/redact_presidio.py analyses every holdout message, one call
#      each, after a short warm-up                      -> bench/results/presidio.json
#   3. Careline and the scores: bench/redact_score.py runs `careline redact --json`
#      on the holdout for spans, times plain `careline redact` on the holdout
#      repeated to BIG_MB, scores both sides, prints the tables
#                                                       -> bench/results/redact.json
#
# Exit status 1 when Careline's throughput is under MIN_SPEEDUP times Presidio's.
# Environment: PYTHON (interpreter for the venv, default python3), CARELINE
# (default target/release/careline), DATA (default tests/data/phi_unseen.txt,
# the set written after Careline's rules were tuned and never tuned on), BIG_MB (default 64), RUNS (timed Careline
# runs, median kept, default 3), MIN_SPEEDUP (default 1000). The two sides run
# one after the other; keep the machine otherwise idle.
set -euo pipefail

presidio_only=0
for arg in "$@"; do
    case "$arg" in
        --presidio-only) presidio_only=1 ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) echo "redact.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

if [[ ! -f Cargo.toml || ! -f bench/redact_presidio.py ]]; then
    echo "redact.sh: run this from the repository root (bash bench/redact.sh)" >&2
    exit 2
fi

VENV=bench/.venv-presidio
REQ=bench/requirements-presidio.txt
STAMP=$VENV/.requirements.sha256
RESULTS=bench/results
PYTHON=${PYTHON:-python3}
CARELINE=${CARELINE:-target/release/careline}
DATA=${DATA:-tests/data/phi_unseen.txt}
BIG_MB=${BIG_MB:-64}
RUNS=${RUNS:-3}
MIN_SPEEDUP=${MIN_SPEEDUP:-1000}

# redact_presidio.py imports redact_score.py; leave no __pycache__ in bench/.
export PYTHONDONTWRITEBYTECODE=1

log() { printf '[redact.sh] %s\n' "$*" >&2; }

# Fail before the slow steps, not after them.
if (( ! presidio_only )) && ! "$CARELINE" redact --help > /dev/null 2>&1; then
    log "error: $CARELINE has no working 'redact' command; run cargo build --release first"
    exit 2
fi

# --- 1. virtualenv -----------------------------------------------------------
if [[ ! -x $VENV/bin/python ]]; then
    log "creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi
req_sum=$(sha256sum "$REQ" | cut -d' ' -f1)
if [[ ! -f $STAMP || $(cat "$STAMP") != "$req_sum" ]]; then
    log "installing $REQ into $VENV"
    start=$SECONDS
    "$VENV/bin/python" -m pip install --quiet -r "$REQ"
    echo "$req_sum" > "$STAMP"
    log "pip install took $((SECONDS - start)) s; $VENV is $(du -sh "$VENV" | cut -f1)"
fi

mkdir -p "$RESULTS"

# --- 2. Presidio ---------------------------------------------------------------
log "running Presidio on $DATA"
"$VENV/bin/python" bench/redact_presidio.py --data "$DATA" > "$RESULTS/presidio.json"

# --- 3. Careline, then both scored -------------------------------------------
careline_args=()
if (( ! presidio_only )); then
    log "running Careline ($CARELINE) on $DATA and on it repeated to $BIG_MB MB"
    careline_args=(--careline "$CARELINE" --big "$RESULTS/redact_big.txt"
                   --big-mb "$BIG_MB" --runs "$RUNS")
fi
"$PYTHON" bench/redact_score.py \
    --data "$DATA" \
    --presidio "$RESULTS/presidio.json" \
    "${careline_args[@]}" \
    --min-speedup "$MIN_SPEEDUP" \
    --out "$RESULTS/redact.json"
