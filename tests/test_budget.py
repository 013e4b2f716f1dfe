"""Light enough for a phone on a slow connection (issue 18): what each page costs to download.

Every page is opened in a fresh browser context (empty cache) from a server that compresses
text as web hosts do (benchmarks/gzip_server.py); the bytes are what the network carried
(Chrome's ``encodedDataLength``, headers included). Lighthouse's scores are in
benchmarks/README.md (``benchmarks/lighthouse.sh``); this is the budget that keeps them.
Also: Font Awesome's 1.5 MB script stays out (``hanoi_evidence.pageweight``), the icons it drew are
still there, and what a reader uses (search, navigation, colour mode, the download menu) works.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gzip_server import start
from hanoi_evidence.pageweight import FONTS, SUBSET_FOLDER
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


# Found while checking issue 18, the same before its changes: the themes' scripts bind the drawer
# to the first .primary-toggle in the page (the header's, hidden at this width), not to the one shown.
@pytest.mark.xfail(
    strict=True, reason="sphinx-book-theme 1.3 with pydata-sphinx-theme 0.17: the visible toggle is unbound"
)
def test_phone_sidebar_toggle_opens_the_navigation(browser, gzip_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(gzip_url + "chapters/sources.html", wait_until="networkidle")
    tab.locator("button.primary-toggle:visible").first.click()
    tab.wait_for_timeout(500)  # the drawer slides in
    shown = tab.evaluate("() => document.querySelector('#pst-primary-sidebar').getBoundingClientRect().right > 100")
    context.close()
    assert shown


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
