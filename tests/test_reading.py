"""The HTML edition as a reader meets it: written prose, plain labels, a landing page with the story.

- Sentences are written in the chapters; only numbers, dates, counts, short labels and verbatim
  quotes reach the running text through glue.
- No internal id (finding, claim, mention, drift kind, source or bibliography key) and no column
  name is shown to readers outside the data dictionary and the methods.
- The landing page shows a figure and the verdict summary, each count linked to its chapter, and
  on a phone its first screen holds findings, not only the title.
- Part III reads as a chapter: a few tables, the side-by-side tables in an appendix.
- The report's own prose spells Hanoi one way; quotes keep their own spelling.
"""

from __future__ import annotations

import collections
import csv
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, visible_text, without_scripts

DATA = ROOT / "data"
# Pages whose job is to name the data's columns and ids.
EXPLAINS_THE_DATA = {"data-dictionary", "methods"}
# Words of a glued label; a longer glued value is a sentence pasted from a data cell.
MAX_LABEL_WORDS = 6
# Tables whose keys are the English words the report uses ("mis-scoped", "human-rights", "grooming",
# the expression "80th" an article writes).
KEYS_ARE_WORDS = {"glossary", "verdicts", "convention_topics", "exclusions"}
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def chapter_pages(html_root: Path) -> dict[str, str]:
    return {page.stem: page.read_text(encoding="utf-8") for page in sorted((html_root / "chapters").glob("*.html"))}


def main_of(page: str) -> str:
    return without_scripts(re.search(r"<main.*?</main>", page, re.S).group(0))


def running_text_blocks(page: str) -> list[str]:
    """The paragraphs and list items of a page's main content, tables and figures left out."""
    main = main_of(page)
    main = re.sub(r"<(table|figure)\b.*?</\1>", " ", main, flags=re.S)
    return re.findall(r"<(?:p|li)\b[^>]*>.*?</(?:p|li)>", main, flags=re.S)


def glued_values(block: str) -> list[str]:
    return [visible_text(v) for v in re.findall(r'<span class="pasted-text[^"]*"[^>]*>(.*?)</span>', block, re.S)]


def is_short_label(value: str) -> bool:
    """A number, date, count or short label, or a list of them; a verbatim quote counts as one word."""
    words = QUOTED.sub("Q", value)
    if re.search(r"[.!?]$|[.!?] [A-Z]", words):
        return False
    items = re.split(r",\s+|;\s+|\s+and\s+", words)
    return all(len(item.split()) <= MAX_LABEL_WORDS for item in items)


def test_the_label_rule_tells_a_label_from_a_sentence():
    assert is_short_label("89%") and is_short_label("accurate but mis-scoped")
    assert is_short_label("WVR (22 Oct), Báo Quốc Tế (26 Oct) and Workshop (28 Mar)")
    assert is_short_label("“yet no national data exists on online abuse”")
    assert not is_short_label("Viet Nam has no national data on online abuse.")
    assert not is_short_label("lifetime prevalence of sexual violence by a husband or partner")


def test_glued_values_in_running_text_are_numbers_labels_or_quotes(html_dir):
    pasted = {}
    for name, page in chapter_pages(html_dir).items():
        for block in running_text_blocks(page):
            pasted.update({(name, v): None for v in glued_values(block) if not is_short_label(v)})
    assert not pasted, f"sentences pasted from data cells into the prose: {sorted(pasted)[:10]}"


