"""`rfm generate`: write realistic sample purchases and customers."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from rfm_segmentation import generator
from rfm_segmentation.errors import UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--customers", type=int, required=True, help="customers (about 10 lines each)")
    parser.add_argument("--seed", type=int, default=42, help="random seed; the same seed gives the same files")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--format", choices=generator.FORMATS, default="parquet", help="file format (default parquet)")
    parser.add_argument("--end-date", type=dt.date.fromisoformat, default=generator.DEFAULT_END_DATE,
                        help=f"last day of history, YYYY-MM-DD (default {generator.DEFAULT_END_DATE})")
    parser.add_argument("--behaviour-mix", type=_behaviour_mix, default=None, metavar="NAME=SHARE,...",
                        help="change the share of customer behaviours, e.g. one_off=0.6,loyal=0.05 (others keep "
                             "theirs; shares are normalised). Known: " + ", ".join(generator.ARCHETYPES))
    parser.add_argument("--purchases-name", default=generator.PURCHASES_FILE,
                        help="file name of the purchases, without extension")
    parser.add_argument("--customers-name", default=generator.CUSTOMERS_FILE,
                        help="file name of the customers, without extension")
    parser.add_argument("--chunk-customers", type=int, default=generator.CHUNK_CUSTOMERS,
                        help="more customers than this are drawn and written in chunks, one file per "
                             "chunk (<name>-00000.<format>, ...; read them with a glob; "
                             f"default {generator.CHUNK_CUSTOMERS:,})")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {message}", flush=True)

    names = (args.purchases_name, args.customers_name)
    chunks = generator.chunk_sizes(args.customers, args.chunk_customers)
    if len(chunks) > 1 and args.behaviour_mix:
        raise UserError("--behaviour-mix applies to a single file: raise --chunk-customers above --customers")
    if len(chunks) > 1:
        progress(f"{args.customers:,} customers in {len(chunks)} chunks of at most {args.chunk_customers:,}")
        globs = generator.write_chunks(
            generator.generate_chunks(args.customers, args.seed, args.chunk_customers, end_date=args.end_date,
                                      progress=progress),
            len(chunks), args.out, args.format, names=names)
        progress(f"wrote {globs[0]} and {globs[1]}")
        return 0
    data = generator.generate(args.customers, args.seed, end_date=args.end_date, progress=progress,
                              behaviour_mix=args.behaviour_mix)
    progress(f"writing {data.purchases.num_rows:,} purchase lines and {data.customers.num_rows:,} customers")
    purchases, customers = generator.write(data, args.out, args.format, names=names)
    progress(f"wrote {purchases} and {customers}")
    return 0


def _behaviour_mix(text: str) -> dict[str, float]:
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, share = part.partition("=")
        try:
            mix[name.strip()] = float(share)
        except ValueError:
            sep = ""
        if not sep:
            raise argparse.ArgumentTypeError(f"expected NAME=SHARE (e.g. one_off=0.6), got '{part}'")
    return mix
