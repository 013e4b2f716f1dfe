"""Social previews: Open Graph and Twitter metadata for every page, with a preview card of its own.

A Sphinx extension (listed in ``_config.yml`` under ``sphinx: extra_extensions``); it loads
sphinxext-opengraph, which writes the tags. Each page's card is drawn here, in the report's
palette and font, from the page's title and description, and served from the book's own files
(``_images/previews/<page>.png``, 1200 × 630 pixels, the size the platforms crop to).
sphinxext-opengraph's own cards are not used: they carry Sphinx's logo, and without a web
address they are linked relative to the site's root, a path that is wrong from any page in
``chapters/``.

Tags are absolute only where an absolute address is known: CITATION.cff's ``url`` (see
:func:`hanoi_evidence.edition.web_addresses`) becomes ``ogp_site_url``. While the book has no web
address, the card is linked relative to the page and ``og:url`` is left out, rather than a
relative path standing in for a canonical address.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle
from sphinx.application import Sphinx

from hanoi_evidence import edition
from hanoi_evidence.browser import page_description
from hanoi_evidence.figures.style import BLUE, QUIET, wrap
from hanoi_evidence.language import open_graph_locale

CARD_FOLDER = "_images/previews"
CARD_SIZE = (1200, 630)  # pixels
INK = "#1A1A1A"
_OG_URL = re.compile(r'\n?<meta property="og:url" content="[^"]*" />')


def card_path(pagename: str) -> str:
    """Where a page's card is, relative to the root of the HTML output."""
    return f"{CARD_FOLDER}/{pagename.replace('/', '_')}.png"


def draw_card(title: str, description: str, book: str, footer: str) -> bytes:
    """A preview card: the book's mark and name, the page's title and what the page shows."""
    width, height = CARD_SIZE
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y grows downwards, like the page
    ax.axis("off")
    ax.add_patch(Rectangle((0, 0), 24, height, color=BLUE))
    # The book's icon (browser.draw_icon): three white bars on a blue tile.
    ax.add_patch(FancyBboxPatch((80, 60), 64, 64, boxstyle="round,pad=0,rounding_size=12", color=BLUE))
    for index, bar in enumerate((20, 36, 48)):
        ax.add_patch(Rectangle((92 + index * 16, 114 - bar), 9, bar, color="white"))
    text = {"family": "DejaVu Sans", "va": "top", "ha": "left"}
    ax.text(170, 70, wrap(book, 9.3, 19), fontsize=19, color=QUIET, linespacing=1.3, **text)
    heading = wrap(title, 10.4, 40, "bold").split("\n")[:3]
    ax.text(80, 175, "\n".join(heading), fontsize=40, fontweight="bold", color=INK, linespacing=1.15, **text)
    below = 175 + 66 * len(heading) + 30
    lines = wrap(description, 10.4, 23).split("\n")
    room = max(1, (height - 90 - below) // 43)
    if len(lines) > room:
        lines = lines[: room - 1] + [wrap(lines[room - 1], 10.0, 23).split("\n")[0].rstrip(",;:") + "…"]
    ax.text(80, below, "\n".join(lines), fontsize=23, color=INK, linespacing=1.35, **text)
    ax.text(80, height - 45, footer, fontsize=17, color=QUIET, **text)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def configure(app: Sphinx, config) -> None:
    """config-inited: absolute tags from the book's web address, where it has one; no cards of
    sphinxext-opengraph's; no second meta description (hanoi_evidence.browser writes it)."""
    config.ogp_site_url = edition.web_addresses()["html"]
    config.ogp_site_name = edition.title()
    config.ogp_social_cards = {"enable": False}
    config.ogp_enable_meta_description = False
    config.ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image" />']


def add_card(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Before sphinxext-opengraph writes the tags: draw the page's card, and name it and the
    page's description in the page's metadata, which the tags take precedence from."""
    if doctree is None or app.builder.format != "html":
        return
    description = page_description(app, context, doctree)
    title = html.unescape(re.sub(r"<[^>]+>", "", str(context.get("title") or "")))
    target = Path(app.outdir, card_path(pagename))
    target.parent.mkdir(parents=True, exist_ok=True)
    footer = f"Version {edition.version()} · Text and figures CC BY 4.0"
    target.write_bytes(draw_card(title, description, edition.title(), footer))
    # With a web address, sphinxext-opengraph joins the card's path to it; without, the page's
    # relative path to the card is the only address that works.
    image = card_path(pagename) if app.config.ogp_site_url else context["pathto"](card_path(pagename), 1)
    meta = context.get("meta") or {}
    meta.update({"og:image": image, "og:image:alt": f"Preview card: {title}", "og:description": description})
    meta.update({"og:image:width": str(CARD_SIZE[0]), "og:image:height": str(CARD_SIZE[1])})
    context["meta"] = meta


def finish_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """After sphinxext-opengraph: the page's locale, which it does not write; no og:url while
    the book has no web address (it would be a path relative to nothing)."""
    if doctree is None or app.builder.format != "html":
        return
    tags = context.get("metatags", "")
    if not app.config.ogp_site_url:
        tags = _OG_URL.sub("", tags)
    context["metatags"] = f'{tags}\n<meta property="og:locale" content="{open_graph_locale(app, pagename)}" />'


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinxext.opengraph")
    app.connect("config-inited", configure)
    app.connect("html-page-context", add_card, priority=400)  # sphinxext-opengraph's runs at 500
    app.connect("html-page-context", finish_tags, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
