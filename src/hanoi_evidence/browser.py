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
4. Computed values. myst-nb sets every glued value in bold, which made up to a third of some
   chapters bold. The style sheet ``_static/browser.css`` sets them in the weight around them;
   a post-transform adds the class ``computed-number`` to those whose text is a number
   ("89%", "four", "more than 300 million", "26 January 2026"), which the style sheet marks
   with a thin dotted underline. Glued words and sentences stay unmarked.
5. Table captions. pydata-sphinx-theme puts each ``<table>`` in a horizontal scroller, so a
   caption (a ``<caption>`` inside the table) scrolls with it and is cut off on a phone. The
   table and title visitors below write the caption as a paragraph above the scroller, and
   name the table by it (``aria-labelledby``). The theme gives a scroller that overflows
   ``tabindex="0"`` so that keyboards can scroll it; the style sheet shows a "scroll
   sideways" hint under the caption of exactly those tables. A link to a table points at the
   ``<table>`` (its id stays there), so ``_static/browser.js`` scrolls its caption into view.
6. Wide tables on a phone. A table of four or more columns is unreadable at a phone's width
   (columns a few words wide, the last ones out of sight), so on a narrow screen the style
   sheet stacks it: each row becomes a block, each cell a line headed by its column's name.
   The entry visitor writes that name as the cell's ``data-label`` (the header row itself is
   hidden from sight there, not from screen readers).
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from hanoi_evidence.text import LARGE_NUMBER_WORDS, SMALL_NUMBER_WORDS

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


def page_description(app: Sphinx, context: dict, doctree) -> str:
    """What a page is about, in at most DESCRIPTION_LENGTH characters: its first paragraph of
    prose, or for a page without prose its title and the book's."""
    text = first_paragraph(doctree)
    if not text:
        book = str(app.config.html_title or app.config.project)
        title = re.sub(r"<[^>]+>", "", str(context.get("title") or ""))
        text = f"{html.unescape(title)} — {book}" if title and title != book else book
    return shorten(text)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave out thebe's assets; link the icon; add the meta description."""
    context["script_files"] = [s for s in context.get("script_files", []) if not _is_thebe_asset(s)]
    context["css_files"] = [s for s in context.get("css_files", []) if not _is_thebe_asset(s)]
    icon = context["pathto"](ICON, 1)
    metatags = context.get("metatags", "") + f'\n<link rel="icon" href="{icon}" />'
    if 'name="description"' not in metatags:
        metatags += f'\n<meta name="description" content="{html.escape(page_description(app, context, doctree))}" />'
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


# 4. Computed numbers ---------------------------------------------------------------------
NUMBER_CLASS = "computed-number"
# Number words and scales from hanoi_evidence.text, which writes the glued values.
_NUMERAL = r"\d[\d,.]*(?:%|st|nd|rd|th)?|(?i:" + "|".join(SMALL_NUMBER_WORDS) + ")"
_SCALE = "|".join(["%", "percent", "times", *(word for _, word in LARGE_NUMBER_WORDS)])
NUMBER = re.compile(
    r"(?:[A-Za-z]+ ){0,2}"  # a bound: "more than", "up to", "an estimated"
    rf"(?:{_NUMERAL})(?:–(?:{_NUMERAL}))?"  # a number or a range: "13.3%", "16–58%", "four"
    rf"(?: (?:{_SCALE}|[A-Z][a-z]+ \d{{4}}))?"  # a scale, or a date's month and year
    r"(?: [a-z]+)?"  # what is counted: "one article"
)


def is_number(text: str) -> bool:
    """Whether a glued value reads as a number, not as a word, label or sentence with digits in it."""
    return NUMBER.fullmatch(" ".join(text.split())) is not None


class MarkComputedNumbers(SphinxPostTransform):
    """Add ``computed-number`` to the glued values (``span.pasted-text``) that are numbers."""

    default_priority = 200  # after myst-nb pastes values glued on other pages (priority 5)
    formats = ("html",)  # the PDF sets glued values as plain text

    def run(self, **kwargs) -> None:
        for node in self.document.findall(nodes.inline):
            if "pasted-text" in node["classes"] and is_number(node.astext()):
                node["classes"].append(NUMBER_CLASS)


# 5. Table captions above the scroller ---------------------------------------------------
# The translator's own methods (the theme's, which add the scroller) are reached through its
# class, since these handlers replace them on the instance.
def visit_table(self, node: nodes.table) -> None:
    self.body.append('<div class="table-block">\n')
    if not (node.children and isinstance(node[0], nodes.title)):
        type(self).visit_table(self, node)
    # Otherwise the scroller and <table> open once the caption is written (depart_title).


def depart_table(self, node: nodes.table) -> None:
    type(self).depart_table(self, node)
    self.body.append("</div>\n")


def _caption_id(table: nodes.table) -> str:
    return f"{table['ids'][0]}-caption"


def visit_title(self, node: nodes.title) -> None:
    if not isinstance(node.parent, nodes.table):
        return type(self).visit_title(self, node)
    table = node.parent
    if not table["ids"]:
        self.document.set_id(table)
    node["ids"].insert(0, _caption_id(table))
    node["classes"].append("table-caption")
    start = len(self.body)
    type(self).visit_title(self, node)
    # docutils opens a <caption>, which belongs inside the <table>; above it, it is a paragraph.
    opening = next(i for i in range(start, len(self.body)) if self.body[i].startswith("<caption"))
    self.body[opening] = "<p" + self.body[opening].removeprefix("<caption")
    self.context[-1] = "</p>\n"


def depart_title(self, node: nodes.title) -> None:
    type(self).depart_title(self, node)
    if isinstance(node.parent, nodes.table):
        type(self).visit_table(self, node.parent)
        labelled = f'<table aria-labelledby="{_caption_id(node.parent)}"'
        self.body[-1] = labelled + self.body[-1].removeprefix("<table")


# 6. Wide tables stacked on a phone ------------------------------------------------------
STACKED_CLASS = "stack-on-phone"
MIN_STACKED_COLUMNS = 4  # fewer columns fit a phone's width


class LabelCellsByColumn(SphinxPostTransform):
    """Give each body cell of a wide table its column's header text, for the stacked layout."""

    default_priority = 210
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for group in self.document.findall(nodes.tgroup):
            heads = [child for child in group.children if isinstance(child, nodes.thead)]
            if group.get("cols", 0) < MIN_STACKED_COLUMNS or not heads or "shaded" in group.parent["classes"]:
                continue
            names = [entry.astext() for entry in heads[0].findall(nodes.entry)]
            group.parent["classes"].append(STACKED_CLASS)
            for body in group.findall(nodes.tbody):
                for row in body.children:
                    for name, entry in zip(names, row.children, strict=False):
                        entry["data-label"] = " ".join(name.split())


def visit_entry(self, node: nodes.entry) -> None:
    type(self).visit_entry(self, node)
    if node.get("data-label"):
        self.body[-1] = self.body[-1].replace("<td", f'<td data-label="{html.escape(node["data-label"])}"', 1)


def depart_entry(self, node: nodes.entry) -> None:
    type(self).depart_entry(self, node)


def setup(app: Sphinx) -> dict:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.table, override=True, html=(visit_table, depart_table))
    app.add_node(nodes.title, override=True, html=(visit_title, depart_title))
    app.add_node(nodes.entry, override=True, html=(visit_entry, depart_entry))
    app.add_post_transform(MarkComputedNumbers)
    app.add_post_transform(LabelCellsByColumn)
    app.connect("doctree-resolved", drop_thebe_nodes, priority=900)  # after sphinx-thebe's
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", write_icon)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
