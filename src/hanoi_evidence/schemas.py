"""Check each table in ``data/`` against its Table Schema, with pandera.

The schemas stay the standard description of the data: ``data/datapackage.json`` lists the
tables, ``data/schemas/*.schema.json`` describe them as Frictionless Table Schemas. pandera
reads each schema (``from_frictionless_schema``) and checks the cells: types, ``required``,
``unique``, the primary key (also compound), ``enum``, ``pattern``, ``minLength``/``maxLength``,
``minimum``/``maximum``. What pandera does not do is done here in plain code:

* reading the file: missing, empty, not UTF-8, header labels against the field names, a row
  with too many or too few cells, a blank row;
* two parts of a schema its reader leaves out, the ``date`` type (read as any string) and the
  ``uri`` format, added as pandera checks;
* foreign keys across tables: one set-membership check per key.

Each pandera failure becomes a :class:`~hanoi_evidence.problems.Problem` in plain words.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors
from pandera.io.pandas_io import from_frictionless_schema

from hanoi_evidence.paths import package_descriptor, read_bytes, read_text
from hanoi_evidence.problems import Problem, first_undecodable

# pandas dtypes that hold a missing cell, for the types pandera reads as int64 and float64 (which cannot).
NULLABLE_TYPES = {"integer": "Int64", "number": "Float64"}
TYPE_WORDS = {"integer": "an integer", "number": "a number"}
ISO_DATE = "%Y-%m-%d"  # the Table Schema's default date format
# A Table Schema sets no limit on a cell's length; the csv module's default of 128 KiB would stop a
# long ';'-separated id list (a claim resting on thousands of mentions) with a bare csv.Error.
csv.field_size_limit(2**31 - 1)


def schema_problems(data_dir: Path) -> list[Problem]:
    """Every schema problem of every table in ``data/datapackage.json``, table by table, row by row."""
    return checked_tables(data_dir)[0]


def checked_tables(data_dir: Path) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """The schema problems, and the tables that were read whole (cells as strings, missing as NA)."""
    data_dir = Path(data_dir)
    resources = package_descriptor(data_dir)["resources"]
    schemas = {r["name"]: json.loads(read_text(data_dir / r["schema"])) for r in resources}
    files = {r["name"]: f"data/{r['path']}" for r in resources}
    read = {r["name"]: read_table(data_dir / r["path"], files[r["name"]], schemas[r["name"]]) for r in resources}
    # Keys are looked up only in tables read whole: a row left out would make its keys look unknown.
    whole = {
        name: frame for name, (frame, reading_problems) in read.items() if frame is not None and not reading_problems
    }
    problems = []
    for name, (frame, reading_problems) in read.items():
        problems += reading_problems
        if frame is not None:
            problems += cell_problems(files[name], frame, schemas[name])
            problems += foreign_key_problems(files, name, frame, whole, schemas[name])
    return problems, whole


# --- reading ---------------------------------------------------------------------------------


def read_table(path: Path, file: str, schema: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The table's cells as strings, missing values as NA, indexed by spreadsheet row.

    The frame is None when the file cannot be read as this table; rows of the wrong
    length and blank rows are reported and left out.
    """
    names = [field["name"] for field in schema["fields"]]
    if not path.is_file():
        return None, [Problem(file, None, None, "the file is missing")]
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark is no part of the first label
    except UnicodeDecodeError:
        row, column = first_undecodable(raw, names)
        return None, [Problem(file, row, column, "the file is not UTF-8 text (its first undecodable byte is here)")]
    if not text:
        return None, [Problem(file, 1, None, f"the file is empty; it needs at least the header row: {','.join(names)}")]
    header, *records = csv.reader(io.StringIO(text, newline=""))
    problems = header_problems(file, header, names)
    if problems:
        return None, problems
    rows, records_kept = [], []
    for number, record in enumerate(records, start=2):
        if not any(record):
            problems.append(Problem(file, number, None, "the row is blank"))
        elif len(record) != len(names):
            cells_in_words = f"{len(record)} cell" + ("" if len(record) == 1 else "s")
            problems.append(Problem(file, number, None, f"the row has {cells_in_words}; the header has {len(names)}"))
        else:
            rows.append(number)
            records_kept.append(record)
    frame = pd.DataFrame(records_kept, index=rows, columns=names, dtype=object)
    return frame.mask(frame.isin(schema.get("missingValues", [""])), pd.NA), problems


def header_problems(file: str, header: list[str], names: list[str]) -> list[Problem]:
    """The header must be the schema's field names, in order."""
    if header == names:
        return []
    problems = [Problem(file, 1, name, f"the header has no column '{name}'") for name in names if name not in header]
    problems += [
        Problem(file, 1, None, f"the header has '{label}', which is not a field of the schema")
        for label in header
        if label not in names
    ]
    return problems or [Problem(file, 1, None, f"the header must list the fields in this order: {','.join(names)}")]


# --- cells -----------------------------------------------------------------------------------


def pandera_schema(schema: dict) -> pa.DataFrameSchema:
    """pandera's reading of a Table Schema, completed where it falls short of the standard.

    Integer and number columns get pandas types that hold a missing cell; ``date`` fields and
    the ``uri`` format get their check; a repeated key is reported where it repeats, not also
    at its first row.
    """
    converted = from_frictionless_schema(schema)
    updates = {}
    for field in schema["fields"]:
        update = {"report_duplicates": "exclude_first"}
        if field["type"] in NULLABLE_TYPES:
            update["dtype"] = NULLABLE_TYPES[field["type"]]
        extra = _format_checks(field)
        if extra:
            update["checks"] = converted.columns[field["name"]].checks + extra
        updates[field["name"]] = update
    converted = converted.update_columns(updates)
    converted.report_duplicates = "exclude_first"
    return converted


