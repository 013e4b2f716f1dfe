"""The PDF edition: built strictly, readable, citeable, and the same report as the HTML.

The PDF is built in this test session, into the folder where the session's HTML build
(conftest.built_book) already executed the notebooks, so it reuses that execution cache, exactly
as `make pdf` reuses `make book`'s. Nothing here is skipped: without TeX (see
.ci/debian-packages.txt) or poppler-utils, these tests fail and say what to install.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import ROOT
from hanoi_evidence import edition, text
from hanoi_evidence.tables import load_table


def _run(*command: str) -> str:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is missing: apt-get install poppler-utils")
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="session")
def pdf(built_book) -> Path:
    html, result = built_book
    assert result.returncode == 0, "the HTML build failed; see test_book_build"
    try:
        return edition.build_pdf(ROOT, path_output=html.parents[1], echo=lambda *_: None)
    except edition.PdfBuildError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def pages(pdf) -> list[str]:
    """The PDF's text, page by page, with whitespace collapsed."""
    return [" ".join(page.split()) for page in _run("pdftotext", "-layout", str(pdf), "-").split("\f")]


@pytest.fixture(scope="session")
def whole(pages) -> str:
    return " ".join(pages)


def chapter_titles() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    titles = []
    for name in files:
        source = (ROOT / f"{name}.md").read_text(encoding="utf-8")
        titles.append(re.search(r"(?m)^# (.+)$", source).group(1).strip())
    return titles


def test_the_pdf_is_published_beside_the_html(pdf):
    html_copy = pdf.parents[1] / "html" / edition.PDF_NAME
    assert html_copy.read_bytes() == pdf.read_bytes()


def test_every_chapter_is_in_the_pdf(whole):
    missing = [title for title in chapter_titles() if title not in whole]
    assert missing == []


def test_title_page_has_title_version_date_and_citation(pages):
    first = pages[0]
    assert " ".join(edition.title().split()) in first
    assert f"Version {edition.version()}" in first
    assert edition.long_date(edition.release_date()) in first
    assert " ".join(edition.recommended_citation().split()) in first
    assert "CC BY 4.0" in first and "MIT" in first


def test_contents_follow_the_title_page(pages):
    assert pages[1].startswith("CONTENTS") or "CONTENTS" in pages[1][:40]


def test_the_how_to_cite_chapter_carries_the_generated_bibtex(whole):
    # Each line of the generated entry, glued and printed by the chapter, reaches the PDF.
    for line in edition.bibtex().splitlines():
        assert " ".join(line.split()) in whole, line


def test_glued_numbers_match_the_data_and_the_html(built_book, whole):
    """Findings whose canonical value the HTML prints are printed identically in the PDF."""
    html, _ = built_book
    html_text = " ".join(
        " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
        for page in (html / "chapters").glob("*.html")
    )
    findings = load_table("findings")
    numeric = findings[
        findings["unit"].isin(["percent", "count", "ratio"])
        & findings["value_low"].notna()
        & findings["value_high"].notna()
    ]
    values = {text.value_text(row) for _, row in numeric.iterrows()}
    values = {value for value in values if any(ch.isdigit() for ch in value) and value in html_text}
    assert len(values) >= 5, "too few glued findings to compare"
    # A narrow table column may break "2.9 times" over two lines of extracted text: compare the
    # number itself ("89%", "16–58%", "2.9", "300").
    assert sorted(value for value in values if value.split()[0] not in whole) == []


def test_vietnamese_is_intact(whole):
    """Names with Vietnamese diacritics come through (no dropped or decomposed letters)."""
    outlets = [name for name in load_table("sources")["outlet"].dropna() if not name.isascii()]
    assert outlets, "the data has no Vietnamese outlet name to check"
    assert "Báo Quốc Tế" in whole
    for outlet in outlets:
        assert outlet.split(" (")[0] in whole


def test_every_font_is_embedded(pdf):
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "pdffonts listed no fonts"
    not_embedded = [row for row in rows if row.split()[-5] != "yes"]
    assert not_embedded == []


def test_metadata(pdf):
    info = dict(line.split(":", 1) for line in _run("pdfinfo", str(pdf)).splitlines() if ":" in line)
    info = {key.strip(): value.strip() for key, value in info.items()}
    assert info["Title"] == edition.title()
    assert info["Author"] == ", ".join(edition.authors())
    assert "Hanoi" in info["Subject"]
    assert "Hanoi Convention" in info["Keywords"]
    assert edition.version() in info["Creator"]
    assert int(info["Pages"]) > 20


