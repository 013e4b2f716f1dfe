"""Check the tables against their Table Schemas column by column, not cell by cell.

Frictionless checks a table row by row in Python (about 0.4 ms per row here), which
makes a corpus of 50,000 articles (two million rows) take the better part of an hour.
This engine reads the SAME schema files (``data/datapackage.json`` and
``data/schemas/*.json``) and checks each column at once with pandas:

* the file: missing, empty, not UTF-8 (row and column of the first undecodable byte);
* the header: the labels must be the schema's field names, in order;
* each row: as many cells as fields, not completely blank;
* each cell: its type and format, ``required``, ``minLength``/``maxLength``, ``pattern``,
  ``enum``, ``minimum``/``maximum`` (and the exclusive forms);
* each table: ``unique`` fields, the primary key (also compound) and every foreign key
  (against the referenced table's values).

Exactness comes from Frictionless itself where it matters: a cell's type, format and
range are read by the field's own Frictionless cell reader, once per *distinct* value of
the column (a column of two million line numbers has a few hundred), and each problem is
built as the Frictionless error it would have raised and passed through
:func:`hanoi_evidence.validation._locate`, so the report (file, row, column, message,
order) is the one Frictionless gives. A table whose structure is irregular (header not
the schema's field names, a row with too few or too many cells, a blank row, text that
the fast CSV parser reads differently) is handed to Frictionless whole: those reports
depend on how Frictionless re-aligns a broken table, and they are rare.

One deliberate difference: a ``pattern`` must match the WHOLE cell, as the Table Schema
specification says. Frictionless 5 compiles ``^pattern$`` and uses ``re.match``, so a
pattern with a top-level ``|`` (``primary|...``) accepts any cell that merely starts with
``primary``, and ``$`` accepts a trailing newline; this engine reports such cells.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from hanoi_evidence.paths import read_bytes, read_text

# Frictionless's default cap on the errors it reports per table.
LIMIT_ERRORS = 1000
# Error kinds in the order Frictionless reports them within one row.
_CELL, _EXTRA, _MISSING, _UNIQUE, _PRIMARY, _FOREIGN = range(6)


# A well-formed quoted cell: a quote at the start of a line or after a comma, then anything but
# quotes or doubled quotes, then a quote before a comma or the end of the line. Written to begin
# with the quote itself (its place checked by a look-behind) and with the loop unrolled, so that
# the regex engine jumps from quote to quote instead of trying every character.
_QUOTED = re.compile(r'"(?<=(?<![^,\n])")[^"]*(?:""[^"]*)*"(?=,|$)', re.MULTILINE)


_ALL_BUT_COMMA_AND_NEWLINE = bytes(byte for byte in range(256) if byte not in b",\n")


class _Irregular(Exception):
    """The table needs Frictionless's own reading (see the module docstring)."""


def schema_problems(data_dir: Path) -> list:
    """Every schema problem in the data package in ``data_dir``, as Frictionless reports it."""
    from frictionless import Package

    from hanoi_evidence.validation import _locate, package_descriptor

    data_dir = Path(data_dir)
    descriptor = package_descriptor(data_dir)
    resources = descriptor["resources"]
    schemas = {r["name"]: json.loads(read_text(data_dir / r["schema"])) for r in resources}
    tables: dict[str, _Table | None] = {}
    problems = []
    package = None
    for resource in resources:
        name, place = resource["name"], resource["path"]
        try:
            tables[name] = table = _lookup_table(name, tables, resources, data_dir, schemas, strict=True)
            found = table.problems(
                schemas[name], lambda other: _lookup_table(other, tables, resources, data_dir, schemas)
            )
        except _FileProblem as problem:
            problems.append(problem.as_problem(data_dir, place, schemas[name], _locate))
            continue
        except _Irregular:
            # Frictionless reads this one table (within the package, for its foreign keys).
            if package is None:
                package = Package(descriptor, basepath=str(data_dir))
            for task in package.get_resource(name).validate().tasks:
                problems += [_locate(data_dir, task.place, error, schemas[name]) for error in task.errors]
            continue
        problems += [_locate(data_dir, place, error, schemas[name]) for error in found[:LIMIT_ERRORS]]
    return problems


def _lookup_table(name, tables, resources, data_dir, schemas, strict=False):
    """A table, read once; None (or, when ``strict``, the exception) if it cannot be read fast."""
    from frictionless import Schema

    if tables.get(name) is None and (strict or name not in tables):
        resource = next((r for r in resources if r["name"] == name), None)
        if resource is None:
            raise _Irregular  # a foreign key to an unknown table: Frictionless words it
        try:
            tables[name] = _Table.read(data_dir / resource["path"], Schema.from_descriptor(schemas[name]))
        except (_Irregular, _FileProblem):
            tables[name] = None
            if strict:
                raise
    return tables[name]


