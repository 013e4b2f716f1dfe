"""The summary in Vietnamese (chapters/tom-tat.md): its language, its numbers, its links and its PDF.

- The page is ``<html lang="vi">`` and every other page stays English; its links to the English
  chapters are marked ``lang="en"``, and so are the theme's words around it (sidebars, header,
  footers); the part's caption, "Tiếng Việt", is marked ``lang="vi"`` on every page.
- Every glued value is the one :func:`hanoi_evidence.vietnamese.summary_values` computes, written
  the Vietnamese way; the verdict counts equal those of data/claims.csv (read here with the csv
  module, not the package), and the counts, shares and dates equal the English landing page's.
- It links each finding and each verdict to the English chapters, uses the glossary's Vietnamese
  terms and none of the terms the Luxembourg Guidelines advise against.
- It sits outside the numbering: Part I still opens with chapter 1, in the HTML and the PDF.
- Its text is in the PDF.
"""

from __future__ import annotations

import collections
import csv
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup, Comment

from conftest import ROOT, page_text, visible_text, without_scripts
from hanoi_evidence import edition, verdicts, vietnamese
from hanoi_evidence.text import SMALL_NUMBER_WORDS

PAGE = "tom-tat"
SOURCE = ROOT / "chapters" / f"{PAGE}.md"
DATA = ROOT / "data"

# Glossary entries (data/glossary.csv, by their English term) whose Vietnamese term the page uses.
GLOSSARY_TERMS = [
    "online child sexual exploitation and abuse",
    "technology-facilitated gender-based violence",
    "non-consensual dissemination of intimate images",
    "sextortion",
    "grooming",
    "cyberbullying",
    "deepfake",
    "United Nations Convention against Cybercrime",
    "ratification",
    "entry into force",
    "victim / survivor",
]
# Vietnamese terms the Luxembourg Guidelines' advice rules out, with what the page writes instead.
AVOID = {
    "khiêu dâm trẻ em": "tài liệu xâm hại tình dục trẻ em ('child pornography')",
    "mại dâm trẻ em": "bóc lột tình dục trẻ em ('child prostitution')",
    "trả thù": "phát tán hình ảnh nhạy cảm mà không có sự đồng thuận ('revenge porn')",
    "lạm dụng tình dục": "xâm hại tình dục, as the glossary writes",
}
# Glued values on the English landing page and the Vietnamese summary that state the same fact.
SAME_AS_LANDING = {
    "ix_n_sources": "tt_n_sources",
    "ix_n_statistics": "tt_n_statistics",
    "ix_n_stated": "tt_n_stated",
    "ix_n_traced": "tt_n_traced",
    "ix_n_probable": "tt_n_probable",
    "ix_n_unknown": "tt_n_unknown",
    "ix_n_claims": "tt_n_claims",
    "ix_n_accurate": "tt_n_accurate",
    "ix_n_mis_scoped": "tt_n_mis_scoped",
    "ix_n_overstated": "tt_n_overstated",
    "ix_n_wrong": "tt_n_wrong",
    "ix_n_unsupported": "tt_n_unsupported",
    "ix_n_not_checkable": "tt_n_not_checkable",
    "ix_range_value": "tt_range_value",
    "ix_women_value": "tt_women_value",
    "ix_adopted": "tt_adopted",
    "ix_status_wrong_articles": "tt_status_wrong_articles",
}


# --- helpers -----------------------------------------------------------------------------------
def html_page(html_dir: Path, name: str) -> str:
    return (html_dir / "chapters" / f"{name}.html").read_text(encoding="utf-8")


def article_of(page: str) -> str:
    return without_scripts(re.search(r"<article\b.*?</article>", page, re.S).group(0))


