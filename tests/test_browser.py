"""What a reader gets: the built book, opened page by page in a real browser.

One local server and one headless Chromium (Debian's, driven by Playwright) serve the session.
Every HTML page the build wrote is visited once in light and once in dark colour mode; the
visits record every request, console message and axe-core result, and the tests below assert
on those records. The static checks (links, anchors, references, titles) read the HTML files.

Guarantees:
- accessibility: no serious or critical axe-core violation of the WCAG 2.1 A/AA rules, colour
  contrast included, on any page in either colour mode; every image has alt text; the keyboard
  reaches the main content through the skip link;
- privacy: reading a page requests nothing from any host but the book's own; no launch buttons,
  no thebe, no MathJax from elsewhere; no JavaScript error or failed request;
- integrity: every internal link and anchor resolves; every numbered figure and table is
  referenced from the text; every citation reaches a bibliography entry; every page has a
  title and a meta description;
- reading: at most a tenth of a chapter's running text is bold; glued values that are numbers,
  and only those, carry the dotted mark; at a phone's width and a laptop's, every table caption
  is in view, and every table wider than the page says so and can be scrolled from the keyboard.
"""

from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
import yaml

from conftest import ROOT
from hanoi_evidence.browser import is_number

playwright_api = pytest.importorskip("playwright.sync_api")

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Files the build writes that are not pages a reader opens.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads"}


def html_pages(html: Path) -> list[str]:
    """Every page of the built book, relative to the HTML folder."""
    pages = [p.relative_to(html).as_posix() for p in html.rglob("*.html")]
    return sorted(p for p in pages if p.split("/")[0] not in NOT_PAGES)


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in the project folder")
    return AXE.read_text(encoding="utf-8")


class Visit:
    """What happened while one page loaded in one colour mode."""

    def __init__(self):
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.violations: list[dict] = []
        self.images: list[dict] = []


@pytest.fixture(scope="session")
def visits(browser, base_url, html_dir) -> dict[tuple[str, str], Visit]:
    """Each page, opened in a fresh browser context (empty cache and storage) per colour mode."""
    axe = _axe_source()
    records: dict[tuple[str, str], Visit] = {}
    for mode in ("light", "dark"):
        for page_name in html_pages(html_dir):
            context = browser.new_context(color_scheme=mode)
            page = context.new_page()
            visit = records[(page_name, mode)] = Visit()
            page.on("request", lambda request, v=visit: v.requests.append(request.url))
            page.on("requestfailed", lambda request, v=visit: v.failed.append(f"{request.url} ({request.failure})"))
            page.on(
                "response",
                lambda response, v=visit: (
                    v.failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None
                ),
            )
            page.on(
                "console",
                lambda message, v=visit: v.console_errors.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error, v=visit: v.console_errors.append(f"uncaught: {error}"))
            page.goto(base_url + page_name, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.add_script_tag(content=axe)
            # Only colours differ between the modes: the dark visit runs the contrast rule alone.
            run_only = (
                {"type": "tag", "values": WCAG_TAGS}
                if mode == "light"
                else {"type": "rule", "values": ["color-contrast"]}
            )
            result = page.evaluate("only => axe.run(document, {runOnly: only, resultTypes: ['violations']})", run_only)
            visit.violations = result["violations"]
            visit.images = page.evaluate(
                """() => Array.from(document.images).map(img => ({
                    src: img.getAttribute('src'), alt: img.getAttribute('alt'),
                    loaded: img.complete && img.naturalWidth > 0,
                    hidden: img.getAttribute('aria-hidden') === 'true'}))"""
            )
            context.close()
    return records


def _describe(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:4]}" for v in violations]


# --- accessibility ---------------------------------------------------------------------------
def test_every_page_was_visited(visits, html_dir):
    pages = html_pages(html_dir)
    assert "chapters/bibliography.html" in pages and "chapters/sources.html" in pages
    assert {page for page, _ in visits} == set(pages)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violation(visits, mode):
    problems = {
        page: _describe([v for v in visit.violations if v["impact"] in BLOCKING])
        for (page, m), visit in visits.items()
        if m == mode
    }
    assert {page: found for page, found in problems.items() if found} == {}


