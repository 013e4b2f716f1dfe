"""Rules across files that a table schema cannot express.

Each rule is a function ``(data_dir, tables) -> list[Problem]``, where ``tables``
maps a table name to its rows as read by the csv module (all strings), so the
rules run only after the schemas have passed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hanoi_evidence.validation import Problem


def source_hashes(data_dir: Path, tables: dict) -> list[Problem]:
    """Each article file exists and is byte for byte the file received."""
    problems = []
    for row_number, row in enumerate(tables["sources"], start=2):
        path = Path(data_dir) / row["file"]
        if not path.is_file():
            problems.append(Problem("data/sources.csv", row_number, "file", f"no such file: data/{row['file']}"))
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != row["sha256"]:
            problems.append(Problem(
                "data/sources.csv", row_number, "sha256",
                f"data/{row['file']} has SHA-256 {actual}, not the recorded {row['sha256']}: "
                "the source text was edited (sources are kept exactly as received)",
            ))
    return problems


RULES = [source_hashes]
