"""The data dictionary, generated from the schemas so that it cannot drift from them.

``data/README.md`` is this module's output (``make data-readme`` rewrites it, and
a test fails if it is out of date); the book's data-dictionary appendix shows the
same tables.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR, package_descriptor, read_text

INTRODUCTION = """# Data dictionary

The evidence behind the report, as CSV files (UTF-8, comma-separated, one header row).
Each table is described by a [Frictionless Table Schema](https://specs.frictionlessdata.io/table-schema/)
in `schemas/`, listed in `datapackage.json`, and validated on every load and before every
build: `python -m hanoi_evidence validate` (or `make validate`) lists every problem with its
file, row and column. Empty cells mean "no value".

`sources/` holds the five article texts exactly as received; `sources.csv` records the
SHA-256 of each, so any edit is caught. Beyond the schemas, the validator checks that every
quote in `mentions.csv` stands verbatim on its line of the article body (no normalisation of
spaces, dashes or quotation marks), that each worded value agrees with its finding's value,
that every bibliography key exists in `../references.bib`, and that every numeric
expression in the article bodies is quoted by a mention or listed in `exclusions.csv`.

This file is generated from the schemas by `make data-readme`; do not edit it by hand.
"""


def field_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One row per field of a table: name, type, required, allowed values, description."""
    resource = _resource(name, data_dir)
    schema = json.loads(read_text(Path(data_dir) / resource["schema"]))
    primary_key = set(schema.get("primaryKey", []))
    rows = []
    for field in schema["fields"]:
        constraints = field.get("constraints", {})
        rows.append(
            {
                "field": field["name"],
                "type": field["type"],
                "required": "yes" if constraints.get("required") or field["name"] in primary_key else "no",
                "allowed values": _allowed(constraints),
                "description": field.get("description", ""),
            }
        )
    return pd.DataFrame(rows)


def table_descriptions(data_dir: Path = DATA_DIR) -> list[tuple[str, str, str]]:
    """(table name, file, description) for every table, in package order."""
    out = []
    for resource in package_descriptor(data_dir)["resources"]:
        schema = json.loads(read_text(Path(data_dir) / resource["schema"]))
        out.append((resource["name"], resource["path"], schema.get("description", "")))
    return out


def keys_line(name: str, data_dir: Path = DATA_DIR) -> str:
    """The primary and foreign keys of a table, in words."""
    schema = json.loads(read_text(Path(data_dir) / _resource(name, data_dir)["schema"]))
    parts = [f"Primary key: {', '.join(schema['primaryKey'])}."]
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        parts.append(
            f"`{', '.join(key['fields'])}` refers to `{reference['resource']}.{', '.join(reference['fields'])}`."
        )
    return " ".join(parts)


def render_readme(data_dir: Path = DATA_DIR) -> str:
    """The full text of data/README.md."""
    sections = [INTRODUCTION]
    for name, path, description in table_descriptions(data_dir):
        table = field_table(name, data_dir)
        sections.append(f"## `{path}`\n\n{description}\n\n{keys_line(name, data_dir)}\n\n{_markdown(table)}\n")
    return "\n".join(sections)


def _allowed(constraints: dict) -> str:
    parts = []
    if "enum" in constraints:
        parts.append(", ".join(f"`{value}`" for value in constraints["enum"]))
    if "pattern" in constraints:
        parts.append(f"matches `{constraints['pattern']}`")
    if "minimum" in constraints:
        parts.append(f"≥ {constraints['minimum']}")
    if "maximum" in constraints:
        parts.append(f"≤ {constraints['maximum']}")
    if constraints.get("unique"):
        parts.append("unique")
    return "; ".join(parts)


def _markdown(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    body = ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _resource(name: str, data_dir: Path) -> dict:
    return next(r for r in package_descriptor(data_dir)["resources"] if r["name"] == name)