class _FileProblem(Exception):
    """The file cannot be read as a table at all: missing, empty or not UTF-8."""

    def __init__(self, kind: str, note: str):
        super().__init__(note)
        self.kind, self.note = kind, note

    def as_problem(self, data_dir: Path, place: str, schema: dict, locate):
        from frictionless import errors

        error_class = {
            "encoding-error": errors.EncodingError,
            "source-error": errors.SourceError,
            "scheme-error": errors.SchemeError,
        }[self.kind]
        return locate(data_dir, place, error_class(note=self.note), schema)


class _Table:
    """One table read as columns of strings (None where a row has no such cell)."""

    def __init__(self, schema, frame: pd.DataFrame):
        self.schema = schema
        self.frame = frame  # one column per field, in schema order; rows from spreadsheet row 2
        self.n_rows = len(frame)
        self._typed: dict[str, np.ndarray] = {}
        self._notes: dict[str, list[tuple[np.ndarray, str, str]]] = {}

    @classmethod
    def read(cls, path: Path, schema) -> _Table:
        if not path.is_file():
            raise _Irregular  # Frictionless words the missing file
        raw = read_bytes(path)
        if not raw:
            raise _FileProblem("source-error", "the source is empty")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _FileProblem("encoding-error", str(error)) from None
        names = [field.name for field in schema.fields]
        if "\r" in text or "\x00" in text:
            raise _Irregular  # line endings and NUL bytes: leave them to the reference reader
        # Cells per record, counted without a CSV parser: drop each well-formed quoted cell,
        # then every line must hold n - 1 commas. Anything else (a stray quote) is irregular.
        unquoted = _QUOTED.sub("", text)
        if '"' in unquoted:
            raise _Irregular
        records = unquoted.split("\n")
        commas = unquoted.encode("utf-8").translate(None, _ALL_BUT_COMMA_AND_NEWLINE).split(b"\n")  # one per record
        if records[-1] == "":
            records.pop()
            commas.pop()
        if not set(commas) <= {b"," * (len(names) - 1)}:
            raise _Irregular  # a short, long or blank row
        try:
            frame = pd.read_csv(
                io.BytesIO(raw),
                encoding="utf-8",
                header=None,
                dtype=str,
                na_filter=False,
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
            raise _Irregular from None
        if frame.shape != (len(records), len(names)) or list(frame.iloc[0]) != names:
            raise _Irregular  # header errors, extra or missing cells
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = names
        if frame.isna().to_numpy().any() or (frame == "").all(axis=1).any():
            raise _Irregular  # a short or blank row
        return cls(schema, frame)

    # --- cells ---------------------------------------------------------------------------

    def _read_field(self, field) -> None:
        """Typed values (object array, None when blank or unreadable) and cell notes of one field."""
        if field.name in self._typed:
            return
        values = self.frame[field.name].to_numpy(dtype=object)
        codes, uniques = pd.factorize(values)
        uniques = list(uniques)
        if field.type == "string" and field.format == "default":
            typed_uniques, notes_uniques = self._string_cells(field, uniques)
        else:
            reader = field.create_cell_reader()
            typed_uniques, notes_uniques = zip(*(reader(u) for u in uniques)) if uniques else ((), ())
        typed = np.empty(len(uniques), dtype=object)
        typed[:] = list(typed_uniques)
        self._typed[field.name] = typed[codes] if len(codes) else np.empty(0, dtype=object)
        notes = []
        bad = [i for i, n in enumerate(notes_uniques) if n]
        if bad:
            bad_rows = np.flatnonzero(np.isin(codes, bad))
            for row in bad_rows:
                for kind, note in notes_uniques[codes[row]].items():
                    notes.append((int(row), kind, note))
        self._notes[field.name] = notes

    def _string_cells(self, field, uniques: list[str]):
        """What Frictionless's string cell reader gives, computed once per distinct value."""
        missing = set(self.schema.missing_values if not field.has_defined("missing_values") else field.missing_values)
        constraints = field.constraints
        pattern = re.compile(constraints["pattern"]) if constraints.get("pattern") is not None else None
        enum = constraints.get("enum")
        enum_set = set(enum) if enum is not None else None
        typed, notes = [], []
        for value in uniques:
            note = None
            if value in missing:
                if constraints.get("required"):
                    note = {"required": f'constraint "required" is "{constraints["required"]}"'}
                typed.append(None)
                notes.append(note)
                continue
            for name in ("minLength", "maxLength"):
                limit = constraints.get(name)
                if limit is not None and not (len(value) >= limit if name == "minLength" else len(value) <= limit):
                    note = note or {}
                    note[name] = f'constraint "{name}" is "{limit}"'
            if pattern is not None and not pattern.fullmatch(value):
                note = note or {}
                note["pattern"] = f'constraint "pattern" is "{constraints["pattern"]}"'
            if enum_set is not None and value not in enum_set:
                note = note or {}
                note["enum"] = f'constraint "enum" is "{enum}"'
            typed.append(value)
            notes.append(note)
        return typed, notes

    def typed(self, name: str) -> np.ndarray:
        self._read_field(self.schema.get_field(name))
        return self._typed[name]

    # --- the table ----------------------------------------------------------------------

    def problems(self, schema_descriptor: dict, lookup) -> list:
        """Frictionless error objects, in the order Frictionless reports them."""
        from frictionless import errors

        found: list[tuple[int, int, int, object]] = []  # (row index, kind, order, error)
        field_numbers = {field.name: number for number, field in enumerate(self.schema.fields, start=1)}
        for field in self.schema.fields:
            self._read_field(field)
            for row, kind, note in self._notes[field.name]:
                error_class = errors.TypeError if kind == "type" else errors.ConstraintError
                found.append(
                    (
                        row,
                        _CELL,
                        field_numbers[field.name],
                        _cell_error(error_class, self, row, field.name, field_numbers[field.name], note),
                    )
                )
        for field in self.schema.fields:
            if field.constraints.get("unique"):
                for row, previous in _repeats([(v,) for v in self.typed(field.name)], skip_all_none=True):
                    found.append(
                        (
                            row,
                            _UNIQUE,
                            field_numbers[field.name],
                            _cell_error(
                                errors.UniqueError,
                                self,
                                row,
                                field.name,
                                field_numbers[field.name],
                                f"the same as in the row at position {previous + 2}",
                            ),
                        )
                    )
        key = list(self.schema.primary_key)
        if key:
            keys = list(zip(*(self.typed(name) for name in key)))
            blank = np.logical_and.reduce([np.equal(self.typed(name), None) for name in key])
            for row in map(int, np.flatnonzero(blank)):
                found.append(
                    (
                        row,
                        _PRIMARY,
                        0,
                        _row_error(
                            errors.PrimaryKeyError, self, row, 'cells composing the primary keys are all "None"'
                        ),
                    )
                )
            for row, previous in _repeats(keys, skip_all_none=True):
                found.append(
                    (
                        row,
                        _PRIMARY,
                        0,
                        _row_error(
                            errors.PrimaryKeyError, self, row, f"the same as in the row at position {previous + 2}"
                        ),
                    )
                )
        for order, fk in enumerate(schema_descriptor.get("foreignKeys", [])):
            found += self._foreign_key_errors(fk, order, lookup)
        found.sort(key=lambda item: item[:3])
        return [item[3] for item in found]

    def _foreign_key_errors(self, fk: dict, order: int, lookup) -> list:
        from frictionless import errors

        fields, reference = list(fk["fields"]), fk["reference"]
        target = self if reference["resource"] in ("", None) else lookup(reference["resource"])
        if target is None:
            raise _Irregular  # the referenced table needs Frictionless's reading, so this one does too
        known = set(zip(*(target.typed(name) for name in reference["fields"])))
        known.discard(tuple([None] * len(reference["fields"])))
        cells = list(zip(*(self.typed(name) for name in fields)))
        unique_cells = set(cells)
        absent = {c for c in unique_cells if c not in known and not all(v is None for v in c)}
        found = []
        if absent:
            for row, value in enumerate(cells):
                if value in absent:
                    note = 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                        ", ".join(fields),
                        ", ".join(str(d) for d in value),
                        reference["resource"],
                        ", ".join(reference["fields"]),
                    )
                    error = errors.ForeignKeyError(
                        note=note,
                        cells=self._cells(row),
                        row_number=row + 2,
                        field_names=fields,
                        field_cells=[str(v) if v is not None else "" for v in value],
                        reference_name=reference["resource"],
                        reference_field_names=list(reference["fields"]),
                    )
                    found.append((row, _FOREIGN, order, error))
        return found

    def _cells(self, row: int) -> list[str]:
        return [str(v) for v in self.frame.iloc[row].tolist()]


def _repeats(keys: list[tuple], skip_all_none: bool):
    """(row, the latest earlier row with the same key) for each repeated key, as Frictionless pairs them."""
    series = pd.Series(keys, dtype=object)
    candidates = np.flatnonzero(series.duplicated(keep=False).to_numpy())
    latest: dict = {}
    for row in candidates:
        key = keys[row]
        if skip_all_none and all(v is None for v in key):
            continue
        if key in latest:
            yield int(row), latest[key]
        latest[key] = int(row)


def _cell_error(error_class, table: _Table, row: int, field_name: str, field_number: int, note: str):
    cells = table._cells(row)
    return error_class(
        note=note,
        cells=cells,
        row_number=row + 2,
        cell=cells[field_number - 1],
        field_name=field_name,
        field_number=field_number,
    )


def _row_error(error_class, table: _Table, row: int, note: str):
    return error_class(note=note, cells=table._cells(row), row_number=row + 2)
