"""Synthetic corpora for the benchmarks: N articles built from the real five (see benchmarks/README.md).

    .venv/bin/python benchmarks/synthetic.py 500 /tmp/corpus-500   # writes /tmp/corpus-500/data

The benchmark harness (benchmarks/bench.py) and tests/test_bench.py import ``make_corpus``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# Letters for the unique words of synthetic articles: consonants only, so that no
# word can spell a number ("one", "ten") that the completeness check would find.
CONSONANTS = "bcdfghjklmnpqrstvwxz"


def unique_word(k: int) -> str:
    """A word of letters only, different for every k >= 0, with no number word in it."""
    letters = ""
    while True:
        k, digit = divmod(k, len(CONSONANTS))
        letters = CONSONANTS[digit] + letters
        if k == 0:
            break
    return "zx" + letters


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A table's header and its rows, as dictionaries of strings."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_csv(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
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
    exclusions, and the drift rows of its mentions) is copied under the new ids, and each copied
    mention joins its original's claim. Findings
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
    tables = {name: read_csv(data / r["path"]) for name, r in resources.items()}
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
    copies: dict[str, list[str]] = {}  # mention id -> the ids of its copies in the synthetic articles
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
                        copies.setdefault(row[field], []).append(copy[field])
                    elif field.endswith("_id") and field != "source_id":
                        copy[field] = f"{row[field]}-{word}"
                extra[name].append(copy)
        for name in per_mention:
            for row in rows_by_source[name].get(old, []):
                copy = {**row, "mention_id": mentions.get(row["mention_id"], row["mention_id"])}
                if "compared_with" in copy:
                    copy["compared_with"] = mentions.get(copy["compared_with"], copy["compared_with"])
                extra[name].append(copy)

    write_csv(data / resources["sources"]["path"], source_fields, sources)
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
        write_csv(data / resources[name]["path"], *tables[name])
    if "claims" in tables:  # each copy of a mention rests on its original's claim, as every mention must
        fields, rows = tables["claims"]
        for row in rows:
            row["mentions"] = ";".join(
                m for original in row["mentions"].split(";") for m in [original, *copies.get(original, [])]
            )
        write_csv(data / resources["claims"]["path"], fields, rows)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus of N articles into DEST/data.")
    parser.add_argument("n", type=int, help="number of articles (at least the real five)")
    parser.add_argument("dest", type=Path, help="folder to write data/ (and references.bib) into")
    args = parser.parse_args(argv)
    print(make_corpus(args.n, args.dest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
