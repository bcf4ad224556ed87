#!/usr/bin/env bash
# Encoder benchmark: Careline (candle) vs sentence-transformers, same model files,
# same sentences, same machine, one run.
#
# Run from the repository root:
#     bash bench/encoder.sh              # everything
#     bash bench/encoder.sh --python-only  # only the sentence-transformers side
#
# Steps:
#   1. bench/.venv: created if missing; bench/requirements.txt (pinned) installed
#      whenever it changed since the last install. Needs ~6 GB of disk (torch from
#      the registry is the CUDA build).
#   2. Rust side:   cargo run --release --example encoder_bench  -> bench/results/careline.json
#   3. Python side: bench/encoder_st.py                          -> bench/results/st.json
#   4. bench/compare.py: markdown table + cosine agreement; fails if min cosine < 0.9999.
#
# Environment: PYTHON (interpreter for the venv, default python3), MIN_COSINE
# (default 0.9999). The two benchmarks run one after the other, never at once;
# keep the machine otherwise idle while this runs.
set -euo pipefail

python_only=0
for arg in "$@"; do
    case "$arg" in
        --python-only) python_only=1 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "encoder.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

if [[ ! -f Cargo.toml || ! -f bench/encoder_st.py ]]; then
    echo "encoder.sh: run this from the repository root (bash bench/encoder.sh)" >&2
    exit 2
fi

VENV=bench/.venv
REQ=bench/requirements.txt
STAMP=$VENV/.requirements.sha256
SENTENCES=bench/data/sentences.txt
RESULTS=bench/results
PYTHON=${PYTHON:-python3}
MIN_COSINE=${MIN_COSINE:-0.9999}

log() { printf '[encoder.sh] %s\n' "$*" >&2; }

# --- 1. virtualenv ---------------------------------------------------------
if [[ ! -x $VENV/bin/python ]]; then
    log "creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
fi
req_sum=$(sha256sum "$REQ" | cut -d' ' -f1)
if [[ ! -f $STAMP || $(cat "$STAMP") != "$req_sum" ]]; then
    log "installing $REQ into $VENV (first time: several minutes, ~6 GB)"
    start=$SECONDS
    "$VENV/bin/python" -m pip install --quiet -r "$REQ"
    echo "$req_sum" > "$STAMP"
    log "pip install took $((SECONDS - start)) s; $VENV is $(du -sh "$VENV" | cut -f1)"
fi

mkdir -p "$RESULTS"

# --- 2. Rust side ------------------------------------------------------------
if (( ! python_only )); then
    # Same model files on both sides: encoder_st.py checks the package's copies
    # against these values; check Careline's copies here.
    model_dir=models/all-MiniLM-L6-v2
    if [[ -d $model_dir ]]; then
        (cd "$model_dir" && sha256sum --quiet -c - >&2) <<'EOF' || { log "error: $model_dir differs from the benchmark's model files"; exit 2; }
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41  config.json
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  tokenizer.json
53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  model.safetensors
EOF
    else
        log "warning: $model_dir not found; the Rust side needs its copies of the model files"
    fi
    log "building and running the Careline encoder benchmark"
    cargo run --release --example encoder_bench -- \
        --sentences "$SENTENCES" \
        --embeddings "$RESULTS/careline_emb.jsonl" \
        > "$RESULTS/careline.json"
    log "careline: $(cat "$RESULTS/careline.json")"
fi

# --- 3. Python side ------------------------------------------------------------
log "running the sentence-transformers benchmark"
"$VENV/bin/python" bench/encoder_st.py \
    --sentences "$SENTENCES" \
    --embeddings "$RESULTS/st_emb.jsonl" \
    > "$RESULTS/st.json"
log "sentence-transformers: $(cat "$RESULTS/st.json")"

if (( python_only )); then
    log "--python-only: skipping the Rust side and the comparison"
    exit 0
fi

# --- 4. comparison ----------------------------------------------------------
"$VENV/bin/python" bench/compare.py \
    --careline "$RESULTS/careline.json" \
    --st "$RESULTS/st.json" \
    --careline-emb "$RESULTS/careline_emb.jsonl" \
    --st-emb "$RESULTS/st_emb.jsonl" \
    --sentences "$SENTENCES" \
    --min-cosine "$MIN_COSINE"
