"""The report's one look: its palette, its matplotlib style, and the helpers every figure shares.

Every figure is drawn for a narrow column, :data:`WIDTH` inches wide, with no text under
:data:`FONT` points. Shown at its natural size (a desktop screen) its text is then as large as
the theme's captions (16 CSS px); scaled down to a 390-px phone it stays at 12 CSS px or more
(tests/test_figures.py measures both in a browser).

:func:`title` is the only way a figure gets its title (which states the figure's finding) and
its credit line (its sources and the licence), :func:`wrap` breaks a label to a width, and
:func:`cell_grid` lays out the axes of every figure drawn as a grid of cells.

:func:`plotted` draws a figure from its plotted table (exactly the rows and columns it draws)
and attaches that table and its description to the figure; in a kernel, each figure's display
then carries them as :data:`FIGURE_DATA_MIME` beside its SVG and PDF, for
:mod:`hanoi_evidence.figuredata` to publish. :func:`read_plotted` reads such a table back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from hanoi_evidence.paths import DATA_DIR, record_read

# Okabe-Ito colours by role, so the same meaning has the same colour in every figure.
BLUE, ORANGE, GREEN, PINK, SKY, VERMILION, YELLOW, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
MUTED = "#8C8C8C"
# Text that must stay readable but recede (the credit line, "none" cells): 7:1 on white.
QUIET = "#555555"

# Inches of drawing. matplotlib's tight bounding box adds 0.1 in on each side, so the SVG is
# 4.5 in (432 CSS px) wide: on a 390-px phone the theme gives it 342 px, 326 in dark mode
# (which pads images), a scale of 0.75 that keeps 12-pt text at 12 CSS px.
WIDTH = 4.3
FONT = 12  # points; 16 CSS px at natural size
TITLE_FONT = 13
# No-break spaces keep the licence's name on one line.
CREDIT = "Chart: The evidence behind the Hanoi Convention (CC\N{NO-BREAK SPACE}BY\N{NO-BREAK SPACE}4.0)"
# The licence of the figures and their data, as a Frictionless descriptor names it.
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
# The mime type of a figure's plotted table and description in its notebook output.
FIGURE_DATA_MIME = "application/vnd.hanoi-evidence.figure-data+json"


def use_report_style() -> None:
    """Apply the report's matplotlib style and make image files reproducible.

    matplotlib writes a creation date into PDF and SVG files unless
    SOURCE_DATE_EPOCH is set; fixing it makes two builds byte-identical.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    with resources.as_file(resources.files(__package__) / "report.mplstyle") as style:
        record_read(style)
        plt.style.use(style)
    # In a kernel, emit each figure as SVG and PDF: myst-nb's HTML builder prefers SVG (text
    # stays text, sharp at any width) and its LaTeX builder PDF (vector figures in the PDF edition).
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        set_matplotlib_formats("svg", "pdf")
        _show_figure_data(shell)


def _show_figure_data(shell) -> None:
    """Make each figure's display carry its plotted table (:func:`plotted`) as
    :data:`FIGURE_DATA_MIME`, in the same output as its SVG and PDF."""
    from IPython.core.formatters import JSONFormatter
    from traitlets import Unicode

    class FigureDataFormatter(JSONFormatter):
        format_type = Unicode(FIGURE_DATA_MIME)

    formatters = shell.display_formatter.formatters
    if FIGURE_DATA_MIME not in formatters:
        formatters[FIGURE_DATA_MIME] = FigureDataFormatter(parent=shell.display_formatter)
    # Again on every call: set_matplotlib_formats drops every formatter's printer for figures.
    formatters[FIGURE_DATA_MIME].for_type(plt.Figure, lambda fig: getattr(fig, "figure_data", None))


def text_width(text: str, size: float = FONT, weight: str = "normal") -> float:
    """Width in points of one line of ``text`` in the report's font."""
    font = FontProperties(family=plt.rcParams["font.family"], size=size, weight=weight)
    return TextToPath().get_text_width_height_descent(text, font, ismath=False)[0]


