"""A changed data file changes the glued numbers and figures that depend on it, and only those.

A copy of the book's configuration and data gets two small pages of its own: one glues a
statistic from data/findings.csv and draws it, the other reads only data/sources.csv. The test
builds the copy, rebuilds it unchanged, edits the statistic, rebuilds, and restores it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NOTEBOOK_HEADER as HEADER
from conftest import ROOT, build_book, copy_book

FINDING, BEFORE, AFTER = "vn-internet-use", "89", "88"
READS_FINDINGS = (
    HEADER
    + f"""
# Reads the findings

```{{code-cell}} ipython3
:tags: [remove-cell]
from myst_nb import glue
from hanoi_evidence.tables import load_table

value = int(load_table("findings").set_index("finding_id").loc["{FINDING}", "value_low"])
glue("fresh_value", value, display=False)
glue("fresh_value_sentence", f"{{value}} per cent", display=False)
```

The statistic is {{glue:text}}`fresh_value` ({{glue:text}}`fresh_value_sentence`); {{numref}}`fig-fresh` draws it.

```{{code-cell}} ipython3
---
tags: [remove-input]
mystnb:
  figure:
    name: fig-fresh
    caption: The statistic, drawn from data.
  image:
    alt: One bar whose height is the statistic read from the findings table.
---
import matplotlib.pyplot as plt
import pandas as pd
from hanoi_evidence.figures import style

def draw(table):
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(table["label"], table["value"], color=style.BLUE)
    style.title(fig, f"The statistic is {{table['value'][0]}}", source="the findings table")
    return fig

style.use_report_style()
plotted = pd.DataFrame({{"label": ["statistic"], "value": [value]}})
style.plotted(draw, plotted, {{"label": "The bar's label", "value": "The statistic"}});
```
"""
)
READS_SOURCES = (
    HEADER
    + """
# Reads the sources only

```{code-cell} ipython3
:tags: [remove-cell]
from myst_nb import glue
from hanoi_evidence.tables import load_table

glue("fresh_n_sources", len(load_table("sources")), display=False)
```

The corpus holds {glue:text}`fresh_n_sources` articles.
"""
)


def _text(page: Path) -> str:
    """The words of the page's article, tags removed."""
    article = re.search(r"<article.*?</article>", page.read_text(encoding="utf-8"), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", "", article).split())


def _images(page: Path) -> list[str]:
    return re.findall(r'src="(\.\./_images/[^"]+\.svg)"', page.read_text(encoding="utf-8"))


def _executed(log: str) -> set[str]:
    return set(re.findall(r"chapters/([\w-]+)\.md: Executing notebook", log))


@pytest.fixture
def book(tmp_path) -> Path:
    extra = [name for name in ("_static", "_templates") if (ROOT / name).exists()]
    book = copy_book(tmp_path / "book", ["_config.yml", "references.bib", "data", *extra])
    chapters = book / "chapters"
    chapters.mkdir()
    (chapters / "index.md").write_text("# Freshness probe\n\nTwo pages that read data.\n", encoding="utf-8")
    (chapters / "reads-findings.md").write_text(READS_FINDINGS, encoding="utf-8")
    (chapters / "reads-sources.md").write_text(READS_SOURCES, encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: chapters/index\nchapters:\n"
        "  - file: chapters/reads-findings\n  - file: chapters/reads-sources\n",
        encoding="utf-8",
    )
    return book


def _set_statistic(book: Path, old: str, new: str) -> None:
    findings = book / "data" / "findings.csv"
    lines = findings.read_text(encoding="utf-8").split("\n")
    [index] = [i for i, line in enumerate(lines) if line.startswith(FINDING + ",")]
    assert f",{old},{old}," in lines[index]
    lines[index] = lines[index].replace(f",{old},{old},", f",{new},{new},", 1)
    findings.write_text("\n".join(lines), encoding="utf-8")


def _build(book: Path) -> str:
    result = build_book(book)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    return log


def test_data_edit_reaches_glued_numbers_and_figures_and_nothing_else(book):
    findings_page = book / "_build/html/chapters/reads-findings.html"
    sources_page = book / "_build/html/chapters/reads-sources.html"

    first = _build(book)
    assert {"reads-findings", "reads-sources"} <= _executed(first)
    assert f"The statistic is {BEFORE} ({BEFORE} per cent)" in _text(findings_page)
    assert "The corpus holds 5 articles" in _text(sources_page)
    figure_before = _images(findings_page)
    assert len(figure_before) == 1

    unchanged = _build(book)
    assert _executed(unchanged) == set()
    assert _images(findings_page) == figure_before

    _set_statistic(book, BEFORE, AFTER)
    changed = _build(book)
    assert _executed(changed) == {"reads-findings"}  # the page that reads only sources.csv stays cached
    assert f"The statistic is {AFTER} ({AFTER} per cent)" in _text(findings_page)
    assert f"The statistic is {BEFORE}" not in _text(findings_page)
    figure_after = _images(findings_page)
    assert len(figure_after) == 1 and figure_after != figure_before
    assert (findings_page.parent / figure_after[0]).is_file()

    _set_statistic(book, AFTER, BEFORE)
    restored = _build(book)
    assert _executed(restored) == {"reads-findings"}
    assert f"The statistic is {BEFORE} ({BEFORE} per cent)" in _text(findings_page)
    assert _images(findings_page) == figure_before  # the same data draws the same image, byte for byte
