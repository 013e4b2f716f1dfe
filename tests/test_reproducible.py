"""Two clean builds of the same sources give the same book, byte for byte where it matters.

Two copies of the book are built from scratch (no shared cache, different folders). Their
figure files must be byte-identical, every glued value the same, and every HTML page,
script and style sheet identical too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import BOOK_FILES, ROOT, build_book, copy_book

# Besides the sources conftest copies, the HTML templates and static overrides shape the pages.
EXTRA = [name for name in ("_static", "_templates") if (ROOT / name).exists() and name not in BOOK_FILES]
IMAGE_SUFFIXES = {".png", ".svg", ".pdf", ".jpg", ".jpeg"}


def digests(folder: Path, suffixes: set[str] | None = None) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (suffixes is None or path.suffix.lower() in suffixes)
    }


def glued_values(build: Path) -> dict[str, str]:
    """Every value a notebook glued, by key, as the executed notebooks in the cache hold it."""
    values = {}
    for notebook in sorted((build / ".jupyter_cache" / "executed").rglob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    assert name not in values, f"glue key {name} used twice"
                    values[name] = json.dumps(output.get("data", {}), sort_keys=True)
    return values


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    # Both copies are taken before either build: the sources may be edited meanwhile.
    books = [copy_book(tmp_path_factory.mktemp(name) / "book", BOOK_FILES + EXTRA) for name in ("first", "second")]
    builds = []
    for book in books:
        result = build_book(book)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        builds.append(book / "_build")
    return builds[0], builds[1]


def test_figure_files_are_byte_identical(two_builds):
    first, second = two_builds
    images = digests(first / "html", IMAGE_SUFFIXES)
    assert any(name.startswith("_images/") for name in images), "no figure was built"
    assert images == digests(second / "html", IMAGE_SUFFIXES)
    # Every output the notebooks wrote (PNG for the HTML, PDF for the LaTeX edition).
    outputs = digests(first / "jupyter_execute", IMAGE_SUFFIXES)
    assert outputs and outputs == digests(second / "jupyter_execute", IMAGE_SUFFIXES)


def test_glued_values_are_identical(two_builds):
    first, second = two_builds
    values = glued_values(first)
    assert values, "no glued value found"
    assert values == glued_values(second)


def test_html_pages_are_identical(two_builds):
    """The whole reader-facing text, including numbering, anchors and generated ids."""
    first, second = two_builds
    pages = digests(first / "html", {".html", ".js", ".css", ".ico"})
    other = digests(second / "html", {".html", ".js", ".css", ".ico"})
    assert pages.keys() == other.keys()
    assert [name for name in pages if pages[name] != other[name]] == []
