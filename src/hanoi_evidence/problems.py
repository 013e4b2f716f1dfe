"""What the validator reports: a problem at a place in the data, and the error that lists them.

A leaf module: the schema checks (:mod:`hanoi_evidence.schemas`), the cross-file rules
(:mod:`hanoi_evidence.crosschecks`) and :mod:`hanoi_evidence.validation`, which runs both,
all import from here and from nothing of each other's.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, or one file) of the data.

    Rows are numbered as in a spreadsheet: the header is row 1, the first record row 2.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    unit: str = "row"  # "line" for a place in an article text

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.unit} {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class EvidenceError(ValueError):
    """The data is malformed or inconsistent; the message lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the evidence data:\n{lines}")


def first_undecodable(raw: bytes, field_names: list[str]) -> tuple[int, str | None]:
    """Line and column (field name) of the first byte of a CSV file that is not UTF-8.

    The decoder says only at which byte it stopped; a person needs the cell.
    """
    try:
        raw.decode("utf-8")
        return 1, None
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", errors="replace")
    lines = before.split("\n")
    cells_so_far = len(next(csv.reader([lines[-1]]), [""])) if lines[-1] else 1
    column = field_names[cells_so_far - 1] if 0 < cells_so_far <= len(field_names) else None
    return len(lines), column
