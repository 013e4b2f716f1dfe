"""Benchmarks: what a build of the book costs, and how the evidence checks scale.

``benchmarks/bench.py`` (or ``make bench``) measures, side by side:

* a cold build of a clean clone of the repository (no cache), and of a content-free
  copy of it with the same table of contents, configuration and Sphinx extensions and
  one trivial cell per notebook: the toolchain's floor;
* a rebuild with nothing changed, one after editing one notebook's code, and one after
  editing a cell of ``data/events.csv``, with the notebooks each one executed; the
  data edit must execute exactly the notebooks whose read stamps name that file;
* the PDF build (only when ``xelatex`` is installed), its page count and size;
* the evidence checks (validation with the completeness check, cleaning of every article)
  on synthetic corpora of 5, 500 and 5,000 articles built from the real five (50,000 with
  ``--with-50000``, for information only), each size in a fresh process, with time, peak
  memory and the fitted growth exponent.

It prints a table of medians over several runs with their minimum and maximum, and
writes the raw numbers to ``benchmarks/runs/`` (not committed). The method is in
``benchmarks/README.md``. Builds go to a temporary folder, never to ``_build``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import make_corpus, read_csv, unique_word, write_csv

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
DEFAULT_SIZES = (5, 500, 5_000)
INFORMATION_SIZE = 50_000  # timed only with --with-50000, outside the fit and the targets
# Targets (benchmarks/README.md): the evidence checks on 5,000 articles, their growth, and the
# cold build against the floor no worse than the ratio measured before (commit 1d53973).
TARGET_SIZE, TARGET_SECONDS = 5_000, 10.0
LINEAR_EXPONENT = 1.1  # a fitted exponent up to this counts as linear growth (timing noise)
FLOOR_RATIO_BEFORE = 2.29
EXECUTING = re.compile(r"^(?P<path>\S.*?): Executing notebook", re.MULTILINE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# --- The evidence checks, in a fresh process per corpus ---------------------------------


def run_pipeline(data_dir: Path) -> dict:
    """Validate the data (schemas, cross-file rules, completeness) and clean every article.

    Runs in its own process (see ``pipeline_in_subprocess``) so that nothing is cached
    from an earlier size and the peak memory is this corpus's alone.
    """
    import resource

    started = time.perf_counter()
    from hanoi_evidence.cleaning import bodies
    from hanoi_evidence.tables import check

    imported = time.perf_counter()
    # check() is validation.validate (raising on a problem) plus the data's fingerprint, as the
    # build runs it; cleaning then finds the data validated instead of validating it again.
    check(data_dir)
    validated = time.perf_counter()
    characters = sum(len(body) for body in bodies(data_dir).values())
    cleaned = time.perf_counter()
    return {
        "articles": len(read_csv(Path(data_dir) / "sources.csv")[1]),
        "import_s": imported - started,
        "validate_s": validated - imported,
        "clean_s": cleaned - validated,
        "seconds": cleaned - imported,
        "body_characters": characters,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _clean_environment(extra_path: Path | None = None) -> dict[str, str]:
    """This process's environment without the package's variables (data folder, read log,
    validated fingerprint), so that none leaks into what is measured."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("HANOI_EVIDENCE_")}
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH", "")]))
    return env


