"""A package for every figure: its data, their description, its image and how to cite it.

A Sphinx extension (listed in ``_config.yml`` under ``sphinx: extra_extensions``). Each figure of
the report carries its plotted table in its notebook output (:func:`.figures.style.plotted`, as
:data:`.figures.style.FIGURE_DATA_MIME`, beside its SVG). For each figure cell (one with
``mystnb.figure.name``) this writes into the HTML output, under ``figures/``:

- ``<name>.csv``: the rows and columns the figure draws, as the kernel wrote them;
- ``<name>.json``: a Frictionless data resource describing the CSV (title, fields, sources, licence);
- ``<name>.svg``: the figure's image, the same bytes as the page shows;

and adds a line under the figure's caption, in HTML only, linking to the three files, with a
"Cite this figure" box (a text citation and a BibTeX entry) built from CITATION.cff and VERSION
through :mod:`hanoi_evidence.edition`. The links are relative, so they work offline.

The executed notebook is the one myst-nb writes to ``jupyter_execute/`` while it parses a page;
taken from the execution cache, that copy has no outputs, so they are merged from the cache as
myst-nb itself merges them. What each page's figures need is kept in the Sphinx environment,
so that incremental and parallel builds publish every figure.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.osutil import relative_uri

from hanoi_evidence import edition
from hanoi_evidence.figures.style import FIGURE_DATA_MIME
from hanoi_evidence.text import join_words

FOLDER = "figures"
ENV_KEY = "hanoi_figure_data"
CSV_MEDIATYPE = "text/csv"
LINK_CLASS = "figure-data"
logger = logging.getLogger(__name__)


class FigureDataMime:
    """A myst-nb mime renderer (entry point ``myst_nb.mime_renderers`` in pyproject.toml): the
    figure's data payload is read from the notebook by this extension, and drawn by no builder."""

    mime_priority_overrides = [("*", FIGURE_DATA_MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool) -> list | None:
        return [] if data.mime_type == FIGURE_DATA_MIME else None


# Reading: each page's figures from its executed notebook -------------------------------------
def executed_notebook(build: Path, docname: str, cache: Path):
    """The page's notebook as myst-nb executed it, outputs included (``build``: the folder that
    holds jupyter_execute/; ``cache``: the execution cache); None for a page that is not one."""
    path = build / "jupyter_execute" / f"{docname}.ipynb"
    if not path.is_file():
        return None
    notebook = nbformat.read(path, as_version=4)
    if any(cell.get("outputs") for cell in notebook.cells):
        return notebook  # executed in place, not from the cache
    from jupyter_cache import get_cache

    try:
        return get_cache(cache).merge_match_into_notebook(notebook)[1]
    except KeyError:  # not executed (a page without code, or execution switched off)
        return notebook


def page_figures(notebook) -> dict[str, dict]:
    """Each figure cell's name with its plotted table, description and SVG, from the output that holds them."""
    found = {}
    for cell in notebook.cells:
        name = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("name")
        for output in cell.get("outputs", []) if name else ():
            data = output.get("data", {})
            if "image/svg+xml" in data and FIGURE_DATA_MIME not in data:
                logger.warning(
                    f"{name} has no plotted table: draw it through hanoi_evidence.figures.style.plotted "
                    "(or, if it is, clear a stale execution cache and build again)"
                )
            elif "image/svg+xml" in data:
                found[name] = {**data[FIGURE_DATA_MIME], "svg": data["image/svg+xml"]}
    return found


def read_figures(app: Sphinx, doctree: nodes.document) -> None:
    cache = Path(app.env.mystnb_config.execution_cache_path)
    notebook = executed_notebook(Path(app.outdir).parent, app.env.docname, cache)
    figures = page_figures(notebook) if notebook is not None else {}
    if figures:
        if not hasattr(app.env, ENV_KEY):
            setattr(app.env, ENV_KEY, {})
        getattr(app.env, ENV_KEY)[app.env.docname] = figures


def purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, ENV_KEY, {}).pop(docname, None)


def merge(app: Sphinx, env, docnames: set[str], other) -> None:
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    getattr(env, ENV_KEY).update(
        {name: figures for name, figures in getattr(other, ENV_KEY, {}).items() if name in docnames}
    )


# The files ----------------------------------------------------------------------------------
def descriptor(name: str, figure: dict) -> dict:
    """The figure's CSV as a Frictionless data resource."""
    fields = figure["schema"]["fields"]
    return {
        "name": name,
        "title": figure["title"],
        "path": f"{name}.csv",
        "format": "csv",
        "mediatype": CSV_MEDIATYPE,
        "encoding": "utf-8",
        # Keys in the Frictionless order: the notebook's JSON sorts them.
        "schema": {"fields": [{key: field[key] for key in ("name", "type", "description")} for field in fields]},
        "sources": figure["sources"],
        "licenses": [{key: licence[key] for key in ("name", "title", "path")} for licence in figure["licenses"]],
    }


