"""BENCHMARKS.md and its plot, from the raw measurements of `make bench`."""

from __future__ import annotations

import os
import statistics
from pathlib import Path
from typing import Any

from bench import BENCH_DIR

GB = 1e9  # decimal, as DuckDB reads memory_limit '1GB'
RSS_TARGET_BYTES = 2 * GB
NAMES = {"dbt": "dbt build", "dbt_core": "dbt build, core only", "pandas": "pandas", "sql": "bare DuckDB SQL"}
PROFILING_NOTES = BENCH_DIR / "PROFILING.md"


def median(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r["returncode"] == 0]
    return statistics.median(values) if values else None


def peak(runs: list[dict[str, Any]]) -> float | None:
    return max((r["peak_rss_bytes"] for r in runs), default=None)


def _s(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:,.1f} s"


def _gb(size: float | None) -> str:
    return "—" if size is None else f"{size / GB:.2f} GB"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def _status(runs: list[dict[str, Any]]) -> str:
    failed = [r for r in runs if r["returncode"] != 0]
    if not failed:
        return "ok"
    if any(r.get("stopped_over_rss") for r in failed):
        return "stopped at the memory ceiling"
    return f"{len(failed)} failed"


def results_table(sizes: list[dict[str, Any]]) -> list[str]:
    lines = ["| size | contender | median wall | wall min–max | median CPU | peak RSS (max of runs) | load (1 min) "
             "| runs |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for size in sizes:
        for name, runs in size["runs"].items():
            walls = [r["wall_seconds"] for r in runs]
            loads = [x for r in runs for x in (r["load_before"], r["load_after"])]
            lines.append(
                f"| {size['label']} | {NAMES[name]} | {_s(median(runs, 'wall_seconds'))} | "
                f"{min(walls):,.1f}–{max(walls):,.1f} s | {_s(median(runs, 'cpu_seconds'))} | {_gb(peak(runs))} | "
                f"{min(loads):.1f}–{max(loads):.1f} | {len(runs)}, {_status(runs)} |")
    return lines


def speed_targets(tiny: dict[str, Any], ten: dict[str, Any], name: str) -> list[str]:
    """Targets 1 and 2 of issue 11 for one dbt contender ('dbt' or 'dbt_core')."""
    if name not in ten["runs"] or name not in tiny["runs"]:
        return []
    dbt_tiny = median(tiny["runs"][name], "wall_seconds")
    dbt, pandas, sql = (median(ten["runs"][n], "wall_seconds") for n in (name, "pandas", "sql"))
    dbt_cpu, tiny_cpu, sql_cpu = (median(runs, "cpu_seconds") for runs in
                                  (ten["runs"][name], tiny["runs"][name], ten["runs"]["sql"]))
    # Issue 11: within 2x of the bare query in both wall and CPU time.
    overhead_ok = None if None in (dbt, dbt_tiny, sql, dbt_cpu, tiny_cpu, sql_cpu) else (
        (dbt - dbt_tiny) <= 2 * sql and (dbt_cpu - tiny_cpu) <= 2 * sql_cpu)  # type: ignore[operator]
    faster_ok = None if None in (dbt, pandas) else dbt < pandas  # type: ignore[operator]
    build = {"dbt": "the whole dbt build", "dbt_core": "the core-only dbt build"}[name]
    lines = []
    if None not in (dbt, dbt_tiny, sql, dbt_cpu, tiny_cpu, sql_cpu):
        lines.append(
            f"| at {ten['label']}: {build} − the same on the tiny sample ≤ 2 × bare DuckDB, wall and CPU | "
            f"{dbt:,.1f} − {dbt_tiny:,.1f} = {dbt - dbt_tiny:,.1f} s vs 2 × {sql:,.1f} = {2 * sql:,.1f} s "
            f"(ratio {(dbt - dbt_tiny) / sql:.2f}×); CPU {dbt_cpu:,.1f} − {tiny_cpu:,.1f} s vs 2 × {sql_cpu:,.1f} s "
            f"(ratio {(dbt_cpu - tiny_cpu) / sql_cpu:.2f}×) | {verdict(overhead_ok)} |")
    if None not in (dbt, pandas):
        lines.append(f"| at {ten['label']}: {build} is faster than pandas | "
                     f"{dbt:,.1f} s vs {pandas:,.1f} s ({dbt / pandas:.2f}×) | {verdict(faster_ok)} |")
    return lines


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**missed**")


def targets(everything: dict[str, Any]) -> list[str]:
    tiny, *_, ten = everything["sizes"]
    rss = peak(ten["runs"]["dbt"])
    huge = everything.get("huge")
    huge_runs = huge["runs"]["dbt"] if huge else []
    huge_sql = huge["runs"]["sql"] if huge else []
    huge_passed = bool(huge_runs) and huge_runs[0]["returncode"] == 0
    # Issue 11: complete on the committed defaults, within 10x the bare query,
    # in wall and in CPU time (as target 1 is checked).
    huge_ok = huge_passed and bool(huge_sql) and huge_sql[0]["returncode"] == 0 and all(
        huge_runs[0][measure] <= 10 * huge_sql[0][measure] for measure in ("wall_seconds", "cpu_seconds"))

    lines = ["| target | measured | verdict |", "|---|---|---|",
             *speed_targets(tiny, ten, "dbt"), *speed_targets(tiny, ten, "dbt_core")]
    rss_all = [peak(s["runs"]["dbt"]) for s in everything["sizes"]]
    rss_ok = None if rss is None else rss <= RSS_TARGET_BYTES
    lines.append(f"| dbt build peak RSS ≤ 2 GB (at {ten['label']}) | {_gb(rss)} (every size: "
                 f"{', '.join(_gb(r) for r in rss_all)}) | {verdict(rss_ok)} |")
    if huge:
        run = huge_runs[0] if huge_runs else None
        sql_ok = bool(huge_sql) and huge_sql[0]["returncode"] == 0
        ratio = (f" ({run['wall_seconds'] / huge_sql[0]['wall_seconds']:.1f}× the bare query's "
                 f"{huge_sql[0]['wall_seconds']:,.1f} s)" if run and sql_ok else "")
        cpu_ratio = (f" ({run['cpu_seconds'] / huge_sql[0]['cpu_seconds']:.1f}× the bare query's "
                     f"{huge_sql[0]['cpu_seconds']:,.1f} s)" if run and sql_ok else "")
        lines.append(f"| {huge['label']} complete on the defaults, within 10 × the bare query, wall and CPU | "
                     + (f"dbt build {'passed' if huge_passed else 'FAILED'} in {run['wall_seconds'] / 60:,.1f} min"
                        f"{ratio}, CPU {run['cpu_seconds'] / 60:,.1f} min{cpu_ratio}, "
                        f"peak RSS {_gb(run['peak_rss_bytes'])}, DuckDB memory_limit "
                        f"{huge.get('duckdb_memory_limit', '1GB')}" if run else "not run")
                     + f" | {verdict(huge_ok)} |")
    else:
        lines.append("| 100M purchases complete on this machine | not run (--huge 0) | — |")
    return lines


def equality(size: dict[str, Any]) -> list[str]:
    found = size.get("equality")
    if not found:
        return [f"- {size['label']}: not checked (a contender failed)."]
    lines = [f"- {size['label']}: customers dbt {found['customers']['dbt']:,}"
             + "".join(f", {NAMES[n]} {c:,}" for n, c in found["customers"].items() if n != "dbt")
             + f"; sample of {found['sample_customers']:,} customers ({found['boundary_customers']} at NTILE "
             f"bucket boundaries): **{'identical' if found['same'] else 'DIFFERENT'}**"]
    for name, result in found["contenders"].items():
        sample = sum(result["sample_differences"].values())
        everyone = sum(result["all_differences"].values())
        detail = ", ".join(f"{c} {n:,}" for c, n in result["all_differences"].items() if n)
        lines.append(f"  - {NAMES[name]}: {sample} differing values in the sample, {everyone:,} over all customers"
                     + (f" ({detail}); e.g. {result['examples'][:2]}" if detail else ""))
    if "qcut_differences" in size:
        q = size["qcut_differences"]
        lines.append(f"  - plain `pd.qcut(rank(method='first'), 5)` instead of the NTILE formula would score "
                     f"{q['recency_score']} / {q['frequency_score']} / {q['monetary_score']} customers (R / F / M) "
                     "differently from dbt.")
    return lines


def write(everything: dict[str, Any], out: Path, plot: Path) -> None:
    m = everything["machine"]
    sizes = everything["sizes"]
    ten = sizes[-1]
    huge = everything.get("huge")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m bench`), {everything['started']} to "
        f"{everything.get('finished', '?')} ({everything.get('bench_seconds', 0) / 60:,.0f} min). "
        "Raw measurements: [bench/results.json](bench/results.json).",
        "",
        f"![median wall time and peak RSS per contender]({os.path.relpath(plot, out.parent)})",
        "",
        "## Targets",
        "",
        *targets(everything),
        "",
        "## Machine",
        "",
        f"- {m['cpu']}, {m['cores']} cores, {m['memory_bytes'] / 2**30:.0f} GiB memory, "
        f"{'no swap' if not m['swap_bytes'] else _gb(m['swap_bytes']) + ' swap'}; {m['os']}; Python {m['python']}",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        f"- DuckDB for dbt and for the bare query: memory_limit {m['duckdb_memory_limit']}, "
        f"threads {m['duckdb_threads']} (the profiles.yml defaults; the bare query gets the same)",
        "- The machine may be shared with other work: the load average before and after each run is in the "
        "tables; CPU time (user + system) moves far less with the load than wall time does, so it is given "
        "too. Contenders alternate within each round and the figures are medians.",
        *(f"- {note}" for note in everything.get("notes", [])),
        "",
        "## Method",
        "",
        "- Data: `rfm generate --seed 42` (about 10 purchase lines per customer, with duplicates, anonymous "
        "sales, returns and other blemishes), generated once into `bench/.cache/`. Sizes above 1M customers "
        "are written in chunks of 1M customers, one Parquet file per chunk, read with a glob.",
        f"- Per size: one warm-up round, then {everything['rounds']} timed rounds; each round runs the four "
        "contenders once, in an order that rotates each round. Every run is a fresh process, timed from "
        "start to exit (interpreter start, imports and writing the result included):",
        "  - **dbt build**: `dbt build --vars '{purchases_path: ..., customers_path: ..., export_path: ...}'` "
        "with a fresh DuckDB file (RFM_DUCKDB_PATH) and export folder: every model (the demographics Python "
        "model included), every test and unit test, and the Parquet exports;",
        "  - **dbt build, core only**: the same with `rfm_history_periods: 0, clv_enabled: false, "
        "publish_report: false`: the build as issue 11 scoped it (purchases, quarantine, RFM, demographics, "
        "marts, tests, exports), without the segment history, the predicted value and the HTML report added "
        "since (not run at the once-only size);",
        "  - **pandas**: `bench.contenders pandas`, read Parquet, groupby, sort and the NTILE "
        "bucket formula, write the RFM table;",
        "  - **bare DuckDB SQL**: `bench.contenders sql`, one query computing the same table, "
        "written to Parquet: the floor.",
        "- Peak RSS: the larger of the sum of RSS over the process tree sampled every 50 ms (psutil) and the "
        "kernel's peak for the process (`ru_maxrss`). 1 GB = 10⁹ bytes.",
        f"- The tiny sample ({sizes[0]['label']}) measures dbt's fixed overhead: parsing, seeds, unit "
        "tests, data tests and hooks on 3,000 customers.",
        "",
        "## Data",
        "",
        "| size | customers | purchase lines | Parquet files | size on disk | generation wall | generation peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in [*sizes, *([huge] if huge else [])]:
        d = size["data"]
        g = d["generation"]
        lines.append(f"| {size['label']} | {d['customers']:,} | {d['purchase_lines']:,} | {d['files']} | "
                     f"{d['bytes'] / 1e6:,.0f} MB | {g['wall_seconds']:,.1f} s | {_gb(g['peak_rss_bytes'])} |")
    lines += ["", "## Results", "", *results_table(sizes), "",
              "Ratios of medians, wall time (CPU time in brackets: less sensitive to the other engineers' load):",
              "", "| size | dbt / bare SQL | dbt / pandas | pandas / bare SQL | (dbt − dbt on tiny) / bare SQL "
              "| core / pandas | (core − core on tiny) / bare SQL |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for size in sizes[1:]:
        cells = []
        for key in ("wall_seconds", "cpu_seconds"):
            dbt, core, pandas, sql = (median(size["runs"].get(n, []), key)
                                      for n in ("dbt", "dbt_core", "pandas", "sql"))
            tiny, core_tiny = (median(sizes[0]["runs"].get(n, []), key) for n in ("dbt", "dbt_core"))
            cells.append([_ratio(dbt, sql), _ratio(dbt, pandas), _ratio(pandas, sql),
                          _ratio(None if dbt is None or tiny is None else dbt - tiny, sql),
                          _ratio(core, pandas),
                          _ratio(None if core is None or core_tiny is None else core - core_tiny, sql)])
        lines.append(f"| {size['label']} | " + " | ".join(f"{w} ({c})" for w, c in zip(*cells, strict=True)) + " |")
    if huge:
        lines += ["", f"### {huge['label']}, once", "",
                  f"Run {huge.get('started', '?')} to {huge.get('finished', '?')}, DuckDB memory_limit "
                  f"{huge.get('duckdb_memory_limit', '1GB')}. "
                  f"Generated in {huge['data']['generation']['wall_seconds'] / 60:,.1f} min "
                  f"({huge['data']['files']} chunk files, generation peak RSS "
                  f"{_gb(huge['data']['generation']['peak_rss_bytes'])}). One run per contender, no warm-up; pandas "
                  f"with a ceiling of {_gb(huge['pandas_rss_limit_bytes'])} so that it cannot push the machine "
                  "(no swap) into the OOM killer.", "", *results_table([huge])]
    lines += ["", "## Do the contenders give the same RFM?", "",
              "Compared: last purchase date, recency_days, order_count, monetary (in cents), is_scored and the "
              "R, F and M scores of every customer, on a sample (1,000 random customers, the first and last "
              "customer of every R, F and M bucket, and 10 unscored customers) and over all customers. A "
              "customer missing on one side counts as a difference.", ""]
    for size in [*sizes, *([huge] if huge else [])]:
        lines += equality(size)
    slowest = ten.get("dbt_slowest_nodes")
    if slowest:
        lines += ["", f"## Where the dbt build spends its time ({ten['label']}, last timed run)", "",
                  "| node | kind | seconds |", "|---|---|---:|"]
        lines += [f"| {n['node']} | {n['kind']} | {n['seconds']:.1f} |" for n in slowest]
    features = ten.get("dbt_feature_seconds")
    if features:
        lines += ["", f"What each part of the build costs ({ten['label']}, the same run; node execution seconds,"
                  " wall; the on-run-end exports are in the core):", "",
                  "| part | seconds |", "|---|---:|"]
        lines += [f"| {label} | {seconds:.1f} |" for label, seconds in features.items()]
    if PROFILING_NOTES.exists():
        lines += ["", PROFILING_NOTES.read_text().strip()]
    out.write_text("\n".join(lines) + "\n")
    draw(everything, plot)


def draw(everything: dict[str, Any], plot: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [*everything["sizes"], *([everything["huge"]] if everything.get("huge") else [])]
    labels = [s["label"].split(" (")[0] for s in sizes]
    colours = {"dbt": "#E4572E", "dbt_core": "#F4A259", "pandas": "#4C72B0", "sql": "#55A868"}
    names = [n for n in colours if any(n in s["runs"] for s in sizes)]
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    width = 0.8 / len(names)
    for offset, name in enumerate(names):
        xs = [i + (offset - (len(names) - 1) / 2) * width for i in range(len(sizes))]
        walls = [median(s["runs"].get(name, []), "wall_seconds") or 0 for s in sizes]
        rss = [(peak(s["runs"].get(name, [])) or 0) / GB for s in sizes]
        left.bar(xs, walls, width, label=NAMES[name], color=colours[name])
        right.bar(xs, rss, width, label=NAMES[name], color=colours[name])
    left.set_yscale("log")
    left.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _: f"{y:g}"))
    left.set_ylabel("median wall time, s (log scale)")
    right.set_ylabel("peak RSS, GB")
    right.axhline(RSS_TARGET_BYTES / GB, color="black", linestyle="--", linewidth=1, label="2 GB target")
    for axis, title in ((left, "Wall time"), (right, "Peak memory")):
        axis.set_xticks(range(len(sizes)), labels)
        axis.set_title(title)
        axis.legend(fontsize=8)
    figure.suptitle("RFM: dbt build vs pandas vs the bare DuckDB query (a missing bar: did not finish)")
    figure.tight_layout()
    figure.savefig(plot, dpi=110)
    plt.close(figure)
