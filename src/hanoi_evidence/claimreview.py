"""Machine-readable verdicts: a schema.org ClaimReview for every claim, embedded as JSON-LD.

Built from ``data/claims.csv``, ``data/verdicts.csv`` and ``data/sources.csv`` and the report's
citation (:mod:`hanoi_evidence.edition`). As a Sphinx extension it adds one
``<script type="application/ld+json">`` to the evidence register's page, where every claim
has its anchor (:func:`hanoi_evidence.register.anchor`). The book has no published address, so each review's
``url`` is a reference relative to that page, unless ``html_baseurl`` is configured.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from docutils import nodes
from sphinx.writers.latex import LaTeXTranslator

from hanoi_evidence import edition
from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.register import anchor
from hanoi_evidence.tables import load_table
from hanoi_evidence.text import is_missing
from hanoi_evidence.verdicts import claim_sources, claims

REGISTER_PAGE = "chapters/evidence-register"
BEST_RATING, WORST_RATING = 4, 1


def _present(value) -> bool:
    return not is_missing(value) and str(value) != ""


def _article(source: pd.Series) -> dict:
    """An article as a schema.org NewsArticle, with only what data/sources.csv records."""
    article = {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": source["outlet"]}}
    if _present(source["headline"]):
        article["headline"] = source["headline"]
    if _present(source["published_date"]):
        article["datePublished"] = pd.Timestamp(source["published_date"]).date().isoformat()
    if _present(source["url"]):
        article["url"] = source["url"]
    return article


def claim_reviews(page_url: str = "", data_dir: Path = DATA_DIR) -> list[dict]:
    """One ClaimReview per claim, in the order of data/claims.csv; ``page_url`` is the register page's address."""
    articles_of = claim_sources(data_dir)
    sources = load_table("sources", data_dir).set_index("source_id")
    maintainers = [{"@type": "Organization", "name": name} for name in edition.authors()]
    reviews = []
    for claim in claims(data_dir).itertuples(index=False):
        articles = articles_of[claim.claim_id]
        outlets = list(dict.fromkeys(sources.loc[a, "outlet"] for a in articles))
        rating = {"@type": "Rating", "bestRating": BEST_RATING, "worstRating": WORST_RATING}
        # schema.org: a review with no rating on the scale gives its verdict only as alternateName.
        if pd.notna(claim.rating):
            rating["ratingValue"] = int(claim.rating)
        rating["alternateName"] = claim.verdict_label
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{page_url}#{anchor('claim', claim.claim_id)}",
                "claimReviewed": claim.claim,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": [{"@type": "Organization", "name": outlet} for outlet in outlets],
                    "appearance": [_article(sources.loc[a]) for a in articles],
                },
                "reviewRating": rating,
                "author": maintainers,
                "datePublished": edition.release_date().isoformat(),
            }
        )
    return reviews


def json_ld(reviews: list[dict]) -> str:
    """The reviews as a JSON-LD script element; '<' is escaped so no text can close the element."""
    text = json.dumps(reviews, ensure_ascii=False).replace("<", "\\u003c")
    return f'\n<script type="application/ld+json">\n{text}\n</script>'


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename != REGISTER_PAGE:
        return
    base = app.config.html_baseurl
    # Relative to the page when the book has no configured address: "#claim-…" resolves against it.
    page_url = f"{base.rstrip('/')}/{pagename}.html" if base else ""
    context["metatags"] = context.get("metatags", "") + json_ld(claim_reviews(page_url))


def visit_inline_latex(translator, node) -> None:
    """Sphinx's LaTeX writer drops an inline span's ids, so the chapters' links to the register's
    claim anchors ([text]{#claim-…}) would be undefined references in the PDF: give them a label.
    Only those: other spans with ids (citations in captions) cannot take one there."""
    if any(i.startswith(("claim-", "finding-")) for i in node["ids"]):
        translator.body.append(translator.hypertarget_to(node, anchor=True))
    LaTeXTranslator.visit_inline(translator, node)


def setup(app) -> dict:
    app.add_node(nodes.inline, override=True, latex=(visit_inline_latex, LaTeXTranslator.depart_inline))
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
