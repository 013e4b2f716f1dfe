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
  title and a meta description.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
import yaml

from conftest import ROOT

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Files the build writes that are not pages a reader opens.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads"}


def html_pages(html: Path) -> list[str]:
    """Every page of the built book, relative to the HTML folder."""
    pages = [p.relative_to(html).as_posix() for p in html.rglob("*.html")]
    return sorted(p for p in pages if p.split("/")[0] not in NOT_PAGES)


# --- fixtures: the book, one server, one browser, one visit per page and mode ----------------
@pytest.fixture(scope="session")
def html_dir(request) -> Path:
    """The book built for this session, or an existing build named by HANOI_EVIDENCE_HTML."""
    if os.environ.get("HANOI_EVIDENCE_HTML"):
        return Path(os.environ["HANOI_EVIDENCE_HTML"])
    html, result = request.getfixturevalue("built_book")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return html


@pytest.fixture(scope="session")
def base_url(html_dir):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/debian-packages.txt)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


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
    assert page.url.endswith("#main-content")
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
