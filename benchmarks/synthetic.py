"""Write a synthetic corpus of N articles built from the real five (see benchmarks/README.md).

    .venv/bin/python benchmarks/synthetic.py 500 /tmp/corpus-500   # writes /tmp/corpus-500/data

The generator lives in the package (hanoi_evidence.bench.make_corpus), so that the
benchmark and tests/test_bench.py use the same code; this is its command line.
"""

from __future__ import annotations

import sys

from hanoi_evidence.bench import main

if __name__ == "__main__":
    sys.exit(main(["corpus", *sys.argv[1:]]))
