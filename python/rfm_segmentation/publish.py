"""Publishing exported files so that readers never see a half-written set.

dbt writes every file of a build into a staging folder first; only then are
they moved into the export folder, one atomic rename each, with the manifest
last. A failed build never reaches this step, so the previous files stay.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from rfm_segmentation.exports import MANIFEST_FILE, STAGING_PREFIX


def make_folder(path: str) -> str:
    """Create a folder and its parents if missing; return its absolute path."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder.resolve())


def publish_folder(staging: str, target: str) -> int:
    """Move every file of `staging` into `target` (the manifest last), remove
    `staging`, and return the number of files published."""
    staging_path, target_path = Path(staging), Path(target)
    files = sorted(p for p in staging_path.iterdir() if p.is_file())
    files.sort(key=lambda p: p.name == MANIFEST_FILE)  # stable: the manifest goes last
    target_path.mkdir(parents=True, exist_ok=True)
    for file in files:
        os.replace(file, target_path / file.name)
    shutil.rmtree(staging_path, ignore_errors=True)
    return len(files)




def remove_stale_staging(target: str) -> int:
    """Remove staging folders that an interrupted publish left in `target`;
    return how many were removed."""
    folder = Path(target)
    if not folder.is_dir():
        return 0
    stale = [p for p in folder.iterdir() if p.is_dir() and p.name.startswith(STAGING_PREFIX)]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return len(stale)
