"""The segment catalogue (seeds/segment_catalogue.csv): segment order and colours for the report."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from rfm_segmentation.errors import UserError

CATALOGUE_FILE = "segment_catalogue.csv"
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Segment:
    name: str
    sort_order: int
    colour: str  # '#RRGGBB', upper case


def load_segments(seed_folders: list[Path]) -> tuple[Segment, ...]:
    """The catalogue's segments in sort order, from the first seed folder that has it."""
    path = next((folder / CATALOGUE_FILE for folder in seed_folders if (folder / CATALOGUE_FILE).is_file()), None)
    if path is None:
        raise UserError(f"{CATALOGUE_FILE} not found in the seed paths ({', '.join(map(str, seed_folders))}); "
                        "the report takes segment colours from it")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"{path}: cannot be read: {error}") from error
    segments = []
    for line, row in enumerate(rows, start=2):
        name, order, colour = (row.get(key) for key in ("segment", "sort_order", "color_hex"))
        if not name or not name.strip() or order is None or not order.strip().isdigit():
            raise UserError(f"{path}, line {line}: needs a segment name and a whole-number sort_order")
        if colour is None or not _COLOUR.match(colour.strip()):
            raise UserError(f"{path}, line {line}: color_hex {colour!r} is not '#RRGGBB'")
        segments.append(Segment(name.strip(), int(order), colour.strip().upper()))
    if not segments:
        raise UserError(f"{path}: no segments")
    return tuple(sorted(segments, key=lambda segment: (segment.sort_order, segment.name)))
