"""Figures a journalist can reuse: legible where the theme shows them, carrying their sources and
licence inside the image, labelled in words, and honest about bounds.

The book is built once for the session (conftest's ``html_dir``) and opened in the session's
Chromium, on a 1366-px desktop and a 390-px phone, in light and dark colour mode; the figures'
SVG files are read from the build.

Guarantees:
- every figure in the book is served as SVG, or as a raster at least twice its display width;
- no text in the report's figures is smaller, as displayed, than the theme's caption text on the
  desktop (figures are shown at their natural size there) or than :data:`PHONE_MIN_PX` on the phone;
- every figure names its sources (all that its caption cites) and the licence, and no figure
  text is a data id, a column name or a bibliography key;
- a ratio to a lower bound is drawn and titled as a lower bound, and a title counts only what
  its chart asserts;
- the grid of Part III is a table that fits a phone's width without scrolling sideways;
- each figure's notebook output holds a PDF beside the SVG, for the PDF edition.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from hanoi_evidence import claims, figures
from hanoi_evidence.tables import load_table

# The report's figures, by chapter.
FIGURES = {
    "sources": ["fig-topics", "fig-cleaning", "fig-timeline"],
    "viet-nam": ["fig-vn-panels"],
    "world-region": ["fig-wr-reports", "fig-wr-women"],
    "ocsea-tfgbv": ["fig-harms"],
    "convention": ["fig-coverage"],
    "unknowns": ["fig-comparability"],
    "index": ["fig-verdicts"],
}
VIEWPORTS = {"desktop": 1366, "phone": 390}
# On a phone, figure text may be smaller than the theme's 16-px captions (a figure is scaled to
# the column), but no smaller than this: the floor the report's figures are designed for.
PHONE_MIN_PX = 12
TOLERANCE_PX = 0.05  # rounding in the browser's layout

MEASURE = """() => Array.from(document.querySelectorAll('figure[id]')).map(figure => {
    const img = figure.querySelector('img'), style = getComputedStyle(img);
    const inset = ['paddingLeft', 'paddingRight', 'borderLeftWidth', 'borderRightWidth']
        .reduce((sum, side) => sum + parseFloat(style[side]), 0);
    return {id: figure.id, src: img.getAttribute('src'), natural: img.naturalWidth,
            width: img.getBoundingClientRect().width - inset,
            caption: parseFloat(getComputedStyle(figure.querySelector('figcaption')).fontSize)};
})"""


def figure_pages(html: Path) -> list[str]:
    """Every built page that holds a figure."""
    return sorted(
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if "_static" not in p.parts and "<figure" in p.read_text(encoding="utf-8")
    )


# How the Part III grid sits on a phone: its width against its box's, and its smallest text.
TABLE_FIT = """() => { const t = document.getElementById('tbl-travel-grid');
    const sizes = Array.from(t.querySelectorAll('td, th')).map(c => parseFloat(getComputedStyle(c).fontSize));
    return {table: t.scrollWidth, room: t.parentElement.clientWidth, smallest: Math.min(...sizes)}; }"""


@pytest.fixture(scope="module")
def browsed(browser, base_url, html_dir) -> dict:
    """Each figure as displayed, by (figure id, viewport, colour mode): its file, its natural width,
    its displayed width (content box, in CSS px) and its caption's font size; and the Part III
    grid's fit on the phone."""
    shown, fit = {}, None
    for viewport, width in VIEWPORTS.items():
        for mode in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
            page = context.new_page()
            for name in figure_pages(html_dir):
                page.goto(base_url + name, wait_until="load")
                assert page.evaluate("document.documentElement.dataset.theme") == mode
                for figure in page.evaluate(MEASURE):
                    shown[(figure["id"], viewport, mode)] = {**figure, "file": (html_dir / name).parent / figure["src"]}
            if (viewport, mode) == ("phone", "light"):
                page.goto(base_url + "chapters/numbers-travel.html", wait_until="load")
                fit = page.evaluate(TABLE_FIT)
            context.close()
    return {"shown": shown, "fit": fit}


@pytest.fixture(scope="module")
def shown(browsed) -> dict[tuple[str, str, str], dict]:
    return browsed["shown"]


def svg_texts(path: Path) -> list[tuple[float, str, str]]:
    """Every text of an SVG as (font size in user units, style, text)."""
    source = path.read_text(encoding="utf-8")
    texts = re.findall(r'<text style="([^"]*)"[^>]*>(.*?)</text>', source, re.S)
    assert texts, f"{path.name} holds no text elements: is svg.fonttype 'none'?"
    return [(float(re.search(r"font-size: ([\d.]+)px", style).group(1)), style, html.unescape(t)) for style, t in texts]


def svg_width(path: Path) -> float:
    """The width of an SVG's view box, in its user units."""
    return float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"', path.read_text(encoding="utf-8")).group(1))