def _format_checks(field: dict) -> list[pa.Check]:
    """Checks of a field's type and format that pandera's reader does not make."""
    if field["type"] == "date":
        if field.get("format", "default") != "default":
            raise ValueError(f"{field['name']}: only the default date format (YYYY-MM-DD) is supported")
        return [pa.Check(_is_iso_date, element_wise=True, name="date")]
    if field.get("format") == "uri":
        return [pa.Check(lambda value: bool(urlsplit(value).scheme), element_wise=True, name="uri")]
    return []


def _is_iso_date(value: str) -> bool:
    try:
        datetime.strptime(value, ISO_DATE)
    except ValueError:
        return False
    return True


def cell_problems(file: str, frame: pd.DataFrame, schema: dict) -> list[Problem]:
    """What pandera finds wrong in the cells, in plain words, row by row in field order."""
    checker = pandera_schema(schema)
    failures = _failures(checker, frame)
    mistyped = failures[failures["check"].str.startswith("coerce_dtype")]
    if len(mistyped):
        # pandera leaves a column with a mistyped cell untyped and cannot check its other cells:
        # check again with the mistyped cells left empty, as if they held no value.
        blanked = frame.copy()
        for column, rows in mistyped.groupby("column")["row"]:
            blanked.loc[list(rows), column] = pd.NA
        blanked_cells = set(zip(mistyped["column"], mistyped["row"], strict=True))
        again = _failures(checker, blanked)
        again = again[[cell not in blanked_cells for cell in zip(again["column"], again["row"], strict=True)]]
        failures = pd.concat([mistyped, again])
    fields = {field["name"]: field for field in schema["fields"]}
    repeated_key = failures["check"] == "multiple_fields_uniqueness"
    problems = [
        Problem(file, int(failure.row), failure.column, _message(failure, fields[failure.column]))
        for failure in failures[~repeated_key].itertuples()
    ]
    problems += _repeated_keys(file, failures[repeated_key], schema.get("primaryKey", []))
    order = {name: position for position, name in enumerate(fields)}
    return sorted(problems, key=lambda problem: (problem.row, order.get(problem.column, -1)))


def _failures(checker: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """pandera's failure cases, one per failing cell: column, check, failure_case, row."""
    try:
        checker.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = errors.failure_cases.rename(columns={"index": "row"})
        return cases[~cases["check"].str.startswith("dtype(")]  # the same cells as coerce_dtype's
    return pd.DataFrame(columns=["column", "check", "failure_case", "row"])


def _message(failure, field: dict) -> str:
    """One pandera failure in words a person understands."""
    value, constraints = failure.failure_case, field.get("constraints", {})
    shown = _shown(value)
    match failure.check.split("(")[0]:
        case "coerce_dtype":
            return f"{shown} is not {TYPE_WORDS[field['type']]}"
        case "not_nullable":
            return "the value is required but the cell is empty"
        case "field_uniqueness":
            return f"{shown} appears more than once; this column must be unique"
        case "isin":
            return f"{shown} is not one of the allowed values: {', '.join(constraints['enum'])}"
        case "str_matches":
            return f"{shown} does not match the pattern {constraints['pattern']}"
        case "str_length":
            return f"{shown} has length {len(value)}; {_bounds(constraints, 'minLength', 'maxLength')}"
        case "in_range" | "greater_than_or_equal_to" | "less_than_or_equal_to":
            return f"{shown} is out of range; {_bounds(constraints, 'minimum', 'maximum')}"
        case "date":
            return f"{shown} is not a date (YYYY-MM-DD)"
        case "uri":
            return f"{shown} is not a URI (it needs a scheme, such as https:)"
    return f"{shown} fails the check {failure.check}"


def _shown(value) -> str:
    """A cell as a message quotes it: text in quotes, numbers as they are."""
    return repr(value) if isinstance(value, str) else str(value)


def _bounds(constraints: dict, low: str, high: str) -> str:
    """'allowed: 1 to 68', 'allowed: at least 1'... from a pair of constraints."""
    if low in constraints and high in constraints:
        return f"allowed: {constraints[low]} to {constraints[high]}"
    return f"allowed: at least {constraints[low]}" if low in constraints else f"allowed: at most {constraints[high]}"


def _repeated_keys(file: str, failures: pd.DataFrame, key: list[str]) -> list[Problem]:
    """One problem per row that repeats a compound primary key (pandera reports each of its cells)."""
    problems = []
    for row, cells in failures.groupby("row"):
        values = dict(zip(cells["column"], cells["failure_case"], strict=True))
        shown = ", ".join(_shown(values[name]) for name in key)
        problems.append(
            Problem(file, int(row), ",".join(key), f"the key ({shown}) appears more than once; it must be unique")
        )
    return problems


# --- foreign keys ------------------------------------------------------------------------------


def foreign_key_problems(
    files: dict[str, str], name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame], schema: dict
) -> list[Problem]:
    """Each value of a foreign key is a key of the table it refers to (an empty key refers to nothing).

    ``tables`` are the tables that may be referred to; a key into any other (one that could not
    be read whole) is not checked, since that table's own problem is reported.
    """
    problems = []
    for key in schema.get("foreignKeys", []):
        fields, reference = key["fields"], key["reference"]
        target = reference["resource"] or name  # "" refers to the table itself
        if target not in tables:
            continue
        known = set(tables[target][reference["fields"]].itertuples(index=False, name=None))
        what = f"a known id in {files[target]} (column {', '.join(reference['fields'])})"
        for row, *values in frame[fields].itertuples(name=None):
            if tuple(values) not in known and not all(pd.isna(value) for value in values):
                problems.append(
                    Problem(files[name], row, ",".join(fields), f"{', '.join(map(repr, values))} is not {what}")
                )
    return problems
