"""The report as a citeable edition: its version, its citation, its licences and its PDF.

One version number lives in one place, the file ``VERSION``. Everything else reads it:

- the HTML footer and the PDF's title page (this module is a Sphinx extension: it sets
  Sphinx's ``version``/``release``, fills ``{version}`` in the footer and writes the title
  page's LaTeX macros);
- the BibTeX entry and the recommended citation on the how-to-cite page (generated here);
- ``CITATION.cff``, which must carry the same number (:func:`citation_problems` checks it,
  and :func:`set_version` writes both files at once).

The PDF edition is built by :func:`build_pdf` (``make pdf``): it checks that TeX is there,
runs Jupyter Book's LaTeX builder strictly, reads the LaTeX log for what TeX only warns about
(undefined references, missing glyphs), and copies the PDF into the HTML output.

Command line: ``python -m hanoi_evidence.edition {version,citation,bibtex,check,build-pdf,release}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from hanoi_evidence.paths import REPO_ROOT, read_text
from hanoi_evidence.text import join_words, long_date

VERSION_FILE = REPO_ROOT / "VERSION"
CITATION_FILE = REPO_ROOT / "CITATION.cff"
# The Citation File Format 1.2.0 schema (CC BY 4.0, the Citation File Format project), the
# file cffconvert 2.0.0 validates against. cffconvert itself pins jsonschema<4, which the
# notebook stack cannot use, so the project validates with the same schema, the same
# jsonschema call and the same date handling, on the jsonschema already in the lock.
CFF_SCHEMA_FILE = Path(__file__).with_name("cff-schema-1.2.0.json")
PDF_NAME = "hanoi-convention-evidence.pdf"
BIBTEX_KEY = "hanoi_evidence_report"
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")

TEXT_LICENCE = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
CODE_LICENCE = ("MIT", "https://opensource.org/license/mit")

# What `make pdf` needs outside Python, and the Debian package that provides each.
TEX_TOOLS = {
    "xelatex": "texlive-xetex",
    "latexmk": "latexmk",
    "make": "make",
    "pdfinfo": "poppler-utils",
}
TEX_FILES = {  # TeX files found with kpsewhich: the LaTeX packages the build loads
    "fncychap.sty": "texlive-latex-extra",
    "ucharclasses.sty": "texlive-latex-extra",
    "unicode-math.sty": "texlive-latex-extra",
    "pgfplots.sty": "texlive-latex-extra",
}
DEBIAN_TEX_PACKAGES = [
    "texlive-xetex",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "latexmk",
    "fonts-freefont-otf",
    "fonts-arphic-uming",
    "make",
    "poppler-utils",
]


# --------------------------------------------------------------------------- version, citation


def version() -> str:
    """The report's version, from the file VERSION (one line, MAJOR.MINOR.PATCH)."""
    text = read_text(VERSION_FILE).strip()
    if not SEMVER.match(text):
        raise ValueError(f"{VERSION_FILE.name} must hold one version such as 0.1.0, not {text!r}")
    return text


class _CffLoader(yaml.SafeLoader):
    """YAML as cffconvert reads it: dates stay strings, as the CFF schema requires."""


_CffLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def citation(path: Path = CITATION_FILE) -> dict:
    """CITATION.cff as a dictionary."""
    return yaml.load(read_text(path), Loader=_CffLoader)


