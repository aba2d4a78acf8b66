"""Publishing exports as immutable builds, switched by one atomic pointer write.

Layout of the export folder:

    <export_path>/
      rfm_export_manifest.json     the pointer: the current build's manifest, plus
                                   build_id, build_folder and previous_build_id
      builds/<build id>/           one folder per published build, never changed
                                   once written; its own rfm_export_manifest.json
                                   is written last and marks it complete
      current -> builds/<id>       a symbolic link for plain file readers, where
                                   the platform allows one (see README)

A build's files are written into `builds/<build id>/` while dbt runs the
end-of-run hook; nobody reads that folder until the pointer names it. The
switch is one `os.replace` of the pointer, so a reader that resolves the
pointer sees the old build or the new one, never a mix. Existing files are
never overwritten in place: a Windows reader holding a file open cannot make
the switch fail half-way. The current build and the one before it are never
removed, so a Power BI refresh that resolved the old pointer can finish.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import BUILDS_FOLDER, CURRENT_LINK, LEGACY_STAGING_PREFIX, MANIFEST_FILE

DEFAULT_KEEP_BUILDS = 2
# A build folder being removed is renamed first, so that a removal stopped half-way
# (a file held open on Windows) never leaves a partial folder under a build's name.
REMOVING_PREFIX = ".removing-"
BUILD_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-z]{8}$")
# Windows refuses to replace a file another program holds open; such locks are
# usually brief (an antivirus scan, a reader closing), so the switch is retried.
REPLACE_ATTEMPTS = 5
REPLACE_WAIT_SECONDS = 0.2


class PublishError(UserError):
    """A build could not be made current; the previous build stays current."""


@dataclass
class PublishResult:
    build_id: str
    build_dir: Path
    previous_build_id: str | None
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps({"build_id": self.build_id, "build_dir": str(self.build_dir),
                           "previous_build_id": self.previous_build_id, "removed": self.removed,
                           "warnings": self.warnings, "error": None})


# --- build ids and folders -----------------------------------------------------

def new_build_id(invocation_id: str = "", now: datetime | None = None) -> str:
    """A sortable, unique id: the UTC time, then 8 characters of dbt's invocation id (or random)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = re.sub(r"[^0-9a-z]", "", invocation_id.lower())[:8]
    if len(suffix) < 8:
        suffix = secrets.token_hex(4)
    return f"{stamp}-{suffix}"


def start_build(export_path: str | Path, invocation_id: str = "", now: datetime | None = None) -> str:
    """Create the empty folder of a new build and return its id.

    Until `publish_build` names it in the pointer, the folder is not a build:
    readers never look at it, and a later publish removes it if it is left
    behind by a failed run.
    """
    builds = Path(export_path) / BUILDS_FOLDER
    builds.mkdir(parents=True, exist_ok=True)
    build_id = new_build_id(invocation_id, now)
    while (builds / build_id).exists():  # the same second and invocation: only when retried
        build_id = new_build_id("", now)
    (builds / build_id).mkdir()
    return build_id


def build_dir(export_path: str | Path, build_id: str) -> Path:
    if not BUILD_ID.match(build_id):
        raise UserError(f"'{build_id}' is not a build id (expected e.g. 20261130T150102Z-1a2b3c4d)")
    return Path(export_path) / BUILDS_FOLDER / build_id


def read_build_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a complete build, after checking that every file it lists is there."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise UserError(f"build folder '{folder}' is incomplete: it has no {MANIFEST_FILE} "
                        "(its manifest is written last)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"'{path}' is not valid JSON ({error})") from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), list):
        raise UserError(f"'{path}' does not list the exported tables")
    for table in manifest["tables"]:
        if not (folder / str(table.get("file"))).is_file():
            raise UserError(f"build folder '{folder}' is incomplete: '{table.get('file')}' listed in its "
                            f"{MANIFEST_FILE} is missing")
    return manifest


def _is_complete(folder: Path) -> bool:
    try:
        read_build_manifest(folder)
    except UserError:
        return False
    return True


# --- the pointer: what readers use -------------------------------------------------

def read_pointer(export_path: str | Path) -> dict[str, Any]:
    """The pointer (the top-level manifest) of an export folder; UserError naming what is wrong."""
    export = Path(export_path)
    if not export.is_dir():
        raise UserError(f"export folder '{export}' does not exist; run `dbt build` first (or pass --exports)")
    pointer = export / MANIFEST_FILE
    if not pointer.is_file():
        raise UserError(f"'{pointer}' not found: no build was ever published to '{export}'; run `dbt build` first")
    try:
        content = json.loads(pointer.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"'{pointer}' is corrupt, not valid JSON ({error}); run `dbt build` to publish again") \
            from error
    if not isinstance(content, dict) or not content.get("build_id"):
        legacy = isinstance(content, dict) and "tables" in content
        raise UserError(f"'{pointer}' names no build"
                        + (": it is the manifest of the former flat layout (files at the top of the folder); "
                           "run `dbt build` once to publish into builds/" if legacy else
                           "; run `dbt build` to publish again"))
    if not BUILD_ID.match(str(content["build_id"])):
        raise UserError(f"'{pointer}' names the build '{content['build_id']}', which is not a build id; "
                        "run `dbt build` to publish again")
    return content


