"""DuckDB's memory_limit for a build, chosen from the size of its purchase input.

One value cannot do both jobs: 1GB keeps a 10M-line build under 2 GB of RSS
(DuckDB's pool, plus dbt and the Python models' frames), but the
deduplication and screening of 98M lines run out of memory at 1GB and pass
at 4GB (bench/PROFILING.md). So the limit grows with the input: 1GB per 25M
purchase lines, at least 1GB. RFM_DUCKDB_MEMORY_LIMIT overrides it.

The on-run-start hook (macros/on-run-start/rfm_size_memory_limit.sql) counts
the lines and applies the limit through the dbt plugin; the benchmark gives
its contenders the same limit.
"""

from __future__ import annotations

import math

LINES_PER_GB = 25_000_000
MINIMUM_GB = 1


def memory_limit_for_lines(lines: int) -> str:
    """DuckDB's memory_limit for a purchase input of about `lines` lines, e.g. '4GB'."""
    return f"{max(MINIMUM_GB, math.ceil(max(lines, 0) / LINES_PER_GB))}GB"