def wrap(text: str, width: float, size: float = FONT, weight: str = "normal") -> str:
    """``text`` broken at spaces and after hyphens into lines no wider than ``width`` inches (a
    longer word keeps a line of its own); its own line breaks and no-break spaces are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start = len(lines)
        # Only a long compound breaks at its hyphen ("technology-", not "opt-").
        for word in re.findall(r"[^ ]*\w{5}-(?=\w{5})|[^ ]+", paragraph):
            joined = lines[-1] + ("" if lines[-1].endswith("-") else " ") + word if len(lines) > start else word
            if len(lines) > start and text_width(joined, size, weight) <= width * 72:
                lines[-1] = joined
            else:
                lines.append(word)
    return "\n".join(lines)


def article_label(label: str, width: float) -> str:
    """An article's label ('Báo Quốc Tế, 26 Oct') for a narrow place: the name wrapped to
    ``width`` inches, the date on a line of its own."""
    name, _, date = label.partition(", ")
    return "\n".join(filter(None, [wrap(name, width), date]))


def title(fig: plt.Figure, text: str, *, cite: Sequence[str] = (), source: str = "", key: str = "") -> None:
    """Title the figure with its finding and sign it: a footer names ``cite`` (references.bib
    keys, in short author-year form), or ``source`` for a figure drawn from the report's own
    records, and the licence, so that the image carries both wherever it is reused; ``key``, if
    given, opens the footer (what the figure's marks mean). Call it last: the texts are wrapped
    to the figure's width."""
    fig.credit = {"title": text, "cite": list(cite), "source": source}  # for plotted()
    fig.suptitle(wrap(text, WIDTH, TITLE_FONT, "bold"), x=0, ha="left", fontsize=TITLE_FONT, fontweight="bold")
    cited = source or "; ".join(sorted(short_citation(entry) for entry in cite))
    credit = wrap(f"Source: {cited} · {CREDIT}" if cited else CREDIT, WIDTH)
    fig.supxlabel(f"{wrap(key, WIDTH)}\n\n{credit}" if key else credit, x=0, ha="left", fontsize=FONT, color=QUIET)


def plotted(draw: Callable[..., plt.Figure], table: pd.DataFrame, fields: Mapping[str, str], **options) -> plt.Figure:
    """The figure ``draw(table, **options)``, carrying as ``figure_data`` its plotted table (as CSV)
    and that table's description: its title, its sources (the footer's), its licence, its fields
    (``fields``: each column's description, in the table's order) and the drawing, so that the
    table read back redraws the figure."""
    if list(fields) != list(table.columns):
        raise ValueError(f"the fields {list(fields)} do not describe the columns {list(table.columns)}")
    fig = draw(table, **options)
    credit = fig.credit
    cited = sorted(credit["cite"], key=short_citation)  # in the footer's order
    sources = [{"title": credit["source"]}] if credit["source"] else [{"title": label(key)} for key in cited]
    fig.figure_data = {
        "title": credit["title"],
        "sources": sources,
        "licenses": [LICENCE],
        "schema": {
            "fields": [
                {"name": name, "type": _field_type(table[name]), "description": text} for name, text in fields.items()
            ]
        },
        "csv": table.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d"),
        "drawing": {"function": f"{draw.__module__}.{draw.__qualname__}", "options": options},
    }
    return fig


def _field_type(column: pd.Series) -> str:
    """A column's Frictionless field type."""
    if pd.api.types.is_bool_dtype(column):
        return "boolean"
    if pd.api.types.is_integer_dtype(column):
        return "integer"
    if pd.api.types.is_float_dtype(column):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(column):
        if not (column == column.dt.normalize()).all():
            raise ValueError(f"{column.name}: a date column holds times, which the CSV would drop")
        return "date"
    return "string"


# How each Frictionless field type is read back from a plotted table's CSV.
_READ_TYPES = {"integer": "int64", "number": "float64", "boolean": "bool", "string": "str"}


def read_plotted(source, fields: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """A plotted table read back from its CSV (a path or file), typed by its descriptor's ``fields``."""
    types = {field["name"]: field["type"] for field in fields}
    return pd.read_csv(
        source,
        dtype={name: _READ_TYPES[kind] for name, kind in types.items() if kind in _READ_TYPES},
        parse_dates=[name for name, kind in types.items() if kind == "date"],
        keep_default_na=False,
    )


def label(key: str) -> str:
    """A references.bib entry's citation label, as the book prints it ('UN Women, 2022')."""
    return _bibliography()[key][1]


def short_citation(key: str) -> str:
    """A references.bib entry as the book cites it (hanoi_evidence.bibliography's labels: 'UN
    Women, 2022', 'The Economist Intelligence Unit, 2021a'), except that a work without an author,
    cited by its title, keeps the title's first words."""
    entry, full = _bibliography()[key]
    if entry.persons:
        return full
    name, _, year = full.rpartition(", ")
    words = name.split()
    return f"{' '.join(words[:4]).rstrip(':;,.')}…, {year}" if len(words) > 4 else full


def _bibliography() -> dict:
    path = Path(DATA_DIR).parent / "references.bib"
    record_read(path)
    return _labelled_entries(path)


@lru_cache
def _labelled_entries(path: Path) -> dict:
    """Each entry of the bibliography at ``path`` with its label, by key: labelled in the book's
    order, so that a letter after a shared year ('2024a') is the book's."""
    from pybtex.database import parse_file

    from hanoi_evidence.bibliography import AuthorYearLabels, FamilyYearTitleSorting

    ordered = FamilyYearTitleSorting().sort(parse_file(str(path)).entries.values())
    return {
        entry.key: (entry, label)
        for entry, label in zip(ordered, AuthorYearLabels().format_labels(ordered), strict=True)
    }


def cell_grid(
    ax: plt.Axes,
    column_labels: Sequence[str],
    row_labels: Sequence[str],
    *,
    labels_on_top: bool = False,
    column_text: dict | None = None,
) -> None:
    """Axes for a grid of cells, drawn before this is called: the cell of column c and row r is
    centred on (c, r), the first row at the top, each column and row labelled (``column_text``:
    text properties of the column labels), and no gridlines, ticks or frame."""
    columns, rows = len(column_labels), len(row_labels)
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_xticks(range(columns), column_labels, **(column_text or {}))
    if labels_on_top:
        ax.xaxis.tick_top()
    ax.set_yticks(range(rows), row_labels)
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
