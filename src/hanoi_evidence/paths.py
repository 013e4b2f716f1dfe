"""Where the project's files are, and a log of which files a notebook read.

The log is how the book's build knows which notebooks depend on which data
files (see :mod:`hanoi_evidence.sphinxext`): every file the package opens is
appended to the file named by ``HANOI_EVIDENCE_READ_LOG`` when that variable is set.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# The package is installed in editable mode from ``src/``, so the repository root
# is two levels above this file.
REPO_ROOT = Path(__file__).resolve().parents[2]
# The book's build points this at the data folder of the book being built, so a
# copy of the project (as in the tests) reads its own data.
DATA_DIR_VARIABLE = "HANOI_EVIDENCE_DATA"
DATA_DIR = Path(os.environ.get(DATA_DIR_VARIABLE, REPO_ROOT / "data")).resolve()

READ_LOG_VARIABLE = "HANOI_EVIDENCE_READ_LOG"


def record_read(path: Path) -> None:
    """Note that ``path`` was read, if the build asked for a read log.

    The package's own modules loaded so far are noted too: a notebook's output
    depends on the code that turned the data into tables and figures.
    """
    log = os.environ.get(READ_LOG_VARIABLE)
    if log:
        files = {str(Path(path).resolve()), *_loaded_package_modules()}
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("".join(f"{name}\n" for name in sorted(files)))


def _loaded_package_modules() -> set[str]:
    return {
        str(Path(module.__file__).resolve())
        for name, module in list(sys.modules.items())
        if name.partition(".")[0] == "hanoi_evidence" and getattr(module, "__file__", None)
    }


def read_text(path: Path) -> str:
    """Read a UTF-8 text file and record the read."""
    record_read(path)
    return Path(path).read_text(encoding="utf-8")


def package_descriptor(data_dir: Path) -> dict:
    """The data package descriptor (``datapackage.json``): every table, its file and its schema."""
    return json.loads(read_text(Path(data_dir) / "datapackage.json"))


def read_bytes(path: Path) -> bytes:
    """Read a file as bytes and record the read."""
    record_read(path)
    return Path(path).read_bytes()
