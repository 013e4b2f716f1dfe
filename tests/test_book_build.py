"""The book builds strictly, and the build fails loudly when something is wrong."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import NOTEBOOK_HEADER, ROOT, build_book, copy_book

PAGES = ["chapters/index.html", "chapters/sources.html", "chapters/bibliography.html"]


def sphinx_warnings(log: str) -> list[str]:
    """Sphinx's own warning lines ('path: WARNING: ...'), not a kernel's log lines."""
    return [line for line in log.splitlines() if re.search(r"(^|: )(WARNING|ERROR):", line)]


def test_book_builds_with_zero_warnings(built_book):
    html, result = built_book
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "build succeeded." in log
    assert sphinx_warnings(log) == []


@pytest.mark.parametrize("page", PAGES)
def test_page_exists(built_book, page):
    html, _ = built_book
    assert (html / page).is_file()


def test_notebooks_execute_before_reading_and_pages_read_from_the_cache(built_book):
    """hanoi_evidence.sphinxext executes the notebooks in parallel before Sphinx reads
    them; myst-nb then finds every notebook cached and executes nothing while reading."""
    _, result = built_book
    notebooks = set(re.findall(r"/([\w-]+\.md): Executing notebook \(\d+ at a time\)", result.stdout))
    assert notebooks == {page.name for page in (ROOT / "chapters").glob("*.md") if "\nkernelspec:" in page.read_text()}
    assert set(re.findall(r"/([\w-]+\.md): Using cached notebook", result.stdout)) == notebooks
    assert "Executing notebook using" not in result.stdout  # myst-nb's own, one-at-a-time execution


def test_sources_page_shows_its_numbered_figure(built_book):
    html, _ = built_book
    page = (html / "chapters/sources.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure[^>]*id="fig-cleaning".*?</figure>', page, re.S)
    assert figure, "the figure block is missing"
    image = re.search(r'<img[^>]*src="([^"]+\.svg)"[^>]*>', figure.group(0))
    assert image and (html / "chapters" / image.group(1)).is_file()
    assert 'alt="Stacked horizontal bars, one per article' in figure.group(0)
    assert 'href="#fig-cleaning"' in page  # numbered, and referenced from the text


def test_glued_numbers_reach_the_prose(built_book):
    html, _ = built_book
    text = re.sub(r"<[^>]+>", "", (html / "chapters/sources.html").read_text(encoding="utf-8"))
    assert "lists the five articles" in " ".join(text.split())


def _tiny_book(tmp_path: Path, page: str) -> Path:
    """The project's configuration and data with a single page of our own."""
    book = copy_book(tmp_path / "book", ["_config.yml", "references.bib", "data"])
    (book / "chapters").mkdir()
    (book / "chapters" / "index.md").write_text(page, encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: chapters/index\n", encoding="utf-8")
    return book


def test_broken_cross_reference_fails_the_build(tmp_path):
    book = _tiny_book(tmp_path, "# Title\n\nSee {numref}`fig-that-does-not-exist`.\n")
    result = build_book(book)
    assert result.returncode != 0
    assert "fig-that-does-not-exist" in result.stdout + result.stderr


def test_failing_cell_fails_the_build(tmp_path):
    page = NOTEBOOK_HEADER + "# Title\n\n```{code-cell} ipython3\nraise RuntimeError('cell failed on purpose')\n```\n"
    result = build_book(_tiny_book(tmp_path, page))
    assert result.returncode != 0
    assert "cell failed on purpose" in result.stdout + result.stderr
    # The parallel execution leaves a failing notebook to myst-nb, which reports it with its traceback.
    assert "failed; it executes again as its page is read" in result.stdout


def test_a_healthy_tiny_book_builds(tmp_path):
    """The control for the two tests above: the same set-up without the fault passes."""
    page = NOTEBOOK_HEADER + "# Title\n\n```{code-cell} ipython3\nprint('fine')\n```\n"
    result = build_book(_tiny_book(tmp_path, page))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_invalid_data_stops_the_build_naming_file_row_and_column(tmp_path):
    book = _tiny_book(tmp_path, "# Title\n")
    sources = book / "data" / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    assert ",en,," in text
    sources.write_text(text.replace(",en,,", ",xx,,", 1), encoding="utf-8")
    result = build_book(book)
    assert result.returncode != 0
    assert "data/sources.csv, row 2, column 'language'" in result.stdout + result.stderr


def test_changed_data_reexecutes_only_what_reads_it(tmp_path):
    """A data edit re-executes exactly the notebooks that read the file; no change re-executes nothing."""
    book = copy_book(tmp_path / "book")
    assert build_book(book).returncode == 0
    page = book / "_build/html/chapters/sources.html"
    figure_before = _figure_files(page)
    unchanged = build_book(book)
    assert _executed(unchanged.stdout) == set()
    assert _figure_files(page) == figure_before

    events = book / "data" / "events.csv"
    readers = _notebooks_reading(book, events)
    assert "sources.md" in readers  # the timeline is drawn from events.csv
    events.write_text(
        events.read_text(encoding="utf-8").replace("Last day for signature", "Final day for signature"),
        encoding="utf-8",
    )
    changed = build_book(book)
    assert changed.returncode == 0
    assert _executed(changed.stdout) == readers
    # The timeline prints the event names, so its image (named by a hash of its bytes) must be new.
    assert _figure_files(page) != figure_before


def _executed(log: str) -> set[str]:
    return set(re.findall(r"/([\w-]+\.md): Executing notebook", log))


def _notebooks_reading(book: Path, data_file: Path) -> set[str]:
    """Notebooks whose cached execution read ``data_file``, from the build's read stamps."""
    from jupyter_cache import get_cache

    cache_dir = book / "_build" / ".jupyter_cache"
    stamps = json.loads((cache_dir / "evidence-stamps.json").read_text(encoding="utf-8"))
    uris = {record.hashkey: record.uri for record in get_cache(str(cache_dir)).list_cache_records()}
    return {Path(uris[key]).name for key, files in stamps.items() if str(data_file.resolve()) in files}


def _figure_files(page: Path) -> list[str]:
    return re.findall(r'src="(\.\./_images/[^"]+\.svg)"', page.read_text(encoding="utf-8"))


def test_parallel_execution_stands_aside_inside_an_event_loop():
    """asyncio.run cannot run inside a running loop (a build started from a notebook):
    there the extension leaves execution to myst-nb, which runs the notebooks one at a time."""
    import asyncio

    from hanoi_evidence.sphinxext import _inside_event_loop, _usable_cores

    async def from_inside():
        return _inside_event_loop()

    assert _inside_event_loop() is False
    assert asyncio.run(from_inside()) is True
    assert _usable_cores() >= 1