def test_the_landing_page_links_to_the_pdf_that_was_built(pdf, built_book):
    html_dir, _ = built_book
    page = (html_dir / "chapters" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.pdf)"', page)
    assert links, "the landing page has no link to the PDF edition"
    assert all((html_dir / "chapters" / link).resolve() == (html_dir / pdf.name).resolve() for link in links)
    assert (html_dir / pdf.name).is_file()


@pytest.mark.parametrize("tex_missing, linked", [([], True), (["texlive-xetex"], False)])
def test_the_pdf_link_is_shown_only_where_tex_can_build_it(monkeypatch, tex_missing, linked):
    from sphinx.util.tags import Tags

    monkeypatch.setattr(edition, "missing_tex", lambda: tex_missing)
    app = SimpleNamespace(tags=Tags())
    config = SimpleNamespace(html_theme_options={}, myst_substitutions={}, latex_elements={})
    edition._configure(app, config)
    assert (edition.PDF_TAG in app.tags) is linked


def test_creation_date_is_the_release_date(pdf):
    """Two builds of one version carry the same dates: the release's, not the build's."""
    info = dict(line.split(":", 1) for line in _run("pdfinfo", "-isodates", str(pdf)).splitlines() if ":" in line)
    assert info["CreationDate"].strip() == f"{edition.release_date().isoformat()}T00:00:00Z"


def test_no_unresolved_reference(whole):
    assert "??" not in whole


def test_one_bibliography_in_the_back_matter(pages):
    """The Bibliography chapter holds the list; no second, empty one, and nothing after it."""
    contents_end = next(i for i, page in enumerate(pages) if i > 1 and "CONTENTS" not in page[:40])
    headings = [
        i
        for i, page in enumerate(pages[contents_end:], contents_end)
        if re.match(r"CHAPTER [A-Z-]+ BIBLIOGRAPHY\b", page)
    ]
    entries = [i for i, page in enumerate(pages) if "United Nations General Assembly" in page]
    assert len(headings) == 1, headings
    assert entries and max(entries) >= headings[0]
    # Nothing follows the list but its own continuation pages: no other chapter starts after it.
    assert [i for i, page in enumerate(pages[headings[0] + 1 :]) if re.match(r"CHAPTER ", page)] == []


def test_figures_are_sharp(pdf):
    """Figures are vector (matplotlib's PDF) or raster at print resolution."""
    rows = [row.split() for row in _run("pdfimages", "-list", str(pdf)).splitlines()[2:]]
    low = [row for row in rows if row[2] == "image" and int(row[12]) < 200]
    assert low == [], f"{len(low)} raster figures below 200 ppi: have the kernel emit PDF (see edition.py)"


def test_citation_file_is_valid_and_matches_version():
    assert edition.citation_problems() == []


def test_a_wrong_version_in_citation_file_is_caught(tmp_path):
    """The control: CITATION.cff with another version, or a broken field, fails the check."""
    broken = tmp_path / "CITATION.cff"
    source = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    broken.write_text(source.replace(f"version: {edition.version()}", "version: 9.9.9", 1), encoding="utf-8")
    assert any("VERSION says" in problem for problem in edition.citation_problems(broken))
    broken.write_text(source.replace("cff-version: 1.2.0", "cff-version: 1.2.0\nnonsense-field: 1"), encoding="utf-8")
    assert any("nonsense-field" in problem for problem in edition.citation_problems(broken))


def test_one_version_everywhere():
    number = edition.version()
    assert (ROOT / "VERSION").read_text(encoding="utf-8").strip() == number
    assert f'version = "{number}"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert edition.citation()["version"] == number
    assert f"{{{number}}}" in edition.bibtex()
    assert "{version}" in (ROOT / "_config.yml").read_text(encoding="utf-8")  # the footer reads VERSION


def test_html_footer_shows_the_version(built_book):
    html, _ = built_book
    page = (html / "chapters" / "how-to-cite.html").read_text(encoding="utf-8")
    assert f"Version {edition.version()}." in page
    assert "{version}" not in page