def current_build_dir(export_path: str | Path) -> Path:
    """The folder of the current build, which the pointer names; UserError if it is missing or incomplete.

    Every reader (rfm check, the tests, your own scripts) should go through
    this rather than list `builds/`: a folder not named by the pointer may be
    half-written.
    """
    pointer = read_pointer(export_path)
    folder = build_dir(export_path, pointer["build_id"])
    _require_build(folder, f"the pointer '{Path(export_path) / MANIFEST_FILE}' names build {pointer['build_id']}")
    return folder


def previous_build_dir(export_path: str | Path) -> Path | None:
    """The build that was current before the current one (the baseline for drift checks); None after the
    first publish. UserError if the pointer names one whose folder is gone."""
    pointer = read_pointer(export_path)
    previous = pointer.get("previous_build_id")
    if not previous:
        return None
    folder = build_dir(export_path, str(previous))
    _require_build(folder, f"the pointer '{Path(export_path) / MANIFEST_FILE}' names the previous build {previous}")
    return folder


def _require_build(folder: Path, named_by: str) -> None:
    if not folder.is_dir():
        raise UserError(f"{named_by}, but its folder '{folder}' is missing; run `dbt build` to publish again")
    try:
        read_build_manifest(folder)
    except UserError as error:
        raise UserError(f"{named_by}, but {error}; run `dbt build` to publish again") from error


# --- publishing -------------------------------------------------------------------

def publish_build(export_path: str | Path, build_id: str, keep_builds: int = DEFAULT_KEEP_BUILDS) -> PublishResult:
    """Make a complete build current (one atomic pointer write), point `current` at it, prune old builds.

    Raises PublishError when the pointer cannot be written: the previous build
    then stays current and complete. Everything after the switch (the link,
    pruning, the former flat layout) only warns: the build is published.
    """
    keep_builds = check_keep_builds(keep_builds)
    export = Path(export_path)
    folder = build_dir(export, build_id)
    manifest = read_build_manifest(folder)
    _remove_temporaries(export)
    previous = _previous_for(export, build_id)
    pointer = {**manifest, "build_id": build_id, "build_folder": f"{BUILDS_FOLDER}/{build_id}",
               "previous_build_id": previous}
    _write_pointer(export, pointer, build_id, previous)

    result = PublishResult(build_id, folder, previous)
    link_warning = _point_current_link(export, build_id)
    if link_warning:
        result.warnings.append(link_warning)
    try:  # the build is published: from here on, a failure is a warning
        removed, warnings = prune_builds(export, keep_builds)
        result.removed += removed
        result.warnings += warnings
        result.warnings += _remove_flat_layout(export, manifest)
    except (UserError, OSError) as error:
        result.warnings.append(f"old builds were not pruned ({type(error).__name__}: {error}); "
                               "the next publish tries again")
    return result


def check_keep_builds(keep_builds: Any) -> int:
    if isinstance(keep_builds, bool) or not isinstance(keep_builds, int) or keep_builds < 2:
        raise UserError(f"Invalid var 'export_keep_builds': expected a whole number of at least 2 (the current "
                        f"build and the one before it are always kept), got {keep_builds!r}")
    return keep_builds


def _previous_for(export: Path, build_id: str) -> str | None:
    """The build current now, which becomes the previous one; None if there is none usable."""
    try:
        pointer = read_pointer(export)
        current_build_dir(export)  # complete, or not worth keeping as the previous build
    except UserError:
        return None
    if pointer["build_id"] == build_id:  # published again: keep what was before it
        return pointer.get("previous_build_id")
    return str(pointer["build_id"])


def _write_pointer(export: Path, pointer: dict[str, Any], build_id: str, previous: str | None) -> None:
    """Write the pointer to a temporary file, then replace the old one in one atomic rename."""
    target = export / MANIFEST_FILE
    temporary = export / f".{MANIFEST_FILE}.{build_id}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(pointer, indent=2) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        _replace_with_retries(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        stays = f"build {previous} stays current and complete" if previous else "no build is current yet"
        hint = (" Another program (Power BI, Excel, an antivirus scan) may hold it open; close it and run "
                "`dbt build` again." if isinstance(error, PermissionError) else "")
        raise PublishError(f"could not make build {build_id} current: writing the pointer '{target}' failed "
                           f"({type(error).__name__}: {error}); {stays}.{hint}") from error
    _sync_folder(export)


def _replace_with_retries(source: Path, target: Path) -> None:
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(REPLACE_WAIT_SECONDS * (attempt + 1))


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open a folder for fsync, and NTFS journals renames."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems (network shares) refuse fsync on a folder; the rename still happened
    finally:
        os.close(descriptor)