def test_colour_contrast_was_checked_and_passes(visits, browser, base_url):
    """axe's contrast rule runs in both modes (guards against a silently skipped rule)."""
    for (page, mode), visit in visits.items():
        assert not [v for v in visit.violations if v["id"] == "color-contrast"], (page, mode)
    context = browser.new_context()
    tab = context.new_page()
    tab.set_content(
        '<html lang="en"><title>t</title><main><p style="color:#aaa;background:#fff">'
        "pale grey text that fails</p></main></html>"
    )
    tab.add_script_tag(content=_axe_source())
    result = tab.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}})")
    context.close()
    assert [v["id"] for v in result["violations"]] == ["color-contrast"]


def test_bibliography_markup_is_an_accessible_list(visits, html_dir):
    page = (html_dir / "chapters/bibliography.html").read_text(encoding="utf-8")
    assert 'class="citation-list"' in page
    assert 'role="doc-biblioentry"' not in page
    assert re.search(r'<div class="citation" id="[^"]+" role="listitem">', page)
    visit = visits[("chapters/bibliography.html", "light")]
    assert not [v for v in visit.violations if v["id"] in {"aria-required-children", "aria-deprecated-role"}]


def test_every_image_has_alt_text_and_loads(visits):
    problems = []
    for (page, mode), visit in visits.items():
        if mode != "light":
            continue
        for image in visit.images:
            alt = (image["alt"] or "").strip()
            if not image["loaded"]:
                problems.append(f"{page}: {image['src']} did not load")
            if image["hidden"]:
                continue
            if not alt or re.fullmatch(r"[0-9a-f]{16,}|.*\.(png|svg|jpe?g)|<Figure size.*", alt):
                problems.append(f"{page}: {image['src']} has alt text {alt!r}")
    assert problems == []


def test_figures_have_alt_text_that_states_something(html_dir):
    """A numbered figure's alt text is a sentence, not a label (the house rule: it states the finding)."""
    figures = 0
    for page_name in html_pages(html_dir):
        page = (html_dir / page_name).read_text(encoding="utf-8")
        for figure in re.findall(r'<figure[^>]*id="fig-[^"]+".*?</figure>', page, re.S):
            figures += 1
            alt = re.search(r'<img[^>]*alt="([^"]*)"', figure)
            assert alt and len(alt.group(1).split()) >= 8, (page_name, figure[:200])
    assert figures >= 1


def test_keyboard_reaches_main_content_through_the_skip_link(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "chapters/sources.html", wait_until="networkidle")
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => [document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]"
    )
    assert first == ["Skip to main content", "#main-content"]
    page.keyboard.press("Enter")
    # The fragment changes in a same-document navigation that page.url reports only once the
    # browser's event arrives: wait for it (and fail after 5 s if the link does not work).
    page.wait_for_url("**/sources.html#main-content", timeout=5000)
    # From the target, the next Tab stops lands inside the main content, on a link or control.
    inside = []
    for _ in range(5):
        page.keyboard.press("Tab")
        inside.append(
            page.evaluate("() => !!document.activeElement.closest('#main-content') && document.activeElement.tagName")
        )
    context.close()
    assert any(tag in ("A", "BUTTON", "SUMMARY", "INPUT") for tag in inside), inside


# --- privacy ---------------------------------------------------------------------------------
def test_no_request_leaves_the_book_host(visits, base_url):
    foreign = defaultdict(set)
    for (page, _), visit in visits.items():
        for url in visit.requests:
            if not (url.startswith(base_url) or url.startswith("data:")):
                foreign[page].add(url)
    assert dict(foreign) == {}
    assert all(visit.requests for visit in visits.values())  # the recorder did record


def test_no_javascript_error_and_no_failed_request(visits):
    problems = {
        f"{page} ({mode})": visit.console_errors + visit.failed
        for (page, mode), visit in visits.items()
        if visit.console_errors or visit.failed
    }
    assert problems == {}


