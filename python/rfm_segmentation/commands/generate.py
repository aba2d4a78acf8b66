"""`rfm generate`: write realistic sample purchases and customers."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from rfm_segmentation import generator


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", type=int, required=True, help="customers (about 10 lines each)")
    parser.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same files")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", choices=generator.FORMATS, default="parquet", help="file format (default parquet)")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=generator.DEFAULT_END_DATE,
                        help=f"last day of history, YYYY-MM-DD (default {generator.DEFAULT_END_DATE})")
    parser.add_argument("--purchases-name", default=generator.PURCHASES_FILE,
                        help="file name of the purchases, without extension")
    parser.add_argument("--customers-name", default=generator.CUSTOMERS_FILE,
                        help="file name of the customers, without extension")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    data = generator.generate(args.customers, args.seed, end_date=args.end_date, progress=progress)
    progress(f"writing {data.purchases.num_rows:,} purchase lines and {data.customers.num_rows:,} customers")
    purchases, customers = generator.write(data, args.out, args.format,
                                           names=(args.purchases_name, args.customers_name))
    progress(f"wrote {purchases} and {customers}")
    return 0
