"""DuckDB's memory_limit for a build, chosen from the size of its purchase input.

One value cannot do both jobs: 1GB keeps a 10M-line build under 2 GB of RSS
(DuckDB's pool, plus dbt and the Python models' frames), but the
deduplication and screening of 98M lines run out of memory at 1GB. So the
limit grows with the input: 1GB per 12.5M purchase lines, at least 1GB. At
98M lines that is 8GB: with 4GB (the earlier rule, 1GB per 25M) the build
passed but spilled its sorts and groupings to disk and took about 1.5 times as
long (bench/PROFILING.md, "fifth round").

The limit never exceeds half of the machine's memory (or of the container's
cgroup limit): the Python models' frames and dbt come on top of DuckDB's
pool (about 3.5 GB at 10M customers), and DuckDB spills to disk beyond its
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
# The rule in words, for the benchmark's report.
AUTO_RULE = (f"1GB per {LINES_PER_GB / 1e6:g}M purchase lines, at least {MINIMUM_GB}GB, "
             "at most half the machine's memory")
# cgroup v2's limit of the container the build runs in ("max" when unlimited).
CGROUP_MEMORY_MAX = Path("/sys/fs/cgroup/memory.max")


def physical_memory_bytes() -> int | None:
    """The machine's physical memory, or None where it cannot be read."""
    if hasattr(os, "sysconf"):  # Linux, macOS
        try:
            return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (ValueError, OSError):
            return None
    try:  # Windows, where most Power BI users run the build
        import ctypes

        class MemoryStatus(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("memory_load", ctypes.c_ulong),
                        ("total_physical", ctypes.c_ulonglong), ("available_physical", ctypes.c_ulonglong),
                        ("total_page_file", ctypes.c_ulonglong), ("available_page_file", ctypes.c_ulonglong),
                        ("total_virtual", ctypes.c_ulonglong), ("available_virtual", ctypes.c_ulonglong),
                        ("available_extended_virtual", ctypes.c_ulonglong)]

        status = MemoryStatus()
        status.length = ctypes.sizeof(MemoryStatus)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.total_physical)
    except (AttributeError, OSError):
        pass
    return None


def machine_memory_bytes(cgroup_memory_max: Path | None = None) -> int | None:
    """The memory this process may use: the physical memory, or less under a cgroup
    limit (read from CGROUP_MEMORY_MAX unless given); None when neither can be read
    (then the rule has no ceiling)."""
    physical = physical_memory_bytes()
    try:
        limit = (cgroup_memory_max or CGROUP_MEMORY_MAX).read_text().strip()
    except OSError:
        return physical
    if not limit.isdigit():  # "max": no limit
        return physical
    return int(limit) if physical is None else min(physical, int(limit))


def memory_limit_for_lines(lines: int, machine_bytes: int | None = None) -> str:
    """DuckDB's memory_limit for a purchase input of about `lines` lines, e.g. '8GB'.

    `machine_bytes` defaults to this machine's memory (machine_memory_bytes)."""
    machine = machine_memory_bytes() if machine_bytes is None else machine_bytes
    wanted = max(MINIMUM_GB, math.ceil(max(lines, 0) / LINES_PER_GB))
    if machine is None:
        return f"{wanted}GB"
    return f"{min(wanted, max(MINIMUM_GB, machine // 2 // 2**30))}GB"
