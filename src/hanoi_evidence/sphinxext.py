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

Sphinx reads pages one at a time, and myst-nb executes a notebook when its page is
read, so on its own a cold build runs one kernel after another. Before reading,
:func:`execute_outdated_notebooks` executes every notebook that has no cache record,
one kernel per core at a time, caches each result as myst-nb would, and stamps it
with its read log; the pages are then read from the cache. A notebook that fails
there is left uncached, so myst-nb executes it again while reading its page and
reports the failure exactly as it always does.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
from pathlib import Path, PurePosixPath

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
        if stamp is not None and all(file_digest(Path(name)) == digest for name, digest in stamp.items()):
            continue
        cache.remove_cache(record.pk)
        stamps.pop(record.hashkey, None)
        docname = env.path2doc(record.uri)
        if docname is not None:
            stale_docs.append(docname)
            LOGGER.info("hanoi_evidence: %s read changed files; it will execute again", docname)
    _save_stamps(app, stamps)
    return sorted(set(stale_docs) - set(changed) - set(added))


def _fresh_log(log: Path) -> Path:
    """An empty read log at ``log``, for one kernel to append the files it reads to."""
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    return log


def _take_log(log: Path) -> list[str]:
    """The files a read log names, once each; the log is removed."""
    files = sorted(set(log.read_text(encoding="utf-8").split()))
    log.unlink()
    return files


def _stamp(files: list[str]) -> dict[str, str | None]:
    """The SHA-256 of each file a notebook read, as stored beside its cache record."""
    return {name: file_digest(Path(name)) for name in files}


def start_read_log(app: Sphinx, docname: str, source: list[str]) -> None:
    """Give the kernel that executes this page a fresh read log."""
    os.environ[READ_LOG_VARIABLE] = str(_fresh_log(_log_path(app, docname)))


def stamp_executed_notebook(app: Sphinx, doctree) -> None:
    """If the page just executed, stamp its new cache record with the files it read.

    A record that already has a stamp was served from the cache, and its stamp was
    checked at the start of the build; only a record without one is new.
    """
    os.environ.pop(READ_LOG_VARIABLE, None)
    log = _log_path(app, app.env.docname)
    if not log.exists():
        return
    files = _take_log(log)
    if app.env.mystnb_config.execution_mode != "cache":
        return
    source = Path(app.env.doc2path(app.env.docname))
    records = [r for r in _open_cache(app).list_cache_records() if Path(r.uri).resolve() == source.resolve()]
    if not records:
        return  # not a notebook, or its execution failed and nothing was cached
    newest = max(records, key=lambda record: record.pk)  # pk grows; `created` is coarse
    stamps = _load_stamps(app)
    if newest.hashkey not in stamps:
        stamps[newest.hashkey] = _stamp(files)
        _save_stamps(app, stamps)


def _notebook_to_execute(app: Sphinx, cache, docname: str):
    """The notebook myst-nb would execute for this page, or None if it is not one, is cached
    or is excluded from execution (``execution_excludepatterns``)."""
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    if any(PurePosixPath(path.as_posix()).match(p) for p in app.env.mystnb_config.execution_excludepatterns):
        return None
    text = path.read_text(encoding="utf-8")
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    if app.env.mystnb_config.metadata_key in notebook.metadata:
        return None  # the page sets its own execution options: myst-nb applies them as it reads it
    try:
        cache.match_cache_notebook(notebook)
        return None
    except KeyError:
        return path, notebook, reader.read_fmt


def _usable_cores() -> int:
    """The cores this process may run on (sched_getaffinity is Linux-only)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _inside_event_loop() -> bool:
    """True when the build runs inside an asyncio loop (e.g. started from a notebook): asyncio.run cannot."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _code_length(notebook) -> int:
    return sum(len(cell.source) for cell in notebook.cells if cell.cell_type == "code")


async def _execute(path: Path, notebook, log: Path, nb_config, slots: asyncio.Semaphore):
    """Execute one notebook in its own kernel, in its folder, with its own read log."""
    from nbclient import NotebookClient

    async with slots:
        _fresh_log(log)
        client = NotebookClient(
            notebook,
            resources={"metadata": {"path": str(path.parent)}},
            timeout=nb_config.execution_timeout,
            allow_errors=nb_config.execution_allow_errors,
            record_timing=False,  # timings in cell metadata would change the cache's hash
        )
        start = time.perf_counter()
        try:
            await client.async_execute(env={**os.environ, READ_LOG_VARIABLE: str(log)})
        except Exception:  # noqa: BLE001 - a failing cell or kernel: myst-nb runs it again and reports it
            return None
        return time.perf_counter() - start


# Hand-written rather than jupyter-cache's "local-parallel" executor, which was measured against it
# (benchmarks/README.md): that one does execute staged notebooks in parallel into this cache, but its
# public API (load_executor, run_and_cache) has no per-notebook hook, so each kernel's read log could
# only be set by subclassing its private pool worker; its pool takes all the machine's cores
# (os.cpu_count, not the usable ones) and deals notebooks out in record order, not longest first; and
# a cold build was no faster with it. The cache itself stays the library's: staging, matching and
# storing records go through jupyter-cache's API, as myst-nb's own client does.
def execute_outdated_notebooks(app: Sphinx, env, docnames: list[str]) -> None:
    """Execute, in parallel, the notebooks about to be read that have no cache record."""
    nb_config = env.mystnb_config
    if nb_config.execution_mode != "cache" or nb_config.execution_in_temp or _inside_event_loop():
        return  # myst-nb executes the notebooks itself, one at a time, as it reads them
    cache = _open_cache(app)
    jobs = {}
    for docname in sorted(docnames):
        found = _notebook_to_execute(app, cache, docname)
        if found is not None:
            jobs[docname] = found
    if not jobs:
        return
    # Longest first (code length stands in for run time), so that no long notebook starts last.
    jobs = dict(sorted(jobs.items(), key=lambda job: -_code_length(job[1][1])))
    slots = min(len(jobs), _usable_cores())
    for docname in jobs:
        LOGGER.info("Executing notebook (%d at a time)", slots, location=docname)

    async def run_all():
        semaphore = asyncio.Semaphore(slots)
        return await asyncio.gather(
            *(
                _execute(path, notebook, _log_path(app, docname), nb_config, semaphore)
                for docname, (path, notebook, _) in jobs.items()
            )
        )

    stamps = _load_stamps(app)
    for (docname, (path, notebook, read_fmt)), seconds in zip(jobs.items(), asyncio.run(run_all()), strict=True):
        files = _take_log(_log_path(app, docname))
        if seconds is None:
            LOGGER.info("hanoi_evidence: %s failed; it executes again as its page is read", docname)
            continue
        record = _cache_executed(cache, path, notebook, read_fmt, seconds)
        stamps[record.hashkey] = _stamp(files)
        LOGGER.info("Executed notebook in %.2f seconds", seconds, location=docname)
    _save_stamps(app, stamps)


def _cache_executed(cache, path: Path, notebook, read_fmt, seconds: float):
    """Store an executed notebook as myst-nb's cache client does, so that reading its page finds it."""
    from jupyter_cache.base import CacheBundleIn

    stage = cache.add_nb_to_project(str(path), read_data=read_fmt) if read_fmt else cache.add_nb_to_project(str(path))
    bundle = CacheBundleIn(notebook, stage.uri, data={"execution_seconds": seconds})
    return cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


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
    app.connect("env-before-read-docs", execute_outdated_notebooks)
    app.connect("source-read", start_read_log)
    app.connect("doctree-read", stamp_executed_notebook)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
