"""`make bench`: dbt build against pandas and the bare DuckDB query, at 1M and 10M purchases (and 100M once).

For each size, in one run: a warm-up round, then --rounds timed rounds; each
round runs the three contenders once, in an order that rotates from round to
round, each as a fresh process (a fresh DuckDB file and export folder for
dbt). Wall time, CPU time, peak RSS of the process tree and the load average
are recorded per run; the report uses medians. The tiny sample (3,000
customers) measures dbt's fixed overhead. The huge size runs once per
contender, pandas with a memory ceiling.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

from bench import BENCH_DIR, PROJECT_DIR, report, verify
from bench.measure import Measurement, run_measured
from rfm_segmentation.errors import UserError
from rfm_segmentation.memory import AUTO_RULE, memory_limit_for_lines
from rfm_segmentation.publish import current_build_dir

BIN = Path(sys.executable).parent
CONTENDERS = ("dbt", "dbt_core", "pandas", "sql")
DBT_CONTENDERS = ("dbt", "dbt_core")  # run as dbt builds, their RFM read from the published export
# dbt_core: the build as issue 11 scoped it (purchases, RFM, demographics,
# marts, tests, exports), without the parts added since: segment history,
# predicted value and the HTML report. Not run at the huge size.
CORE_VARS = {"rfm_history_periods": 0, "clv_enabled": False, "publish_report": False}
TINY = 3_000


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def dataset(cache: Path, customers: int, seed: int) -> dict[str, Any]:
    """Generate `customers` once into the cache; returns the globs, line count and generation time."""
    folder = cache / f"customers-{customers}-seed-{seed}"
    done = folder / "generated.json"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        log(f"generating {customers:,} customers into {folder}")
        measured = run_measured([str(BIN / "rfm"), "generate", "--customers", str(customers), "--seed", str(seed),
                                 "--out", str(folder / "data")], folder / "generate.log")
        if measured.returncode != 0:
            raise SystemExit(f"rfm generate failed, see {folder / 'generate.log'}")
        files = sorted((folder / "data").glob("purchases*.parquet"))
        ((lines,),) = duckdb.sql(f"select count(*) from read_parquet({[str(f) for f in files]!r})").fetchall()
        info = {"customers": customers, "seed": seed, "purchase_lines": lines, "files": len(files),
                "bytes": sum(f.stat().st_size for f in files), "generation": measured.to_json()}
        done.write_text(json.dumps(info, indent=1))
    info = json.loads(done.read_text())
    info["purchases"] = str(folder / "data" / "purchases*.parquet")
    info["customers_file"] = str(folder / "data" / "customers*.parquet")
    return info


def run_contender(name: str, data: dict[str, Any], work: Path, rss_limit: int | None = None) -> Measurement:
    """One timed run of one contender, in a fresh folder under `work`."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if name in DBT_CONTENDERS:
        variables = {"purchases_path": data["purchases"], "customers_path": data["customers_file"],
                     "export_path": str(work / "exports"), **(CORE_VARS if name == "dbt_core" else {})}
        env["RFM_DUCKDB_PATH"] = str(work / "rfm.duckdb")
        command = [str(BIN / "dbt"), "build", "--target-path", str(work / "target"), "--log-path",
                   str(work / "logs"), "--vars", json.dumps(variables)]
    else:
        command = [sys.executable, "-m", "bench.contenders", name,
                   "--purchases", data["purchases"], "--out", str(work / "result.parquet"),
                   # The limit dbt's build chooses for this input (or the env var's).
                   "--memory-limit", os.environ.get("RFM_DUCKDB_MEMORY_LIMIT")
                   or memory_limit_for_lines(data["purchase_lines"]),
                   "--threads", os.environ.get("RFM_DUCKDB_THREADS", "2")]
    measured = run_measured(command, work / "output.log", env=env, cwd=PROJECT_DIR, rss_limit_bytes=rss_limit)
    log(f"  {name:8} {measured.wall_seconds:8.1f} s wall {measured.cpu_seconds:8.1f} s cpu "
        f"{measured.peak_rss_bytes / 2**30:6.2f} GiB peak  load {measured.load_before:.1f}->{measured.load_after:.1f}"
        f"{'' if measured.returncode == 0 else f'  FAILED ({measured.returncode}), see ' + str(work / 'output.log')}")
    return measured


