"""Reuse of the built book (issue 17): every claim and finding has a link target, the chapters'
verdicts link to them, and the verdicts are machine-readable as schema.org ClaimReview JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pyld import jsonld

from hanoi_evidence import edition, verdicts
from hanoi_evidence.tables import load_table
from hanoi_evidence.verdicts import claims

SCHEMA = "https://schema.org/"
# The schema.org context, reduced to what these reviews use: every term in the schema.org
# vocabulary. Served by the test's own loader, so expanding fetches nothing.
SCHEMA_CONTEXT = {"@context": {"@vocab": SCHEMA}}


def offline_loader(url, options=None):
    if url.rstrip("/") != SCHEMA.rstrip("/"):
        raise AssertionError(f"JSON-LD asked for a document other than schema.org's context: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}


def page(html_dir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def register_page(html_dir) -> BeautifulSoup:
    return page(html_dir, "chapters/evidence-register.html")


def value(node: dict, term: str):
    """The one plain value of a schema.org term in an expanded node (None when absent)."""
    values = node.get(SCHEMA + term, [])
    assert len(values) <= 1, (term, values)
    return values[0].get("@value") if values else None


def reviews(soup: BeautifulSoup) -> list[dict]:
    """The page's ClaimReview nodes, expanded with the offline loader."""
    found = []
    for script in soup.find_all("script", type="application/ld+json"):
        expanded = jsonld.expand(json.loads(script.string), {"documentLoader": offline_loader})
        found += [n for n in expanded if SCHEMA + "ClaimReview" in n.get("@type", [])]
    return found


def test_the_register_page_has_one_claim_review_per_claim(register_page):
    found = {value(r, "claimReviewed"): r for r in reviews(register_page)}
    table = claims()
    assert len(reviews(register_page)) == len(table) and set(found) == set(table["claim"])
    ids = {tag["id"] for tag in register_page.find_all(id=True)}
    scale = load_table("verdicts")
    for claim in table.itertuples(index=False):
        review = found[claim.claim]
        (rating,) = review[SCHEMA + "reviewRating"]
        assert value(rating, "bestRating") == scale["rating"].max() == 4
        assert value(rating, "worstRating") == scale["rating"].min() == 1
        assert value(rating, "alternateName") == claim.verdict_label
        # A verdict off the scale (unsupported, not checkable) has no ratingValue.
        assert value(rating, "ratingValue") == (None if pd.isna(claim.rating) else int(claim.rating))
        assert value(review, "url") == f"#claim-{claim.claim_id}" and f"claim-{claim.claim_id}" in ids
        assert value(review, "datePublished") == edition.release_date().isoformat()
        assert [value(a, "name") for a in review[SCHEMA + "author"]] == edition.authors()


def test_each_reviewed_claim_names_its_articles_as_the_data_records_them(register_page):
    sources = load_table("sources")
    mentions = load_table("mentions").set_index("mention_id")["source_id"]
    by_text = {value(r, "claimReviewed"): r for r in reviews(register_page)}
    for claim in claims().itertuples(index=False):
        (item,) = by_text[claim.claim][SCHEMA + "itemReviewed"]
        assert SCHEMA + "Claim" in item["@type"]
        rows = sources[sources["source_id"].isin({mentions[m] for m in claim.mentions.split(";")})]
        assert {value(a, "name") for a in item[SCHEMA + "author"]} == set(rows["outlet"])
        articles = item[SCHEMA + "appearance"]
        assert len(articles) == len(rows)
        # Only what sources.csv records: no invented address or headline.
        assert {value(a, "url") for a in articles} == {None if pd.isna(u) else u for u in rows["url"]}
        assert {value(a, "headline") for a in articles} == {None if pd.isna(h) else h for h in rows["headline"]}


def test_every_claim_and_finding_has_exactly_one_anchor(register_page):
    ids = [tag["id"] for tag in register_page.find_all(id=True)]
    expected = [f"claim-{c}" for c in load_table("claims")["claim_id"]]
    expected += [f"finding-{f}" for f in load_table("findings")["finding_id"]]
    assert sorted(i for i in ids if i in expected) == sorted(expected)
    assert [i for i in ids if i.startswith(("claim-", "finding-")) and i not in expected] == []


def test_every_claim_is_linked_from_a_chapter_section_and_the_register_links_back_to_it(html_dir, register_page):
    ids = {tag["id"] for tag in register_page.find_all(id=True)}
    for claim_id in load_table("claims")["claim_id"]:
        row = register_page.find(id=f"claim-{claim_id}").find_parent("tr")
        # The row's last cell, "Discussed in", links to a section of a chapter (not just its page)...
        back = row.find_all("td")[-1].find("a", href=True)
        assert back is not None, claim_id
        target, _, section_id = back["href"].partition("#")
        assert target.endswith(".html") and section_id, (claim_id, back["href"])
        # ...and that section links to the claim's row in the register.
        section = page(html_dir, f"chapters/{target}").find(id=section_id)
        links = {a["href"] for a in section.find_all("a", href=True)}
        assert f"evidence-register.html#claim-{claim_id}" in links, (claim_id, back["href"])
    # Every link from a chapter to a claim lands on an anchor the register has.
    for path in sorted((html_dir / "chapters").glob("*.html")):
        for link in page(html_dir, f"chapters/{path.name}").find_all("a", href=True):
            target, _, anchor = link["href"].partition("#")
            if target == "evidence-register.html" and anchor.startswith("claim-"):
                assert anchor in ids, (path.name, link["href"])


def test_the_sources_chapter_prose_fits_its_claims_verdicts():
    # "Of these N claims, A hold ... The other U are unsupported": true only while no other verdict occurs.
    claim_ids = verdicts.chapter_claims("chapters/sources")
    assert set(claims().set_index("claim_id").loc[claim_ids, "verdict"]) == {"accurate", "unsupported"}


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_page_has_a_social_preview_served_from_the_book(html_dir):
    from PIL import Image

    site = edition.web_addresses()["html"]
    cards = {}
    for path in sorted((html_dir / "chapters").glob("*.html")):
        soup = page(html_dir, f"chapters/{path.name}")
        title = soup.find("h1").get_text(" ", strip=True).rstrip("#").strip()
        assert _meta(soup, "og:title").endswith(title.split(". ", 1)[-1]), path.name
        assert _meta(soup, "og:description") == _meta(soup, "description"), path.name
        assert _meta(soup, "twitter:card") == "summary_large_image", path.name
        assert _meta(soup, "og:image:alt"), path.name
        # The preview's locale is the page's language: Vietnamese for the summary, English elsewhere.
        language = soup.find("html")["lang"]
        assert _meta(soup, "og:locale") == {"en": "en_GB", "vi": "vi_VN"}[language], path.name
        assert (language == "vi") == (path.name == "tom-tat.html"), path.name
        image = _meta(soup, "og:image")
        if site:  # a published book: absolute addresses under its own
            assert image.startswith(site) and _meta(soup, "og:url").startswith(site), path.name
            card = html_dir / image.removeprefix(site).lstrip("/")
        else:  # not yet published: the card relative to the page, and no stand-in for a canonical address
            assert "://" not in image and _meta(soup, "og:url") is None, path.name
            card = (path.parent / image).resolve()
        with Image.open(card) as picture:
            assert picture.format == "PNG" and picture.size == (1200, 630), path.name
            size = (int(_meta(soup, "og:image:width")), int(_meta(soup, "og:image:height")))
            assert size == picture.size, path.name
        cards[path.name] = card.read_bytes()
    # A card of its own for each page.
    assert len(set(cards.values())) == len(cards)
