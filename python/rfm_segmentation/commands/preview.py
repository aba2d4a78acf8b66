"""`rfm preview`: what an edit of the segment rules would change, without a rebuild."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rfm_segmentation.errors import CheckFailed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project-dir", type=Path, default=Path("."),
                        help="the dbt project whose macros/rfm/rfm_segment.sql is previewed (default: .)")
    parser.add_argument("--database", type=Path, default=None,
                        help="the built DuckDB file (default: $RFM_DUCKDB_PATH or rfm.duckdb in the project)")
    parser.add_argument("--target", default=None, help="dbt target to compile the macro with (default: the profile's)")
    parser.add_argument("--profiles-dir", type=Path, default=None,
                        help="folder of profiles.yml (default: dbt's, i.e. the project's committed one)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    from rfm_segmentation.preview import default_database, format_preview, preview

    project_dir: Path = args.project_dir
    dbt_args = [*(["--target", args.target] if args.target else []),
                *(["--profiles-dir", str(args.profiles_dir)] if args.profiles_dir else [])]
    result = preview(project_dir, args.database or default_database(project_dir), dbt_args)
    print(json.dumps(result.as_dict(), indent=2) if args.json else format_preview(result))
    if result.problems:
        raise CheckFailed(f"{len(result.problems)} problem(s) with the edited rules; `dbt build` would fail its tests")
    return 0