def keep_outputs(name: str, work: Path, results: Path) -> Path | None:
    """Keep what the equality check reads from a contender's last run."""
    source = work / "result.parquet"
    if name in DBT_CONTENDERS:
        try:
            source = current_build_dir(work / "exports") / "fct_customer_rfm.parquet"
        except UserError:
            return None
    if not source.exists():
        return None
    kept = results / f"{name}.parquet"
    shutil.copyfile(source, kept)
    if name == "dbt" and (work / "target" / "run_results.json").exists():
        shutil.copyfile(work / "target" / "run_results.json", results / "dbt_run_results.json")
    return kept


def bench_size(label: str, data: dict[str, Any], rounds: int, scratch: Path, results: Path,
               contenders: tuple[str, ...] = CONTENDERS, warm_up: bool = True,
               rss_limits: dict[str, int] | None = None) -> dict[str, Any]:
    results.mkdir(parents=True, exist_ok=True)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in contenders}
    kept: dict[str, Path] = {}
    schedule = ([("warm-up", 0)] if warm_up else []) + [(f"round {i + 1}", i) for i in range(rounds)]
    for round_label, index in schedule:
        order = contenders[index % len(contenders):] + contenders[:index % len(contenders)]
        log(f"{label}: {round_label} ({', '.join(order)})")
        for name in order:
            work = scratch / name
            measured = run_contender(name, data, work, (rss_limits or {}).get(name))
            if round_label != "warm-up":
                runs[name].append(measured.to_json())
            if measured.returncode == 0:
                found = keep_outputs(name, work, results)
                if found:
                    kept[name] = found
            else:
                # Keep the output of a failed run: the work folder goes.
                shutil.copyfile(work / "output.log", results / f"{name}-{round_label.replace(' ', '-')}-failed.log")
            shutil.rmtree(work, ignore_errors=True)
    outcome: dict[str, Any] = {"label": label, "data": data, "runs": runs}
    if "dbt" in kept and len(kept) > 1:
        log(f"{label}: checking that the contenders agree")
        outcome["equality"] = verify.compare(kept["dbt"], {k: v for k, v in kept.items() if k != "dbt"})
        if data["customers"] <= 1_000_000:
            outcome["qcut_differences"] = verify.qcut_differences(kept["dbt"])
        log(f"{label}: {'same RFM' if outcome['equality']['same'] else 'DIFFERENCES FOUND'}")
    run_results = results / "dbt_run_results.json"
    if run_results.exists():
        outcome["dbt_slowest_nodes"] = slowest_nodes(json.loads(run_results.read_text()))
        outcome["dbt_feature_seconds"] = feature_seconds(json.loads(run_results.read_text()))
    return outcome


# What each optional feature costs a build: nodes (models and their tests)
# grouped by the words in their names. Everything else is the core path.
FEATURES = {
    "segment history (rfm_history_periods)": ("history", "transition"),
    "predicted value (clv_enabled)": ("clv",),
    "demographics": ("demographic", "dim_customers"),
}


def feature_seconds(run_results: dict[str, Any]) -> dict[str, float]:
    """Seconds of node execution per feature (and 'core'), in one build."""
    totals = dict.fromkeys([*FEATURES, "core (purchases, RFM, marts, tests, exports)"], 0.0)
    for result in run_results["results"]:
        name = result["unique_id"]
        feature = next((label for label, words in FEATURES.items() if any(word in name for word in words)),
                       "core (purchases, RFM, marts, tests, exports)")
        totals[feature] += result["execution_time"]
    return {label: round(seconds, 1) for label, seconds in totals.items()}


def slowest_nodes(run_results: dict[str, Any], count: int = 12) -> list[dict[str, Any]]:
    nodes = [{"node": r["unique_id"].split(".", 2)[-1] if r["unique_id"].startswith(("model", "seed")) else
              r["unique_id"].split(".")[2], "kind": r["unique_id"].split(".")[0],
              "seconds": r["execution_time"]} for r in run_results["results"]]
    return sorted(nodes, key=lambda n: -n["seconds"])[:count]


