"""What the reader's browser gets: accessible markup, no third-party requests, a description.

A Sphinx extension (listed in ``_config.yml`` under ``sphinx: extra_extensions``). It changes
the generated HTML in three places, each the smallest change at the level where the problem is;
``tests/test_browser.py`` checks the result in a real browser.

1. Bibliography markup. docutils writes each citation as ``<div role="doc-biblioentry">``
   inside ``<div role="list">``. ARIA 1.3 deprecates ``doc-biblioentry``, and a ``list`` must
   own ``listitem`` children, so axe-core reports a critical violation
   (``aria-required-children``) on the bibliography page. The citation visitor below writes
   the same markup with ``role="listitem"``.
2. Thebe. Jupyter Book always loads sphinx-thebe, which adds an inline script declaring
   ``const THEBE_JS_URL`` (pointing at a CDN) to every page, and sometimes twice, which is a
   JavaScript error. The book runs no code in the browser (``launch_buttons: thebe: false``),
   so its scripts, style sheet and per-page configuration are left out of the pages.
3. Head. An icon, ``favicon.ico``, drawn at build time and linked from every page, so that
   no browser asks for a file that does not exist (a 404 in the console); and a meta
   description: every page gets ``<meta name="description">`` made from its first paragraph
   of prose (each chapter opens by saying what it shows), unless the page sets one itself
   (MyST front matter ``html_meta: description: ...``). A page without prose (the index,
   the search page, a page still empty) is described by its title and the book's.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

DESCRIPTION_LENGTH = 160  # characters; what search engines show
ICON = "favicon.ico"  # at the root of the HTML output, where browsers look for it
THEBE_FILES = ("sphinx-thebe.js", "sphinx-thebe.css")


# 1. Bibliography entries as list items --------------------------------------------------
def visit_citation(self, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


# 2. No thebe ----------------------------------------------------------------------------
def _is_thebe_asset(asset) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return filename.endswith(THEBE_FILES) or "THEBE_JS_URL" in body or "thebe" in filename.lower()


def drop_thebe_nodes(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove the raw ``<script>`` blocks sphinx-thebe appends to each notebook page."""
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "text/x-thebe-config" in text or re.search(r"<script>\s*kernelName\s*=", text):
            raw.parent.remove(raw)


# 3. Meta description --------------------------------------------------------------------
def first_paragraph(doctree: nodes.document | None) -> str:
    """The text of the first paragraph that is prose, not a note, caption or table cell."""
    if doctree is None:
        return ""
    skip = (
        nodes.Admonition,
        nodes.caption,
        nodes.table,
        nodes.figure,
        nodes.citation,
        nodes.footnote,
        nodes.list_item,
        nodes.field_list,
        nodes.topic,
        nodes.sidebar,
    )
    for paragraph in doctree.findall(nodes.paragraph):
        parent, inside = paragraph.parent, False
        while parent is not None:
            if isinstance(parent, skip) or "toctree-wrapper" in parent.get("classes", []):
                inside = True
                break
            parent = parent.parent
        text = " ".join(paragraph.astext().split())
        if not inside and len(text) >= 40:
            return text
    return ""


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """Cut ``text`` at a word boundary so that it fits ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave out thebe's assets; link the icon; add the meta description."""
    context["script_files"] = [s for s in context.get("script_files", []) if not _is_thebe_asset(s)]
    context["css_files"] = [s for s in context.get("css_files", []) if not _is_thebe_asset(s)]
    icon = context["pathto"](ICON, 1)
    metatags = context.get("metatags", "") + f'\n<link rel="icon" href="{icon}" />'
    if 'name="description"' not in metatags:
        text = first_paragraph(doctree)
        if not text:
            book = str(app.config.html_title or app.config.project)
            title = re.sub(r"<[^>]+>", "", str(context.get("title") or ""))
            text = f"{html.unescape(title)} — {book}" if title and title != book else book
        metatags += f'\n<meta name="description" content="{html.escape(shorten(text))}" />'
    context["metatags"] = metatags


def draw_icon() -> bytes:
    """The book's icon: three white bars on the report's blue (Okabe–Ito), 16 and 32 pixels."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 31, 31), radius=6, fill="#0072B2")
    for index, height in enumerate((10, 18, 24)):
        left = 6 + index * 8
        draw.rectangle((left, 27 - height, left + 4, 27), fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=[(32, 32), (16, 16)])
    return buffer.getvalue()


def write_icon(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        (Path(app.outdir) / ICON).write_bytes(draw_icon())


def setup(app: Sphinx) -> dict:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.connect("doctree-resolved", drop_thebe_nodes, priority=900)  # after sphinx-thebe's
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", write_icon)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
