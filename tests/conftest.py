"""Shared fixtures: a copy of the data to corrupt, and a strict build of the book."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
# Everything a build of the book reads; a copy of these is a complete book.
BOOK_FILES = [
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "chapters",
    "data",
    "_templates",
    "_static",
    "VERSION",
    "CITATION.cff",
]


# The front matter that makes a MyST Markdown file an executable notebook.
NOTEBOOK_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def page_text(html_dir: Path, name: str) -> str:
    """The visible text of a built chapter's main content, scripts dropped, whitespace collapsed."""
    page = (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", page, re.S).group(0)
    main = re.sub(r"<(script|style).*?</\1>", " ", main, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def copy_book(destination: Path, names=BOOK_FILES) -> Path:
    """Copy the book's sources (not its build or cache) into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = ROOT / name
        if not source.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return destination


def build_book(book_dir: Path, output_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the strict build the Makefile runs; return the finished process with its log."""
    command = [str(JUPYTER_BOOK), "build", str(book_dir), "-W", "-n", "--keep-going"]
    if output_dir is not None:
        command += ["--path-output", str(output_dir)]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ (and the bibliography beside it) that a test may corrupt."""
    shutil.copy2(ROOT / "references.bib", tmp_path / "references.bib")
    return Path(shutil.copytree(ROOT / "data", tmp_path / "data"))


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The whole book, built from scratch into a temporary folder."""
    output = tmp_path_factory.mktemp("book-build")
    result = build_book(ROOT, output)
    return output / "_build" / "html", result