def pipeline_in_subprocess(data_dir: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "pipeline", str(data_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env=_clean_environment())
    if done.returncode:
        raise RuntimeError(f"the evidence checks failed on {data_dir}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) against log(size): 1 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


# --- Builds ------------------------------------------------------------------------------


def clone_project(destination: Path, source: str = "head") -> Path:
    """A clean copy of the project: ``git clone`` at HEAD, or the working tree's files."""
    if source == "head":
        subprocess.run(["git", "clone", "--quiet", str(REPO_ROOT), str(destination)], check=True)
        return destination
    listed = (
        subprocess.run(
            ["git", "-C", str(REPO_ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        if (REPO_ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, destination / name)
    return destination


def toc_pages(book: Path) -> list[Path]:
    """The source file of every page in the table of contents, in order."""
    import yaml

    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    names: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    names.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    pages = []
    for name in dict.fromkeys(names):
        for suffix in ("", ".md", ".ipynb"):
            if (book / f"{name}{suffix}").is_file():
                pages.append(book / f"{name}{suffix}")
                break
    return pages


def _front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end > 0:
            return text[: end + 5]
    return ""


def make_floor(book: Path) -> None:
    """Turn a copy of the book into its content-free twin: same TOC, config and extensions.

    Each page keeps its front matter and title; a notebook keeps one trivial code cell,
    different on every page: the execution cache keys on code, so identical cells would
    execute once and serve the other pages from the cache, and the floor would start one
    kernel where the book starts one per notebook.
    """
    for page in toc_pages(book):
        text = page.read_text(encoding="utf-8")
        front = _front_matter(text)
        title = next((line for line in text.splitlines() if line.startswith("# ")), f"# {page.stem}")
        body = f"{title}\n\nA page of the content-free book.\n"
        if "kernelspec" in front:
            body += f"\n```{{code-cell}} ipython3\npage = {page.stem!r}\n```\n"
        page.write_text(front + "\n" + body, encoding="utf-8")


def executed_notebooks(log: str) -> list[str]:
    return sorted({m.group("path") for m in EXECUTING.finditer(ANSI.sub("", log))})


def build(book: Path, env: dict[str, str], builder: str | None = None, timeout: int = 3600) -> dict:
    command = [str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going"]
    if builder:
        command = [str(JUPYTER_BOOK), "build", str(book), "--builder", builder]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)
    seconds = time.perf_counter() - started
    log = done.stdout + done.stderr
    if done.returncode:
        raise RuntimeError(f"build of {book} failed ({' '.join(command)}):\n{ANSI.sub('', log)[-4000:]}")
    return {"seconds": seconds, "executed": executed_notebooks(log)}


def expected_for(book: Path, data_file: Path) -> list[str]:
    """The notebooks whose read stamps name ``data_file``: the ones a change to it must re-execute."""
    from jupyter_cache import get_cache

    cache_dir = book / "_build" / ".jupyter_cache"
    stamps = json.loads((cache_dir / "evidence-stamps.json").read_text(encoding="utf-8"))
    target = str(data_file.resolve())
    # A page can have several records (an older one survives a code edit): count pages once.
    return sorted(
        {
            str(Path(r.uri).resolve())
            for r in get_cache(str(cache_dir)).list_cache_records()
            if target in stamps.get(r.hashkey, {})
        }
    )


def edit_code(page: Path, tag: str) -> None:
    """Add a comment line at the end of the page's first code cell."""
    lines = page.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("```{code-cell}"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == "```")
    lines.insert(end, f"# benchmark edit {tag}")
    page.write_text("\n".join(lines), encoding="utf-8")


def edit_data(csv_path: Path, column: str, tag: str) -> None:
    """Append words to one text cell of a table, so that it stays valid."""
    fields, rows = read_csv(csv_path)
    rows[0][column] = f"{rows[0][column]} Edited for a benchmark ({tag})."
    write_csv(csv_path, fields, rows)


def code_page(book: Path) -> Path:
    pages = [p for p in toc_pages(book) if "```{code-cell}" in p.read_text(encoding="utf-8")]
    preferred = [p for p in pages if p.name == "sources.md"]
    return (preferred or pages)[0]


def pdf_facts(book: Path) -> dict:
    # The book's own PDF is named after its .tex file; the other PDFs there are figures.
    latex = book / "_build" / "latex"
    pdfs = [latex / f"{tex.stem}.pdf" for tex in sorted(latex.glob("*.tex")) if (latex / f"{tex.stem}.pdf").is_file()]
    if not pdfs:
        return {}
    pdf = pdfs[0]
    facts = {"pdf": pdf.name, "mib": pdf.stat().st_size / 2**20}
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        facts["pages"] = int(match.group(1)) if match else None
    return facts


def benchmark_builds(work: Path, repeat: int, source: str, pdf: bool, log) -> dict:
    clone = clone_project(work / "book", source)
    floor = work / "floor"
    shutil.copytree(clone, floor)
    make_floor(floor)
    env, floor_env = _clean_environment(clone / "src"), _clean_environment(floor / "src")
    results: dict[str, list] = {key: [] for key in ("floor", "cold", "nochange", "code", "data")}
    page, events = code_page(clone), clone / "data" / "events.csv"
    for run in range(repeat):
        tag = unique_word(run)
        for book in (floor, clone):
            for name in ("_build", ".jupyter_cache"):
                shutil.rmtree(book / name, ignore_errors=True)
        log(f"run {run + 1}/{repeat}: toolchain floor")
        results["floor"].append(build(floor, floor_env))
        log(f"run {run + 1}/{repeat}: cold build")
        results["cold"].append(build(clone, env))
        log(f"run {run + 1}/{repeat}: no-change rebuild")
        results["nochange"].append(build(clone, env))
        log(f"run {run + 1}/{repeat}: rebuild after editing {page.relative_to(clone)}")
        edit_code(page, tag)
        results["code"].append(build(clone, env))
        expected = expected_for(clone, events)
        log(f"run {run + 1}/{repeat}: rebuild after editing data/events.csv")
        edit_data(events, "note", tag)
        result = build(clone, env)
        result["expected"] = expected
        results["data"].append(result)
    if pdf and shutil.which("xelatex"):
        log("PDF build")
        result = build(clone, env, builder="pdflatex")
        result.update(pdf_facts(clone))
        results["pdf"] = [result]
    else:
        results["pdf_skipped"] = (
            "xelatex is not installed (the PDF builder runs xelatex through latexmk)"
            if pdf
            else "not asked for (--no-pdf)"
        )
    results["notebooks"] = len(
        [p for p in toc_pages(clone) if "kernelspec" in _front_matter(p.read_text(encoding="utf-8"))]
    )
    results["code_page"] = str(page.relative_to(clone))
    return results


# --- Report ------------------------------------------------------------------------------


def _stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def _row(label: str, values: list[float], unit: str, note: str = "", digits: int = 1) -> str:
    median, low, high = _stats(values)
    return f"| {label} | {median:.{digits}f} {unit} | {low:.{digits}f} | {high:.{digits}f} | {len(values)} | {note} |"


def machine() -> dict:
    model = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    memory = (
        next(
            (
                int(line.split()[1]) / 2**20
                for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")
            ),
            float("nan"),
        )
        if Path("/proc/meminfo").exists()
        else float("nan")
    )
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "cpu": model,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def _met(condition: bool) -> str:
    return "met" if condition else "missed"


def _build_rows(builds: dict) -> list[str]:
    cold = [r["seconds"] for r in builds["cold"]]
    floor = [r["seconds"] for r in builds["floor"]]
    ratio = statistics.median(cold) / statistics.median(floor)
    nochange = [r["seconds"] for r in builds["nochange"]]
    share = statistics.median(nochange) / statistics.median(cold)
    data = builds["data"]
    agree = all(sorted(str(Path(p).resolve()) for p in r["executed"]) == r["expected"] for r in data)
    names = ", ".join(Path(p).stem for p in data[-1]["expected"])
    rows = [
        _row(
            "cold build, clean clone, no cache",
            cold,
            "s",
            f"{builds['notebooks']} notebooks; executed {statistics.median(len(r['executed']) for r in builds['cold']):.0f}",
        ),
        _row(
            "cold build, content-free twin (floor)",
            floor,
            "s",
            "same TOC, _config.yml, extensions; executed "
            f"{statistics.median(len(r['executed']) for r in builds['floor']):.0f}",
        ),
        f"| cold build / floor | {ratio:.2f}x | | | | "
        f"target <= {FLOOR_RATIO_BEFORE}x (before): {_met(ratio <= FLOOR_RATIO_BEFORE)} |",
        _row(
            "no-change rebuild",
            nochange,
            "s",
            f"{share:.0%} of cold; executed {sorted({len(r['executed']) for r in builds['nochange']})} (must be 0)",
        ),
        _row(
            f"rebuild, one notebook's code edited ({builds['code_page']})",
            [r["seconds"] for r in builds["code"]],
            "s",
            f"executed {sorted({len(r['executed']) for r in builds['code']})} (must be 1)",
        ),
        _row(
            "rebuild, one cell of data/events.csv edited",
            [r["seconds"] for r in data],
            "s",
            f"executed {sorted({len(r['executed']) for r in data})}, expected from read stamps "
            f"{sorted({len(r['expected']) for r in data})} ({names}): {'same set' if agree else 'DIFFERENT SET'}",
        ),
    ]
    if "pdf" in builds:
        pdf = builds["pdf"][0]
        rows.append(
            _row(
                "PDF build (pdflatex builder, xelatex)",
                [r["seconds"] for r in builds["pdf"]],
                "s",
                f"{pdf.get('pages')} pages, {pdf.get('mib', float('nan')):.1f} MiB",
            )
        )
    else:
        rows.append(f"| PDF build | skipped | | | | {builds['pdf_skipped']} |")
    return rows


def _corpus_row(size: str, runs: list[dict], verdict: str) -> str:
    seconds = [r["seconds"] for r in runs]
    parts = (
        f"validate {statistics.median(r['validate_s'] for r in runs):.2f} s + "
        f"clean {statistics.median(r['clean_s'] for r in runs):.2f} s"
    )
    memory = max(r["peak_rss_mib"] for r in runs)
    note = f"{parts}; peak RSS {memory:,.0f} MiB" + (f"; {verdict}" if verdict else "")
    return _row(f"evidence checks, {int(size):,} articles", seconds, "s", note, digits=2)


def _corpus_rows(corpus: dict) -> list[str]:
    rows = []
    for size, runs in corpus["sizes"].items():
        median = statistics.median(r["seconds"] for r in runs)
        verdict = (
            f"target <= {TARGET_SECONDS:.0f} s: {_met(median <= TARGET_SECONDS)}" if int(size) == TARGET_SIZE else ""
        )
        rows.append(_corpus_row(size, runs, verdict))
    exponent = corpus["exponent"]
    rows.append(
        f"| growth exponent (log time vs log size, {', '.join(f'{s:,}' for s in corpus['fitted'])} articles) | "
        f"{exponent:.2f} | | | | 1 is linear; target <= {LINEAR_EXPONENT}: {_met(exponent <= LINEAR_EXPONENT)} |"
    )
    for size, runs in corpus["information"].items():
        rows.append(_corpus_row(size, runs, "for information only"))
    return rows


def report(builds: dict | None, corpus: dict | None, info: dict) -> str:
    out = [
        f"Machine: {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}, Python {info['python']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in info['load_average'])}.",
        "",
        "| measurement | median | min | max | runs | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    if builds:
        out += _build_rows(builds)
    if corpus:
        out += _corpus_rows(corpus)
    return "\n".join(out)


def time_corpus(work: Path, size: int, runs: int, log) -> list[dict]:
    """The evidence checks on a fresh synthetic corpus of ``size`` articles, ``runs`` times."""
    log(f"synthetic corpus of {size:,} articles")
    started = time.perf_counter()
    data = make_corpus(size, work / f"corpus-{size}")
    log(f"  generated in {time.perf_counter() - started:.1f} s")
    results = []
    for run in range(runs):
        results.append(pipeline_in_subprocess(data))
        log(f"  run {run + 1}/{runs}: {results[-1]['seconds']:.2f} s")
    shutil.rmtree(work / f"corpus-{size}")
    return results


def benchmark_corpus(work: Path, sizes: list[int], repeat: int, log, information: bool = False) -> dict:
    """Time the evidence checks per corpus size and fit their growth.

    The fit uses the sizes from 500 up when there are two of them (the 5-article run is
    mostly fixed costs). The information size, when asked for, runs once and stays out of the fit.
    """
    results = {str(size): time_corpus(work, size, repeat, log) for size in sizes}
    large = [s for s in sizes if s >= 500]
    fitted = large if len(large) >= 2 else list(sizes)
    medians = [statistics.median(r["seconds"] for r in results[str(s)]) for s in fitted]
    return {
        "sizes": results,
        "fitted": fitted,
        "exponent": growth_exponent(fitted, medians) if len(fitted) >= 2 else float("nan"),
        "information": {str(INFORMATION_SIZE): time_corpus(work, INFORMATION_SIZE, 1, log)} if information else {},
    }


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="synthetic corpus sizes, comma-separated (default 5,500,5000)",
    )
    parser.add_argument(
        "--with-50000",
        dest="information",
        action="store_true",
        help="also time 50,000 articles once, for information only (about a minute and 2 GiB)",
    )
    parser.add_argument(
        "--source",
        choices=["head", "worktree"],
        default="head",
        help="build a git clone at HEAD (default) or a copy of the working tree's files",
    )
    parser.add_argument("--no-builds", action="store_true", help="skip the book builds")
    parser.add_argument("--no-corpus", action="store_true", help="skip the synthetic corpora")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF build")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a fresh temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("pipeline", help="run the evidence checks on one data folder, print JSON")
    one.add_argument("data_dir", type=Path)
    one.add_argument("--profile", type=Path, help="write cProfile statistics here")
    return parser.parse_args(argv)


def pipeline_command(data_dir: Path, profile: Path | None) -> int:
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(run_pipeline, data_dir)
        profiler.dump_stats(str(profile))
    else:
        result = run_pipeline(data_dir)
    print(json.dumps(result))
    return 0


def save_run(table: str, record: dict) -> None:
    runs = HERE / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (runs / f"{stamp}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    (runs / f"{stamp}.md").write_text(table + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.command == "pipeline":
        return pipeline_command(args.data_dir, args.profile)

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    info = machine()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="hanoi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    builds = corpus = None
    try:
        if not args.no_builds:
            builds = benchmark_builds(work, args.repeat, args.source, not args.no_pdf, log)
        if not args.no_corpus:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            corpus = benchmark_corpus(work, sizes, args.repeat, log, args.information)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    table = report(builds, corpus, info)
    print(table)
    save_run(table, {"machine": info, "source": args.source, "builds": builds, "corpus": corpus})
    return 0


if __name__ == "__main__":
    sys.exit(main())