def test_pages_carry_no_thebe_launch_buttons_or_remote_scripts(html_dir):
    for page_name in html_pages(html_dir):
        page = (html_dir / page_name).read_text(encoding="utf-8")
        assert "THEBE_JS_URL" not in page and "x-thebe-config" not in page, page_name
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', page), page_name
        assert not re.search(r"binder|colab\.research|jupyterhub", page, re.I), page_name


# --- integrity -------------------------------------------------------------------------------
class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.title = ""
        self.description = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key) and (key == "id" or tag == "a"):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))
        if tag == "title":
            self._in_title = True
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@pytest.fixture(scope="session")
def parsed(html_dir) -> dict[str, _Anchors]:
    result = {}
    for page_name in html_pages(html_dir):
        parser = _Anchors()
        parser.feed((html_dir / page_name).read_text(encoding="utf-8"))
        result[page_name] = parser
    return result


def test_every_internal_link_and_anchor_resolves(parsed, html_dir):
    broken = []
    for page_name, parser in parsed.items():
        for link in parser.links:
            if urlparse(link).scheme or link.startswith(("//", "mailto:", "data:", "javascript:")):
                continue
            target, fragment = urldefrag(urljoin(page_name, link))
            target = unquote(target.split("?")[0]) or page_name
            path = html_dir / target
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file() and path.relative_to(html_dir).as_posix() not in PDF_EDITION:
                broken.append(f"{page_name}: {link} (no file)")
            elif fragment and path.suffix == ".html":
                ids = (
                    parsed[path.relative_to(html_dir).as_posix()].ids
                    if path.relative_to(html_dir).as_posix() in parsed
                    else set()
                )
                if unquote(fragment) not in ids:
                    broken.append(f"{page_name}: {link} (no anchor)")
    assert broken == []


