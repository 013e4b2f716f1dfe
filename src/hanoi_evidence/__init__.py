"""Load, validate and chart the evidence behind the Hanoi Convention report.

The notebooks in ``chapters/`` stay thin: every table they show and every figure
they draw comes from a function in this package, so the tests exercise the same
code the book runs.
"""

from hanoi_evidence.paths import DATA_DIR, REPO_ROOT, record_read

__all__ = ["DATA_DIR", "REPO_ROOT", "record_read"]
