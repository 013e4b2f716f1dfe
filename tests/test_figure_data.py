"""A package for every figure: the data it draws, their description, its image and its citation.

Read from the built book (conftest's ``html_dir``). The figures are found from the HTML (every
``<figure id="fig-…">``), not from a list, so a new figure is checked without editing this file.

Guarantees:
- under each figure's caption, one line links to its CSV, its JSON description and its SVG
  (relative links, to files that exist) and holds a "Cite this figure" box naming the report,
  its version, the figure's number and title, and its sources;
- the CSV holds exactly what the figure draws: read back and drawn again by the figure's own
  drawing function, it gives the very SVG the book shows, byte for byte;
- the description's fields are the CSV's header, typed as the CSV reads, and its sources are
  the ones the figure's credit line names;
- the files are a function of the figure alone: written twice, the same bytes; and a figure's
  data computed again, in another process than the build's kernel, gives the same CSV.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from IPython.core.pylabtools import print_figure

from hanoi_evidence import claims, edition, figuredata, figures, verdicts
from hanoi_evidence.figures.style import read_plotted, use_report_style
from test_figures import cites, figure_text

# The Frictionless field types a plotted table's columns take.
FIELD_TYPES = {"string", "integer", "number", "boolean", "date"}
FIGURE = re.compile(r'<figure[^>]*id="(fig-[^"]+)".*?</figure>\s*(<div class="figure-data".*?</div>)?', re.S)


def built_figures(html_dir: Path) -> dict[str, tuple[str, str]]:
    """Each figure of the built book by id: its page and the line under its caption ('' if none)."""
    found = {}
    for path in sorted((html_dir / "chapters").glob("*.html")):
        for figure_id, line in FIGURE.findall(path.read_text(encoding="utf-8")):
            found[figure_id] = (path.relative_to(html_dir).as_posix(), line)
    return found


@pytest.fixture(scope="module")
def book(html_dir) -> dict[str, tuple[str, str]]:
    found = built_figures(html_dir)
    assert len(found) >= 10, f"only {len(found)} figures found in the book"
    return found


@pytest.fixture(scope="module")
def payloads(html_dir, book) -> dict[str, dict]:
    """Each figure's payload (its plotted table, description and drawing) from its executed notebook."""
    build = html_dir.parent
    found = {}
    for page in sorted({page for page, _ in book.values()}):
        notebook = figuredata.executed_notebook(build, page.removesuffix(".html"), build / ".jupyter_cache")
        found |= figuredata.page_figures(notebook)
    return found


def _file(html_dir: Path, page: str, href: str) -> Path:
    return (html_dir / page).parent / href


# --- the line under the caption ----------------------------------------------------------------
def test_every_figure_links_its_data_image_and_citation(html_dir, book):
    missing = [figure_id for figure_id, (_, line) in book.items() if not line]
    assert missing == [], f"figures without the line of links: {missing}"
    for figure_id, (page, line) in book.items():
        links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', line))
        expected = {"Data (CSV)": ".csv", "Description (JSON)": ".json", "Image (SVG)": ".svg"}
        assert {text: Path(href).suffix for text, href in links.items()} == expected, figure_id
        for href in links.values():
            assert not re.match(r"[a-z]+:|/", href), f"{figure_id}: {href} is not relative"
            assert Path(href).stem == figure_id and _file(html_dir, page, href).is_file(), href


def test_the_citation_names_the_report_the_figure_and_its_sources(html_dir, book, payloads):
    for figure_id, (page, line) in book.items():
        cite = re.search(
            r"<details><summary>Cite this figure</summary><p>(.*?)</p><pre[^>]*>(.*?)</pre></details>", line, re.S
        )
        assert cite, f"{figure_id} has no citation box"
        text, bibtex = (html.unescape(part) for part in cite.groups())
        caption = re.search(
            rf'<figure[^>]*id="{figure_id}".*?caption-number">(.*?)</span>', _page(html_dir, page), re.S
        )
        number = " ".join(caption.group(1).split())  # "Fig. 2.1"
        payload = payloads[figure_id]
        for needed in (edition.title(), f"version {edition.version()}", f"{number}: {payload['title']}"):
            assert needed in text, (figure_id, needed)
        assert all(source["title"] in text for source in payload["sources"]), figure_id
        assert bibtex.startswith("@misc{") and f"{{{edition.release_date().year}}}" in bibtex
        assert edition.tex_escape(f"{number}: {payload['title']}") in " ".join(bibtex.split())


def _page(html_dir: Path, page: str) -> str:
    return (html_dir / page).read_text(encoding="utf-8")


