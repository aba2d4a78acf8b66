"""The benchmark harness (`make bench`, run as `python -m bench` from the project root).

It lives in the repository beside its results, not in the installed package:
it needs the dbt project, and users of `rfm` never run it.
"""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