def test_missing_tex_stops_before_building(monkeypatch, tmp_path):
    monkeypatch.setattr(edition.shutil, "which", lambda name: None)
    with pytest.raises(edition.PdfBuildError, match="apt-get install .*texlive-xetex"):
        edition.build_pdf(ROOT, path_output=tmp_path)
    assert not (tmp_path / "_build").exists()


def test_latex_log_problems_are_found(tmp_path):
    log = tmp_path / "book.log"
    log.write_text(
        "Missing character: There is no \u5b8c (U+5B8C) in font [FreeSerif.otf]/OT:script=lat\n"
        "LaTeX Warning: Reference `chapters/x:fig-y' on page 3 undefined on input line 9.\n",
        encoding="utf-8",
    )
    assert len(edition.latex_log_problems(log)) == 2
    log.write_text("Overfull \\hbox (1.2pt too wide) in paragraph\n", encoding="utf-8")
    assert edition.latex_log_problems(log) == []
    log.write_text("Overfull \\hbox (12.4pt too wide) in paragraph at lines 8--9\n", encoding="utf-8")
    assert len(edition.latex_log_problems(log)) == 1


# --------------------------------------------------------------------------- the page, word by word


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@pytest.fixture(scope="session")
def words(pdf) -> tuple[list[Word], float, float]:
    """Every word's box on every page (poppler's pdftotext -bbox), and the page's width and height."""
    xhtml = _run("pdftotext", "-bbox", str(pdf), "-")
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xhtml).groups())
    found = []
    for number, page in enumerate(xhtml.split("<page ")[1:]):
        for box in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page):
            found.append(Word(number, *map(float, box.groups()[:4]), html.unescape(box.group(5))))
    return found, width, height


def footer_top(words: list[Word]) -> float:
    """Where the footer begins: the top of the page numbers, the last word of most pages."""
    last = {}
    for word in words:
        if word.page not in last or word.y0 >= last[word.page].y0:
            last[word.page] = word
    return Counter(round(word.y0) for word in last.values()).most_common(1)[0][0] - 1


def header_bottom(words: list[Word]) -> float:
    """Where the running header ends: the bottom of its line, on most pages the first line."""
    first = {}
    for word in words:
        if word.page not in first or word.y0 < first[word.page].y0:
            first[word.page] = word
    return Counter(round(word.y1) for word in first.values()).most_common(1)[0][0] + 1


def off_the_page(words: list[Word], width: float, height: float, margin: float) -> list[Word]:
    """Words below the footer's line or reaching into the outer ``margin`` of the paper."""
    bottom = footer_top(words) + 14  # the footer's one line
    return [w for w in words if w.y1 > bottom or w.x0 < margin or w.x1 > width - margin or w.y1 > height - margin]