def machine() -> dict[str, Any]:
    import psutil

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    versions = {name: metadata.version(name) for name in ("dbt-core", "dbt-duckdb", "duckdb", "pandas", "pyarrow",
                                                          "numpy")}
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_bytes": psutil.virtual_memory().total,
        "swap_bytes": psutil.swap_memory().total, "os": platform.platform(), "python": platform.python_version(),
        "versions": versions,
        "duckdb_memory_limit": os.environ.get("RFM_DUCKDB_MEMORY_LIMIT", f"auto ({AUTO_RULE})"),
        "duckdb_threads": os.environ.get("RFM_DUCKDB_THREADS", "2"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / ".cache")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "BENCHMARKS.md")
    parser.add_argument("--plot", type=Path, default=BENCH_DIR / "benchmarks.png")
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results.json",
                        help="raw measurements, read again by --report-only")
    parser.add_argument("--sizes", default="100000,1000000", help="customers per size (about 10 lines each)")
    parser.add_argument("--huge", type=int, default=10_000_000, help="customers of the once-only size; 0 to skip")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--pandas-rss-limit-gib", type=float, default=12.0,
                        help="stop pandas beyond this (the huge size would need more memory than the machine has)")
    parser.add_argument("--note", action="append", default=[], help="a line for the report (e.g. what else ran)")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from --results")
    parser.add_argument("--huge-only", action="store_true",
                        help="run only the once-only size and add it to the measurements already in --results")
    args = parser.parse_args(argv)

    if args.report_only:
        everything = json.loads(args.results.read_text())
        everything["notes"] = everything.get("notes", []) + args.note
        args.results.write_text(json.dumps(everything, indent=1))
        report.write(everything, args.out, args.plot)
        log(f"wrote {args.out} and {args.plot}")
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s]
    started = time.time()
    previous = json.loads(args.results.read_text()) if args.results.exists() else {}
    if args.huge_only and previous:
        everything = previous
    else:
        everything = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                      "rounds": args.rounds, "sizes": previous.get("sizes", []) if args.huge_only else []}
        if not args.huge and "huge" in previous:
            # --huge 0 keeps the once-only measurement of an earlier run (it says when it ran).
            everything["huge"] = previous["huge"]
    everything["notes"] = everything.get("notes", []) + args.note
    scratch = Path(tempfile.mkdtemp(prefix="rfm-bench-"))
    try:
        if not args.huge_only:
            datasets = {n: dataset(args.cache, n, args.seed) for n in [TINY, *sizes]}
            for customers in [TINY, *sizes]:
                label = f"{datasets[customers]['purchase_lines'] / 1e6:.2g}M purchases ({customers:,} customers)"
                everything["sizes"].append(bench_size(label, datasets[customers], args.rounds, scratch,
                                                      args.cache / "results" / str(customers)))
                args.results.write_text(json.dumps(everything, indent=1))
        if args.huge:
            data = dataset(args.cache, args.huge, args.seed)
            label = f"{data['purchase_lines'] / 1e6:.3g}M purchases ({args.huge:,} customers)"
            limit = int(args.pandas_rss_limit_gib * 2**30)
            huge_started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
            huge = bench_size(label, data, 1, scratch, args.cache / "results" / str(args.huge), warm_up=False,
                              contenders=("dbt", "pandas", "sql"), rss_limits={"pandas": limit})
            huge["once"] = True
            huge["duckdb_memory_limit"] = (os.environ.get("RFM_DUCKDB_MEMORY_LIMIT")
                                           or f"{memory_limit_for_lines(data['purchase_lines'])} (auto)")
            huge["started"] = huge_started
            huge["pandas_rss_limit_bytes"] = limit
            huge["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
            everything["huge"] = huge
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not args.huge_only:
        everything["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
        everything["bench_seconds"] = time.time() - started
    args.results.write_text(json.dumps(everything, indent=1))
    if len(everything["sizes"]) < 2:
        log(f"wrote {args.results}; the report needs the timed sizes too (run without --huge-only)")
        return 0
    report.write(everything, args.out, args.plot)
    log(f"wrote {args.out}, {args.plot} and {args.results}")
    same = all(s.get("equality", {}).get("same", True) for s in [*everything["sizes"], everything.get("huge", {})])
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
