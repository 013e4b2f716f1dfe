"""What a page costs a reader on a slow connection: the theme, lighter at the level of its templates.

A Sphinx extension (``_config.yml``, ``sphinx: extra_extensions``); ``_templates/layout.html``
extends the theme's layout and passes three of its blocks (``_templates/search.html`` one of the
search page's) through the functions this extension puts in every page's template context.
``benchmarks/lighthouse.sh`` measures the result and ``tests/test_budget.py`` keeps it within budget.

1. Icons without Font Awesome's JavaScript. pydata-sphinx-theme loads
   ``_static/scripts/fontawesome.js`` (1.5 MB, about 0.55 MB compressed) on every page to turn
   its ``<i class="fa-solid fa-…">`` tags into inline SVG. Its style sheet already draws the same
   tags with Font Awesome's web fonts (``.fa-sun:before{content:"\\f185"}``), but each font is the
   whole set (the solid one is 156 kB). So ``without_icon_script`` drops the script tag, and after
   the build the fonts are cut down (fontTools, installed with matplotlib) to the icons the
   written pages name and those the theme's CSS draws itself; ``_static/icons.css`` declares them
   under the theme's font names. Declared after the theme's style sheet, these faces win over the
   theme's (the last ``@font-face`` with the same descriptors is used), so the full fonts are
   never fetched. WOFF, not WOFF2: fontTools writes WOFF2 only with the ``brotli`` module, and a
   few kilobytes more or less do not matter here.
2. Scripts that do not hold up the first paint. Sphinx, its extensions and the theme put a dozen
   scripts and the search index in ``<head>`` without ``defer``: the page is not drawn until each
   has been fetched and run (about two seconds on a slow phone connection). ``deferred`` adds
   ``defer``: they still run in the same order, before the page's ``DOMContentLoaded``. Only
   ``documentation_options.js`` stays as it is: inline scripts after it (which cannot be
   deferred) set its ``DOCUMENTATION_OPTIONS``. On the search page ``_templates/search.html``
   defers the search scripts the theme adds after the others too, in the same order: the query
   waits for the index as on Sphinx's own search page. The theme also preloads its
   two deferred scripts (``rel="preload"``), which fetches them as early, and with the same
   priority, as the style sheets the first paint waits for: ``without_script_preloads`` drops
   the hints, and the scripts load, deferred, after the style sheets.
3. Only what a page uses. Sphinx and its extensions put every extension's files on every page:
   sphinx-design's, the copy button's and the toggle button's, and the theme loads Sphinx's search
   scripts and the whole search index on every page for its search-as-you-type (off here:
   ``search_as_you_type``; the search box opens the search page). ``page_assets`` drops from
   each page the files of an extension whose markup the page's body does not hold
   (``OPTIONAL_ASSETS``), and ``without_search_scripts`` the search scripts from every page but
   the search page while search-as-you-type is off.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

STYLE_SHEET = "icons.css"
SUBSET_FOLDER = "_static/icons"
THEME_FONTS = "_static/vendor/fontawesome/webfonts"  # where pydata-sphinx-theme copies them
THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
# The theme's @font-face names for each of its Font Awesome fonts.
FONTS = {
    "fa-solid-900": ("Font Awesome 6 Free", 900),
    "fa-regular-400": ("Font Awesome 6 Free", 400),
    "fa-brands-400": ("Font Awesome 6 Brands", 400),
}
ICON_SCRIPT = re.compile(r"(?:<!--[^>]*custom icons\s*-->\s*)?<script[^>]*/fontawesome\.js[^>]*></script>\s*")
# An external script that neither defers nor loads asynchronously, other than documentation_options.js.
BLOCKING_SCRIPT = re.compile(r'<script (?![^>]*\b(?:defer|async)\b)(?=[^>]*\bsrc="(?![^"]*documentation_options\.js))')
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*\bfa-[^"]*)"')
SCRIPT_PRELOAD = re.compile(r'<link rel="preload" as="script"[^>]*>\s*')
# The theme's tags for Sphinx's search, which only search-as-you-type needs outside the search page.
SEARCH_SCRIPT = re.compile(
    r'<script[^>]*\bsrc="(?:[^"]*/)?(?:searchtools|language_data|searchindex)\.js"[^>]*></script>\s*'
)


def _class_named(names: str) -> re.Pattern:
    """An HTML class attribute that holds one of ``names`` (a regex alternation) as a whole class."""
    return re.compile(r'class="(?:[^"]*\s)?(?:' + names + r')(?:\s[^"]*)?"')


# Per extension: the markup of a page that uses it (in the page's body) and its files, which a
# page without that markup does not load. Selectors from the extensions' defaults: sphinx-design's
# sd-* classes; togglebutton_selector ".toggle, .admonition.dropdown"; copybutton_selector
# "div.highlight pre" (Pygments' style sheet styles the same blocks).
OPTIONAL_ASSETS = (
    (re.compile(r'class="(?:[^"]*\s)?sd-'), {"sphinx-design.min.css", "design-tabs.js"}),
    (_class_named("toggle|dropdown"), {"togglebutton.css", "togglebutton.js"}),
    (_class_named("highlight"), {"pygments.css", "copybutton.css", "clipboard.min.js", "copybutton.js"}),
)
# A code point in the theme's CSS, escaped ("\f185") or as the character itself.
_POINT = r'"(\\[0-9a-f]{4,5}|[\ue000-\uf8ff])"'
ICON_RULE = re.compile(r"([^{}]+)\{content:" + _POINT + r"\}")  # ".fa-magnifying-glass:before,.fa-search:before"
ICON_CLASS = re.compile(r"\.fa-([a-z0-9-]+):before")
# The icons the theme's CSS draws by itself: admonitions, breadcrumbs, external and download links.
ICON_VARIABLE = re.compile(r"--pst-(?:icon-[a-z-]+|breadcrumb-divider):" + _POINT)


def without_icon_script(head: str) -> str:
    """The theme's ``<head>`` assets without the Font Awesome script."""
    return ICON_SCRIPT.sub("", str(head))


