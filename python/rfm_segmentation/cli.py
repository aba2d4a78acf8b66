"""The `rfm` command: a thin layer of argument parsing over the package's functions.

Each subcommand lives in its own module exposing ``add_arguments(parser)`` and
``run(args) -> int``; register it in ``_COMMANDS``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from rfm_segmentation import __version__
from rfm_segmentation.errors import CheckFailed, UserError

# name -> (module, one-line help). Command modules keep heavy imports (great-expectations,
# pyspark, ...) inside run(), so building the parser stays fast.
_COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("rfm_segmentation.commands.generate", "write realistic sample purchases and customers"),
    "check": ("rfm_segmentation.commands.check", "validate the input and the built marts with great-expectations"),
    "drift": ("rfm_segmentation.commands.drift",
              "compare the current build with the previous one (population stability index)"),
    "powerbi": ("rfm_segmentation.commands.powerbi",
                "generate the Power BI project (PBIP) and template (.pbit) from the dbt contract"),
    "preview": ("rfm_segmentation.commands.preview",
                "preview an edit of the segment rules on the built grid, without a rebuild"),
    "report": ("rfm_segmentation.commands.report", "write a self-contained HTML report of the exports"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rfm", description="RFM segmentation companion tools for dbt and Power BI.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in _COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args._run(args))
    except UserError as error:
        print(f"rfm {args.command}: error: {error}", file=sys.stderr)
        return 2
    except CheckFailed as error:
        print(f"rfm {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"rfm {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