def glue_keys(name: str) -> list[str]:
    """The names a chapter's prose glues, in the order they appear (code cells left out)."""
    text = (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    text = re.sub(r"```\{code-cell\}.*?```", " ", text, flags=re.S)
    return re.findall(r"\{glue:text\}`([^`]+)`", text)


def glued_by_key(html_dir: Path, name: str) -> dict[str, str]:
    """Each glued value of a built chapter, by its glue name: the page's pasted values in order,
    matched to the names its source glues in the same order."""
    keys = glue_keys(name)
    values = [
        visible_text(v)
        for v in re.findall(r'<span class="pasted-text[^"]*"[^>]*>(.*?)</span>', article_of(html_page(html_dir, name)))
    ]
    assert len(values) == len(keys), f"{name}: {len(keys)} glue roles in the source, {len(values)} values in the HTML"
    found: dict[str, str] = {}
    for key, value in zip(keys, values, strict=True):
        assert found.setdefault(key, value) == value, f"{name}: {key} shows two values"
    return found


def english_value(text: str):
    """'seven' -> (7.0,), 'one article' -> (1.0,), '13.3%' -> (13.3,), '16–58%' -> (16.0, 58.0),
    '24 December 2024' -> a date."""
    first = text.split()[0].lower()
    if first in SMALL_NUMBER_WORDS:
        return (float(SMALL_NUMBER_WORDS.index(first)),)
    if re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", text):
        return pd.Timestamp(text)
    return tuple(float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text))


def vietnamese_value(text: str):
    """'7' -> (7.0,), '1 bài báo' -> (1.0,), '13,3%' -> (13.3,), '186.819' -> (186819.0,),
    '24 tháng 12 năm 2024' -> a date."""
    date = re.fullmatch(r"(\d{1,2}) tháng (\d{1,2}) năm (\d{4})", text)
    if date:
        day, month, year = map(int, date.groups())
        return pd.Timestamp(year=year, month=month, day=day)
    return tuple(float(n.replace(".", "").replace(",", ".")) for n in re.findall(r"\d[\d.]*(?:,\d+)?", text))


def claims_csv_counts() -> collections.Counter:
    with (DATA / "claims.csv").open(encoding="utf-8", newline="") as handle:
        return collections.Counter(row["verdict"] for row in csv.DictReader(handle))


def glossary_vietnamese() -> dict[str, str]:
    with (DATA / "glossary.csv").open(encoding="utf-8", newline="") as handle:
        return {row["term"]: row["vietnamese"] for row in csv.DictReader(handle)}


# --- the Vietnamese way of writing numbers, without a build --------------------------------------
def test_numbers_and_dates_are_written_the_vietnamese_way():
    assert vietnamese.decimal(13.3, 1) == "13,3"
    assert vietnamese.percent(13.3, 1) == "13,3%"
    assert vietnamese.percent(89) == "89%"
    assert vietnamese.number(186819) == "186.819"
    assert vietnamese.decimal(1234.5, 1) == "1.234,5"
    assert vietnamese.count(3e8) == "300 triệu"
    assert vietnamese.count(2.5e9) == "2,5 tỷ"
    assert vietnamese.long_date("2025-10-25") == "25 tháng 10 năm 2025"
    assert vietnamese.long_date("2026-01-26") == "26 tháng 1 năm 2026"
    assert vietnamese.month("2025-10-22") == "tháng 10 năm 2025"
    assert vietnamese.join_words(["đe dọa", "quấy rối", "bắt nạt"]) == "đe dọa, quấy rối và bắt nạt"
    finding = pd.Series({"value_low": 16.0, "value_high": 58.0, "unit": "percent", "value_bound": None})
    assert vietnamese.value_text(finding) == "16–58%"
    finding = pd.Series({"value_low": 546000.0, "value_high": 546000.0, "unit": "count", "value_bound": "lower"})
    assert vietnamese.value_text(finding) == "hơn 546.000"


def test_the_summary_counts_equal_data_claims_csv():
    values = vietnamese.summary_values("tt")
    counts = claims_csv_counts()
    assert values["tt_n_claims"] == str(sum(counts.values()))
    for verdict in vietnamese.VERDICT_LABELS:
        assert values[f"tt_n_{verdict.replace('-', '_')}"] == str(counts.get(verdict, 0)), verdict


