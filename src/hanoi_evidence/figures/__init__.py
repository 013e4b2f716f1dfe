"""Every figure in the report, drawn in one style (:mod:`.style`), one module per part of the book.

Each function takes the data it draws (frames, series or mappings from the data modules, or
tables from :func:`hanoi_evidence.tables.load_table`), loads no data itself, and returns a matplotlib
Figure: the notebook cell that calls it shows the figure, and its caption and alt text live in
the cell's metadata, where myst-nb numbers it for both the HTML and the PDF. Its keyword
``cite`` takes the references.bib keys the caption cites: the figure's footer names them, with
the licence, so that a copy of the image carries its sources.

Each figure is drawn from its plotted table, exactly the rows and columns it draws, which the
Figure carries (:func:`.style.plotted`): the book publishes it beside the figure as CSV
(:mod:`hanoi_evidence.figuredata`), and ``draw_<name>`` redraws the figure from it.

One grid is not drawn: :func:`drift_grid` returns a numbered, shaded table, whose cells must
stay legible as text on a phone.
"""

from hanoi_evidence.figures.evidence import cleaning, reports, separate_scales, timeline, topic_matrix
from hanoi_evidence.figures.response import comparability, coverage, harms
from hanoi_evidence.figures.style import (
    BLACK,
    BLUE,
    GREEN,
    MUTED,
    ORANGE,
    PINK,
    SKY,
    VERMILION,
    YELLOW,
    use_report_style,
)
from hanoi_evidence.figures.summary import verdicts
from hanoi_evidence.figures.travel import drift_grid

__all__ = [
    "BLACK",
    "BLUE",
    "GREEN",
    "MUTED",
    "ORANGE",
    "PINK",
    "SKY",
    "VERMILION",
    "YELLOW",
    "cleaning",
    "comparability",
    "coverage",
    "drift_grid",
    "harms",
    "reports",
    "separate_scales",
    "timeline",
    "topic_matrix",
    "use_report_style",
    "verdicts",
]
