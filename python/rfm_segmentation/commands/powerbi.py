"""`rfm powerbi`: generate the Power BI project (PBIP) and template (.pbit) from the dbt contract."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from rfm_segmentation.errors import CheckFailed, UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project-dir", type=Path, default=Path("."),
                        help="the dbt project (default: the current folder)")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="read the contract from dbt's manifest.json instead of the model YAML files")
    parser.add_argument("--output", type=Path, default=None,
                        help="folder for the artifacts (default: powerbi/ in the project)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail when the files on disk differ from what would be generated")


def run(args: argparse.Namespace) -> int:
    from rfm_segmentation.powerbi.build import OUTPUT_FOLDER, build, differences, write

    project_dir: Path = args.project_dir
    output: Path = args.output or project_dir / OUTPUT_FOLDER
    artifacts = build(project_dir, args.manifest)
    if artifacts.model.left_out:
        # an optional table (dim_customers) without a contract yet: say what waits for it, in one line
        kinds = Counter(item.kind for item in artifacts.model.left_out)
        missing = sorted({table for item in artifacts.model.left_out for table in item.missing_tables})
        print(f"rfm powerbi: left out until the contract of {', '.join(missing)} exists: "
              + ", ".join(f"{count} {kind}(s)" for kind, count in kinds.items()))
    if args.check:
        changed = differences(artifacts, output)
        if changed:
            raise CheckFailed(f"{len(changed)} Power BI file(s) in {output} are not what the contract gives; "
                              "run `rfm powerbi`:\n  " + "\n  ".join(changed))
        print(f"rfm powerbi: {len(artifacts.files)} files in {output} are up to date.")
        return 0
    try:
        changed = write(artifacts, output)
    except OSError as error:
        raise UserError(f"cannot write the Power BI files to {output}: {error}") from error
    model = artifacts.model
    print(f"rfm powerbi: {len(model.tables)} tables, {len(model.measures())} measures, "
          f"{len(model.relationships)} relationships, {len(model.roles)} roles, "
          f"{sum(len(page.visuals) for page in model.pages)} visuals on {len(model.pages)} pages; "
          f"{len(changed)} of {len(artifacts.files)} files written to {output}.")
    return 0
