"""The bibliography's order and labels: by author and year, as the text cites its sources.

A Sphinx extension (``sphinx: extra_extensions`` in ``_config.yml``) that registers three pybtex
plugins, which sphinxcontrib-bibtex uses for the HTML and the PDF alike, and one citation style:

- the sorting style ``family_year_title``: pybtex's author–year–title order, with names compared
  as BibTeX's ``purify$`` leaves them, so a corporate author written in braces (``{UNICEF}``)
  sorts by its name, and with accents folded, so "Báo" sorts with "Bao";
- the label style ``author_year``: each label is the entry's citation as sphinxcontrib-bibtex's
  author–year style writes it ("UNICEF Viet Nam, 2019"), with a letter after the year where two
  works share author and year ("..., 2024a", "..., 2024b");
- the formatting style ``plain_author_year`` (``bibtex_default_style``): pybtex's ``plain`` with
  the two above;
- the citation style ``author_year_label`` (``bibtex_reference_style``): sphinxcontrib-bibtex's
  ``label`` style, which cites by these labels, so that a citation and the entry it points to
  read the same and works that share author and year are told apart; several citations in one
  bracket are separated by semicolons, since each label holds a comma.
"""

from __future__ import annotations

import string
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.bibtex.utils import bibtex_purify
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting
from sphinx.application import Sphinx
from sphinxcontrib.bibtex.plugin import find_plugin, register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle
from sphinxcontrib.bibtex.style.template import join, year

SORTING_STYLE = "family_year_title"
LABEL_STYLE = "author_year"
FORMATTING_STYLE = "plain_author_year"
REFERENCE_STYLE = "author_year_label"


def sort_text(text: str) -> str:
    """Text as compared in sorting: braces and punctuation gone (BibTeX's purify$), lower case,
    accents dropped."""
    decomposed = unicodedata.normalize("NFKD", bibtex_purify(text).lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class FamilyYearTitleSorting(AuthorYearTitleSorting):
    """Family names, then year, then title; a work without author sorts by its title, which is
    what its citation shows in the author's place."""

    def sorting_key(self, entry):
        author, year_, title = super().sorting_key(entry)
        return sort_text(author or title), year_, sort_text(title)


class AuthorYearLabels(BaseLabelStyle):
    """Labels that are the entries' author–year citations, told apart by a letter where equal."""

    def format_labels(self, sorted_entries):
        style = find_plugin("sphinxcontrib.bibtex.style.referencing", "author_year")()
        citation = join(sep=style.author_year_sep)[style.person.author_or_editor_or_title(full=False), year]
        labels = [citation.format_data({"entry": entry, "style": style}).render_as("text") for entry in sorted_entries]
        shared, seen = Counter(labels), Counter()
        for label in labels:
            if shared[label] == 1:
                yield label
                continue
            seen[label] += 1
            # APA's "n.d.-a": a letter straight after "n.d." would read as part of it.
            yield label + ("-" if label.endswith("n.d.") else "") + string.ascii_lowercase[seen[label] - 1]


class Style(PlainStyle):
    """pybtex's plain style, sorted by family name, year and title, labelled by author and year."""

    default_sorting_style = SORTING_STYLE
    default_label_style = LABEL_STYLE


@dataclass
class AuthorYearLabelReferences(LabelReferenceStyle):
    """Citations by label, "[UNICEF Viet Nam, 2019; UN Women, 2022]"."""

    bracket_parenthetical: BracketStyle = field(default_factory=lambda: BracketStyle(sep="; "))


def setup(app: Sphinx) -> dict:
    pybtex.plugin.register_plugin("pybtex.style.sorting", SORTING_STYLE, FamilyYearTitleSorting)
    pybtex.plugin.register_plugin("pybtex.style.labels", LABEL_STYLE, AuthorYearLabels)
    pybtex.plugin.register_plugin("pybtex.style.formatting", FORMATTING_STYLE, Style)
    register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, AuthorYearLabelReferences)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
