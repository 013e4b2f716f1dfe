"""Read the validated tables in ``data/`` as typed pandas DataFrames.

Loading a table first makes sure the whole data set is valid: once per build
(the book's Sphinx extension validates before any notebook runs and passes the
result on through ``HANOI_EVIDENCE_VALIDATED``), or here when a reader runs a
notebook on its own. A malformed or inconsistent file raises
:class:`~hanoi_evidence.validation.EvidenceError` instead of drawing a wrong figure.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pandas as pd

from hanoi_evidence.paths import DATA_DIR, package_descriptor, read_bytes, read_text, record_read
from hanoi_evidence.problems import EvidenceError

VALIDATED_VARIABLE = "HANOI_EVIDENCE_VALIDATED"

# Table Schema field types and the pandas dtype each becomes.
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


def data_fingerprint(data_dir: Path = DATA_DIR) -> str:
    """SHA-256 over every file in ``data/``: the identity of one state of the evidence."""
    digest = hashlib.sha256()
    for path in sorted(path for path in Path(data_dir).rglob("*") if path.is_file()):
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# What this process has already checked and loaded, so that a notebook (or a loop over
# thousands of articles) pays for hashing, validating and parsing the data once, not on
# every call: data folder -> (signature, fingerprint); (folder, table, fingerprint) -> frame.
_CHECKED: dict[str, tuple[tuple, str]] = {}
_LOADED: dict[tuple[str, str, str], pd.DataFrame] = {}


def _signature(data_dir: Path) -> tuple:
    """Size and modification time of the descriptor, the tables, the schemas and the sources folder.

    Its cost does not grow with the number of articles. It changes when a table or schema
    is edited or an article file is added, removed or replaced; an article text edited in
    place while a process runs is caught by the next process (every build starts fresh ones).
    """
    data_dir = Path(data_dir)
    entries = []
    for folder in (data_dir, data_dir / "schemas"):
        try:
            with os.scandir(folder) as scan:
                stats = [(e.path, e.stat()) for e in scan if e.is_file()]
            entries += [(path, stat.st_mtime_ns, stat.st_size) for path, stat in stats]
        except FileNotFoundError:
            pass
    sources = data_dir / "sources"
    if sources.is_dir():
        entries.append((str(sources), sources.stat().st_mtime_ns, 0))
    return tuple(sorted(entries))


def check(data_dir: Path = DATA_DIR) -> str:
    """Raise EvidenceError listing every problem; return the data fingerprint when valid."""
    key, signature = str(Path(data_dir).resolve()), _signature(data_dir)
    known = _CHECKED.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    fingerprint = data_fingerprint(data_dir)
    if os.environ.get(VALIDATED_VARIABLE) != fingerprint:
        # Imported only when validating: the build validates once, before any kernel starts, so the
        # notebooks' kernels never pay for importing pandera (about a third of a second each).
        from hanoi_evidence.validation import validate

        problems = validate(data_dir)
        if problems:
            raise EvidenceError(problems)
        os.environ[VALIDATED_VARIABLE] = fingerprint
    _CHECKED[key] = (signature, fingerprint)
    return fingerprint


def table_schema(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The Table Schema of one table, as a dictionary."""
    resource = _resource(name, data_dir)
    return json.loads(read_text(Path(data_dir) / resource["schema"]))


def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One table from ``data/``, validated, with each column typed as its schema says.

    A table is parsed once per process and state of the data; later calls get a shallow
    copy (pandas copy-on-write keeps the cached frame safe from the caller's edits).
    """
    fingerprint = check(data_dir)
    resource = _resource(name, data_dir)
    key = (str(Path(data_dir).resolve()), name, fingerprint)
    if key in _LOADED:
        record_read(Path(data_dir) / resource["schema"])
        record_read(Path(data_dir) / resource["path"])
        return _LOADED[key].copy(deep=False)
    schema = table_schema(name, data_dir)
    raw = read_bytes(Path(data_dir) / resource["path"]).decode("utf-8-sig")  # as the schema checks read it
    frame = pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)
    for field in schema["fields"]:
        column = frame[field["name"]].replace("", pd.NA)
        if field["type"] == "date":
            frame[field["name"]] = pd.to_datetime(column, format="%Y-%m-%d")
        else:
            frame[field["name"]] = column.astype(PANDAS_TYPES.get(field["type"], "string"))
    for stale in [k for k in _LOADED if k[:2] == key[:2]]:
        del _LOADED[stale]  # an earlier state of the same table
    _LOADED[key] = frame
    return frame.copy(deep=False)


def _resource(name: str, data_dir: Path) -> dict:
    for resource in package_descriptor(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    raise KeyError(f"data/datapackage.json has no table named {name!r}")
