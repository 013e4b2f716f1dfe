"""Check the data in ``data/`` against its schema and against the sources.

Two layers, both reporting every problem as *file, row, column: what is wrong*:

1. The Table Schemas in ``data/schemas/`` (types, required fields, allowed values, ranges,
   unique and primary keys, foreign keys), checked with pandera by :mod:`hanoi_evidence.schemas`.
2. Rules that a table schema cannot state, in :mod:`hanoi_evidence.crosschecks`
   (each quote is found verbatim in its source, values agree, files match their hashes...),
   run once the tables pass their schemas, so that they may trust types and keys.

Rows are numbered as in a spreadsheet: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hanoi_evidence.crosschecks import RULES, Context
from hanoi_evidence.paths import package_descriptor
from hanoi_evidence.problems import EvidenceError, Problem
from hanoi_evidence.schemas import schema_problems

# EvidenceError and Problem are re-exported: tests, notebooks and the book import them from here.
__all__ = ["EvidenceError", "Problem", "read_rows", "validate"]


def read_rows(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every table's rows as strings, for the cross-file rules (blank lines skipped, as csv.DictReader does)."""
    tables = {}
    for resource in package_descriptor(data_dir)["resources"]:
        with open(Path(data_dir) / resource["path"], encoding="utf-8-sig", newline="") as handle:
            tables[resource["name"]] = list(csv.DictReader(handle))
    return tables


def validate(data_dir: Path, bib_path: Path | None = None) -> list[Problem]:
    """Every problem in the data: schema problems first; cross-file rules once those pass.

    The bibliography is ``references.bib`` beside the data folder unless given.
    """
    problems = schema_problems(data_dir)
    if problems:
        return problems
    data_dir = Path(data_dir)
    context = Context(data_dir, read_rows(data_dir), bib_path or data_dir.parent / "references.bib")
    return [problem for rule in RULES for problem in rule(context)]
