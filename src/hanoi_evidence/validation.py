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

from pathlib import Path

import pandas as pd

from hanoi_evidence.crosschecks import RULES, Context
from hanoi_evidence.problems import EvidenceError, Problem
from hanoi_evidence.schemas import checked_tables

# EvidenceError and Problem are re-exported: tests, notebooks and the book import them from here.
__all__ = ["EvidenceError", "Problem", "read_rows", "validate"]


def _rows(tables: dict[str, pd.DataFrame]) -> dict[str, list[dict[str, str]]]:
    """Each table's rows as strings, a missing cell as '', as the cross-file rules read them."""
    return {name: _records(frame.fillna("")) for name, frame in tables.items()}


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    columns = list(frame.columns)  # by tuples: about three times faster than DataFrame.to_dict("records")
    return [dict(zip(columns, row, strict=True)) for row in frame.itertuples(index=False, name=None)]


def read_rows(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every table's rows as strings, for the cross-file rules (valid data: every table is read whole)."""
    return _rows(checked_tables(data_dir)[1])


def validate(data_dir: Path, bib_path: Path | None = None) -> list[Problem]:
    """Every problem in the data: schema problems first; cross-file rules once those pass.

    The rules read the tables as the schema checks read them: each file is read and parsed once.
    The bibliography is ``references.bib`` beside the data folder unless given.
    """
    problems, tables = checked_tables(data_dir)
    if problems:
        return problems
    data_dir = Path(data_dir)
    context = Context(data_dir, _rows(tables), bib_path or data_dir.parent / "references.bib")
    return [problem for rule in RULES for problem in rule(context)]