def overprinting(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words on one page set over each other: overlapping by more than half the smaller
    one's height and a third of its width (lines of a figure's text may touch; that is not it).

    Words of one or two characters and rotated words (taller than wide) are left out: poppler
    boxes a ligature or a rotated axis label loosely.
    """
    pairs = []
    by_page: dict[int, list[Word]] = {}
    for word in words:
        if len(word.text) >= 3 and word.x1 - word.x0 > word.y1 - word.y0:
            by_page.setdefault(word.page, []).append(word)
    for page_words in by_page.values():
        page_words.sort(key=lambda w: w.y0)
        for i, a in enumerate(page_words):
            for b in page_words[i + 1 :]:
                if b.y0 >= a.y1:
                    break  # sorted by top: no later word reaches up into a
                dx, dy = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx > min(a.x1 - a.x0, b.x1 - b.x0) / 3 and dy > min(a.y1 - a.y0, b.y1 - b.y0) / 2:
                    pairs.append((a, b))
    return pairs


# Fewer words than this between the running header and the footer: a page without body text.
MIN_BODY_WORDS = 15


def pages_without_body(words: list[Word], pages: int) -> list[int]:
    top, bottom = header_bottom(words), footer_top(words)
    counts = Counter(w.page for w in words if w.y0 >= top and w.y1 <= bottom)
    return [page + 1 for page in range(pages) if counts[page] < MIN_BODY_WORDS]


def test_no_word_leaves_the_page_or_runs_into_the_margin(words):
    found, width, height = words
    # The text area's margins are an inch or more; a word 20 pt from the paper's edge ran out of it.
    assert [(w.page + 1, w.text) for w in off_the_page(found, width, height, margin=20)] == []


def test_no_two_words_overprint(words):
    found, _, _ = words
    assert [(a.page + 1, a.text, b.text) for a, b in overprinting(found)] == []


def test_at_most_two_pages_without_body_text(words, pages):
    found, _, _ = words
    empty = pages_without_body(found, len([page for page in pages if page.strip()]))
    assert len(empty) <= 2, f"pages without body text: {empty}"


def test_the_page_checks_can_fail():
    """The controls: a word under the footer, two words on one spot, a page with only a heading."""
    body = [Word(p, 100, 100 + 12 * i, 140, 110 + 12 * i, "text") for p in range(3) for i in range(20)]
    furniture = [Word(p, 100, 30, 140, 40, "header") for p in range(3)] + [
        Word(p, 500, 780, 510, 790, str(p + 1)) for p in range(3)
    ]
    page = body + furniture
    assert off_the_page(page, 595, 842, margin=20) == []
    assert off_the_page([*page, Word(1, 100, 820, 140, 830, "lost")], 595, 842, margin=20)
    assert off_the_page([*page, Word(1, 560, 300, 590, 310, "wide")], 595, 842, margin=20)
    assert overprinting(page) == []
    assert overprinting([*page, Word(0, 105, 101, 145, 111, "over")])
    assert pages_without_body(page, 3) == []
    assert pages_without_body([*page, Word(3, 100, 30, 140, 40, "header"), Word(3, 500, 780, 510, 790, "4")], 4) == [4]


def test_no_line_is_more_than_10_pt_too_wide(pdf):
    log = pdf.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    wide = [m.group(0) for m in edition.OVERFULL.finditer(log) if float(m.group(1)) > edition.MAX_OVERFULL_PT]
    assert wide == []


# --------------------------------------------------------------------------- the same text as the HTML


def comparable(value: str) -> str:
    """Text as compared between the data and the PDF: no whitespace or hyphens (a hyphenated line
    break), straight quotes, three dots for an ellipsis, lower case."""
    value = unicodedata.normalize("NFC", value).translate(str.maketrans("‘’“”", "''\"\"")).replace("…", "...")
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", value).lower()


def test_every_article_quote_is_in_the_pdf(pdf):
    plain = comparable(_run("pdftotext", str(pdf), "-"))
    quotes = [quote for quote in load_table("mentions")["quote"].dropna() if quote.strip()]
    assert quotes, "data/mentions.csv has no quote"
    assert [quote for quote in quotes if comparable(quote) not in plain] == []


def test_the_bibliography_is_in_the_html_order(built_book, pages):
    html_dir, _ = built_book
    page = (html_dir / "chapters" / "bibliography.html").read_text(encoding="utf-8")
    labels = re.findall(
        r'<div class="citation" id="[^"]+"[^>]*>\s*<span class="label">(.*?)</span>\s*</span>', page, re.S
    )
    in_html = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", label)).split()).strip("[] ") for label in labels]
    start = next(i for i, text in enumerate(pages) if re.match(r"CHAPTER [A-Z-]+ BIBLIOGRAPHY\b", text))
    back = " ".join(pages[start:])
    in_pdf = sorted(in_html, key=lambda label: back.find(f"[{label}]"))
    assert in_html and all(f"[{label}]" in back for label in in_html)
    assert in_pdf == in_html


def test_the_title_pages_say_where_the_report_lives(pages):
    """The configured web addresses (CITATION.cff's url and repository-code), or that there are none yet."""
    assert " ".join(edition.web_address_text().split()) in " ".join(pages[:2])


def test_a_configured_web_address_is_printed_instead_of_the_statement():
    """The control for the title page's web address: once CITATION.cff has one, it is printed."""
    unpublished = edition.web_address_text({"html": "", "data": ""})
    assert unpublished.startswith("Web address: not yet published")
    # example.org: the domain reserved for examples, not an address of this report.
    published = edition.web_address_text({"html": "https://example.org/report/", "data": ""})
    assert "https://example.org/report/" in published and "not yet published" in published
    assert edition.UNPUBLISHED not in published
    assert r"\url{https://example.org/report/}" in edition._latex_web_address(
        {"html": "https://example.org/report/", "data": ""}
    )
