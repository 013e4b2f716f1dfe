"""What a reader takes away: each chapter's notebook re-runs anywhere to the book's values, and the
data package is one deterministic zip whose checksums hold."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT
from hanoi_evidence.notebooks import CHECKSUMS, DATA_ZIP, ZIP_FOLDER, data_package_zip
from hanoi_evidence.paths import DATA_DIR_VARIABLE, READ_LOG_VARIABLE

CHAPTERS = sorted(path.stem for path in (ROOT / "chapters").glob("*.md") if "\nkernelspec:" in path.read_text())
GLUE_DATA = "application/papermill.record/text/plain"


def glued(notebook) -> dict[str, str]:
    """Every value the executed notebook glued, by name, as text."""
    return {
        output["metadata"]["scrapbook"]["name"]: output["data"].get(GLUE_DATA)
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "scrapbook" in output.get("metadata", {})
    }


@pytest.fixture(scope="module")
def book_glue(html_dir) -> dict[str, dict[str, str]]:
    """The glued values of each chapter as the book's build executed it (its jupyter cache)."""
    from jupyter_cache import get_cache

    cache = get_cache(str(html_dir.parent / ".jupyter_cache"))
    newest = {}
    for record in sorted(cache.list_cache_records(), key=lambda record: record.pk):
        newest[Path(record.uri).stem] = record.pk
    values = {name: glued(cache.get_cache_bundle(pk).nb) for name, pk in newest.items()}
    assert set(values) == set(CHAPTERS) and any(values.values()), "the cache is not this book's"
    return values


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_downloaded_notebook_reruns_elsewhere_to_the_books_values(chapter, html_dir, book_glue, tmp_path):
    page = (html_dir / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
    link = re.search(rf'<a href="([^"]*/{chapter}\.ipynb)"[^>]*download-notebook-button', page)
    assert link, f"{chapter}.html offers no .ipynb in its download menu"
    downloaded = (html_dir / "chapters" / link.group(1)).resolve()
    notebook = nbformat.read(shutil.copy(downloaded, tmp_path / downloaded.name), as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells), "the notebook is served with outputs"

    # In an empty folder, without the build's variables: only the project's environment.
    env = {key: value for key, value in os.environ.items() if key not in (DATA_DIR_VARIABLE, READ_LOG_VARIABLE)}
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(env=env)

    assert glued(notebook) == book_glue[chapter]


@pytest.fixture(scope="module")
def data_zip(html_dir) -> zipfile.ZipFile:
    return zipfile.ZipFile(html_dir / DATA_ZIP)


def data_files() -> dict[str, bytes]:
    return {
        path.relative_to(ROOT / "data").as_posix(): path.read_bytes()
        for path in (ROOT / "data").rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("page", ["index", "data-dictionary"])
def test_the_data_package_is_linked(html_dir, page):
    text = (html_dir / "chapters" / f"{page}.html").read_text(encoding="utf-8")
    assert f'href="../{DATA_ZIP}"' in text


def test_the_data_zip_holds_the_data_folder_and_its_checksums(data_zip):
    names = data_zip.namelist()
    assert names == sorted(names)
    members = {name.removeprefix(f"{ZIP_FOLDER}/"): data_zip.read(name) for name in names}
    sums = members.pop(CHECKSUMS).decode("utf-8")
    assert members == data_files()
    listed = dict(reversed(line.split("  ", 1)) for line in sums.splitlines())
    assert listed == {name: hashlib.sha256(content).hexdigest() for name, content in members.items()}
    assert {"datapackage.json", "schemas/sources.schema.json", "sources.csv"} <= set(members)
    assert any(name.startswith("sources/") and name.endswith(".txt") for name in members)
    json.loads(members["datapackage.json"])


def test_the_data_zip_is_the_same_bytes_every_time(html_dir, tmp_path):
    copy = shutil.copytree(ROOT / "data", tmp_path / "data")
    os.utime(copy / "datapackage.json", (0, 0))  # a file's time must not reach the zip
    first = data_package_zip(copy)
    assert first == data_package_zip(ROOT / "data") == (html_dir / DATA_ZIP).read_bytes()
    assert zipfile.ZipFile(io.BytesIO(first)).testzip() is None