def figure_text(path: Path) -> str:
    """All of an SVG's text, lines joined by spaces, no-break spaces as spaces."""
    return " ".join(" ".join(text for _, _, text in svg_texts(path)).replace("\N{NO-BREAK SPACE}", " ").split())


def svg_of(shown: dict, figure_id: str) -> Path:
    return shown[(figure_id, "desktop", "light")]["file"]


OURS = [(page, figure_id) for page, ids in FIGURES.items() for figure_id in ids]


# --- (a) vector, or sharp ----------------------------------------------------------------------
def test_every_figure_is_svg_or_a_sharp_raster(shown):
    assert {figure_id for figure_id, _, _ in shown} >= {f for _, f in OURS}, "a figure is missing from the book"
    blurred = [
        (key, record["src"])
        for key, record in shown.items()
        if not record["src"].endswith(".svg") and record["natural"] < 2 * record["width"]
    ]
    assert blurred == []


def test_the_report_s_figures_are_svg(shown):
    assert [f for _, f in OURS if not str(svg_of(shown, f)).endswith(".svg")] == []


# --- (b) legible at display width --------------------------------------------------------------
@pytest.mark.parametrize("page, figure_id", OURS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_figure_text_is_too_small_where_it_is_shown(shown, page, figure_id, viewport, mode):
    record = shown[(figure_id, viewport, mode)]
    path = record["file"]
    scale = record["width"] / svg_width(path)  # CSS px per SVG unit, as displayed
    smallest = min(size for size, _, _ in svg_texts(path)) * scale
    floor = record["caption"] if viewport == "desktop" else PHONE_MIN_PX
    assert smallest >= floor - TOLERANCE_PX, (
        f"{figure_id}: smallest text {smallest:.1f} px at {record['width']:.0f} px wide on the {viewport} "
        f"({mode}); needs {floor} px"
    )


# --- (c) source, licence, plain words ----------------------------------------------------------
def caption_citations(book: Path, page: str, figure_id: str) -> list[str]:
    """The citations in a figure's caption as the built page shows them ('UN Women, 2022')."""
    source = (book / "chapters" / f"{page}.html").read_text(encoding="utf-8")
    figure = re.search(rf'<figure[^>]*id="{figure_id}".*?</figure>', source, re.S).group(0)
    caption = re.search(r"<figcaption.*?</figcaption>", figure, re.S).group(0)
    links = re.findall(r'<a[^>]*href="[^"]*bibliography\.html#[^"]*"[^>]*>(.*?)</a>', caption, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", link)).split()) for link in links]


def cites(footer: str, citation: str) -> bool:
    """Whether a footer's source ('Creating a safe cyberspace…, 2025') is the caption's citation
    ('Creating a safe cyberspace for the vigorous development…, 2025'): equal, or its title cut short."""
    if footer == citation:
        return True
    start, cut, year = footer.partition("…")
    return bool(cut) and citation.startswith(start) and citation.endswith(year)


# Figures drawn from the report's own records: the footer names the record, the caption links to it.
OWN_RECORDS = {"fig-verdicts": ("this report's evidence register", "evidence-register.html")}


@pytest.mark.parametrize("page, figure_id", OURS)
def test_every_figure_names_its_sources_and_licence(shown, html_dir, page, figure_id):
    text = figure_text(svg_of(shown, figure_id))
    found = re.search(r"Source: (.*?) · Chart: .*\(CC BY 4\.0\)$", text)
    assert found, f"{figure_id} has no credit line ending its text: {text[-300:]!r}"
    if figure_id in OWN_RECORDS:
        record, target = OWN_RECORDS[figure_id]
        source = (html_dir / "chapters" / f"{page}.html").read_text(encoding="utf-8")
        caption = re.search(rf'<figure[^>]*id="{figure_id}".*?</figure>', source, re.S).group(0)
        assert found.group(1) == record and f'href="{target}' in caption, figure_id
        return
    footer = found.group(1).split("; ")
    citations = caption_citations(html_dir, page, figure_id)
    assert citations, f"the caption of {figure_id} cites no source"
    assert len(footer) == len(citations)
    assert [c for c in citations if not any(cites(f, c) for f in footer)] == [], footer


def data_ids() -> set[str]:
    """Identifiers a reader should never see: id-like values of the data's key and code columns
    (with a '-', '_' or digit: plain words such as 'grooming' are labels too), the data's column
    names, and the bibliography's keys."""
    ids = set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(encoding="utf-8"), re.M))
    coded = re.compile(r"_id$|^(kind|topic|level|basis|bib_key|compared_with|primary_source|sources|source)$")
    for path in (ROOT / "data").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        columns = list(rows[0]) if rows else []
        ids |= {c for c in columns if "_" in c}
        for column in filter(coded.search, columns):
            ids |= {value for row in rows for value in row[column].split(";")}
    return {
        i for i in ids if re.fullmatch(r"[a-z0-9]+([_-][a-z0-9]+)*", i) and re.search(r"[a-z]", i) and not i.isalpha()
    }


