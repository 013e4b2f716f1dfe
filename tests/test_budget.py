"""Light enough for a phone on a slow connection (issue 18): what each page costs to download.

Every page is opened in a fresh browser context (empty cache) from a server that compresses
text as web hosts do (benchmarks/gzip_server.py); the bytes are what the network carried
(Chrome's ``encodedDataLength``, headers included). Lighthouse's scores are in
benchmarks/README.md (``benchmarks/lighthouse.sh``); this is the budget that keeps them.
Also: Font Awesome's 1.5 MB script stays out (``hanoi_evidence.pageweight``), the icons it drew are
still there, a page loads an extension's files only where it uses them, and what a reader uses
(search, navigation and the sidebars' toggles, colour mode, copy buttons, the download menu) works.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gzip_server import start
from hanoi_evidence.pageweight import FONTS, OPTIONAL_ASSETS, SUBSET_FOLDER, unused_files
from test_browser import html_pages

playwright_api = pytest.importorskip("playwright.sync_api")

BUDGET_BYTES = 450_000  # per page, compressed, everything the page fetches
# What must not be fetched: Font Awesome's script and the theme's full icon fonts.
HEAVY = re.compile(r"/fontawesome\.js|/vendor/fontawesome/webfonts/")


# Every icon drawn with one of Font Awesome's fonts (the theme's <i> tags and its CSS's own icons):
# its character, font and weight.
ICON_GLYPHS = """() => {
    const found = [];
    for (const element of document.querySelectorAll('body *')) {
        for (const pseudo of ['::before', '::after']) {
            const style = getComputedStyle(element, pseudo);
            if (!style.fontFamily.includes('Font Awesome') || !/^".+"$/u.test(style.content)) continue;
            found.push({point: style.content.codePointAt(1), family: style.fontFamily.replace(/["\\\\]/g, ''),
                        weight: Number(style.fontWeight), element: element.className + pseudo});
        }
    }
    return found;
}"""


@pytest.fixture(scope="session")
def gzip_url(html_dir):
    server = start(str(html_dir))
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def transfers(browser, gzip_url, html_dir) -> dict[str, dict]:
    """Per page: the bytes each fetched URL took on the network, and the encodings served."""
    records = {}
    for page_name in html_pages(html_dir):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Network.enable")
        urls, sizes, encodings = {}, {}, set()
        cdp.on(
            "Network.requestWillBeSent",
            lambda event, u=urls: u.__setitem__(event["requestId"], event["request"]["url"]),
        )
        cdp.on(
            "Network.responseReceived",
            lambda event, e=encodings: e.add(
                {k.lower(): v for k, v in event["response"]["headers"].items()}.get("content-encoding", "")
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda event, u=urls, s=sizes: s.__setitem__(u.get(event["requestId"], "?"), event["encodedDataLength"]),
        )
        tab.goto(gzip_url + page_name, wait_until="load")
        tab.wait_for_load_state("networkidle")
        glyphs = tab.evaluate(ICON_GLYPHS)
        context.close()
        records[page_name] = {"sizes": sizes, "encodings": encodings, "glyphs": glyphs}
    return records


def test_every_page_downloads_within_the_budget(transfers):
    totals = {page: sum(record["sizes"].values()) for page, record in transfers.items()}
    assert "chapters/sources.html" in totals and all(totals.values())  # the recorder did record
    assert any("gzip" in record["encodings"] for record in transfers.values()), "the server did not compress"
    over = {page: f"{total / 1000:.0f} kB" for page, total in totals.items() if total > BUDGET_BYTES}
    assert over == {}


def test_no_page_fetches_font_awesome_script_or_full_fonts(transfers):
    heavy = {page: [url for url in record["sizes"] if HEAVY.search(url)] for page, record in transfers.items()}
    assert {page: urls for page, urls in heavy.items() if urls} == {}
    html = "".join(transfers)  # the pages were visited (guards against an empty record)
    assert "chapters/index.html" in html


def test_every_icon_drawn_is_in_the_cut_down_fonts(transfers, html_dir):
    """A glyph missing from a cut-down font would make the browser fetch the theme's full font."""
    from fontTools.ttLib import TTFont

    cmaps = {FONTS[path.stem]: TTFont(path).getBestCmap() for path in (html_dir / SUBSET_FOLDER).glob("*.woff")}
    missing, drawn = set(), 0
    for page_name, record in transfers.items():
        for glyph in record["glyphs"]:
            drawn += 1
            if glyph["point"] not in cmaps.get((glyph["family"], glyph["weight"]), {}):
                missing.add(
                    f"{page_name}: {glyph['element']} U+{glyph['point']:X} ({glyph['family']} {glyph['weight']})"
                )
    assert drawn > len(transfers)  # each page has its icons: search, colour mode, menus
    assert missing == set()


def test_icons_draw_from_the_cut_down_font(browser, gzip_url):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    drawn = tab.evaluate(
        """async () => {
            await document.fonts.ready;
            const icon = document.querySelector('.theme-switch-button i[data-mode="light"]');
            const loaded = [...document.fonts].filter(f => f.family.includes('Font Awesome') && f.status === 'loaded');
            return {content: getComputedStyle(icon, '::before').content, width: icon.getBoundingClientRect().width,
                    loaded: loaded.length};
        }"""
    )
    context.close()
    assert drawn["content"] == '"\uf185"' and drawn["loaded"] >= 1, drawn


# --- what a reader uses still works -------------------------------------------------------------
def test_search_from_a_chapter_finds_pages(browser, gzip_url):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    tab.keyboard.press("Control+k")
    field = tab.locator("#pst-search-dialog input[name='q']")
    field.wait_for(state="visible", timeout=5000)
    field.fill("convention")
    field.press("Enter")
    tab.wait_for_url(re.compile(r"search\.html\?q=convention"))
    tab.locator("#search-results ul.search li").first.wait_for(timeout=10000)
    found = tab.locator("#search-results ul.search li").count()
    context.close()
    assert found >= 1


@pytest.mark.parametrize("width", [390, 1366])
def test_a_search_button_is_in_view_at_the_top_of_a_chapter(browser, gzip_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    button = tab.locator(".article-header-buttons .search-button")
    box = button.bounding_box() if button.is_visible() else None
    if box is not None:
        button.click()
        opened = tab.locator("#pst-search-dialog input[name='q']").is_visible()
    context.close()
    assert box is not None and 0 <= box["y"] < 800 and opened


def test_colour_mode_switch_changes_the_theme(browser, gzip_url):
    context = browser.new_context(color_scheme="light")
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    seen = [tab.evaluate("document.documentElement.dataset.theme")]
    for _ in range(2):
        tab.locator(".theme-switch-button").first.click()
        seen.append(tab.evaluate("document.documentElement.dataset.theme"))
    context.close()
    assert {"light", "dark"} <= set(seen), seen


def test_next_page_link_leads_on(browser, gzip_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    tab.locator("a.right-next").click()
    tab.wait_for_url(re.compile(r"viet-nam\.html"))
    context.close()


# pydata-sphinx-theme 0.17 gives sphinx-book-theme a top bar it does not show, holding a hidden copy of
# both sidebar toggles, and both themes bind their drawers to the first toggle in the page: the ones a
# phone shows did nothing. _config.yml removes that bar (html_theme_options: navbar_persistent).
@pytest.mark.parametrize(
    ("toggle", "drawer", "content"),
    [
        ("button.primary-toggle", "#pst-primary-sidebar-modal", "nav.bd-docs-nav a.reference"),
        ("button.secondary-toggle", "#pst-secondary-sidebar-modal", "nav#pst-page-toc-nav a"),
    ],
)
def test_phone_sidebar_toggles_open_their_drawer(browser, gzip_url, toggle, drawer, content):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    tab.locator(f"{toggle}:visible").first.click()
    opened = tab.locator(f"dialog{drawer}[open]")
    opened.wait_for(state="visible", timeout=5000)
    links = opened.locator(content).count()
    width = opened.bounding_box()["width"]
    tab.keyboard.press("Escape")  # and the keyboard closes it again
    tab.locator(f"dialog{drawer}[open]").wait_for(state="detached", timeout=5000)
    context.close()
    assert links >= 3 and width > 200, (links, width)


def test_wide_screen_toggle_hides_the_navigation(browser, gzip_url):
    context = browser.new_context(viewport={"width": 1366, "height": 844})
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    navigation = tab.locator("#pst-primary-sidebar")
    shown = navigation.is_visible()
    tab.locator("button.primary-toggle:visible").first.click()
    navigation.wait_for(state="hidden", timeout=5000)
    context.close()
    assert shown


# --- each page loads only what it uses ----------------------------------------------------------
CODE = {"pygments.css", "copybutton.css", "clipboard.min.js", "copybutton.js"}


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("<p>Text only.</p>", set()),
        ('<div class="highlight"><pre>code</pre></div>', CODE),
        ('<div class="sd-card docutils">a card</div>', {"sphinx-design.min.css", "design-tabs.js"}),
        ('<div class="admonition dropdown note">folded</div>', {"togglebutton.css", "togglebutton.js"}),
        (
            '<div class="toggle">folded</div><div class="highlight">x</div>',
            {"togglebutton.css", "togglebutton.js"} | CODE,
        ),
        # Look-alikes: a cell's wrapper and the theme's own menus are no extension's markup.
        ('<div class="highlight-myst-ansi"></div><a class="btn dropdown-toggle"></a>', set()),
    ],
)
def test_a_page_loads_the_files_of_the_extensions_it_uses_only(body, kept):
    every = {name for _, names in OPTIONAL_ASSETS for name in names}
    assert every - unused_files(body) == kept


def test_copy_button_still_comes_where_there_is_code(browser, gzip_url):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/how-to-cite.html", wait_until="networkidle")
    buttons = tab.locator("div.highlight button.copybtn").count()
    context.close()
    assert buttons >= 1


def test_search_index_loads_only_on_the_search_page(transfers):
    fetched = {page for page, record in transfers.items() if any("/searchindex.js" in url for url in record["sizes"])}
    assert fetched == {"search.html"}


def test_download_menu_opens_from_the_keyboard(browser, gzip_url):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    tab.locator(".dropdown-download-buttons button.dropdown-toggle").focus()
    tab.keyboard.press("Enter")
    menu = tab.locator(".dropdown-download-buttons .dropdown-menu")
    menu.wait_for(state="visible", timeout=5000)
    items = menu.locator("a.dropdown-item").count()
    context.close()
    assert items >= 1


def test_the_compressing_server_compresses_text_only(html_dir, gzip_url):
    import gzip
    import urllib.request

    def fetch(path: str) -> tuple[str, bytes]:
        request = urllib.request.Request(gzip_url + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            return response.headers.get("Content-Encoding", ""), response.read()

    encoding, body = fetch("chapters/sources.html")
    assert encoding == "gzip"
    assert gzip.decompress(body) == Path(html_dir, "chapters/sources.html").read_bytes()
    assert fetch("favicon.ico")[0] == ""
