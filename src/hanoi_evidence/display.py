"""What a chapter's cells hand to the book: values glued into the prose, and tables generated as MyST Markdown.

:func:`glue_all` glues a chapter's values, each shown in the prose with ``{glue:text}`name```.
A table returned by :func:`numbered_table` is a MyST ``table`` directive with a
caption and a label, so Sphinx numbers it (Table 1, 2...) in the HTML and the
PDF alike, and the text can point to it with ``{numref}``. The book renders
Markdown output as MyST (``nb_render_markdown_format: myst`` in ``_config.yml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown
from myst_nb import glue

from hanoi_evidence.paths import DATA_DIR, read_text
from hanoi_evidence.text import is_missing


def glue_all(values: Mapping[str, object]) -> None:
    """Glue each value under its name, in order, for the prose; nothing is shown where the cell runs."""
    for name, value in values.items():
        glue(name, value, display=False)


def markdown_cell(value) -> str:
    """A value as the text of one table cell: no line breaks, '|' escaped, empty for missing."""
    if is_missing(value):
        return ""
    return str(value).replace("\n", " ").replace("|", "\\|")


def numbered_table(frame: pd.DataFrame, name: str, caption: str) -> Markdown:
    """A captioned, numbered table of ``frame`` (its columns as headers, its index dropped)."""
    header = "| " + " | ".join(markdown_cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join(" --- " for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(markdown_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    body = "\n".join([header, rule, *rows])
    font, widths = table_layout(frame)
    # longtable: in the PDF a table breaks across pages instead of running past the footer.
    return Markdown(
        latex_table_font(font)
        + f":::{{table}} {caption}\n:name: {name}\n:align: left\n:class: longtable\n:widths: {' '.join(map(str, widths))}\n\n{body}\n:::\n"
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
    font, widths = table_layout(frame)
    # Sphinx opens the environment sphinxclass<class> around a container of that class, if defined.
    latex = "\n".join(
        f"\\makeatletter\\@ifundefined{{sphinxclassshade-{shade}}}"
        f"{{\\newenvironment{{sphinxclassshade-{shade}}}{{\\cellcolor[HTML]{{{colour}}}\\ignorespaces}}{{}}}}{{}}\\makeatother"
        for shade, colour in colours.items()
    )
    return Markdown(
        f"```{{raw}} latex\n{latex}\n```\n\n"
        + latex_table_font(font)
        + f"::::{{list-table}} {caption}\n:name: {name}\n:header-rows: 1\n:align: left\n"
        f":class: longtable shaded\n:widths: {' '.join(map(str, widths))}\n\n{body}\n::::\n"
    )


# About how many characters of table text fit across the PDF edition's text width at the body's
# size, and the smaller sizes a table with many columns may take (hanoi-edition.sty's \hanoitablefont).
LINE_CAPACITY = 95
TABLE_FONTS = [("", 1.0), (r"\small", 10 / 9), (r"\footnotesize", 10 / 8)]
CELL_PADDING = 3  # a column's space on either side (2 \tabcolsep), in characters
HEADER_WEIGHT = 1.15  # header cells are set in bold sans serif, wider than the body's serif

# MyST markup a reader does not see: a span's attributes ([text]{#id}, [text]{.language-vi}),
# a role's name and target ({doc}`text <target>`), a link's address, bold.
SPAN = re.compile(r"\[([^\]]*)\]\{[#.][^}]*\}")
ROLE = re.compile(r"\{([a-z:]+)\}`([^`]*)`")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
EXPLICIT_TEXT = re.compile(r"^(.*?)\s*<[^>]*>$")


@functools.cache
def citation_labels() -> dict[str, str]:
    """Each BibTeX key's label, as the book prints its citations (hanoi_evidence.bibliography)."""
    from pybtex.database import parse_string

    from hanoi_evidence import bibliography

    entries = parse_string(read_text(DATA_DIR.parent / "references.bib"), "bibtex")
    style = bibliography.Style(
        label_style=bibliography.AuthorYearLabels, sorting_style=bibliography.FamilyYearTitleSorting
    )
    return {entry.key: entry.label for entry in style.format_bibliography(entries).entries}


def _role_text(match: re.Match) -> str:
    role, content = match[1], match[2]
    if role.startswith("cite"):
        labels = citation_labels()
        return "[" + "; ".join(labels.get(key.strip(), key) for key in content.split(",")) + "]"
    explicit = EXPLICIT_TEXT.match(content)
    if explicit:
        return explicit[1]
    # A link without its own text prints its target's title: its words stand in for it.
    return content if role == "term" else re.sub(r"[/_-]", " ", content)


def visible_text(cell: str) -> str:
    """A table cell's MyST as printed: a citation {cite:p}`key` takes its label's room, not the key's."""
    text = ROLE.sub(_role_text, SPAN.sub(r"\1", cell))
    return LINK.sub(r"\1", text).replace("**", "").replace("`", "")


def table_layout(frame: pd.DataFrame) -> tuple[str, list[int]]:
    """The PDF's font size for a table (empty for the body's) and its relative column widths.

    Each column gets room for its longest word, at the largest size where all of them fit, and
    what is left goes to the columns of longer text. Without this, a column of short words
    ("children") beside columns of sentences is squeezed until its words break or overprint.
    """
    cells = {column: [visible_text(markdown_cell(v)) for v in frame[column]] for column in frame.columns}
    header = {column: visible_text(markdown_cell(column)) for column in frame.columns}
    need = [
        max(
            [len(w) for c in cells[col] for w in c.split()]
            + [HEADER_WEIGHT * len(w) for w in header[col].split()]
            + [1]
        )
        + CELL_PADDING
        for col in frame.columns
    ]
    # The largest size that leaves a quarter of the line to the columns of longer text.
    font, scale = next(((f, s) for f, s in TABLE_FONTS if sum(need) <= 0.75 * LINE_CAPACITY * s), TABLE_FONTS[-1])
    capacity = LINE_CAPACITY * scale
    mean_length = [sum(len(c) for c in cells[col] + [header[col]]) / (len(cells[col]) + 1) for col in frame.columns]
    spare = max(capacity - sum(need), 0)
    total = sum(mean_length) or 1
    widths = [round(word + spare * length / total) for word, length in zip(need, mean_length, strict=True)]
    return font, widths


def latex_table_font(font: str) -> str:
    """Raw LaTeX (absent from the HTML) that sets the next table in ``font``; empty for the body's size."""
    return f"```{{raw}} latex\n\\hanoitablefont{{{font}}}\n```\n\n" if font else ""
