#!/usr/bin/env python3
"""PHI redaction benchmark: Careline against Presidio on the same messages.

Reads the labelled messages (`[[TYPE|text]]` marks), runs Careline's
`redact --json` on their plain text for the spans and plain `redact` on a
large repetition of it for the speed, reads the Presidio side's result
(written by bench/redact_presidio.py), and scores both per character as the
eval README defines it: only letters and digits count; recall is the share
of PHI characters inside a found span, over-redaction the share of the other
characters inside one.

Prints a table, writes every figure to --out, and exits 1 when Careline's
throughput is under --min-speedup times Presidio's, 2 on bad input.

Standard library only: the Presidio venv imports `parse_marked` from here,
and any python3 runs the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

KINDS = {
    "NAME", "DATE", "PHONE", "EMAIL", "SSN", "MRN",
    "ID", "ADDRESS", "ZIP", "URL", "IP", "CARD",
}


class InputError(Exception):
    pass


@dataclass
class Message:
    """A labelled message: its plain text and PHI marks as character ranges."""

    text: str
    marks: list[tuple[int, int, str]]


def parse_marked(line: str) -> Message:
    parts: list[str] = []
    marks = []
    length = 0
    rest = line
    while (open_at := rest.find("[[")) >= 0:
        parts.append(rest[:open_at])
        length += open_at
        inner = rest[open_at + 2:]
        close_at = inner.find("]]")
        if close_at < 0:
            raise InputError("a `[[` mark is not closed")
        kind, bar, value = inner[:close_at].partition("|")
        if not bar:
            raise InputError("a mark has no `|` between its type and its text")
        if kind not in KINDS:
            raise InputError(f"unknown PHI type {kind!r}")

        parts.append(value)
        marks.append((length, length + len(value), kind))
        length += len(value)
        rest = inner[close_at + 2:]
    parts.append(rest)
    return Message("".join(parts), marks)


def load_messages(path: Path) -> list[Message]:
    messages = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                messages.append(parse_marked(line))
            except InputError as e:
                raise InputError(f"{path}:{lineno}: {e}") from e
    if not messages:
        raise InputError(f"{path} holds no messages")
    return messages


@dataclass
class Score:
    phi: int = 0
    phi_removed: int = 0
    other: int = 0
    other_removed: int = 0
    # kind -> [PHI characters, of which removed]
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    clean_messages: int = 0
    clean_messages_touched: int = 0

    def add(self, message: Message, spans: list[tuple[int, int]]) -> None:
        removed = [False] * len(message.text)
        for start, end in spans:
            for i in range(max(start, 0), min(end, len(removed))):
                removed[i] = True
        kind_at: dict[int, str] = {}
        for start, end, kind in message.marks:
            kind_at.update((i, kind) for i in range(start, end))

        for i, c in enumerate(message.text):
            if not c.isalnum():
                continue
            kind = kind_at.get(i)
            if kind is None:
                self.other += 1
                self.other_removed += removed[i]
            else:
                self.phi += 1
                self.phi_removed += removed[i]
                counts = self.by_kind.setdefault(kind, [0, 0])
                counts[0] += 1
                counts[1] += removed[i]

        # The labelled sets promise that a message without marks comes out
        # unchanged; count the ones a tool altered anyway.
        if not message.marks:
            self.clean_messages += 1
            self.clean_messages_touched += bool(spans)

    def figures(self) -> dict:
        return {
            "recall": ratio(self.phi_removed, self.phi),
            "over_redaction": ratio(self.other_removed, self.other),
            "phi_chars": self.phi,
            "phi_chars_removed": self.phi_removed,
            "other_chars": self.other,
            "other_chars_removed": self.other_removed,
            "recall_by_kind": {
                kind: ratio(removed, total)
                for kind, (total, removed) in sorted(self.by_kind.items())
            },
            "clean_messages": self.clean_messages,
            "clean_messages_touched": self.clean_messages_touched,
        }


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def byte_to_char(text: str, offset: int) -> int:
    # Careline reports UTF-8 byte offsets; the marks are Python string indices.
    return len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))


def careline_spans(binary: Path, messages: list[Message]) -> list[list[tuple[int, int]]]:
    stdin = "".join(m.text + "\n" for m in messages)
    run = subprocess.run(
        [str(binary), "redact", "--json"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if run.returncode != 0:
        raise InputError(f"careline redact --json exited {run.returncode}: "
                         f"{run.stderr.decode(errors='replace').strip()}")
    lines = run.stdout.decode("utf-8").splitlines()
    if len(lines) != len(messages):
        raise InputError(f"careline wrote {len(lines)} lines for {len(messages)} messages")

    spans = []
    for message, line in zip(messages, lines):
        found = json.loads(line)["spans"]
        spans.append([
            (byte_to_char(message.text, s["start"]), byte_to_char(message.text, s["end"]))
            for s in found
        ])
    return spans


def careline_speed(binary: Path, messages: list[Message], big: Path,
                   target_mb: float, runs: int) -> dict:
    # The plain text repeated until process start-up is noise; a whole number
    # of repeats keeps the mix of messages that of the labelled set.
    block = "".join(m.text + "\n" for m in messages).encode("utf-8")
    repeats = max(1, round(target_mb * 1e6 / len(block)))
    # Written block by block: a forked child's peak RSS starts from this
    # process's, so holding the whole input here would inflate Careline's.
    with big.open("wb") as f:
        for _ in range(repeats):
            f.write(block)
    count = len(messages) * repeats
    # Line ends are not message text; Presidio's side counts text bytes too.
    text_bytes = (len(block) - len(messages)) * repeats

    seconds, peak_kib = [], 0
    for _ in range(runs):
        with big.open("rb") as stdin, open(os.devnull, "wb") as stdout:
            started = time.perf_counter()
            child = subprocess.Popen([str(binary), "redact"], stdin=stdin, stdout=stdout)
            # wait4 gives this child's own resource use, not every child's.
            _, status, usage = os.wait4(child.pid, 0)
            seconds.append(time.perf_counter() - started)
        # Recorded so Popen does not wait again for a child already reaped.
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise InputError(f"careline redact exited {child.returncode} on {big}")
        # ru_maxrss is in KiB on Linux.
        peak_kib = max(peak_kib, usage.ru_maxrss)

    median = statistics.median(seconds)
    return {
        "messages": count,
        "text_bytes": text_bytes,
        "runs_seconds": seconds,
        "seconds": median,
        "messages_per_s": count / median,
        "mb_per_s": text_bytes / 1e6 / median,
        "peak_rss_mib": peak_kib / 1024,
    }


def figure(x: float) -> str:
    # Three significant digits, but no exponent for large figures.
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def print_table(rows: dict[str, dict]) -> None:
    print("| tool | messages/s | MB/s | recall | over-redaction "
          "| clean messages touched | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for tool, r in rows.items():
        print(f"| {tool} | {figure(r['messages_per_s'])} | {figure(r['mb_per_s'])} "
              f"| {r['recall']:.1%} | {r['over_redaction']:.1%} "
              f"| {r['clean_messages_touched']} of {r['clean_messages']} "
              f"| {r['peak_rss_mib']:,.0f} |")

    kinds = sorted({k for r in rows.values() for k in r["recall_by_kind"]})
    print()
    print("| recall by type | " + " | ".join(rows) + " |")
    print("|---|" + "---:|" * len(rows))
    for kind in kinds:
        cells = [f"{r['recall_by_kind'].get(kind, 0.0):.1%}" for r in rows.values()]
        print(f"| {kind} | " + " | ".join(cells) + " |")


def score_spans(messages: list[Message], spans: list[list[tuple[int, int]]]) -> dict:
    score = Score()
    for message, found in zip(messages, spans):
        score.add(message, found)
    return score.figures()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled messages")
    parser.add_argument("--presidio", type=Path, required=True,
                        help="the output of bench/redact_presidio.py")
    parser.add_argument("--careline", type=Path,
                        help="the careline binary; without it Presidio is scored alone")
    parser.add_argument("--big", type=Path, default=Path("bench/results/redact_big.txt"),
                        help="where to write the large input for Careline's timing")
    parser.add_argument("--big-mb", type=float, default=64.0)
    parser.add_argument("--runs", type=int, default=3,
                        help="timed Careline runs; the median counts")
    parser.add_argument("--min-speedup", type=float, default=1000.0)
    parser.add_argument("--out", type=Path, required=True)
    return parser.parse_args()


def main() -> int:
    args = parse_args()

    try:
        messages = load_messages(args.data)
        presidio = json.loads(args.presidio.read_text(encoding="utf-8"))
        presidio_spans = [[(s["start"], s["end"]) for s in found] for found in presidio["spans"]]
        if len(presidio_spans) != len(messages):
            raise InputError(f"{args.presidio} has spans for {len(presidio_spans)} "
                             f"messages, {args.data} has {len(messages)}")

        rows = {}
        if args.careline:
            spans = careline_spans(args.careline, messages)
            speed = careline_speed(args.careline, messages, args.big, args.big_mb, args.runs)
            rows["Careline"] = {**speed, **score_spans(messages, spans)}
        rows["Presidio"] = {**presidio["speed"], **score_spans(messages, presidio_spans)}
    except (InputError, OSError, KeyError, json.JSONDecodeError) as e:
        print(f"redact_score.py: {e}", file=sys.stderr)
        return 2

    print_table(rows)
    result = {
        "data": str(args.data),
        "messages": len(messages),
        "presidio_setup": presidio["setup"],
        "tools": rows,
    }
    verdict = 0
    if args.careline:
        # Same messages on both sides, so the MB/s and messages/s ratios agree.
        speedup = rows["Careline"]["mb_per_s"] / rows["Presidio"]["mb_per_s"]
        met = speedup >= args.min_speedup
        result.update(speedup=speedup, min_speedup=args.min_speedup)
        print(f"\nCareline / Presidio throughput: {speedup:,.0f}x "
              f"(floor {args.min_speedup:,.0f}x: {'met' if met else 'NOT met'})")
        verdict = 0 if met else 1

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return verdict


if __name__ == "__main__":
    sys.exit(main())