def _pdf_edition() -> set[str]:
    """The PDF that `make pdf` copies into the HTML output after the HTML build (its link may wait for it)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    target = config.get("latex", {}).get("latex_documents", {}).get("targetname", "")
    return {Path(target).with_suffix(".pdf").name} if target else set()


PDF_EDITION = _pdf_edition()


def _numbered_targets(html_dir: Path, prefix: str) -> dict[str, str]:
    """Ids of numbered figures or tables, with the page each is on."""
    found = {}
    for page_name in html_pages(html_dir):
        page = (html_dir / page_name).read_text(encoding="utf-8")
        for identifier in re.findall(rf'<(?:figure|table|div)[^>]*\bid="({prefix}-[^"]+)"', page):
            found[identifier] = page_name
    return found


@pytest.mark.parametrize("prefix", ["fig", "tbl"])
def test_every_figure_and_table_is_referenced_from_the_text(parsed, html_dir, prefix):
    targets = _numbered_targets(html_dir, prefix)
    if prefix == "fig":
        assert targets, "the book has no numbered figure at all"
    referenced = set()
    for page_name, parser in parsed.items():
        for link in parser.links:
            target, fragment = urldefrag(urljoin(page_name, link))
            if fragment in targets and (target or page_name) == targets[fragment]:
                referenced.add(fragment)
    assert sorted(set(targets) - referenced) == []


def test_every_citation_reaches_a_bibliography_entry(html_dir, parsed):
    bibliography = "chapters/bibliography.html"
    page = (html_dir / bibliography).read_text(encoding="utf-8")
    entries = set(re.findall(r'<div class="citation" id="([^"]+)"', page))
    assert entries, "the bibliography is empty"
    citations = 0
    for page_name in html_pages(html_dir):
        text = (html_dir / page_name).read_text(encoding="utf-8")
        for href in re.findall(r'<a class="reference internal" href="([^"]*bibliography\.html#[^"]+)"', text):
            citations += 1
            target, fragment = urldefrag(urljoin(page_name, href))
            assert target == bibliography and fragment in entries, (page_name, href)
    assert citations >= 1
    assert "[?]" not in page


def test_every_page_has_a_title_and_a_description(parsed):
    problems = []
    titles = defaultdict(list)
    for page_name, parser in parsed.items():
        if page_name == "index.html" and not parser.title:
            continue  # the redirect to the root chapter Jupyter Book writes
        title = " ".join(parser.title.split())
        titles[title].append(page_name)
        if not title:
            problems.append(f"{page_name}: no <title>")
        if not parser.description or len(parser.description) < 20:
            problems.append(f"{page_name}: no meta description")
    assert problems == []
    assert {title: pages for title, pages in titles.items() if len(pages) > 1} == {}


def test_chapter_descriptions_come_from_the_opening_prose(parsed):
    description = parsed["chapters/sources.html"].description
    assert description.startswith("This chapter") and len(description) <= 160


# --- reading: plain glued values, tables on a phone --------------------------------------------
# Running text: the characters of p and li in the article, leaving out what is bold by design.
BOLD_SHARE = """() => {
    const skip = 'h1, h2, h3, h4, h5, h6, table, figcaption, .table-caption, pre, code, .admonition-title';
    const walker = document.createTreeWalker(document.querySelector('main article'), NodeFilter.SHOW_TEXT);
    let total = 0, bold = 0;
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const element = text.parentElement;
        if (!element.closest('p, li') || element.closest(skip)) continue;
        const characters = text.textContent.replace(/\\s/g, '').length;
        total += characters;
        if (parseInt(getComputedStyle(element).fontWeight, 10) >= 600) bold += characters;
    }
    return total ? bold / total : 0;
}"""

GLUED_VALUES = """() => Array.from(document.querySelectorAll('main article span.pasted-text')).map(span => {
    const style = getComputedStyle(span);
    return {text: span.textContent, marked: span.classList.contains('computed-number'),
            underline: style.textDecorationLine.includes('underline') && style.textDecorationStyle === 'dotted',
            weight: style.fontWeight, around: getComputedStyle(span.parentElement).fontWeight};
})"""

# Each table: is its caption inside the page's width and outside any box that scrolls sideways;
# does its scroller overflow, and if so, does the caption say so and can the keyboard reach it.
TABLES_ON_SCREEN = """() => {
    const scrolls = element => {
        for (let box = element.parentElement; box; box = box.parentElement) {
            const overflow = getComputedStyle(box).overflowX;
            if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth) return true;
        }
        return false;
    };
    const width = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('main article table')).map(table => {
        const caption = document.getElementById(table.getAttribute('aria-labelledby')) || table.caption;
        const box = caption && caption.getBoundingClientRect();
        const scroller = table.closest('.pst-scrollable-table-container') || table.parentElement;
        const hint = caption && getComputedStyle(caption, '::after');
        return {
            table: table.id,
            captionVisible: !!caption && box.left >= 0 && box.right <= width && !scrolls(caption),
            overflows: scroller.scrollWidth > scroller.clientWidth,
            cue: !!hint && hint.display !== 'none' && hint.content.includes('Scroll sideways'),
            focusable: scroller.tabIndex === 0,
        };
    });
}"""

PHONE, DESKTOP = 390, 1366  # CSS pixels: a common phone, a common laptop


@pytest.fixture(scope="session")
def layouts(browser, base_url, html_dir) -> dict[tuple[str, int], dict]:
    """Each chapter laid out at a phone's and a laptop's width: bold share, glued values, tables."""
    records = {}
    for width in (PHONE, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 844})
        tab = context.new_page()
        for page_name in html_pages(html_dir):
            if page_name.startswith("chapters/"):
                tab.goto(base_url + page_name, wait_until="networkidle")  # the theme's scripts have run
                records[(page_name, width)] = {
                    "bold": tab.evaluate(BOLD_SHARE),
                    "glued": tab.evaluate(GLUED_VALUES),
                    "tables": tab.evaluate(TABLES_ON_SCREEN),
                }
        context.close()
    return records


def test_running_text_is_at_most_a_tenth_bold(layouts):
    """Bold keeps its meaning: glued values are not bold for being computed (issue 15)."""
    shares = {page: round(layout["bold"], 3) for (page, width), layout in layouts.items() if width == DESKTOP}
    assert "chapters/world-region.html" in shares
    assert {page: share for page, share in shares.items() if share > 0.10} == {}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("89%", True),
        ("16–58%", True),
        ("four", True),
        ("Four", True),
        ("none", True),
        ("more than 300 million", True),
        ("26 January 2026", True),
        ("one article", True),
        ("accurate but mis-scoped", False),
        ("WAJ (22 Oct)", False),
        ("Ministry of Foreign Affairs", False),
        ("While 13 percent of Vietnamese women have experienced sexual violence", False),
    ],
)
def test_a_glued_value_is_a_number_when_it_reads_as_one(text, number):
    assert is_number(text) is number


def test_glued_numbers_carry_the_mark_and_nothing_else_does(layouts):
    glued = {page: layout["glued"] for (page, width), layout in layouts.items() if width == DESKTOP}
    problems = []
    for page_name, values in glued.items():
        for value in values:
            if value["marked"] != is_number(value["text"]) or value["underline"] != value["marked"]:
                problems.append(f"{page_name}: {value}")
            if value["weight"] != value["around"]:
                problems.append(f"{page_name}: {value['text']!r} is not in the weight of the text around it")
    assert problems == []

    def underlined(page: str, text: str) -> set[bool]:
        return {value["underline"] for value in glued[f"chapters/{page}.html"] if value["text"] == text}

    assert underlined("viet-nam", "89%") == {True}
    assert underlined("viet-nam", "12–17") == {True}
    assert underlined("sources", "five") == {True}
    assert underlined("sources", "WAJ (22 Oct)") == {False}  # digits in a label
    assert underlined("sources", "Ministry of Foreign Affairs") == {False}


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_table_captions_stay_in_view_and_wide_tables_say_they_scroll(layouts, width):
    """A caption wraps above its table; a table wider than the page says that it scrolls."""
    tables = {page: layout["tables"] for (page, w), layout in layouts.items() if w == width}
    problems = []
    for page_name, found in tables.items():
        for table in found:
            if not table["captionVisible"]:
                problems.append(f"{page_name}: the caption of {table['table']} is cut off or scrolls")
            if table["overflows"] != table["cue"] or table["overflows"] != table["focusable"]:
                problems.append(f"{page_name}: {table}")
    assert sum(len(found) for found in tables.values()) >= 10
    if width == PHONE:
        assert any(table["overflows"] for found in tables.values() for table in found)
    assert problems == []


def test_keyboard_scrolls_a_wide_table(browser, base_url):
    # On a phone wide tables are stacked; the data dictionary's widest overflow a desktop page.
    context = browser.new_context(viewport={"width": DESKTOP, "height": 844})
    tab = context.new_page()
    tab.goto(base_url + "chapters/data-dictionary.html", wait_until="networkidle")
    scrollers = tab.locator(".pst-scrollable-table-container[tabindex='0']")
    assert scrollers.count() > 0, "no table the keyboard can reach"
    scroller = scrollers.first
    scroller.focus()
    tab.keyboard.press("ArrowRight")
    tab.wait_for_timeout(300)  # smooth scrolling
    scrolled = scroller.evaluate("element => element.scrollLeft")
    context.close()
    assert scrolled > 0


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_a_link_to_a_table_shows_its_caption(browser, base_url, width):
    """The caption sits above the table the link points to; it must not end up under the header."""
    context = browser.new_context(viewport={"width": width, "height": 844})
    tab = context.new_page()
    tab.goto(base_url + "chapters/sources.html#tbl-publishers", wait_until="networkidle")
    shown = tab.evaluate(
        """() => {
            const caption = document.getElementById('tbl-publishers-caption').getBoundingClientRect();
            const header = document.querySelector('.bd-header-article').getBoundingClientRect();
            return caption.top >= header.bottom - 1 && caption.bottom <= window.innerHeight;
        }"""
    )
    context.close()
    assert shown
