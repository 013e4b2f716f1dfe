"""Load, validate and chart the evidence behind the Hanoi Convention report.

The notebooks in ``chapters/`` stay thin: every table they show and every figure
they draw comes from a function in this package, so the tests exercise the same
code the book runs.
"""

from hanoi_evidence.paths import DATA_DIR, REPO_ROOT, record_read

# Importing the package makes the calling notebook depend on the package's own code:
# an edit to a plotting function must re-execute the notebooks that use it.
for _module_file in sorted(REPO_ROOT.joinpath("src", "hanoi_evidence").glob("*.py")):
    record_read(_module_file)
record_read(REPO_ROOT / "src" / "hanoi_evidence" / "report.mplstyle")

__all__ = ["DATA_DIR", "REPO_ROOT", "record_read"]
