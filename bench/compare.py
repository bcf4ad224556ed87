#!/usr/bin/env python3
"""Compare the Careline (candle) and sentence-transformers encoder benchmark results.

Reads the two result objects (bench/results/careline.json, bench/results/st.json)
and the two embedding files (one JSON array of floats per line, one line per
sentence, same order), prints a markdown table side by side and the minimum and
mean per-sentence cosine similarity between the implementations.

Exit status: 0 when every sentence's cosine similarity is >= --min-cosine
(default 0.9999), 1 when one is below it, 2 when an input is missing or malformed.

Standard library only, so any python3 can run it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


class InputError(Exception):
    pass


def load_result(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}") from e
    # Take the last non-empty line that parses as a JSON object: tolerates stray
    # lines printed before the result.
    for line in reversed([ln for ln in text.splitlines() if ln.strip()]):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path} holds no JSON object: {e}") from e
    if not isinstance(obj, dict):
        raise InputError(f"{path} holds no JSON object")
    return obj


def load_embeddings(path: Path) -> list[list[float]]:
    rows = []
    try:
        with path.open(encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{path}:{lineno}: not JSON: {e}") from e
                if not isinstance(row, list) or not row or not all(
                    isinstance(x, (int, float)) for x in row
                ):
                    raise InputError(f"{path}:{lineno}: expected a JSON array of numbers")
                rows.append([float(x) for x in row])
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}") from e
    if not rows:
        raise InputError(f"{path} has no embeddings")
    return rows


def cosine(a: list[float], b: list[float]) -> float:
    dot = math.fsum(x * y for x, y in zip(a, b))
    na = math.sqrt(math.fsum(x * x for x in a))
    nb = math.sqrt(math.fsum(y * y for y in b))
    if na == 0.0 or nb == 0.0:
        return 0.0 if na != nb else 1.0
    return dot / (na * nb)


def fmt(value, digits: int) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "n/a" if value is None else str(value)
    return f"{value:.{digits}f}"


def ratio(num, den) -> str:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (num, den)):
        return ""
    return "" if den == 0 else f"{num / den:.2f}x"


def table(care: dict, st: dict) -> str:
    c_ver = str(care.get("version", "?"))
    s_ver = str(st.get("version", "?"))
    if st.get("torch"):
        s_ver += f" (torch {st['torch']})"
    rows = [
        ("metric", str(care.get("impl", "careline")), str(st.get("impl", "sentence-transformers")),
         "careline / st"),
        ("version", c_ver, s_ver, ""),
        ("threads", fmt(care.get("threads"), 0), fmt(st.get("threads"), 0), ""),
    ]
    for label, key, digits in (
        ("batch 1, ms/sentence (mean)", "batch1_ms_mean", 2),
        ("batch 1, ms/sentence (p50)", "batch1_ms_p50", 2),
        ("batch 32, sentences/s", "batch32_sentences_per_s", 1),
    ):
        rows.append((label, fmt(care.get(key), digits), fmt(st.get(key), digits),
                     ratio(care.get(key), st.get(key))))
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    lines.insert(1, "|---|---:|---:|---:|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--careline", type=Path, default=RESULTS / "careline.json")
    p.add_argument("--st", type=Path, default=RESULTS / "st.json")
    p.add_argument("--careline-emb", type=Path, default=RESULTS / "careline_emb.jsonl")
    p.add_argument("--st-emb", type=Path, default=RESULTS / "st_emb.jsonl")
    p.add_argument("--sentences", type=Path, default=None,
                   help="optional: the sentences file, to name the worst sentence")
    p.add_argument("--min-cosine", type=float, default=0.9999)
    args = p.parse_args(argv)

    try:
        care = load_result(args.careline)
        st = load_result(args.st)
        care_emb = load_embeddings(args.careline_emb)
        st_emb = load_embeddings(args.st_emb)
        if len(care_emb) != len(st_emb):
            raise InputError(
                f"{args.careline_emb} has {len(care_emb)} embeddings, {args.st_emb} has {len(st_emb)}"
            )
        for i, (a, b) in enumerate(zip(care_emb, st_emb)):
            if len(a) != len(b):
                raise InputError(f"sentence {i + 1}: dimension {len(a)} (careline) vs {len(b)} (st)")
    except InputError as e:
        print(f"compare.py: error: {e}", file=sys.stderr)
        return 2

    sims = [cosine(a, b) for a, b in zip(care_emb, st_emb)]
    worst = min(range(len(sims)), key=sims.__getitem__)
    mean = math.fsum(sims) / len(sims)

    print("## Encoder benchmark: Careline (candle) vs sentence-transformers\n")
    print(table(care, st))
    print()
    print("Lower is better for ms/sentence, higher for sentences/s.")
    st_stat = st.get("batch32_stat")
    care_stat = care.get("batch32_stat")
    if st_stat or care_stat:
        print(f"Batch-32 statistic: careline {care_stat or 'n/a'}, sentence-transformers {st_stat or 'n/a'}.")
    print()
    print(f"Embedding agreement over {len(sims)} sentences "
          f"({len(care_emb[0])} dims): cosine min {sims[worst]:.8f} "
          f"(sentence {worst + 1}; 1 - min = {1 - sims[worst]:.2e}), mean {mean:.8f}")
    if args.sentences is not None:
        try:
            lines = [ln for ln in args.sentences.read_text(encoding="utf-8").splitlines() if ln.strip()]
            if worst < len(lines):
                print(f"Least similar sentence: {lines[worst]!r}")
        except OSError:
            pass
    if sims[worst] < args.min_cosine:
        below = sum(1 for s in sims if s < args.min_cosine)
        print(f"FAIL: {below} sentence(s) below the cosine threshold {args.min_cosine}")
        return 1
    print(f"OK: every sentence at or above the cosine threshold {args.min_cosine}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
