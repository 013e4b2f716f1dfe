"""Where each claim is discussed: the evidence register links every claim back to a chapter's section.

A Sphinx extension (listed in ``_config.yml`` under ``sphinx: extra_extensions``).

A chapter discusses a claim where it links to the claim's row in the register (``{ref}`… <claim-ID>```,
from the prose or from a table). While each page is read, the sections holding such links are
noted; once every page is read, each claim's first such section in the book's order gets the label
``discussion-ID``, titled "Chapter: Section", which the register's "Discussed in" column refers to
(:func:`hanoi_evidence.register.discussion_link`). A claim that no chapter links to leaves its label
undefined, and the strict build (``-n``) fails on it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from hanoi_evidence.register import anchor

CLAIM = anchor("claim", "")
DISCUSSION = anchor("discussion", "")


def note_discussions(app: Sphinx, doctree: nodes.document) -> None:
    """Record, for the page just read, each claim it links to and the section the link sits in."""
    found = []
    for xref in doctree.findall(addnodes.pending_xref):
        target = xref.get("reftarget", "")
        section = next((n for n in _ancestors(xref) if isinstance(n, nodes.section)), None)
        if xref.get("reftype") == "ref" and target.startswith(CLAIM) and section is not None:
            found.append((target.removeprefix(CLAIM), section["ids"][0], section[0].astext()))
    app.env.hanoi_discussions[app.env.docname] = found


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def book_order(env: BuildEnvironment) -> list[str]:
    """Every page in the order of the table of contents (depth first from the root page)."""
    order: list[str] = []

    def visit(docname: str) -> None:
        if docname not in order:
            order.append(docname)
            for child in env.toctree_includes.get(docname, []):
                visit(child)

    visit(env.config.root_doc)
    return order


def label_discussions(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Give each claim's first discussing section its ``discussion-`` label; have the register's page
    written again when a label moved."""
    labels, anonlabels = env.domains["std"].labels, env.domains["std"].anonlabels
    register = {docname for name, (docname, _) in anonlabels.items() if name.startswith(CLAIM)}
    before = {name: labels.pop(name) for name in [n for n in labels if n.startswith(DISCUSSION)]}
    for name in before:
        anonlabels.pop(name, None)
    for docname in book_order(env):
        if docname in register:
            continue
        for claim_id, section_id, section_title in env.hanoi_discussions.get(docname, []):
            name = anchor("discussion", claim_id)
            if name not in labels:
                chapter = env.titles[docname].astext()
                title = chapter if section_title == chapter else f"{chapter}: {section_title}"
                labels[name] = (docname, section_id, title)
                anonlabels[name] = (docname, section_id)
    moved = any(before.get(name) != labels[name] for name in labels if name.startswith(DISCUSSION))
    return sorted(register) if moved else []


def init_discussions(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    if not hasattr(env, "hanoi_discussions"):
        env.hanoi_discussions = {}


def purge_discussions(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "hanoi_discussions", {}).pop(docname, None)


def merge_discussions(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    env.hanoi_discussions.update({d: other.hanoi_discussions[d] for d in docnames if d in other.hanoi_discussions})


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", init_discussions)
    app.connect("env-purge-doc", purge_discussions)
    app.connect("env-merge-info", merge_discussions)
    app.connect("doctree-read", note_discussions)
    app.connect("env-updated", label_discussions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
