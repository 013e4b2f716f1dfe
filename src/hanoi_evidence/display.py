"""Tables for the book, generated from data as MyST Markdown.

A table returned by :func:`numbered_table` is a MyST ``table`` directive with a
caption and a label, so Sphinx numbers it (Table 1, 2...) in the HTML and the
PDF alike, and the text can point to it with ``{numref}``. The book renders
Markdown output as MyST (``nb_render_markdown_format: myst`` in ``_config.yml``).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown


def markdown_cell(value) -> str:
    """A value as the text of one table cell: no line breaks, '|' escaped, empty for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).replace("\n", " ").replace("|", "\\|")


def numbered_table(frame: pd.DataFrame, name: str, caption: str) -> Markdown:
    """A captioned, numbered table of ``frame`` (its columns as headers, its index dropped)."""
    header = "| " + " | ".join(markdown_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join(" --- " for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    body = "\n".join([header, rule, *rows])
    widths = " ".join(str(w) for w in column_widths(frame))
    return Markdown(f":::{{table}} {caption}\n:name: {name}\n:align: left\n:widths: {widths}\n\n{body}\n:::\n")


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Relative column widths: wide enough for the longest word, more for longer text.

    The PDF edition sets tables in proportional columns; without widths, a column of
    short words ("children") is squeezed until its words break.
    """
    widths = []
    for column in frame.columns:
        cells = [markdown_cell(v) for v in frame[column]] + [markdown_cell(column)]
        longest_word = max((len(word) for cell in cells for word in cell.split()), default=1)
        mean_length = sum(len(cell) for cell in cells) / len(cells)
        widths.append(max(longest_word, min(round(mean_length), 60), 4))
    return widths