def test_the_summary_values_follow_the_data(data_copy):
    """The control: a verdict changed in a copy of the data changes the counts the summary glues."""
    claims = data_copy / "claims.csv"
    rows = list(csv.DictReader(claims.open(encoding="utf-8", newline="")))
    changed = next(row for row in rows if row["claim_id"] == "roundtable-oct26")
    assert changed["verdict"] == "accurate"
    changed["verdict"] = "overstated"
    with claims.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    before, after = vietnamese.summary_values("tt"), vietnamese.summary_values("tt", data_copy)
    assert int(after["tt_n_accurate"]) == int(before["tt_n_accurate"]) - 1
    assert int(after["tt_n_overstated"]) == int(before["tt_n_overstated"]) + 1


def test_the_summary_values_equal_the_landing_page_values():
    """Without a build: the same facts as the English landing page's glue, parsed back to numbers."""
    from hanoi_evidence import claims

    english, ours = claims.landing_values(), vietnamese.summary_values("tt")
    shared = {ix: tt for ix, tt in SAME_AS_LANDING.items() if ix in english}
    assert len(shared) >= 12, f"the landing page no longer glues {sorted(set(SAME_AS_LANDING) - set(english))}"
    for ix, tt in shared.items():
        assert english_value(english[ix]) == vietnamese_value(ours[tt]), (ix, english[ix], ours[tt])


def test_the_comparison_tells_different_numbers_apart():
    """The control for the comparison above: a different count, share or date does not pass."""
    assert english_value("seven") == vietnamese_value("7")
    assert english_value("seven") != vietnamese_value("8")
    assert english_value("13.3%") == vietnamese_value("13,3%") != vietnamese_value("13%")
    assert english_value("16–58%") == vietnamese_value("16–58%") != vietnamese_value("16–59%")
    assert english_value("24 December 2024") == vietnamese_value("24 tháng 12 năm 2024")
    assert english_value("24 December 2024") != vietnamese_value("24 tháng 11 năm 2024")
    assert english_value("one article") == vietnamese_value("1 bài báo")


def test_a_verdict_or_harm_without_vietnamese_words_stops_the_build(monkeypatch):
    """No English (or outdated) label slips into the Vietnamese text: a missing translation raises."""
    monkeypatch.setattr(
        vietnamese, "VERDICT_LABELS", {k: v for k, v in vietnamese.VERDICT_LABELS.items() if k != "wrong"}
    )
    with pytest.raises(KeyError, match="wrong"):
        vietnamese.summary_values("tt")
    monkeypatch.undo()
    monkeypatch.setattr(vietnamese, "HARM_NAMES", {})
    with pytest.raises(KeyError):
        vietnamese.summary_values("tt")


def test_the_page_avoids_terms_the_guidelines_advise_against():
    text = SOURCE.read_text(encoding="utf-8").lower()
    found = {term: instead for term, instead in AVOID.items() if term in text}
    assert found == {}, f"write instead: {found}"


def test_the_page_declares_its_language_and_glues_under_its_own_prefix():
    source = SOURCE.read_text(encoding="utf-8")
    assert re.search(r"(?m)^lang: vi$", source.split("\n---\n")[0])
    keys = glue_keys(PAGE)
    assert keys and all(key.startswith("tt_") for key in keys)
    others = {
        key for chapter in (ROOT / "chapters").glob("*.md") if chapter.stem != PAGE for key in glue_keys(chapter.stem)
    }
    assert others.isdisjoint(keys)
    assert set(keys) <= set(vietnamese.summary_values("tt"))


# --- the built HTML ----------------------------------------------------------------------------
def test_the_page_is_vietnamese_and_the_others_english(html_dir):
    assert re.search(r'<html[^>]*\blang="vi"', html_page(html_dir, PAGE))
    for page in (html_dir / "chapters").glob("*.html"):
        if page.stem != PAGE:
            assert re.search(r'<html[^>]*\blang="en"', page.read_text(encoding="utf-8")), page.name