def test_the_id_list_catches_ids():
    ids = data_ids()
    assert {"vn-internet-use", "primary_says", "hedge_changed", "changes_conclusion", "article_waj"} <= ids
    assert "grooming" not in ids and "population" not in ids


@pytest.mark.parametrize("page, figure_id", OURS)
def test_no_figure_shows_a_data_id(shown, page, figure_id):
    words = {word.strip(".,;:()[]'\"“”") for word in figure_text(svg_of(shown, figure_id)).split()}
    assert sorted(words & data_ids()) == []


# --- (d) bounds and counts ---------------------------------------------------------------------
def title_of(path: Path) -> str:
    """The figure's title: its bold text at the title's size, in order."""
    texts = svg_texts(path)
    biggest = max(size for size, _, _ in texts)
    return " ".join(t for size, style, t in texts if size == biggest and "font-weight: 700" in style)


def test_a_lower_bound_is_not_titled_as_exact(shown):
    reports = claims.enticement_reports()
    assert reports["bound"].iloc[-1] == "lower"  # the 2024 count is "more than 546,000"
    title = title_of(svg_of(shown, "fig-wr-reports"))
    stated = re.search(r"rose (at least )?(\d+(?:\.\d+)?)-fold", title)
    assert stated, title
    assert stated.group(1), f"a ratio to a lower bound is titled as exact: {title!r}"
    assert float(stated.group(2)) <= reports["count"].iloc[-1] / reports["count"].iloc[0]
    assert "more than" in figure_text(svg_of(shown, "fig-wr-reports"))


def _reports(first: float, last: float, bound: str) -> pd.DataFrame:
    return pd.DataFrame({"count": [first, last], "bound": ["", bound]}, index=[2023, 2024])


def test_the_lower_bound_is_rounded_down_and_drawn_open_ended():
    import matplotlib.pyplot as plt

    bounded = figures.reports(_reports(100, 296, "lower"))
    assert "at least 2.9-fold" in bounded.get_suptitle().replace("\n", " ")  # 2.96, never "3.0"
    assert any(patch.get_hatch() for patch in bounded.axes[0].patches), "the bound is not drawn"
    exact = figures.reports(_reports(100, 296, ""))
    title = exact.get_suptitle().replace("\n", " ")
    assert "rose 3.0-fold" in title and "at least" not in title
    assert not any(patch.get_hatch() for patch in exact.axes[0].patches)
    plt.close("all")


def test_the_coverage_title_counts_only_what_the_chart_asserts():
    import matplotlib.pyplot as plt

    from hanoi_evidence.text import number_word

    coverage, harms = load_table("coverage"), load_table("harms")
    fig = figures.coverage(coverage, harms, load_table("provisions"))
    read = coverage[coverage["basis"] != "secondary"]
    direct = read.loc[read["level"] == "direct", "harm_id"].nunique()
    unread_only = set(coverage.loc[coverage["level"] == "direct", "harm_id"]) - set(
        read.loc[read["level"] == "direct", "harm_id"]
    )
    assert unread_only, "the data no longer has a direct judgement resting on an unread text"
    title = " ".join(fig.get_suptitle().split())
    assert f"{number_word(direct)} of the {number_word(len(harms))} harms meet an offence" in title
    plt.close(fig)


# --- the grid of Part III ----------------------------------------------------------------------
def test_the_travel_grid_is_a_table_that_fits_a_phone(browsed, html_dir):
    page_html = (html_dir / "chapters" / "numbers-travel.html").read_text(encoding="utf-8")
    assert 'id="tbl-travel-grid"' in page_html and 'href="#tbl-travel-grid"' in page_html
    table = re.search(r'<table[^>]*id="tbl-travel-grid".*?</table>', page_html, re.S).group(0)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", table)).split())
    assert sorted(set(text.split()) & data_ids()) == []
    assert "shade-changes" in table and "<strong>" in table  # shaded, and the drifts that matter in bold
    fit = browsed["fit"]
    assert fit["table"] <= fit["room"], f"the table is {fit['table']} px wide in {fit['room']} px"
    assert fit["smallest"] >= PHONE_MIN_PX


# --- the PDF edition ---------------------------------------------------------------------------
def test_each_figure_output_holds_a_pdf_for_the_pdf_edition(html_dir):
    cache = html_dir.parent / ".jupyter_cache" / "executed"
    if not cache.is_dir():
        pytest.skip("no execution cache beside this build")
    outputs = [
        output["data"]
        for notebook in cache.rglob("*.ipynb")
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if "image/svg+xml" in output.get("data", {})
    ]
    assert len(outputs) >= len(OURS)
    assert all("application/pdf" in data for data in outputs)
