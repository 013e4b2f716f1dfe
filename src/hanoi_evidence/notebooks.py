"""What a reader can take away and re-run: each chapter as a notebook, and the data as one zip.

A Sphinx extension (listed in ``_config.yml`` under ``sphinx: extra_extensions``).

1. Notebooks. Every executable chapter (a MyST page with a kernelspec) is converted by jupytext
   to ``_sources/<page>.ipynb`` in the HTML output, without outputs: the reader runs it, and
   the book never serves outputs as data. sphinx-book-theme lists a page's notebook in its
   download menu when the page context names it (``ipynb_source``, which the theme itself sets
   only for launch buttons, which this book has none of), so the link sits beside the page's
   ``.md`` and ``.pdf``. The chapters read data through :data:`hanoi_evidence.paths.DATA_DIR`,
   which does not depend on the working directory, so a downloaded notebook runs from any folder
   in the project's environment (``tests/test_notebooks.py`` runs each one in an empty folder).
2. The data package. ``hanoi-evidence-data.zip`` at the root of the HTML output holds every file
   in ``data/`` under ``data/``, and ``data/SHA256SUMS`` (``sha256sum -c`` reads it). The zip is
   deterministic (sorted members, fixed timestamps and permissions): two builds of the same data
   give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import jupytext
from sphinx.application import Sphinx

DATA_ZIP = "hanoi-evidence-data.zip"
CHECKSUMS = "SHA256SUMS"
ZIP_FOLDER = "data"
# The earliest time a zip can hold: no member carries the time of the build.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# 1. Notebooks -------------------------------------------------------------------------------
def chapter_notebook(source: Path):
    """The chapter at ``source`` as a notebook without outputs, or None if it is not executable."""
    notebook = jupytext.read(source)  # a text notebook has no outputs to strip
    if "kernelspec" not in notebook.metadata:
        return None
    # jupytext draws each cell's id at random; numbered ids make two builds write the same file.
    for number, cell in enumerate(notebook.cells, start=1):
        cell.id = f"cell-{number}"
    return notebook


def offer_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Write the page's notebook into ``_sources`` and name it for the theme's download menu."""
    if doctree is None or pagename not in app.env.all_docs:
        return
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md":
        return
    notebook = chapter_notebook(source)
    if notebook is None:
        return
    target = Path(app.outdir, "_sources", pagename + ".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    context["ipynb_source"] = pagename + ".ipynb"


# 2. The data package ------------------------------------------------------------------------
def data_package_zip(data_dir: Path) -> bytes:
    """Every file in ``data_dir`` and their SHA-256 digests, as the bytes of a deterministic zip."""
    files = (path for path in Path(data_dir).rglob("*") if path.is_file())
    members = dict(sorted((path.relative_to(data_dir).as_posix(), path.read_bytes()) for path in files))
    members[CHECKSUMS] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in members.items()
    ).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{ZIP_FOLDER}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    return buffer.getvalue()


def write_data_zip(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        Path(app.outdir, DATA_ZIP).write_bytes(data_package_zip(Path(app.srcdir) / "data"))


def setup(app: Sphinx) -> dict:
    # Before the theme builds its header buttons (priority 501) from the page context.
    app.connect("html-page-context", offer_notebook, priority=500)
    app.connect("build-finished", write_data_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
