"""What a chapter's cells hand to the book: values glued into the prose, and tables generated as MyST Markdown.

:func:`glue_all` glues a chapter's values, each shown in the prose with ``{glue:text}`name```.
A table returned by :func:`numbered_table` is a MyST ``table`` directive with a
caption and a label, so Sphinx numbers it (Table 1, 2...) in the HTML and the
PDF alike, and the text can point to it with ``{numref}``. The book renders
Markdown output as MyST (``nb_render_markdown_format: myst`` in ``_config.yml``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown
from myst_nb import glue


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each value under its name, in order, for the prose; nothing is shown where the cell runs."""
    for name, value in values.items():
        glue(name, value, display=False)


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
    # longtable: in the PDF a table breaks across pages instead of running past the footer.
    return Markdown(
        f":::{{table}} {caption}\n:name: {name}\n:align: left\n:class: longtable\n:widths: {widths}\n\n{body}\n:::\n"
    )


def shaded_table(
    frame: pd.DataFrame, shades: pd.DataFrame, colours: Mapping[str, str], name: str, caption: str
) -> Markdown:
    """A captioned, numbered table of ``frame`` whose cells may be shaded: ``shades`` (same shape)
    names each cell's shade, or is empty for none, and ``colours`` gives each shade's colour
    (hex, no '#'). The cells' text is MyST Markdown; a shade must never be a cell's only meaning.

    A shaded cell holds a container of class ``shade-<name>``: _static/shaded-tables.css colours
    it in the HTML (the same colours, kept there for the colour modes), and a LaTeX environment
    of that class, defined before the table, colours the cell in the PDF.
    """

    def cell(text: str, shade: str) -> str:
        text = markdown_cell(text) or "—"
        return f"```{{container}} shade-{shade}\n    {text}\n    ```" if shade else text

    rows = [list(frame.columns)] + [
        [cell(text, shade) for text, shade in zip(texts, shading, strict=True)]
        for texts, shading in zip(frame.itertuples(index=False), shades.itertuples(index=False), strict=True)
    ]
    body = "\n".join("* - " + "\n  - ".join(str(c) for c in row) for row in rows)
    widths = " ".join(str(w) for w in column_widths(frame.replace(r"\*\*", "", regex=True)))
    # Sphinx opens the environment sphinxclass<class> around a container of that class, if defined.
    latex = "\n".join(
        f"\\makeatletter\\@ifundefined{{sphinxclassshade-{shade}}}"
        f"{{\\newenvironment{{sphinxclassshade-{shade}}}{{\\cellcolor[HTML]{{{colour}}}\\ignorespaces}}{{}}}}{{}}\\makeatother"
        for shade, colour in colours.items()
    )
    return Markdown(
        f"```{{raw}} latex\n{latex}\n```\n\n"
        f"::::{{list-table}} {caption}\n:name: {name}\n:header-rows: 1\n:align: left\n"
        f":class: longtable shaded\n:widths: {widths}\n\n{body}\n::::\n"
    )


# About how many characters of table text fit across the PDF edition's text width.
LINE_CAPACITY = 95


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Relative column widths: each column gets its longest word, the rest goes to longer text.

    The PDF edition sets tables in proportional columns; without this, a column of short
    words ("children") beside columns of sentences is squeezed until its words break.
    """
    cells = {column: [markdown_cell(v) for v in frame[column]] + [markdown_cell(column)] for column in frame.columns}
    longest_word = [max((len(w) for c in cells[col] for w in c.split()), default=1) + 1 for col in frame.columns]
    mean_length = [sum(len(c) for c in cells[col]) / len(cells[col]) for col in frame.columns]
    spare = max(LINE_CAPACITY - sum(longest_word), 0)
    total = sum(mean_length) or 1
    return [round(word + spare * length / total) for word, length in zip(longest_word, mean_length, strict=True)]
