"""Check the data in ``data/`` against its schema and against the sources.

Two layers, both reporting every problem as *file, row, column: what is wrong*:

1. The Frictionless Table Schemas in ``data/schemas/`` (types, required fields,
   allowed values, ranges, unique and primary keys, foreign keys), checked by the
   ``frictionless`` library.
2. Rules that a table schema cannot state, in :mod:`hanoi_evidence.crosschecks`
   (each quote is found verbatim in its source, values agree, files match their hashes...).

Rows are numbered as in a spreadsheet: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from frictionless import Package

from hanoi_evidence.paths import read_text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, or one file) of the data."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class EvidenceError(ValueError):
    """The data is malformed or inconsistent; the message lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the evidence data:\n{lines}")


def package_descriptor(data_dir: Path) -> dict:
    """The data package descriptor: every table, its file and its schema."""
    return json.loads(read_text(Path(data_dir) / "datapackage.json"))


def schema_problems(data_dir: Path) -> list[Problem]:
    """Validate every table in ``data/datapackage.json`` against its schema."""
    package = Package(package_descriptor(data_dir), basepath=str(data_dir))
    report = package.validate()
    problems = []
    for task in report.tasks:
        for error in task.errors:
            problems.append(Problem(
                file=f"data/{task.place}",
                row=getattr(error, "row_number", None),
                column=getattr(error, "field_name", None),
                message=_plain(error),
            ))
    return problems


def _plain(error) -> str:
    """Frictionless's message, with its type name so a reader can look it up."""
    return f"{error.message} [{error.type}]"


def read_rows(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every table's rows as strings, for the cross-file rules."""
    tables = {}
    for resource in package_descriptor(data_dir)["resources"]:
        with open(Path(data_dir) / resource["path"], encoding="utf-8", newline="") as handle:
            tables[resource["name"]] = list(csv.DictReader(handle))
    return tables


def validate(data_dir: Path) -> list[Problem]:
    """Every problem in the data: schema problems first; cross-file rules once those pass."""
    problems = schema_problems(data_dir)
    if problems:
        return problems
    from hanoi_evidence.crosschecks import RULES  # imports Problem from here

    tables = read_rows(data_dir)
    return [problem for rule in RULES for problem in rule(Path(data_dir), tables)]
