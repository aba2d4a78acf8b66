"""Writing a sample as CSV or Parquet files, whole or one file per chunk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import duckdb

from rfm_segmentation.errors import UserError
from rfm_segmentation.generator.settings import SampleData

FileFormat = Literal["csv", "parquet"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet")
PURCHASES_FILE = "purchases"
CUSTOMERS_FILE = "customers"


def write(data: SampleData, out_dir: Path, file_format: FileFormat = "parquet",
          names: tuple[str, str] = (PURCHASES_FILE, CUSTOMERS_FILE)) -> tuple[Path, Path]:
    """Write purchases and customers as `<name>.<format>` into out_dir; returns both paths."""
    if file_format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot create the output folder '{out_dir}': {error.strerror}") from error
    paths = []
    with duckdb.connect() as con:
        for name, table in zip(names, (data.purchases, data.customers), strict=True):
            path = out_dir / f"{name}.{file_format}"
            con.register("output", table)
            options = ("format csv, header true, timestampformat '%Y-%m-%d %H:%M:%S'" if file_format == "csv"
                       else "format parquet, compression zstd")
            tmp = path.with_name(f".{path.name}.tmp")
            try:
                con.execute(f"copy output to '{_sql_path(tmp)}' ({options})")
                tmp.replace(path)
            except (duckdb.IOException, OSError) as error:
                tmp.unlink(missing_ok=True)
                raise UserError(f"cannot write '{path}': {error}") from error
            con.unregister("output")
            paths.append(path)
    return paths[0], paths[1]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def part_name(name: str, index: int) -> str:
    """File name (without extension) of chunk `index` of a chunked run."""
    return f"{name}-{index:05d}"


def write_chunks(chunks: Iterator[SampleData], chunk_count: int, out_dir: Path, file_format: FileFormat = "parquet",
                 names: tuple[str, str] = (PURCHASES_FILE, CUSTOMERS_FILE)) -> tuple[str, str]:
    """Write chunk i as `<name>-0000i.<format>`; returns the globs that read all of them.

    Parts left by an earlier, larger run are removed first: the glob would read them too.
    """
    if file_format not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    if out_dir.is_dir():
        keep = {f"{part_name(name, i)}.{file_format}" for name in names for i in range(chunk_count)}
        for name in names:
            for stale in out_dir.glob(f"{name}-[0-9][0-9][0-9][0-9][0-9].{file_format}"):
                if stale.name not in keep:
                    stale.unlink()
    for index, chunk in enumerate(chunks):
        write(chunk, out_dir, file_format, names=(part_name(names[0], index), part_name(names[1], index)))
    return tuple(str(out_dir / f"{name}-*.{file_format}") for name in names)  # type: ignore[return-value]