def citation_problems(path: Path = CITATION_FILE) -> list[str]:
    """Everything wrong with CITATION.cff: schema errors, and any version other than VERSION."""
    import jsonschema

    data = citation(path)
    schema = json.loads(CFF_SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    problems = [
        f"{path.name}: {'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    expected = version()
    for where, block in [("version", data), ("preferred-citation/version", data.get("preferred-citation", {}))]:
        if str(block.get("version")) != expected:
            problems.append(f"{path.name}: {where} is {block.get('version')!r}, VERSION says {expected!r}")
    return problems


def _preferred() -> dict:
    data = citation()
    return data.get("preferred-citation", data)


def title() -> str:
    return _preferred()["title"]


def authors() -> list[str]:
    """Author names as CITATION.cff gives them (an entity's name, or given and family names)."""
    names = []
    for author in _preferred()["authors"]:
        if "name" in author:
            names.append(author["name"])
        else:
            names.append(" ".join(part for part in (author.get("given-names"), author.get("family-names")) if part))
    return names


def release_date() -> dt.date:
    return dt.date.fromisoformat(str(_preferred()["date-released"]))


def recommended_citation() -> str:
    """The citation to copy, as plain text."""
    return (
        f"{join_words(authors())} ({release_date().year}). {title()}. Version {version()}, "
        f"{long_date(release_date())}. Research report (HTML and PDF editions)."
    )


def bibtex() -> str:
    """A BibTeX entry for the report, built from CITATION.cff and VERSION."""
    author = " and ".join("{" + name + "}" for name in authors())
    fields = [
        ("author", "{" + author + "}"),
        ("title", "{{" + title() + "}}"),
        ("year", "{" + str(release_date().year) + "}"),
        ("month", "{" + release_date().strftime("%B") + "}"),
        ("version", "{" + version() + "}"),
        ("type", "{Research report}"),
        ("note", "{Version " + version() + ", " + long_date(release_date()) + "; HTML and PDF editions}"),
    ]
    return bibtex_entry(BIBTEX_KEY, fields)


def bibtex_entry(key: str, fields: list[tuple[str, str]]) -> str:
    """A ``@misc`` BibTeX entry of (field, braced value) pairs, one aligned field a line."""
    width = max(len(name) for name, _ in fields)
    # Lines short enough for the PDF's code blocks (no wrap marks in a copied entry); BibTeX
    # reads a line break inside braces as a space, so lines break at spaces only, not hyphens.
    body = ",\n".join(
        textwrap.fill(
            f"{name.ljust(width)} = {value}",
            72,
            initial_indent="  ",
            subsequent_indent=" " * (width + 6),
            break_long_words=False,
            break_on_hyphens=False,
        )
        for name, value in fields
    )
    return f"@misc{{{key},\n{body}\n}}"


# Where the edition lives on the web is set in one place, CITATION.cff: ``url`` is the HTML
# edition's address, ``repository-code`` the repository that holds data/. Neither is published
# yet; the title page then says so instead of printing an address.
UNPUBLISHED = (
    "Web address: not yet published; the HTML edition and the data are in the project's folder _build/html and data/"
)


def web_addresses() -> dict[str, str]:
    """The HTML edition's and the data's web addresses from CITATION.cff; empty where unpublished."""
    data = citation()
    return {"html": str(data.get("url") or "").strip(), "data": str(data.get("repository-code") or "").strip()}


def web_address_text(addresses: dict[str, str] | None = None) -> str:
    """Where the book lives, as the title page prints it (plain text)."""
    addresses = web_addresses() if addresses is None else addresses
    if not any(addresses.values()):
        return UNPUBLISHED + "."
    html, data = (addresses[key] or "not yet published" for key in ("html", "data"))
    return f"HTML edition: {html}. Data (folder data/): {data}."


def _latex_web_address(addresses: dict[str, str]) -> str:
    """:func:`web_address_text` in LaTeX, each address a link."""
    if not any(addresses.values()):
        return tex_escape(UNPUBLISHED) + "."

    def link(url: str) -> str:
        return "\\url{" + re.sub(r"([%#])", r"\\\1", url) + "}" if url else "not yet published"

    return f"HTML edition: {link(addresses['html'])}. Data (folder data/): {link(addresses['data'])}."


def licences_text() -> str:
    return (
        f"Text and figures: {TEXT_LICENCE[0]}. Code: {CODE_LICENCE[0]}. The five news articles in "
        "data/sources/ belong to their publishers and are not covered by either licence."
    )


# --------------------------------------------------------------------------- LaTeX and Sphinx

_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex_escape(text: str) -> str:
    return "".join(_TEX_SPECIALS.get(char, char) for char in text)


def latex_macros() -> str:
    """The title page's data as LaTeX macros, for _templates/latex/hanoi-edition.sty."""
    data = citation()
    macros = {
        "hanoititle": title(),
        "hanoiauthors": join_words(authors()),
        "hanoiversion": version(),
        "hanoidate": long_date(release_date()),
        "hanoicitation": recommended_citation(),
        "hanoisubject": " ".join(str(data.get("abstract", "")).split()),
        "hanoikeywords": ", ".join(data.get("keywords", [])),
        "hanoitextlicence": TEXT_LICENCE[0],
        "hanoicodelicence": CODE_LICENCE[0],
    }
    lines = ["% Written by hanoi_evidence.edition from VERSION and CITATION.cff"]
    lines += [f"\\newcommand{{\\{name}}}{{{tex_escape(value)}}}" for name, value in macros.items()]
    lines.append(f"\\newcommand{{\\hanoiwebaddress}}{{{_latex_web_address(web_addresses())}}}")
    return "\n".join(lines) + "\n"


# The Sphinx tag that shows the landing page's link to the PDF (chapters/_pdf-download.md).
PDF_TAG = "pdf_edition"


def _configure(app, config) -> None:
    """config-inited: give every output the version from VERSION."""
    number = version()
    config.version = number
    config.release = number
    options = config.html_theme_options
    if isinstance(options.get("extra_footer"), str):
        options["extra_footer"] = options["extra_footer"].replace("{version}", number)
    config.myst_substitutions = {**config.myst_substitutions, "edition_version": number, "edition_pdf": PDF_NAME}
    elements = config.latex_elements
    elements["preamble"] = latex_macros() + elements.get("preamble", "")
    if not missing_tex():  # `make book` builds the PDF only where TeX is installed; link to it only then
        app.tags.add(PDF_TAG)


def _bibliography_nodes():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class bibliography_anchor(nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
        """Where the Bibliography chapter's {bibliography} directive put its entries."""

    class MarkBibliography(SphinxPostTransform):
        """Before Sphinx gathers every citation at the end of the LaTeX document (priority 750),
        mark where the first one stood: the Bibliography chapter."""

        default_priority = 749
        formats = ("latex",)

        def run(self, **kwargs) -> None:
            first = next(iter(self.document.findall(nodes.citation)), None)
            if first is not None:
                first.parent.insert(first.parent.index(first), bibliography_anchor())

    class PlaceBibliography(SphinxPostTransform):
        """After it, move the gathered list to the mark, so the back-matter chapter holds it."""

        default_priority = 751
        formats = ("latex",)

        def run(self, **kwargs) -> None:
            from sphinx.builders.latex.nodes import thebibliography

            anchors = list(self.document.findall(bibliography_anchor))
            gathered = [child for child in self.document.children if isinstance(child, thebibliography)]
            for anchor in anchors[1:]:
                anchor.parent.remove(anchor)
            if anchors and gathered:
                self.document.remove(gathered[-1])
                anchors[0].replace_self(gathered[-1])
            elif anchors:
                anchors[0].parent.remove(anchors[0])

    return MarkBibliography, PlaceBibliography


def setup(app) -> dict:
    app.connect("config-inited", _configure, priority=800)  # after sphinx-jupyterbook-latex (500)
    for transform in _bibliography_nodes():
        app.add_post_transform(transform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# --------------------------------------------------------------------------- the PDF build


class PdfBuildError(RuntimeError):
    """The PDF edition could not be built, or TeX reported a problem."""


def missing_tex() -> list[str]:
    """The Debian packages to install before `make pdf` can run (empty when all is there)."""
    missing = {package for tool, package in TEX_TOOLS.items() if shutil.which(tool) is None}
    if shutil.which("kpsewhich"):
        for name, package in TEX_FILES.items():
            found = subprocess.run(["kpsewhich", name], capture_output=True, text=True).stdout.strip()
            if not found:
                missing.add(package)
    else:
        missing.add("texlive-xetex")
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", "FreeSerif"], capture_output=True, text=True).stdout
        if "FreeSerif" not in fonts:
            missing.add("fonts-freefont-otf")
        if "UMing" not in subprocess.run(["fc-list", "AR PL UMing CN"], capture_output=True, text=True).stdout:
            missing.add("fonts-arphic-uming")  # the Chinese characters quoted from one article
    return [package for package in DEBIAN_TEX_PACKAGES if package in missing]


# What TeX only warns about, but a reader would trip on: each is a failure here.
LATEX_LOG_PROBLEMS = [
    (re.compile(r"LaTeX Warning: (Hyper r|R)eference `[^']*' on page \S+ undefined"), "an unresolved reference"),
    (re.compile(r"LaTeX Warning: Citation `[^']*' on page \S+ undefined"), "an unresolved citation"),
    (re.compile(r"LaTeX Warning: There were undefined references"), "undefined references"),
    (re.compile(r"Missing character: There is no .* in font"), "a character the font lacks (it would vanish)"),
    (re.compile(r"LaTeX Warning: Label `[^']*' multiply defined"), "a label defined twice"),
]


# A line wider than the text by more than this runs visibly into the margin, or off the page.
MAX_OVERFULL_PT = 10
OVERFULL = re.compile(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*")


def latex_log_problems(log_file: Path) -> list[str]:
    """Lines of the final LaTeX log that show a problem the PDF would carry."""
    text = log_file.read_text(encoding="utf-8", errors="replace")
    # TeX wraps its log at 79 columns; join the wrapped lines back before matching.
    unwrapped = re.sub(r"(?m)^(.{79})\n", r"\1", text)
    problems = []
    for pattern, meaning in LATEX_LOG_PROBLEMS:
        for match in pattern.finditer(unwrapped):
            problems.append(f"{meaning}: {match.group(0)}")
    for match in OVERFULL.finditer(unwrapped):
        if float(match.group(1)) > MAX_OVERFULL_PT:
            problems.append(f"a line more than {MAX_OVERFULL_PT} pt too wide: {match.group(0)}")
    return problems


def release_time_environment() -> dict[str, str]:
    """This process's environment with TeX's clock set to the release date (midnight UTC).

    XeTeX and xdvipdfmx read ``SOURCE_DATE_EPOCH`` (``FORCE_SOURCE_DATE`` extends it to ``\\today``),
    so the PDF's creation and modification dates are the release's, and two builds of one version
    carry the same metadata.
    """
    midnight = dt.datetime.combine(release_date(), dt.time(), tzinfo=dt.UTC)
    return {**os.environ, "SOURCE_DATE_EPOCH": str(int(midnight.timestamp())), "FORCE_SOURCE_DATE": "1"}


def build_pdf(book_dir: Path = REPO_ROOT, path_output: Path | None = None, echo=print) -> Path:
    """Build the PDF edition strictly; return its path (also copied into the HTML output).

    ``path_output`` is Jupyter Book's ``--path-output``: the build goes to
    ``<path_output>/_build/latex`` and reuses the notebook execution cache in
    ``<path_output>/_build/.jupyter_cache``, the same one the HTML build of that folder uses.
    """
    missing = missing_tex()
    if missing:
        raise PdfBuildError(
            "The PDF edition needs TeX, which is not (fully) installed. Nothing was built.\n"
            f"Install: apt-get install --no-install-recommends {' '.join(missing)}\n"
            "(the full list the project uses is in .ci/debian-packages.txt)"
        )
    book_dir = Path(book_dir).resolve()
    build_root = (Path(path_output).resolve() if path_output else book_dir) / "_build"
    latex_dir, html_dir = build_root / "latex", build_root / "html"
    pdf, published = latex_dir / PDF_NAME, html_dir / PDF_NAME
    for stale in (pdf, published):
        stale.unlink(missing_ok=True)
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(book_dir),
        "--builder",
        "pdflatex",
        "-W",
        "-n",
        "--keep-going",
    ]
    if path_output:
        command += ["--path-output", str(Path(path_output).resolve())]
    echo("$ " + " ".join(command))
    result = subprocess.run(command, capture_output=True, text=True, env=release_time_environment())
    log = result.stdout + result.stderr
    if result.returncode != 0 or not pdf.is_file():
        tex_log = latex_dir / PDF_NAME.replace(".pdf", ".log")
        errors = ""
        if tex_log.is_file():
            lines = tex_log.read_text(encoding="utf-8", errors="replace").splitlines()
            errors = "\n".join(
                line for i, line in enumerate(lines) if line.startswith("!") or (i and lines[i - 1].startswith("!"))
            )
        pdf.unlink(missing_ok=True)
        raise PdfBuildError(f"The PDF build failed (exit {result.returncode}).\n{log[-6000:]}\n{errors}")
    problems = latex_log_problems(latex_dir / PDF_NAME.replace(".pdf", ".log"))
    if problems:
        pdf.unlink(missing_ok=True)
        raise PdfBuildError("The PDF built, but TeX reported problems; it was removed:\n" + "\n".join(problems))
    html_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(pdf, published)
    echo(f"PDF edition: {pdf}\ncopied to:   {published}")
    return pdf


# --------------------------------------------------------------------------- releasing


def set_version(number: str) -> None:
    """Write a new version (and today's date as its release date) to VERSION and CITATION.cff."""
    if not SEMVER.match(number):
        raise ValueError(f"not a version: {number!r}")
    today = dt.date.today().isoformat()
    text = CITATION_FILE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*version: ).*$", rf"\g<1>{number}", text)
    text = re.sub(r"(?m)^(\s*date-released: ).*$", rf'\g<1>"{today}"', text)
    text = re.sub(r"(?m)^(\s*year: ).*$", rf"\g<1>{today[:4]}", text)
    CITATION_FILE.write_text(text, encoding="utf-8")
    VERSION_FILE.write_text(number + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hanoi_evidence.edition", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version", help="print the version")
    commands.add_parser("citation", help="print the recommended citation")
    commands.add_parser("bibtex", help="print the BibTeX entry")
    commands.add_parser("check", help="validate CITATION.cff and its version")
    build = commands.add_parser("build-pdf", help="build the PDF edition strictly")
    build.add_argument("book", nargs="?", default=str(REPO_ROOT))
    build.add_argument("--path-output", default=None)
    release = commands.add_parser("release", help="set a new version in VERSION and CITATION.cff")
    release.add_argument("number")
    args = parser.parse_args(argv)
    if args.command == "version":
        print(version())
    elif args.command == "citation":
        print(recommended_citation())
    elif args.command == "bibtex":
        print(bibtex())
    elif args.command == "check":
        problems = citation_problems()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print(f"{CITATION_FILE.name} is valid (Citation File Format 1.2.0) and matches VERSION {version()}")
    elif args.command == "build-pdf":
        try:
            build_pdf(Path(args.book), Path(args.path_output) if args.path_output else None)
        except PdfBuildError as error:
            print(error, file=sys.stderr)
            return 2
    elif args.command == "release":
        set_version(args.number)
        print(f"VERSION and {CITATION_FILE.name} now say {args.number}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