def without_script_preloads(head: str) -> str:
    """The theme's ``<head>`` assets without its hints to preload its (deferred) scripts."""
    return SCRIPT_PRELOAD.sub("", str(head))


def without_search_scripts(head: str) -> str:
    """The theme's ``<head>`` additions without Sphinx's search scripts and search index."""
    return SEARCH_SCRIPT.sub("", str(head))


def unused_files(body: str) -> set[str]:
    """The file names of the extensions' assets that a page with this body does not use."""
    return {name for used, names in OPTIONAL_ASSETS if not used.search(body) for name in names}


def page_assets(context: dict) -> None:
    """Drop from this page's style sheets and scripts those it does not use (Sphinx resets both lists per page)."""
    unused = unused_files(context.get("body", ""))
    for key in ("css_files", "script_files"):
        context[key][:] = [asset for asset in context[key] if Path(asset.filename or "").name not in unused]


def deferred(scripts: str) -> str:
    """The ``<script>`` tags of a block of the theme's ``<head>``, those with a source deferred."""
    return BLOCKING_SCRIPT.sub("<script defer ", str(scripts))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    context["without_icon_script"] = without_icon_script
    context["without_script_preloads"] = without_script_preloads
    context["deferred"] = deferred
    searches_as_you_type = str(context.get("theme_search_as_you_type")).lower() == "true"
    context["without_search_scripts"] = str if pagename == "search" or searches_as_you_type else without_search_scripts
    page_assets(context)


def _point(text: str) -> int:
    return int(text[1:], 16) if text.startswith("\\") else ord(text)


def icon_classes(css: str) -> dict[str, int]:
    """The theme's icon classes and the code point each draws ("sun": 0xF185)."""
    return {name: _point(code) for selectors, code in ICON_RULE.findall(css) for name in ICON_CLASS.findall(selectors)}


def code_points_used(html_dir: Path) -> set[int]:
    """The icons the written pages name in their classes, and those the theme's CSS draws."""
    css = (html_dir / THEME_CSS).read_text(encoding="utf-8")
    classes = icon_classes(css)
    used = {_point(code) for code in ICON_VARIABLE.findall(css)}
    for page in html_dir.rglob("*.html"):
        for value in CLASS_ATTRIBUTE.findall(page.read_text(encoding="utf-8")):
            used |= {classes[name.removeprefix("fa-")] for name in value.split() if name.removeprefix("fa-") in classes}
    return used


def subset_font(source: Path, points: set[int], target: Path) -> bool:
    """Write the glyphs of ``source`` for ``points`` to ``target`` (WOFF); whether it has any."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    found = points & set(font.getBestCmap())
    if not found:
        return False
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(found))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff"
    font.save(target)
    return True


def write_icons(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    html_dir = Path(app.outdir)
    points, faces = code_points_used(html_dir), []
    for stem, (family, weight) in FONTS.items():
        target = html_dir / SUBSET_FOLDER / f"{stem}.woff"
        if subset_font(html_dir / THEME_FONTS / f"{stem}.ttf", points, target):
            faces.append(
                f'@font-face{{font-display:block;font-family:"{family}";font-style:normal;'
                f'font-weight:{weight};src:url(icons/{target.name}) format("woff")}}'
            )
    (html_dir / "_static" / STYLE_SHEET).write_text(
        "/* Font Awesome, cut down to the icons these pages use (hanoi_evidence.icons). */\n" + "\n".join(faces) + "\n",
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict:
    app.add_css_file(STYLE_SHEET)
    app.connect("html-page-context", page_context, priority=900)  # after the extensions that add files per page
    app.connect("build-finished", write_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