def test_links_to_english_chapters_are_marked_english(html_dir):
    article = article_of(html_page(html_dir, PAGE))
    links = re.findall(r'(.{0,20})<a class="reference internal" href="([\w-]+)\.html"', article)
    assert len(links) >= 10
    unmarked = [target for before, target in links if target != PAGE and not before.endswith('<span lang="en">')]
    assert unmarked == []
    # On the English pages, the summary's title is marked Vietnamese wherever it is repeated.
    sources = html_page(html_dir, "sources")
    assert re.search(r'<a class="reference internal" href="tom-tat.html"><span lang="vi">Tóm tắt</span></a>', sources)


def text_languages(page: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Each visible piece of text of a built page with the language it is marked in (its nearest
    ``lang``): those of the page's text (its article) and those of the theme's parts around it."""
    soup = BeautifulSoup(page, "lxml")
    article = soup.find("article")
    inside, around = [], []
    for text in soup.body.find_all(string=True):
        if isinstance(text, Comment) or text.parent.name in ("script", "style") or not text.strip():
            continue
        language = next(parent["lang"] for parent in text.parents if parent.get("lang"))
        (inside if article in text.parents else around).append((" ".join(text.split()), language))
    return inside, around


def test_the_theme_s_words_around_the_summary_stay_english(html_dir):
    """The sidebars, header, skip link and footers are in the book's language on the Vietnamese
    page; only the summary's own title, its headings (in its contents) and its part's caption are
    Vietnamese there. On the English pages, that caption and the title are marked Vietnamese."""
    page = html_page(html_dir, PAGE)
    inside, around = text_languages(page)
    headings = {" ".join(h.split()) for h in re.findall(r"<h2>(?:<span[^>]*>[^<]*</span>)?([^<]+)<", article_of(page))}
    assert len(headings) >= 3, headings
    vietnamese_around = {text for text, language in around if language == "vi"}
    assert vietnamese_around == headings | {"Tóm tắt", "Tiếng Việt"}, vietnamese_around
    assert {"Skip to main content", "Contents", "Part I — The evidence", "Back to top"} <= {
        text for text, language in around if language == "en"
    }
    assert sum(language == "vi" for _, language in inside) > sum(language == "en" for _, language in inside)
    for other in (html_dir / "chapters").glob("*.html"):
        if other.stem != PAGE:
            _, around = text_languages(other.read_text(encoding="utf-8"))
            marked = {text for text, language in around if language == "vi"}
            assert marked == {"Tóm tắt", "Tiếng Việt"}, (other.name, marked)


def test_every_glued_value_is_the_computed_one(html_dir):
    shown = glued_by_key(html_dir, PAGE)
    expected = vietnamese.summary_values("tt")
    assert shown == {key: expected[key] for key in shown}
    assert not [value for value in shown.values() if re.search(r"\d\.\d|[A-Za-z]{4,} \d{4}", value)], (
        "a value written the English way"
    )


def test_the_verdict_counts_equal_data_claims_csv(html_dir):
    text = page_text(html_dir, PAGE)
    counts = claims_csv_counts()
    assert f"Trong {sum(counts.values())} nhận định mà báo cáo kiểm tra:" in text
    for verdict, label in vietnamese.VERDICT_LABELS.items():
        assert re.search(rf"\b{counts.get(verdict, 0)} nhận định {re.escape(label)} ?:", text), verdict


def test_the_glued_numbers_equal_the_landing_pages(html_dir):
    english, ours = glued_by_key(html_dir, "index"), glued_by_key(html_dir, PAGE)
    shared = {ix: tt for ix, tt in SAME_AS_LANDING.items() if ix in english}
    assert len(shared) >= 12, f"compared only {sorted(shared)}"
    different = {
        ix: (english[ix], ours[tt])
        for ix, tt in shared.items()
        if english_value(english[ix]) != vietnamese_value(ours[tt])
    }
    assert different == {}


def test_each_finding_and_verdict_links_to_its_chapters(html_dir):
    article = article_of(html_page(html_dir, PAGE))
    findings = re.search(r'<section id="nhung-phat-hien-chinh">.*?</section>', article, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", findings, re.S)
    assert len(items) >= 5
    for item in items:
        assert re.search(r'href="(?!tom-tat)[\w-]+\.html"', item), visible_text(item)
    results = re.search(r'<section id="ket-qua-kiem-tra-cac-nhan-dinh">.*?</section>', article, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", results, re.S)
    chapters = verdicts.verdict_chapters()
    for verdict, label in vietnamese.VERDICT_LABELS.items():
        item = [i for i in items if re.search(rf"<strong>{re.escape(label)}</strong>:", i)]
        assert len(item) == 1, label
        linked = {f"chapters/{page}" for page in re.findall(r'href="([\w-]+)\.html"', item[0])}
        assert linked == set(chapters.get(verdict, [])), verdict


def test_the_page_uses_the_glossarys_vietnamese_terms(html_dir):
    text = page_text(html_dir, PAGE)
    terms = glossary_vietnamese()
    missing = {term: terms[term] for term in GLOSSARY_TERMS if not terms[term] or terms[term] not in text}
    assert missing == {}


def test_the_summary_is_outside_the_numbering(html_dir):
    assert 'class="section-number"' not in re.search(r"<h1.*?</h1>", article_of(html_page(html_dir, PAGE)), re.S).group(
        0
    )
    heading = re.search(r"<h1.*?</h1>", article_of(html_page(html_dir, "sources")), re.S).group(0)
    assert '<span class="section-number">1. </span>' in heading


# --- the PDF -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pdf_pages(html_dir) -> list[str]:
    """The PDF's text, page by page: the one tests/test_pdf.py built beside the HTML in this
    session (or beside HANOI_EVIDENCE_HTML), or else built here the same way."""
    pdf = html_dir.parent / "latex" / edition.PDF_NAME
    if not pdf.is_file():
        try:
            pdf = edition.build_pdf(ROOT, path_output=html_dir.parents[1], echo=lambda *_: None)
        except edition.PdfBuildError as error:
            pytest.fail(str(error))
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")


def _comparable(text: str) -> str:
    """Text with the layout's differences taken out: spaces, line breaks and hyphens."""
    return re.sub(r"[\s\-‐­]", "", text)


def test_the_pages_text_is_in_the_pdf(html_dir, pdf_pages):
    article = article_of(html_page(html_dir, PAGE))
    headings = [visible_text(h) for h in re.findall(r"<h[1-6]\b.*?</h[1-6]>", article, re.S)]
    headings = [h.rstrip("#").strip() for h in headings]
    header = f"The evidence behind the Hanoi Convention, version {edition.version()}"
    lines = [
        line
        for page in pdf_pages
        for line in page.splitlines()
        if line.strip() not in {header, *headings} and not re.fullmatch(r"\s*([0-9]+|[ivxl]+)\s*", line)
    ]
    pdf = _comparable("\n".join(lines))
    blocks = [visible_text(b) for b in re.findall(r"<(?:p|li)\b[^>]*>.*?</(?:p|li)>", article, re.S)]
    blocks = [b for b in blocks if b]
    assert len(blocks) >= 15
    missing = [b for b in blocks if _comparable(b) not in pdf]
    assert missing == []
    assert "TÓM TẮT" in " ".join(pdf_pages)  # the chapter's heading, with its diacritics


def test_the_pdf_numbers_part_one_from_chapter_one(pdf_pages):
    text = " ".join(" ".join(page.split()) for page in pdf_pages)
    assert "CHAPTER ONE THE SOURCES" in text
    assert not re.search(r"CHAPTER [A-Z-]+ TÓM TẮT", text)
    contents = " ".join(" ".join(page.split()) for page in pdf_pages[1:4])
    # The contents list the part (with its page, now that a part shares its first chapter's page).
    assert re.search(r"Tiếng Việt (\d+ )?Tóm tắt (\d+ )?Những phát hiện chính", contents)
