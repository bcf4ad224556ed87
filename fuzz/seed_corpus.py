"""Writes seed corpora for the redaction fuzz targets from the labelled
messages in tests/data/phi.txt, so that fuzzing starts from real phrasing
(labels, dates, phone numbers, addresses) instead of random bytes.

    python3 fuzz/seed_corpus.py

Seeds go to fuzz/corpus/<target>/, which git ignores.
"""

import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
LABELLED = FUZZ.parent / "tests" / "data" / "phi.txt"
MARK = re.compile(r"\[\[([A-Z]+)\|(.*?)\]\]")

# Which identity field a mark's kind seeds, in the fuzz target's field order.
FIELDS = ["name", "date_of_birth", "mrn", "phone", "email", "address"]
FIELD_OF_KIND = {
    "NAME": "name",
    "DATE": "date_of_birth",
    "MRN": "mrn",
    "ID": "mrn",
    "PHONE": "phone",
    "EMAIL": "email",
    "ADDRESS": "address",
}
FIELD_END = b"\xff"


def identity_seed(marks, message):
    """The redact_identity input: a presence byte, the six fields, then the
    message, cut by 0xFF (see fuzz_targets/redact_identity.rs)."""
    values = {}
    for kind, value in marks:
        field = FIELD_OF_KIND.get(kind)
        if field is not None:
            values.setdefault(field, value)

    present = sum(1 << bit for bit, field in enumerate(FIELDS) if field in values)
    parts = [values.get(field, "").encode() for field in FIELDS]
    return bytes([present]) + FIELD_END.join(parts + [message.encode()])


def main():
    plain_dir = FUZZ / "corpus" / "redact"
    identity_dir = FUZZ / "corpus" / "redact_identity"
    plain_dir.mkdir(parents=True, exist_ok=True)
    identity_dir.mkdir(parents=True, exist_ok=True)

    lines = LABELLED.read_text(encoding="utf-8").splitlines()
    with_marks = 0
    for number, line in enumerate(lines, start=1):
        marks = MARK.findall(line)
        message = MARK.sub(lambda mark: mark.group(2), line)
        (plain_dir / f"phi-{number:04}").write_bytes(message.encode())
        if marks:
            seed = identity_seed(marks, message)
            (identity_dir / f"phi-{number:04}").write_bytes(seed)
            with_marks += 1

    print(f"{len(lines)} redact seeds, {with_marks} redact_identity seeds")


if __name__ == "__main__":
    main()
