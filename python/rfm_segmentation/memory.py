"""DuckDB's memory_limit for a build, chosen from the size of its purchase input.

One value cannot do both jobs: 1GB keeps a 10M-line build under 2 GB of RSS
(DuckDB's pool, plus dbt and the Python models' frames), but the
deduplication and screening of 98M lines run out of memory at 1GB. So the
limit grows with the input: 1GB per 12.5M purchase lines, at least 1GB. At
98M lines that is 8GB: with 4GB (the earlier rule, 1GB per 25M) the build
passed but spilled its sorts and groupings to disk and took 1.46 times as
long (bench/PROFILING.md, "fifth round").

The limit never exceeds half of the machine's memory (or of the container's
cgroup limit): the Python models' frames and dbt come on top of DuckDB's
pool (about 3 GB at 10M customers), and DuckDB spills to disk beyond its
limit rather than failing. RFM_DUCKDB_MEMORY_LIMIT overrides the rule.

The on-run-start hook (macros/on-run-start/rfm_size_memory_limit.sql) counts
the lines and applies the limit through the dbt plugin; the benchmark gives
its contenders the same limit.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

LINES_PER_GB = 12_500_000
MINIMUM_GB = 1
# cgroup v2's limit of the container the build runs in ("max" when unlimited).
CGROUP_MEMORY_MAX = Path("/sys/fs/cgroup/memory.max")


def machine_memory_bytes(cgroup_memory_max: Path = CGROUP_MEMORY_MAX) -> int:
    """The memory this process may use: the physical memory, or less under a cgroup limit."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = cgroup_memory_max.read_text().strip()
    except OSError:
        return physical
    return min(physical, int(limit)) if limit.isdigit() else physical


def memory_limit_for_lines(lines: int, machine_bytes: int | None = None) -> str:
    """DuckDB's memory_limit for a purchase input of about `lines` lines, e.g. '8GB'.

    `machine_bytes` defaults to this machine's memory (machine_memory_bytes)."""
    machine = machine_memory_bytes() if machine_bytes is None else machine_bytes
    ceiling = max(MINIMUM_GB, machine // 2 // 2**30)
    return f"{min(ceiling, max(MINIMUM_GB, math.ceil(max(lines, 0) / LINES_PER_GB)))}GB"