def _id_columns() -> dict[str, set[str]]:
    """Every id and column name in the data package, by the table that defines it."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ids: dict[str, set[str]] = {}
    for resource in package["resources"]:
        schema = json.loads((DATA / resource["schema"]).read_text(encoding="utf-8"))
        names = [f["name"] for f in schema["fields"]]
        # Column names with an underscore cannot be mistaken for an English word.
        ids.setdefault("column names", set()).update(n for n in names if "_" in n)
        keys = schema.get("primaryKey", [])
        keys = [keys] if isinstance(keys, str) else keys
        with (DATA / resource["path"]).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for key in keys:
                    value = row[key]
                    # Ids that read as words ("accurate", "grooming") are the words themselves.
                    if resource["name"] in KEYS_ARE_WORDS:
                        continue
                    if (re.search(r"[a-z]", value) and re.search(r"[-_@\d]", value)) or key == "source_id":
                        ids.setdefault(f"{resource['name']}.{key}", set()).add(value)
    bib = (ROOT / "references.bib").read_text(encoding="utf-8")
    ids["bibliography keys"] = set(re.findall(r"@\w+\{([^,\s]+),", bib))
    return ids


def test_the_id_list_holds_real_ids():
    ids = set().union(*_id_columns().values())
    assert {"vn-internet-use", "primary_says", "hedge_changed", "changes_conclusion", "wvr"} <= ids


@pytest.mark.parametrize("where", ["text", "tables"])
def test_no_internal_id_or_column_name_is_shown_to_readers(html_dir, where):
    ids = _id_columns()
    shown = []
    for name, page in chapter_pages(html_dir).items():
        if name in EXPLAINS_THE_DATA:
            continue
        main = main_of(page)
        # File names are addresses a reader can follow, not ids.
        main = re.sub(r"<a\b[^>]*>.*?</a>", " ", main, flags=re.S) if where == "text" else main
        if where == "tables":
            text = " ".join(visible_text(t) for t in re.findall(r"<table\b.*?</table>", main, re.S))
        else:
            text = visible_text(re.sub(r"<table\b.*?</table>", " ", main, flags=re.S))
        text = re.sub(r"\S+\.(csv|json|md|txt|bib)\b", " ", text)
        for kind, values in ids.items():
            for value in values:
                if re.search(rf"(?<![\w/.-]){re.escape(value)}(?![\w-]|\.\w)", text):
                    shown.append(f"{name}: {value} ({kind})")
    by_page = sorted(collections.Counter(s.split(":")[0] + " " + s.split("(")[-1] for s in shown).items())
    assert not shown, f"{len(shown)} internal ids shown to readers: {shown[:40]} (by page: {by_page})"


# --- the landing page ---------------------------------------------------------------------


def _verdict_items(html_root: Path) -> dict[str, str]:
    """The landing page's verdict list: each item's HTML, by the verdict label it names."""
    from hanoi_evidence import verdicts

    main = main_of((html_root / "chapters" / "index.html").read_text(encoding="utf-8"))
    section = re.search(r'<section id="the-verdicts".*?</section>', main, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    labels = verdicts.verdict_labels()
    found = {}
    for verdict, label in labels.items():
        # Longest label first: "accurate but mis-scoped" before "accurate".
        matching = [i for i in items if re.search(rf"</span>\s*{re.escape(label)}:", i)]
        assert len(matching) == 1, f"the verdict list has {len(matching)} items for {label!r}"
        found[verdict] = matching[0]
    return found


def test_the_landing_page_shows_a_figure_and_the_verdict_summary(html_dir):
    from hanoi_evidence import verdicts
    from hanoi_evidence.text import number_word

    main = main_of((html_dir / "chapters" / "index.html").read_text(encoding="utf-8"))
    assert re.search(r'<figure[^>]*id="fig-verdicts".*?<img[^>]+src="[^"]+"', main, re.S), (
        "no figure on the landing page"
    )
    counts = verdicts.verdict_counts()
    for verdict, item in _verdict_items(html_dir).items():
        assert visible_text(glued_values(item)[0]) == number_word(int(counts[verdict])), verdict


def test_each_verdict_links_to_the_chapters_that_discuss_it(html_dir):
    from hanoi_evidence import verdicts

    chapters = verdicts.verdict_chapters()
    for verdict, item in _verdict_items(html_dir).items():
        linked = {f"chapters/{page}" for page in re.findall(r'href="(?:\./)?([\w-]+)\.html"', item)}
        assert linked == set(chapters[verdict]), f"{verdict}: links {sorted(linked)}, data {chapters[verdict]}"


def test_on_a_phone_the_first_screen_holds_findings(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(base_url + "chapters/index.html", wait_until="load")
    first = page.locator("#key-findings li").first.bounding_box()
    context.close()
    assert first is not None and first["y"] + first["height"] <= 844, f"the first finding starts at {first}"


# --- one spelling of Hanoi ----------------------------------------------------------------

OTHER_SPELLINGS = re.compile(r"\bHa Noi\b|\bHà Nội\b", re.I)
# Quotations keep their own spelling: curly and straight double quotes, and single curly quotes.
QUOTATIONS = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")


def test_the_report_spells_hanoi_one_way(html_dir):
    mixed = []
    for name, page in chapter_pages(html_dir).items():
        if re.search(r'<html[^>]*\blang="vi"', page):
            continue
        main = main_of(page)
        # Vietnamese text spells it the Vietnamese way.
        main = re.sub(r'<(\w+)[^>]*\blang="vi".*?</\1>', " ", main, flags=re.S)
        text = QUOTATIONS.sub(" ", visible_text(main))
        mixed += [
            f"{name}: …{m.string[max(0, m.start() - 40) : m.end() + 20]}…" for m in OTHER_SPELLINGS.finditer(text)
        ]
    assert not mixed, mixed[:10]
