"""Shared fixtures: a copy of the data to corrupt, a strict build of the book, and that build served
to one headless Chromium for the tests that read it as a reader would."""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Debian's Chromium, quiet and offline, for every test that opens the book in a browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
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


def without_scripts(fragment: str) -> str:
    """An HTML fragment with its scripts and style sheets dropped."""
    return re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)


def visible_text(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


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


# --- the built book in a browser: one server and one Chromium for the session ------------------
@pytest.fixture(scope="session")
def html_dir(request) -> Path:
    """The book built for this session, or an existing build named by HANOI_EVIDENCE_HTML."""
    if os.environ.get("HANOI_EVIDENCE_HTML"):
        return Path(os.environ["HANOI_EVIDENCE_HTML"])
    html, result = request.getfixturevalue("built_book")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return html


@pytest.fixture(scope="session")
def base_url(html_dir):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/debian-packages.txt)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
