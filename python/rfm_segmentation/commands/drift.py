"""`rfm drift`: how far the current build's customers moved from a baseline build (PSI)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rfm_segmentation.errors import CheckFailed, UserError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from rfm_segmentation.drift import FAIL_ABOVE, WARN_ABOVE

    parser.add_argument("--exports", type=Path, default=Path("exports"),
                        help="the export folder dbt published; its current build is compared (default: exports)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="an export folder or a build folder to compare with "
                             "(default: the previous build of --exports)")
    parser.add_argument("--warn-above", type=float, default=WARN_ABOVE,
                        help=f"warn when a PSI exceeds this (default {WARN_ABOVE:g})")
    parser.add_argument("--fail-above", type=float, default=FAIL_ABOVE,
                        help=f"fail (exit 1) when a PSI exceeds this (default {FAIL_ABOVE:g})")


def run(args: argparse.Namespace) -> int:
    from rfm_segmentation.drift import baseline_for, compute_drift, resolve_build

    if args.fail_above < 0 or args.warn_above < 0:
        raise UserError("--warn-above and --fail-above must be >= 0")
    current = resolve_build(args.exports)
    baseline = baseline_for(args.exports, args.baseline)
    if baseline is None:
        print(f"no baseline: '{args.exports}' has only one build (pass --baseline to compare with another)")
        return 0
    report = compute_drift(current, baseline, fail_above=args.fail_above, warn_above=args.warn_above)
    print(report.summary())
    if report.failed:
        raise CheckFailed("drift above --fail-above in " + ", ".join(m.name for m in report.failed))
    return 0
