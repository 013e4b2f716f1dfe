"""Pages written in another language than the book's, and pages outside its numbering.

A page says its language in its front matter, as file-wide metadata: ``lang: vi`` (the summary in
Vietnamese, chapters/tom-tat.md, does). This Sphinx extension then

- HTML: sets that page's ``<html lang>`` (and the theme's ``docsearch:language``) to it, through
  ``html-page-context``; the book's own language stays on every other page;
- HTML: on such a page, marks the theme's own parts (skip link, header, sidebars' headings and
  navigation, footers) with the book's language, since they are written in it (a screen reader
  would otherwise read "Part I — The evidence" with a Vietnamese voice); and on every page, marks
  a part's caption in the sidebar ("Tiếng Việt") with the language of that part's pages;
- HTML: wraps the page's title in its language, so wherever Sphinx repeats it (the sidebar,
  the previous/next links of the pages around it) it is ``lang="vi"`` on English pages too;
- both builders: marks a link whose text is another page's title (a ``{doc}`` link without a text
  of its own) with the language of that page, so the English chapter titles the Vietnamese page
  links to are ``lang="en"`` in the HTML and set in English in the PDF, and a link from an English
  page to the Vietnamese one is ``lang="vi"``;
- PDF: sets the page in polyglossia's ``vietnamese`` environment (polyglossia is the package Sphinx
  loads for XeLaTeX; its Vietnamese module turns hyphenation off, as Vietnamese syllables are not
  broken, and loads no other package), the rest of the book staying English.

It also keeps the PDF's chapter numbers equal to the HTML's. Sphinx's LaTeX writer numbers every
chapter; a page that the HTML does not number (one in a part that ``_toc.yml`` marks
``numbered: false``) is set as an unnumbered chapter in the PDF, so the chapters after it keep their
numbers (Part I still opens with chapter 1, and its figures are still 1.1, 2.1 ...).
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging

LOGGER = logging.getLogger(__name__)

# The front-matter key that names a page's language (a BCP 47 tag, as in HTML).
METADATA_KEY = "lang"
# polyglossia's name for each language a page may be written in (its gloss-<name>.ldf module).
POLYGLOSSIA_NAMES = {"en": "english", "vi": "vietnamese"}
# The Open Graph locale (language_TERRITORY) of each: the book is in British English, and its
# Vietnamese page is for readers in Viet Nam.
OPEN_GRAPH_LOCALES = {"en": "en_GB", "vi": "vi_VN"}

# LaTeX for the preamble: a role per language for the links marked above (Sphinx writes an
# inline node with the class "language-vi" as \DUrole{language-vi}{...}), and the switch that
# sets a chapter without a number.
LATEX_PREAMBLE = r"""
%% hanoi_evidence.language: pages in another language, and chapters outside the numbering.
\setotherlanguage{vietnamese}
\expandafter\def\csname DUrolelanguage-vi\endcsname#1{\foreignlanguage{vietnamese}{#1}}
\expandafter\def\csname DUrolelanguage-en\endcsname#1{\foreignlanguage{english}{#1}}
\newcommand{\hanoiunnumberedbegin}{%
  \xdef\hanoisavedsecnumdepth{\the\value{secnumdepth}}\setcounter{secnumdepth}{-1}}
\newcommand{\hanoiunnumberedend}{\setcounter{secnumdepth}{\hanoisavedsecnumdepth}}
"""


def book_language(app: Sphinx) -> str:
    """The book's language tag: Sphinx's ``language`` (English when unset)."""
    return (app.config.language or "en").replace("_", "-")


def page_language(app: Sphinx, docname: str) -> str:
    """The language a page is written in: its ``lang`` metadata, or the book's."""
    language = app.env.metadata.get(docname, {}).get(METADATA_KEY)
    return str(language).strip() if language else book_language(app)


