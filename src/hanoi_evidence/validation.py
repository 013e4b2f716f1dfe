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
import ctypes
import json
from dataclasses import dataclass
from pathlib import Path

from hanoi_evidence.paths import read_text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, or one file) of the data."""

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


def package_descriptor(data_dir: Path) -> dict:
    """The data package descriptor: every table, its file and its schema."""
    return json.loads(read_text(Path(data_dir) / "datapackage.json"))


def schema_problems(data_dir: Path, engine: str = "columns") -> list[Problem]:
    """Validate every table in ``data/datapackage.json`` against its schema.

    ``engine="columns"`` (the default) checks column by column
    (:mod:`hanoi_evidence.schema_check`, same schemas, same report, linear and fast on
    large corpora); ``engine="frictionless"`` checks row by row with Frictionless, the
    reference the column engine is tested against (tests/test_schema_engine.py).
    """
    if engine == "columns":
        from hanoi_evidence.schema_check import schema_problems as column_problems

        return column_problems(data_dir)
    if engine != "frictionless":
        raise ValueError(f"unknown schema engine {engine!r}: 'columns' or 'frictionless'")
    from frictionless import Package  # imported here: a notebook that skips validation never pays for it

    descriptor = package_descriptor(data_dir)
    package = Package(descriptor, basepath=str(data_dir))
    schemas = {r["path"]: json.loads(read_text(Path(data_dir) / r["schema"])) for r in descriptor["resources"]}
    problems = []
    for task in package.validate().tasks:
        for error in task.errors:
            problems.append(_locate(Path(data_dir), task.place, error, schemas.get(task.place)))
    return problems


def _locate(data_dir: Path, place: str, error, schema: dict | None) -> Problem:
    """Turn a Frictionless error into a Problem with the best row and column it allows.

    Header errors belong to row 1. For a file that is not UTF-8 the row and column
    of the first undecodable byte are found here, since Frictionless gives none.
    """
    file = f"data/{place}"
    row, column = getattr(error, "row_number", None), getattr(error, "field_name", None)
    message = _plain(error)
    if error.type == "foreign-key":
        column = ",".join(error.field_names)
        message = (
            f"{', '.join(map(str, error.field_cells))!r} is not a known id in "
            f"data/{error.reference_name}.csv [{error.type}]"
        )
    elif error.type in ("missing-label", "incorrect-label", "blank-label", "duplicate-label", "blank-header"):
        row = 1
    elif error.type == "encoding-error":
        row, column = _first_undecodable(data_dir / place, [f["name"] for f in (schema or {}).get("fields", [])])
        message = f"the file is not UTF-8 text (first undecodable byte here) [{error.type}]"
    elif error.type == "source-error" and (data_dir / place).is_file() and not (data_dir / place).stat().st_size:
        expected = ",".join(field["name"] for field in (schema or {}).get("fields", []))
        row, message = 1, f"the file is empty; it needs at least the header row: {expected} [{error.type}]"
    return Problem(file=file, row=row, column=column, message=message)


def _first_undecodable(path: Path, field_names: list[str]) -> tuple[int, str | None]:
    """Row (line) and column (schema field) of the first byte that is not UTF-8."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        return 1, None
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", errors="replace")
    lines = before.split("\n")
    cells_so_far = len(next(csv.reader([lines[-1]]), [""])) if lines[-1] else 1
    column = field_names[cells_so_far - 1] if 0 < cells_so_far <= len(field_names) else None
    return len(lines), column


def _plain(error) -> str:
    """Frictionless's message, with its type name so a reader can look it up."""
    return f"{error.message} [{error.type}]"


class Row(tuple):
    """One record of a table, read by column name as from a dict: ``row["source_id"]``.

    A tuple with its table's column index shared by all its rows: a corpus of 50,000
    articles has two million rows, and a dict per row would take a gigabyte more.
    """

    __slots__ = ()
    columns: dict[str, int] = {}  # column name -> position, set per table by ``row_type``

    def __getitem__(self, column: str) -> str:
        return tuple.__getitem__(self, self.columns[column])

    def get(self, column: str, default=None):
        return self[column] if column in self.columns else default

    def keys(self):
        return self.columns.keys()

    def __repr__(self) -> str:
        return repr(dict(zip(self.columns, self)))


def row_type(header: list[str]) -> type[Row]:
    """The Row class of a table with this header."""
    return type("Row", (Row,), {"__slots__": (), "columns": {name: i for i, name in enumerate(header)}})


def read_rows(data_dir: Path) -> dict[str, list[Row]]:
    """Every table's rows as strings, for the cross-file rules (blank lines skipped, as csv.DictReader does)."""
    return {
        resource["name"]: _read_table_rows(Path(data_dir) / resource["path"], resource["path"])
        for resource in package_descriptor(data_dir)["resources"]
    }


def _read_table_rows(path: Path, place: str) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        row = row_type(header)
        rows = [row(record) for record in reader if record]
    if set(map(len, rows)) - {len(header)}:  # the schema check reports such rows; never read them shifted
        index, record = next((i, r) for i, r in enumerate(rows) if len(r) != len(header))
        raise ValueError(f"data/{place}: record {index + 1} has {len(record)} cells, the header {len(header)}")
    return rows


def _return_freed_memory() -> None:
    """Give the C heap's free pages back to the system.

    glibc keeps the pages that pandas freed after the schema checks (hundreds of MB at
    50,000 articles), and Python's own allocator cannot reuse them for the rows.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim


def validate(data_dir: Path, bib_path: Path | None = None) -> list[Problem]:
    """Every problem in the data: schema problems first; cross-file rules once those pass.

    The bibliography is ``references.bib`` beside the data folder unless given.
    """
    problems = schema_problems(data_dir)
    if problems:
        return problems
    _return_freed_memory()  # before the rows and texts of the rules, the largest part of the peak
    from hanoi_evidence.crosschecks import RULES, Context  # crosschecks imports Problem from here

    data_dir = Path(data_dir)
    context = Context(data_dir, read_rows(data_dir), bib_path or data_dir.parent / "references.bib")
    return [problem for rule in RULES for problem in rule(context)]
