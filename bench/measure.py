"""Run a command and measure it: wall time, CPU time, peak memory of its whole process tree, load."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psutil


@dataclass(frozen=True)
class Measurement:
    wall_seconds: float
    # user + system time of the process and the children it waited for: on a
    # shared machine it moves far less than the wall time does.
    cpu_seconds: float
    # The larger of the sampled sum of RSS over the process tree and the
    # kernel's exact peak (ru_maxrss) of the biggest single process.
    peak_rss_bytes: int
    load_before: float  # 1-minute load average
    load_after: float
    returncode: int
    stopped_over_rss: bool = False  # killed for crossing rss_limit_bytes

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_info().rss
    return total


def run_measured(command: list[str], log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None,
                 rss_limit_bytes: int | None = None, interval: float = 0.05) -> Measurement:
    """Run `command` to completion, output to log_path; sample its tree's RSS every `interval` seconds.

    With rss_limit_bytes, the process group is killed once the tree uses more
    (so a contender that cannot fit never pushes the machine into the OOM killer).
    """
    load_before = os.getloadavg()[0]
    with open(log_path, "w") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True)
    process = psutil.Process(child.pid)
    peak = 0
    stopped = False
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        with contextlib.suppress(psutil.NoSuchProcess):
            peak = max(peak, _tree_rss(process))
        if rss_limit_bytes is not None and peak > rss_limit_bytes and not stopped:
            stopped = True
            os.killpg(child.pid, signal.SIGKILL)
        time.sleep(interval)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Measurement(
        wall_seconds=wall,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_bytes=max(peak, usage.ru_maxrss * 1024),
        load_before=load_before,
        load_after=os.getloadavg()[0],
        returncode=child.returncode,
        stopped_over_rss=stopped,
    )
