"""Command line.

``python -m hanoi_evidence validate [DATA_DIR]`` prints every problem in the data as
*file, row, column: what is wrong* and exits with status 1, or prints a one-line
summary and exits with 0. ``python -m hanoi_evidence dictionary`` prints the data
dictionary generated from the schemas.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hanoi_evidence.paths import DATA_DIR
from hanoi_evidence.validation import validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hanoi_evidence")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check data/ against its schema and its sources")
    check.add_argument("data_dir", nargs="?", type=Path, default=DATA_DIR)
    commands.add_parser("dictionary", help="print the data dictionary (data/README.md) generated from the schemas")
    args = parser.parse_args(argv)
    if args.command == "dictionary":
        from hanoi_evidence.dictionary import render_readme

        sys.stdout.write(render_readme())
        return 0

    problems = validate(args.data_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {args.data_dir}", file=sys.stderr)
        return 1
    print(f"{args.data_dir}: valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
