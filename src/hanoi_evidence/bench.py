"""Benchmarks: what a build of the book costs, and how the evidence checks scale.

``python -m hanoi_evidence.bench`` (or ``make bench``) measures, side by side:

* a cold build of a clean clone of the repository (no cache), and of a content-free
  copy of it with the same table of contents, configuration and Sphinx extensions and
  one trivial cell per notebook: the toolchain's floor;
* a rebuild with nothing changed, one after editing one notebook's code, and one after
  editing a cell of ``data/events.csv``, with the notebooks each one executed; the
  data edit must execute exactly the notebooks whose read stamps name that file;
* the PDF build (only when ``xelatex`` is installed), its page count and size;
* the evidence checks (validation, completeness, cleaning of every article) on
  synthetic corpora of 5 to 50,000 articles built from the real five, each size in a
  fresh process, with time, peak memory and the fitted growth exponent.

It prints a table of medians over several runs with their minimum and maximum, and
writes the raw numbers to ``benchmarks/runs/`` (not committed). The method is in
``benchmarks/README.md``. Builds go to a temporary folder, never to ``_build``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
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

from hanoi_evidence.paths import DATA_DIR_VARIABLE, READ_LOG_VARIABLE, REPO_ROOT

VALIDATED_VARIABLE = "HANOI_EVIDENCE_VALIDATED"  # tables.VALIDATED_VARIABLE, without importing pandas here
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
DEFAULT_SIZES = (5, 500, 5_000, 50_000)
EXECUTING = re.compile(r"^(?P<path>\S.*?): Executing notebook", re.MULTILINE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Letters for the unique words of synthetic articles: consonants only, so that no
# word can spell a number ("one", "ten") that the completeness check would find.
CONSONANTS = "bcdfghjklmnpqrstvwxz"


# --- Synthetic corpora ---------------------------------------------------------------


def unique_word(k: int) -> str:
    """A word of letters only, different for every k >= 0, with no number word in it."""
    letters = ""
    while True:
        k, digit = divmod(k, len(CONSONANTS))
        letters = CONSONANTS[digit] + letters
        if k == 0:
            break
    return "zx" + letters


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _new_mention_id(mention_id: str, old_source: str, new_source: str) -> str:
    finding, rest = mention_id.split("@", 1)
    return f"{finding}@{new_source}{rest[len(old_source) :]}"


def make_corpus(
    n_articles: int, destination: Path, source_data: Path | None = None, bibliography: Path | None = None
) -> Path:
    """A valid data folder of ``n_articles`` articles built from the real ones; returns it.

    Article k is a variant of real article k mod 5 (the first five are the real ones,
    unchanged): a unique sentence without numbers closes its last body line, it has its
    own file, source_id and SHA-256, and every per-source row (cleaning rules, mentions,
    exclusions, and the drift rows of its mentions) is copied under the new ids. Findings
    and the other shared tables stay as they are. Because every finding is then stated by
    several articles, each mention that had no drift row gets one ('none', or 'no_primary'
    for a finding without a known source), as data/drift.csv requires.
    """
    source_data = Path(source_data or REPO_ROOT / "data")
    bibliography = Path(bibliography or source_data.parent / "references.bib")
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    data = destination / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(source_data, data)
    if bibliography.is_file():
        shutil.copy2(bibliography, destination / "references.bib")
    descriptor = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    tables = {name: _read_csv(data / r["path"]) for name, r in resources.items()}
    schemas = {name: json.loads((data / r["schema"]).read_text(encoding="utf-8")) for name, r in resources.items()}

    source_fields, real_sources = tables["sources"]
    if n_articles < len(real_sources):
        raise ValueError(f"a corpus has at least the {len(real_sources)} real articles")
    removed: dict[str, set[int]] = {}
    for rule in tables["cleaning_rules"][1]:
        if rule["action"] == "remove":
            removed.setdefault(rule["source_id"], set()).update(
                range(int(rule["first_line"]), int(rule["last_line"]) + 1)
            )
    texts = {row["source_id"]: (source_data / row["file"]).read_text(encoding="utf-8") for row in real_sources}

    per_source = [name for name, (fields, _) in tables.items() if "source_id" in fields and name != "sources"]
    per_mention = [name for name, (fields, _) in tables.items() if "mention_id" in fields and "source_id" not in fields]
    rows_by_source = {name: {} for name in per_source + per_mention}
    mention_source = {m["mention_id"]: m["source_id"] for m in tables.get("mentions", ([], []))[1]}
    for name in per_source:
        for row in tables[name][1]:
            rows_by_source[name].setdefault(row["source_id"], []).append(row)
    for name in per_mention:
        for row in tables[name][1]:
            rows_by_source[name].setdefault(mention_source.get(row["mention_id"]), []).append(row)

    sources = list(real_sources)
    extra = {name: [] for name in per_source + per_mention}
    for k in range(len(real_sources), n_articles):
        base = real_sources[k % len(real_sources)]
        old, word = base["source_id"], unique_word(k)
        new = f"{old}-{word}"
        lines = texts[old].split("\n")
        last = max(i for i, line in enumerate(lines) if line.strip() and i + 1 not in removed.get(old, set()))
        lines[last] += f" Synthetic variant {word}."
        raw = "\n".join(lines).encode("utf-8")
        file = f"sources/synthetic_{word}.txt"
        (data / file).write_bytes(raw)
        sources.append(
            {
                **base,
                "source_id": new,
                "file": file,
                "label": f"{base['label']} {word}",
                "sha256": hashlib.sha256(raw).hexdigest(),
            }
        )
        mentions = {}
        for name in per_source:
            key = schemas[name].get("primaryKey", [])
            key = [key] if isinstance(key, str) else key
            for row in rows_by_source[name].get(old, []):
                copy = {**row, "source_id": new}
                for field in key:
                    if field == "mention_id":
                        copy[field] = mentions[row[field]] = _new_mention_id(row[field], old, new)
                    elif field.endswith("_id") and field != "source_id":
                        copy[field] = f"{row[field]}-{word}"
                extra[name].append(copy)
        for name in per_mention:
            for row in rows_by_source[name].get(old, []):
                copy = {**row, "mention_id": mentions.get(row["mention_id"], row["mention_id"])}
                if "compared_with" in copy:
                    copy["compared_with"] = mentions.get(copy["compared_with"], copy["compared_with"])
                extra[name].append(copy)

    _write_csv(data / resources["sources"]["path"], source_fields, sources)
    for name in per_source + per_mention:
        fields, rows = tables[name]
        tables[name] = (fields, rows + extra[name])
    if "drift" in tables and "mentions" in tables and n_articles > len(real_sources):
        attribution = {f["finding_id"]: f["attribution"] for f in tables["findings"][1]}
        fields, rows = tables["drift"]
        classified = {row["mention_id"] for row in rows}
        for mention in tables["mentions"][1]:
            if mention["mention_id"] not in classified:
                unknown = attribution.get(mention["finding_id"]) == "unknown"
                rows.append(
                    {
                        **{f: "" for f in fields},
                        "mention_id": mention["mention_id"],
                        "kind": "no_primary" if unknown else "none",
                        "compared_with": "primary",
                        "changes_conclusion": "no",
                        "note": "Synthetic benchmark row.",
                    }
                )
    for name in per_source + per_mention:
        _write_csv(data / resources[name]["path"], *tables[name])
    return data


# --- The evidence checks, in a fresh process per corpus ---------------------------------


def run_pipeline(data_dir: Path) -> dict:
    """Validate the data (schemas, cross-file rules, completeness) and clean every article.

    Runs in its own process (see ``pipeline_in_subprocess``) so that nothing is cached
    from an earlier size and the peak memory is this corpus's alone.
    """
    import resource

    started = time.perf_counter()
    from hanoi_evidence import cleaning, tables

    imported = time.perf_counter()
    tables.check(data_dir)  # validation.validate(data_dir), then the data's fingerprint
    validated = time.perf_counter()
    ids = [row["source_id"] for row in _read_csv(Path(data_dir) / "sources.csv")[1]]
    characters = sum(len(body) for body in cleaning.bodies(data_dir).values())
    cleaned = time.perf_counter()
    return {
        "articles": len(ids),
        "import_s": imported - started,
        "validate_s": validated - imported,
        "clean_s": cleaned - validated,
        "seconds": cleaned - imported,
        "body_characters": characters,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _clean_environment(extra_path: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in (VALIDATED_VARIABLE, READ_LOG_VARIABLE, DATA_DIR_VARIABLE):
        env.pop(name, None)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(extra_path), env.get("PYTHONPATH", "")]))
    return env


def pipeline_in_subprocess(data_dir: Path, profile: Path | None = None) -> dict:
    command = [sys.executable, "-m", "hanoi_evidence.bench", "pipeline", str(data_dir)]
    if profile:
        command += ["--profile", str(profile)]
    done = subprocess.run(command, capture_output=True, text=True, env=_clean_environment())
    if done.returncode:
        raise RuntimeError(f"the evidence checks failed on {data_dir}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(time) against log(size): 1 is linear growth."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


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
    fields, rows = _read_csv(csv_path)
    rows[0][column] = f"{rows[0][column]} Edited for a benchmark ({tag})."
    _write_csv(csv_path, fields, rows)


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


def report(builds: dict | None, corpus: dict | None, info: dict) -> str:
    out = [
        f"Machine: {info['nproc']} cores, {info['memory_gib']} GiB, {info['cpu']}, Python {info['python']}; "
        f"load average at start {', '.join(f'{x:.1f}' for x in info['load_average'])}.",
        "",
    ]
    out += ["| measurement | median | min | max | runs | note |", "| --- | --- | --- | --- | --- | --- |"]
    if builds:
        cold = [r["seconds"] for r in builds["cold"]]
        floor = [r["seconds"] for r in builds["floor"]]
        ratio = statistics.median(cold) / statistics.median(floor)
        out.append(
            _row(
                "cold build, clean clone, no cache",
                cold,
                "s",
                f"{builds['notebooks']} notebooks; executed {statistics.median(len(r['executed']) for r in builds['cold']):.0f}",
            )
        )
        out.append(
            _row(
                "cold build, content-free twin (floor)",
                floor,
                "s",
                "same TOC, _config.yml, extensions; executed "
                f"{statistics.median(len(r['executed']) for r in builds['floor']):.0f}",
            )
        )
        out.append(
            f"| cold build / floor | {ratio:.2f}x | | | | target <= 1.3x: {'met' if ratio <= 1.3 else 'missed'} |"
        )
        nochange = [r["seconds"] for r in builds["nochange"]]
        share = statistics.median(nochange) / statistics.median(cold)
        executed = sorted({len(r["executed"]) for r in builds["nochange"]})
        out.append(
            _row(
                "no-change rebuild",
                nochange,
                "s",
                f"{share:.0%} of cold (target <= 15%: {'met' if share <= 0.15 else 'missed'}); "
                f"executed {executed} (must be 0)",
            )
        )
        executed = sorted({len(r["executed"]) for r in builds["code"]})
        out.append(
            _row(
                f"rebuild, one notebook's code edited ({builds['code_page']})",
                [r["seconds"] for r in builds["code"]],
                "s",
                f"executed {executed} (must be 1)",
            )
        )
        data = builds["data"]
        agree = all(sorted(str(Path(p).resolve()) for p in r["executed"]) == r["expected"] for r in data)
        names = ", ".join(Path(p).stem for p in data[-1]["expected"])
        out.append(
            _row(
                "rebuild, one cell of data/events.csv edited",
                [r["seconds"] for r in data],
                "s",
                f"executed {sorted({len(r['executed']) for r in data})}, expected from read stamps "
                f"{sorted({len(r['expected']) for r in data})} ({names}): {'same set' if agree else 'DIFFERENT SET'}",
            )
        )
        if "pdf" in builds:
            pdf = builds["pdf"][0]
            out.append(
                _row(
                    "PDF build (pdflatex builder, xelatex)",
                    [r["seconds"] for r in builds["pdf"]],
                    "s",
                    f"{pdf.get('pages')} pages, {pdf.get('mib', float('nan')):.1f} MiB",
                )
            )
        else:
            out.append(f"| PDF build | skipped | | | | {builds['pdf_skipped']} |")
    if corpus:
        for size, runs in corpus["sizes"].items():
            seconds = [r["seconds"] for r in runs]
            memory = max(r["peak_rss_mib"] for r in runs)
            parts = (
                f"validate {statistics.median(r['validate_s'] for r in runs):.2f} s + "
                f"clean {statistics.median(r['clean_s'] for r in runs):.2f} s"
            )
            out.append(
                _row(
                    f"evidence checks, {int(size):,} articles",
                    seconds,
                    "s",
                    f"{parts}; peak RSS {memory:,.0f} MiB",
                    digits=2,
                )
            )
        for size, projected in corpus.get("skipped", {}).items():
            out.append(
                f"| evidence checks, {int(size):,} articles | skipped | | | 0 | "
                f"projected {projected:,.0f} s from the growth seen, over the time budget |"
            )
        out.append(
            f"| growth exponent (log time vs log size, {corpus['fit_from']:,}+ articles) | "
            f"{corpus['exponent']:.2f} | | | | 1 is linear |"
        )
    return "\n".join(out)


def benchmark_corpus(work: Path, sizes: list[int], repeat: int, log, budget: float = 600.0) -> dict:
    """Time the evidence checks per corpus size; skip a size whose projected run exceeds ``budget`` seconds.

    The projection extends the growth seen between the two previous sizes (at least linear).
    A size whose projected run exceeds budget / repeat is run once.
    """
    results: dict[str, list] = {}
    skipped: dict[str, float] = {}
    for size in sizes:
        done = [s for s in sizes if str(s) in results]
        if len(done) >= 2:
            (s1, s2) = done[-2:]
            t1, t2 = (statistics.median(r["seconds"] for r in results[str(s)]) for s in (s1, s2))
            exponent = max(1.0, growth_exponent([s1, s2], [t1, t2]))
            projected = t2 * (size / s2) ** exponent
            if projected > budget:
                log(
                    f"synthetic corpus of {size:,} articles: skipped, projected {projected:,.0f} s > budget {budget:,.0f} s"
                )
                skipped[str(size)] = projected
                continue
            runs = repeat if projected * repeat <= budget else 1
        else:
            runs = repeat
        log(f"synthetic corpus of {size:,} articles")
        started = time.perf_counter()
        data = make_corpus(size, work / f"corpus-{size}")
        log(f"  generated in {time.perf_counter() - started:.1f} s")
        results[str(size)] = []
        for run in range(runs):
            results[str(size)].append(pipeline_in_subprocess(data))
            log(f"  run {run + 1}/{runs}: {results[str(size)][-1]['seconds']:.2f} s")
        shutil.rmtree(work / f"corpus-{size}")
    measured = [s for s in sizes if str(s) in results]
    fitted = [s for s in measured if s >= 500] if len([s for s in measured if s >= 500]) >= 2 else measured
    medians = [statistics.median(r["seconds"] for r in results[str(s)]) for s in fitted]
    return {
        "sizes": results,
        "skipped": skipped,
        "fit_from": min(fitted),
        "exponent": growth_exponent(fitted, medians) if len(fitted) >= 2 else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hanoi_evidence.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="synthetic corpus sizes, comma-separated (default 5,500,5000,50000)",
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
    parser.add_argument(
        "--budget",
        type=float,
        default=600.0,
        help="seconds one evidence-check run may take; larger sizes projected beyond it are skipped",
    )
    parser.add_argument("--workdir", type=Path, help="where to build (default: a fresh temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    sub = parser.add_subparsers(dest="command")
    one = sub.add_parser("pipeline", help="(internal) run the evidence checks on one data folder, print JSON")
    one.add_argument("data_dir", type=Path)
    one.add_argument("--profile", type=Path, help="write cProfile statistics here")
    corpus = sub.add_parser("corpus", help="write a synthetic corpus: N articles into DEST/data")
    corpus.add_argument("n", type=int)
    corpus.add_argument("dest", type=Path)
    args = parser.parse_args(argv)

    if args.command == "pipeline":
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(run_pipeline, args.data_dir)
            profiler.dump_stats(str(args.profile))
        else:
            result = run_pipeline(args.data_dir)
        print(json.dumps(result))
        return 0
    if args.command == "corpus":
        print(make_corpus(args.n, args.dest))
        return 0

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    info = machine()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="hanoi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    builds = corpus_results = None
    try:
        if not args.no_builds:
            builds = benchmark_builds(work, args.repeat, args.source, not args.no_pdf, log)
        if not args.no_corpus:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            corpus_results = benchmark_corpus(work, sizes, args.repeat, log, args.budget)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    table = report(builds, corpus_results, info)
    print(table)
    runs = REPO_ROOT / "benchmarks" / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (runs / f"{stamp}.json").write_text(
        json.dumps({"machine": info, "source": args.source, "builds": builds, "corpus": corpus_results}, indent=1),
        encoding="utf-8",
    )
    (runs / f"{stamp}.md").write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