# --- the CSV draws the figure --------------------------------------------------------------------
def redraw(payload: dict, csv: Path, descriptor: dict) -> str:
    """The SVG of the figure drawn again from its CSV, as the kernel's inline backend writes it."""
    use_report_style()
    module, _, name = payload["drawing"]["function"].rpartition(".")
    draw = getattr(importlib.import_module(module), name)
    fig = draw(read_plotted(csv, descriptor["schema"]["fields"]), **payload["drawing"]["options"])

    try:
        # In the kernel (pyplot in interactive mode) a figure is drawn on its canvas before its SVG
        # is written, and constrained layout refines the layout at each draw: same steps, same bytes.
        fig.canvas.draw()
        return print_figure(fig, "svg", bbox_inches="tight")
    finally:
        plt.close(fig)


def test_each_csv_read_back_redraws_its_figure_byte_for_byte(html_dir, book, payloads):
    for figure_id, (page, _) in book.items():
        folder = html_dir / figuredata.FOLDER
        descriptor = json.loads((folder / f"{figure_id}.json").read_text(encoding="utf-8"))
        shown = re.search(rf'<figure[^>]*id="{figure_id}".*?<img[^>]*src="([^"]+)"', _page(html_dir, page), re.S)
        image = _file(html_dir, page, shown.group(1)).read_text(encoding="utf-8")
        assert (folder / f"{figure_id}.svg").read_text(encoding="utf-8") == image, f"{figure_id}: not the page's image"
        drawn = redraw(payloads[figure_id], folder / f"{figure_id}.csv", descriptor)
        # Lines joined as myst-nb joins them when it writes an image.
        assert os.linesep.join(drawn.splitlines()) == image, f"{figure_id}: its CSV does not draw the book's figure"


# --- the description ---------------------------------------------------------------------------
def test_the_description_matches_the_csv_and_the_credit_line(html_dir, book):
    folder = html_dir / figuredata.FOLDER
    for figure_id in book:
        descriptor = json.loads((folder / f"{figure_id}.json").read_text(encoding="utf-8"))
        header = (folder / f"{figure_id}.csv").read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        fields = descriptor["schema"]["fields"]
        assert [field["name"] for field in fields] == header, figure_id
        assert all(field["description"] and field["type"] in FIELD_TYPES for field in fields), figure_id
        assert (descriptor["path"], descriptor["mediatype"]) == (f"{figure_id}.csv", "text/csv")
        assert [licence["name"] for licence in descriptor["licenses"]] == ["CC-BY-4.0"]
        credit = re.search(r"Source: (.*?) · Chart: ", figure_text(folder / f"{figure_id}.svg"))
        footer = credit.group(1).split("; ")
        titles = [source["title"] for source in descriptor["sources"]]
        assert len(titles) == len(footer) and all(map(cites, footer, titles)), (figure_id, footer, titles)
        title = " ".join(figure_text(folder / f"{figure_id}.svg").split())
        assert " ".join(descriptor["title"].split()) in title, figure_id


# --- the same bytes ------------------------------------------------------------------------------
def test_the_files_are_a_function_of_the_figure(html_dir, payloads):
    for figure_id, payload in payloads.items():
        files = figuredata.figure_files(figure_id, payload)
        assert files == figuredata.figure_files(figure_id, json.loads(json.dumps(payload)))
        for name, content in files.items():
            assert (html_dir / figuredata.FOLDER / name).read_bytes() == content, name


@pytest.mark.parametrize(
    "figure_id, draw",
    [
        ("fig-verdicts", lambda: figures.verdicts(verdicts.verdict_counts(), verdicts.verdict_labels())),
        ("fig-wr-reports", lambda: figures.reports(claims.enticement_reports())),
    ],
)
def test_a_figure_s_data_computed_again_gives_the_same_csv(html_dir, figure_id, draw):
    fig = draw()
    plt.close(fig)
    assert (html_dir / figuredata.FOLDER / f"{figure_id}.csv").read_text(encoding="utf-8") == fig.figure_data["csv"]


def test_on_a_phone_the_bibtex_entry_keeps_its_lines_and_scrolls_sideways(browser, base_url):
    """Wrapped on a narrow screen, an entry's long fields ran into its continuation lines; the
    entry keeps the lines it is written in, in a box the keyboard can scroll."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "chapters/viet-nam.html", wait_until="networkidle")
    page.locator(".figure-data summary").first.click()
    entry = page.locator(".figure-data pre").first
    written = entry.text_content().count("\n") + 1
    shown = entry.evaluate(
        """e => { const s = getComputedStyle(e);
          const text = e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
          return [Math.round(text / parseFloat(s.lineHeight)), e.scrollWidth > e.clientWidth,
                  e.getBoundingClientRect().right <= innerWidth, e.tabIndex]; }"""
    )
    context.close()
    lines, scrolls, inside_the_screen, tab_index = shown
    assert lines == written and scrolls and inside_the_screen and tab_index == 0, shown
