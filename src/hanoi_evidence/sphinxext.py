"""Keep the notebook execution cache honest about data files.

myst-nb's cache (jupyter-cache) keys a notebook on the source of its code cells
only, so on its own a changed CSV would leave every figure built from the old
data in place. This extension closes that gap:

1. Before a notebook is read, it points ``HANOI_EVIDENCE_READ_LOG`` at a fresh
   log file; the package appends every file it opens (data files and its own
   modules) to that log while the notebook executes.
2. After the notebook is read, the files in the log and their SHA-256 digests
   are stored beside the cache record (``evidence-stamps.json``).
3. At the start of every build, each cache record whose recorded files changed
   (or that has no stamp at all) is removed and its page is re-read, so it
   executes again against the current data.

Only notebooks that read a changed file are executed again. Before any of this,
the whole data set is validated; a problem stops the build with its file, row and column.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from hanoi_evidence.paths import DATA_DIR_VARIABLE, READ_LOG_VARIABLE
from hanoi_evidence.tables import check
from hanoi_evidence.validation import EvidenceError

LOGGER = logging.getLogger(__name__)
STAMPS_FILE = "evidence-stamps.json"


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file, or None if it no longer exists."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _cache_dir(app: Sphinx) -> Path:
    return Path(app.env.mystnb_config.execution_cache_path)


def _log_dir(app: Sphinx) -> Path:
    return _cache_dir(app) / "read-logs"


def _log_path(app: Sphinx, docname: str) -> Path:
    return _log_dir(app) / (docname.replace("/", "__") + ".log")


def _load_stamps(app: Sphinx) -> dict[str, dict[str, str | None]]:
    path = _cache_dir(app) / STAMPS_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {}


def _save_stamps(app: Sphinx, stamps: dict) -> None:
    path = _cache_dir(app) / STAMPS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")


def _open_cache(app: Sphinx):
    from jupyter_cache import get_cache

    return get_cache(str(_cache_dir(app)))


def drop_stale_records(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Remove cache records built from files that have changed since; re-read their pages."""
    if app.env.mystnb_config.execution_mode != "cache" or not _cache_dir(app).exists():
        return []
    cache = _open_cache(app)
    stamps = _load_stamps(app)
    stale_docs = []
    for record in cache.list_cache_records():
        stamp = stamps.get(record.hashkey)
        if stamp is not None and all(
            file_digest(Path(name)) == digest for name, digest in stamp.items()
        ):
            continue
        cache.remove_cache(record.pk)
        stamps.pop(record.hashkey, None)
        docname = env.path2doc(record.uri)
        if docname is not None:
            stale_docs.append(docname)
            LOGGER.info("hanoi_evidence: %s read changed files; it will execute again", docname)
    _save_stamps(app, stamps)
    return sorted(set(stale_docs) - set(changed) - set(added))


def start_read_log(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give the kernel that executes this page a fresh read log."""
    log = _log_path(app, docname)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    os.environ[READ_LOG_VARIABLE] = str(log)


def stamp_executed_notebook(app: Sphinx, doctree) -> None:
    """If the page just executed, stamp its new cache record with the files it read.

    A record that already has a stamp was served from the cache, and its stamp was
    checked at the start of the build; only a record without one is new.
    """
    os.environ.pop(READ_LOG_VARIABLE, None)
    log = _log_path(app, app.env.docname)
    if not log.exists():
        return
    files = sorted(set(log.read_text(encoding="utf-8").split()))
    log.unlink()
    if app.env.mystnb_config.execution_mode != "cache":
        return
    source = Path(app.env.doc2path(app.env.docname))
    records = [r for r in _open_cache(app).list_cache_records() if Path(r.uri).resolve() == source.resolve()]
    if not records:
        return  # not a notebook, or its execution failed and nothing was cached
    newest = max(records, key=lambda record: record.pk)  # pk grows; `created` is coarse
    stamps = _load_stamps(app)
    if newest.hashkey not in stamps:
        stamps[newest.hashkey] = {name: file_digest(Path(name)) for name in files}
        _save_stamps(app, stamps)


def validate_evidence(app: Sphinx) -> None:
    """Stop the build before any notebook runs if the data is malformed or inconsistent.

    The notebooks' kernels inherit this process's environment: they read the data
    folder of the book being built and skip validating it a second time.
    """
    data_dir = Path(app.srcdir) / "data"
    os.environ[DATA_DIR_VARIABLE] = str(data_dir)
    try:
        check(data_dir)
    except EvidenceError as error:
        raise ExtensionError(str(error)) from None


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", validate_evidence)
    app.connect("env-get-outdated", drop_stale_records)
    app.connect("source-read", start_read_log)
    app.connect("doctree-read", stamp_executed_notebook)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