def check_languages(app: Sphinx, env) -> None:
    """env-check-consistency: every page's language must be one the PDF can set and the social
    previews can name."""
    known = POLYGLOSSIA_NAMES.keys() & OPEN_GRAPH_LOCALES.keys()
    for docname in sorted(env.found_docs):
        language = page_language(app, docname)
        if language not in known:
            LOGGER.warning(
                "hanoi_evidence.language: %s says lang: %s, which the PDF edition or the social previews "
                "cannot set (known: %s)",
                docname,
                language,
                ", ".join(sorted(known)),
                location=docname,
            )


def open_graph_locale(app: Sphinx, docname: str) -> str:
    """The Open Graph locale of the language a page is written in (og:locale)."""
    return OPEN_GRAPH_LOCALES[page_language(app, docname)]


def mark_title_language(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read, before Sphinx collects the page's title: wrap the title in the page's language.

    Sphinx copies the title into every table of contents, the sidebar and the previous/next links
    of the pages around it, so "Tóm tắt" is ``lang="vi"`` on the English pages too. The page's
    front matter is still a ``docinfo`` node here (Sphinx moves it into ``env.metadata`` next).
    """
    language = _front_matter_language(doctree)
    if not language or language == book_language(app):
        return
    title = next(iter(doctree.findall(nodes.title)), None)
    if title is not None and title.children:
        title[:] = [nodes.inline("", "", *title.children, classes=[f"language-{language}"])]


def _front_matter_language(doctree: nodes.document) -> str | None:
    for docinfo in doctree.findall(nodes.docinfo):
        for field in docinfo.findall(nodes.field):
            if field[0].astext() == METADATA_KEY:
                return field[1].astext().strip()
    return None


# The opening tags of the theme's parts (pydata-sphinx-theme's layout and sphinx-book-theme's
# secondary sidebar), which hold the theme's words and the book's navigation, not the page's text.
THEME_PARTS = re.compile(
    r'<(?:div|button|dialog|header|footer)\b(?=[^>]*\b(?:id="(?:pst-skip-link|pst-back-to-top|pst-search-dialog'
    r'|pst-header|pst-primary-sidebar)"|class="(?:bd-header-article|bd-footer-article|prev-next-footer'
    r"|bd-footer-content|bd-footer|page-toc tocsection onthispage)\b))(?![^>]*\blang=)"
)
# sphinx-book-theme's printed contents: the heading's wrapper (the entries are the page's headings).
PRINTED_CONTENTS_HEADING = re.compile(r'(<div id="jb-print-toc">\s*<div)(?=>)')
CAPTION = '<span class="caption-text">'


def caption_languages(app: Sphinx, env) -> None:
    """env-updated: the language of each part whose pages are all in one language other than the
    book's (the captions of the root page's tables of contents)."""
    languages = {}
    for toctree in env.get_doctree(app.config.root_doc).findall(addnodes.toctree):
        pages = {page_language(app, docname) for _, docname in toctree.get("entries", []) if docname in env.all_docs}
        caption = toctree.get("caption")
        if caption and len(pages) == 1 and pages != {book_language(app)}:
            languages[caption] = pages.pop()
    env.hanoi_caption_languages = languages


def in_their_languages(html_text: str, page: str, book: str, captions: dict[str, str]) -> str:
    """The theme's parts of a page in another language marked with the book's language; each
    caption of a part in another language marked with that language."""
    if page != book:
        html_text = THEME_PARTS.sub(lambda tag: f'{tag.group(0)} lang="{book}"', html_text)
        html_text = PRINTED_CONTENTS_HEADING.sub(lambda tag: f'{tag.group(1)} lang="{book}"', html_text)
    for caption, language in captions.items():
        html_text = html_text.replace(
            f"{CAPTION}{html.escape(caption)}</span>",
            f'<span class="caption-text" lang="{language}">{html.escape(caption)}</span>',
        )
    return html_text


def set_html_language(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: a page in another language gets that language in ``<html lang>``; the
    layout (``_templates/layout.html``) passes its parts through ``in_their_languages``."""
    book = book_language(app)
    language = page_language(app, pagename) if doctree is not None and pagename in app.env.all_docs else book
    if language != book:
        context["language"] = language
    captions = getattr(app.env, "hanoi_caption_languages", {})
    context["in_their_languages"] = lambda fragment: in_their_languages(str(fragment), language, book, captions)