def figure_files(name: str, figure: dict) -> dict[str, bytes]:
    """The three files of one figure, by file name: the same bytes for the same figure."""
    return {
        f"{name}.csv": figure["csv"].encode("utf-8"),
        f"{name}.json": (json.dumps(descriptor(name, figure), indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        # Lines joined as myst-nb joins them when it writes the page's image: the same bytes.
        f"{name}.svg": os.linesep.join(figure["svg"].splitlines()).encode("utf-8"),
    }


def write_files(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir, FOLDER)
    for figures in getattr(app.env, ENV_KEY, {}).values():
        for name, figure in figures.items():
            folder.mkdir(exist_ok=True)
            for file_name, content in figure_files(name, figure).items():
                (folder / file_name).write_bytes(content)


# The line under each caption ----------------------------------------------------------------
def source_titles(figure: dict) -> str:
    return "; ".join(source["title"] for source in figure["sources"])


def citation_text(number: str, figure: dict) -> str:
    """The figure's citation in words: the report's authors, year, title and version, the
    figure's number and title, and its own sources."""
    url = edition.web_addresses()["html"]
    return (
        f"{join_words(edition.authors())} ({edition.release_date().year}). {number}: {figure['title']}. "
        f"In {edition.title()}, version {edition.version()}. Sources: {source_titles(figure)}. "
        f"Licence: {figure['licenses'][0]['title']}.{f' {url}' if url else ''}"
    )


def citation_bibtex(name: str, number: str, figure: dict) -> str:
    """The figure's citation as a BibTeX entry, laid out as the report's own (:func:`hanoi_evidence.edition.bibtex`)."""
    fields = [
        ("author", "{" + " and ".join("{" + author + "}" for author in edition.authors()) + "}"),
        ("title", "{{" + edition.tex_escape(f"{number}: {figure['title']}") + "}}"),
        ("howpublished", "{In " + edition.tex_escape(edition.title()) + ", version " + edition.version() + "}"),
        ("year", "{" + str(edition.release_date().year) + "}"),
        (
            "note",
            "{Sources: "
            + edition.tex_escape(source_titles(figure))
            + "; licence: "
            + figure["licenses"][0]["title"]
            + "}",
        ),
    ]
    if url := edition.web_addresses()["html"]:
        fields.append(("url", "{" + url + "}"))
    return edition.bibtex_entry(f"{edition.BIBTEX_KEY}_{name.replace('-', '_')}", fields)


def links_html(name: str, number: str, figure: dict, to_folder: str) -> str:
    """The line under a figure's caption: its three files, and how to cite it."""
    links = [
        (f"{name}.csv", "Data (CSV)"),
        (f"{name}.json", "Description (JSON)"),
        (f"{name}.svg", "Image (SVG)"),
    ]
    anchors = "".join(
        f'<a href="{html.escape(to_folder + file_name)}">{text}</a><span aria-hidden="true"> · </span>'
        for file_name, text in links
    )
    return (
        f'<div class="{LINK_CLASS}" role="group" aria-label="{html.escape(number)}: data, image and citation">'
        f"{anchors}<details><summary>Cite this figure</summary>"
        f"<p>{html.escape(citation_text(number, figure))}</p>"
        # Kept as written (not wrapped) and scrolled sideways on a phone: focusable, so a keyboard
        # scrolls it too.
        f'<pre tabindex="0" aria-label="BibTeX entry">{html.escape(citation_bibtex(name, number, figure))}</pre>'
        "</details></div>\n"
    )


def add_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    figures = getattr(app.env, ENV_KEY, {}).get(docname, {})
    if app.builder.format != "html" or not figures:
        return
    numbers = app.env.toc_fignumbers.get(docname, {}).get("figure", {})
    to_folder = relative_uri(app.builder.get_target_uri(docname), FOLDER + "/")
    for figure in list(doctree.findall(nodes.figure)):
        name = next((i for i in figure["ids"] if i in figures), None)
        if name is None:
            continue
        number = app.config.numfig_format["figure"] % ".".join(map(str, numbers[name]))
        line = nodes.raw("", links_html(name, number.strip(), figures[name], to_folder), format="html")
        figure.parent.insert(figure.parent.index(figure) + 1, line)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-read", read_figures)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", add_links)
    app.connect("build-finished", write_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