def _point_current_link(export: Path, build_id: str) -> str | None:
    """Point the symbolic link `current` at the build (atomically: a new link renamed over the old one).

    Returns a warning instead of failing: the pointer is what counts, and the
    platform may not allow symbolic links (Windows without Developer Mode).
    """
    link = export / CURRENT_LINK
    if link.exists() and not link.is_symlink():
        return (f"'{link}' is not a symbolic link (a folder of your own?), so it was left alone; "
                "plain file readers should follow the pointer instead")
    temporary = export / f".{CURRENT_LINK}-{build_id}.tmp"
    try:
        _remove_quietly(temporary)
        os.symlink(Path(BUILDS_FOLDER) / build_id, temporary, target_is_directory=True)
        os.replace(temporary, link)
    except (OSError, NotImplementedError) as error:
        _remove_quietly(temporary)
        return (f"'{link}' was not pointed at build {build_id} ({type(error).__name__}: {error}); "
                "symbolic links may need Developer Mode on Windows. Plain file readers should follow the "
                f"pointer {MANIFEST_FILE} instead")
    return None


def _remove_temporaries(export: Path) -> None:
    """Temporary pointer files and links that an interrupted publish left behind."""
    for pattern in (f".{MANIFEST_FILE}.*.tmp", f".{CURRENT_LINK}-*.tmp"):
        for path in export.glob(pattern):
            _remove_quietly(path)


def _remove_quietly(path: Path) -> None:
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError:
        pass


def prune_builds(export_path: str | Path, keep_builds: int = DEFAULT_KEEP_BUILDS) -> tuple[list[str], list[str]]:
    """Remove old builds, keeping the newest `keep_builds`, and never the current or the previous one.

    Also removes folders that failed runs left unfinished (older than the
    current build) and removals that an earlier prune could not finish.
    Returns (removed names, warnings); a folder that cannot be removed (a file
    held open on Windows) is a warning and is tried again at the next publish.
    """
    keep_builds = check_keep_builds(keep_builds)
    export = Path(export_path)
    builds = export / BUILDS_FOLDER
    pointer = read_pointer(export)
    current, previous = str(pointer["build_id"]), pointer.get("previous_build_id")
    if not builds.is_dir():
        return [], []
    names = sorted((p.name for p in builds.iterdir() if p.is_dir() and not p.is_symlink()), reverse=True)
    complete = [name for name in names if BUILD_ID.match(name) and _is_complete(builds / name)]
    kept = [name for name in (current, previous) if name in complete]
    for name in complete:
        if len(kept) >= keep_builds:
            break
        if name not in kept:
            kept.append(name)
    unfinished = [name for name in names if BUILD_ID.match(name) and name not in complete and name < current]
    doomed = [name for name in complete if name not in kept] + unfinished
    leftovers = [name for name in names if name.startswith(REMOVING_PREFIX)]

    removed, warnings = [], []
    for name in doomed:
        problem = _remove_folder(builds / name, builds / f"{REMOVING_PREFIX}{name}")
        if problem:
            warnings.append(f"old build '{builds / name}' was kept: {problem}; the next publish tries again")
        else:
            removed.append(name)
    for name in leftovers:
        problem = _remove_folder(builds / name, None)
        if problem:
            warnings.append(f"'{builds / name}' could not be removed yet: {problem}")
    return removed, warnings


def _remove_folder(folder: Path, renamed: Path | None) -> str | None:
    """Rename then delete a folder; return why it failed, or None."""
    try:
        if renamed is not None:
            os.replace(folder, renamed)
            folder = renamed
        shutil.rmtree(folder)
    except OSError as error:
        return f"{type(error).__name__}: {error} (a file may be open in another program)"
    return None


def _remove_flat_layout(export: Path, manifest: dict[str, Any]) -> list[str]:
    """Remove the files the former flat layout published at the top of the export folder.

    Only the exported tables' own file names and the old staging folders: a
    stale fct_customer_rfm.parquet next to the pointer would mislead a reader.
    """
    warnings = []
    names = {str(table["name"]) for table in manifest["tables"]}
    doomed: list[tuple[Path, Callable[[Path], None]]] = []
    for path in export.iterdir():
        if path.is_file() and path.suffix in (".parquet", ".csv") and path.stem in names:
            doomed.append((path, Path.unlink))
        elif path.is_dir() and not path.is_symlink() and path.name.startswith(LEGACY_STAGING_PREFIX):
            doomed.append((path, shutil.rmtree))
    for path, remove in sorted(doomed):
        try:
            remove(path)
        except OSError as error:
            warnings.append(f"'{path}' of the former flat layout could not be removed ({error})")
    return warnings


def publish_for_dbt(export_path: str, build_id: str, keep_builds: int) -> str:
    """What the dbt hook calls: the outcome as JSON, with a UserError as its message (no traceback)."""
    try:
        return publish_build(export_path, build_id, int(keep_builds)).as_json()
    except UserError as error:
        return json.dumps({"build_id": build_id, "error": str(error), "warnings": [], "removed": []})