class MarkLinkLanguages(SphinxPostTransform):
    """Wrap each link that will show another page's title in that page's language.

    It runs before the references are resolved (Sphinx's ReferencesResolver has priority 10): a
    ``{doc}`` link without a text of its own is still a pending cross-reference that names the page
    it is in (``refdoc``) and the page it points to, and it will show the target's title. In the PDF
    the whole book is one assembled document, and ``refdoc`` still tells the pages apart.
    """

    default_priority = 5

    def run(self, **kwargs) -> None:
        for xref in list(self.document.findall(addnodes.pending_xref)):
            if xref.get("refdomain") != "std" or xref.get("reftype") != "doc" or xref.get("refexplicit"):
                continue
            source = xref.get("refdoc") or self.env.docname
            target = _doc_target(self.env, source, xref.get("reftarget", ""))
            if target is None:
                continue  # a broken link: Sphinx reports it
            language = page_language(self.app, target)
            if language == page_language(self.app, source):
                continue
            wrapper = nodes.inline(classes=[f"language-{language}"])
            xref.replace_self(wrapper)
            wrapper.append(xref)


def _doc_target(env, source: str, target: str) -> str | None:
    """The page a ``{doc}`` target names, relative to the page the link is in (None if there is none)."""
    name = docname_join(source, target.removesuffix(".md")) if not target.startswith("/") else target.lstrip("/")
    return name if name in env.all_docs else None


class SetPdfPages(SphinxPostTransform):
    """In the assembled LaTeX document, set each page in its language and, where the HTML gives it no
    number, as an unnumbered chapter.

    Sphinx's LaTeX builder puts every page of the book into one document, each inside a
    ``start_of_file`` node that names it; raw LaTeX before and after that node's content switches
    the language (polyglossia's environment) and the numbering (``secnumdepth``) for that page only.
    """

    formats = ("latex",)
    default_priority = 760  # after sphinx-jupyterbook-latex (700) and hanoi_evidence.edition (749, 751)

    def run(self, **kwargs) -> None:
        book = book_language(self.app)
        numbered = {docname for docname, numbers in self.env.toc_secnumbers.items() if numbers}
        for page in list(self.document.findall(addnodes.start_of_file)):
            docname = page.get("docname")
            if docname not in self.env.all_docs or not any(isinstance(c, nodes.section) for c in page.children):
                continue  # a part's caption (sphinx-jupyterbook-latex names it after the caption)
            before, after = [], []
            if docname not in numbered:
                before.append(r"\hanoiunnumberedbegin")
                after.append(r"\hanoiunnumberedend")
            language = page_language(self.app, docname)
            if language != book and language in POLYGLOSSIA_NAMES:
                before.append(rf"\begin{{{POLYGLOSSIA_NAMES[language]}}}")
                after.insert(0, rf"\end{{{POLYGLOSSIA_NAMES[language]}}}")
            if before:
                page.insert(0, nodes.raw("", "\n" + "\n".join(before) + "\n", format="latex"))
                page.append(nodes.raw("", "\n" + "\n".join(after) + "\n", format="latex"))


def add_latex_preamble(app: Sphinx, config) -> None:
    """config-inited: the LaTeX macros the two transforms above write."""
    elements = config.latex_elements
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", add_latex_preamble)
    app.connect("env-check-consistency", check_languages)
    app.connect("doctree-read", mark_title_language, priority=400)  # before the title collector (500)
    app.connect("env-updated", caption_languages)
    app.connect("html-page-context", set_html_language)
    app.add_post_transform(MarkLinkLanguages)
    app.add_post_transform(SetPdfPages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
