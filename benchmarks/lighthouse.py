"""Tables from the Lighthouse reports that ``benchmarks/lighthouse.sh`` writes.

python benchmarks/lighthouse.py summary REPORTS_DIR SUMMARY.json   # one run: print its table
python benchmarks/lighthouse.py compare BEFORE.json AFTER.json     # two runs side by side
python benchmarks/lighthouse.py median OUT.json RUN.json RUN.json...  # per page, the median of runs

Scores move between runs on a shared machine (simulated throttling scales the CPU time it
observes, and headless Chromium sometimes paints a second or two late), so a page measured several
times is reported by the median run, the run whose performance score is the median.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The targets (benchmarks/README.md): per page, mobile preset, served gzip-compressed.
PERFORMANCE_TARGET = 95
ACCESSIBILITY_TARGET = 100
TRANSFER_BUDGET_KB = 450


def summarise(report: dict) -> dict:
    audits = report["audits"]
    return {
        "page": report["finalDisplayedUrl"].split("/", 3)[3],
        "scores": {key: round(100 * (category["score"] or 0)) for key, category in report["categories"].items()},
        "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1000),
        "requests": len(audits["network-requests"]["details"]["items"]),
        "fcp_s": round(audits["first-contentful-paint"]["numericValue"] / 1000, 1),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
    }


def _row(entry: dict) -> str:
    s = entry["scores"]
    return (
        f"| `{entry['page']}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} "
        f"| {entry['transfer_kb']} KB | {entry['requests']} | {entry['fcp_s']} s | {entry['lcp_s']} s |"
    )


def table(entries: list[dict]) -> str:
    lines = [
        "| page | performance | accessibility | best practices | SEO | transfer | requests | FCP | LCP |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    return "\n".join(lines + [_row(entry) for entry in entries])


def _runs(entry: dict) -> str:
    return ", ".join(str(score) for score in entry.get("runs", [entry["scores"]["performance"]]))


def compare(before: list[dict], after: list[dict]) -> str:
    old = {entry["page"]: entry for entry in before}
    lines = [
        "| page | performance | accessibility | transfer | requests | LCP |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for entry in after:
        was = old.get(entry["page"])
        if was is None:
            continue
        pairs = [
            (was["scores"]["performance"], entry["scores"]["performance"], ""),
            (was["scores"]["accessibility"], entry["scores"]["accessibility"], ""),
            (was["transfer_kb"], entry["transfer_kb"], " KB"),
            (was["requests"], entry["requests"], ""),
            (was["lcp_s"], entry["lcp_s"], " s"),
        ]
        cells = " | ".join(f"{a}{unit} → {b}{unit}" for a, b, unit in pairs)
        if len(was.get("runs", [])) > 1 or len(entry.get("runs", [])) > 1:  # medians: every run's score
            cells = cells.replace(" |", f" (runs {_runs(was)} → {_runs(entry)}) |", 1)
        lines.append(f"| `{entry['page']}` | {cells} |")
    met = all(
        e["scores"]["performance"] >= PERFORMANCE_TARGET
        and e["scores"]["accessibility"] >= ACCESSIBILITY_TARGET
        and e["transfer_kb"] <= TRANSFER_BUDGET_KB
        for e in after
    )
    lines.append("")
    lines.append(
        f"Targets (performance ≥ {PERFORMANCE_TARGET}, accessibility {ACCESSIBILITY_TARGET}, "
        f"transfer ≤ {TRANSFER_BUDGET_KB} KB on every page): {'met' if met else 'missed'}."
    )
    return "\n".join(lines)


def median_runs(runs: list[list[dict]]) -> list[dict]:
    """Per page measured in any run, its median run by performance (the lower middle of an even number),
    with the scores of every run it had."""
    by_page: dict[str, list[dict]] = {}
    for run in runs:
        for entry in run:
            by_page.setdefault(entry["page"], []).append(entry)
    chosen = []
    for _, entries in sorted(by_page.items()):
        ranked = sorted(entries, key=lambda entry: entry["scores"]["performance"])
        chosen.append(ranked[(len(ranked) - 1) // 2] | {"runs": [entry["scores"]["performance"] for entry in entries]})
    return chosen


def main(argv: list[str]) -> None:
    if argv[:1] == ["median"] and len(argv) > 2:
        entries = median_runs([json.loads(Path(name).read_text(encoding="utf-8")) for name in argv[2:]])
        Path(argv[1]).write_text(json.dumps(entries, indent=1), encoding="utf-8")
        print(
            "\n".join(
                f"`{entry['page']}`: {entry['runs']}, median {entry['scores']['performance']}" for entry in entries
            )
        )
        return
    command, first, second = argv
    if command == "summary":
        entries = sorted(
            (summarise(json.loads(path.read_text(encoding="utf-8"))) for path in Path(first).glob("*.json")),
            key=lambda entry: entry["page"],
        )
        Path(second).write_text(json.dumps(entries, indent=1), encoding="utf-8")
        print(table(entries))
    elif command == "compare":
        print(compare(*(json.loads(Path(name).read_text(encoding="utf-8")) for name in (first, second))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
