"""Publishing builds: one atomic pointer switch, readers see one build, old builds pruned.

Unit tier: the publish functions run on temporary folders with small Parquet
files, as the dbt hook calls them; faults (a crash, Windows refusing to
replace or remove an open file) are injected by replacing the os functions.
One integration test runs real `dbt build`s.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from helpers.hand_data import ACCEPTED_ROWS, MAPPING, REFERENCE, write_csv
from helpers.workspace import Workspace
from rfm_segmentation import publish
from rfm_segmentation.errors import UserError
from rfm_segmentation.exports import MANIFEST_FILE
from rfm_segmentation.publish import (
    PublishError,
    current_build_dir,
    previous_build_dir,
    prune_builds,
    publish_build,
    publish_for_dbt,
    start_build,
)

TABLES = ("fct_customer_rfm", "fct_purchases", "dim_segments")
START = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


class Crash(BaseException):
    """A kill: not an OSError, so no handler in the publish code catches it."""


class Faults:
    """Counts file operations and crashes after the n-th one (never when n is None)."""

    def __init__(self, crash_after: int | None = None) -> None:
        self.crash_after = crash_after
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.crash_after is not None and self.done >= self.crash_after:
            raise Crash(f"crash after {self.done} operations")


@contextmanager
def counted_operations(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> Iterator[None]:
    """Every os-level change of a file or folder (also inside shutil.rmtree) counts as one step."""
    with monkeypatch.context() as patch:
        for name in ("replace", "rename", "symlink", "unlink", "remove", "rmdir", "mkdir", "fsync"):
            real = getattr(os, name)

            def operation(*args: Any, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
                result = _real(*args, **kwargs)
                faults.step()
                return result

            patch.setattr(os, name, operation)
        yield


def stage(export: Path, number: int, faults: Faults | None = None, minutes: int | None = None) -> str:
    """Write build `number` as the dbt hook does: a folder, one Parquet file per table, the manifest last.

    Each table of build n has n + 1 rows, each holding the build id, so a
    reader can tell which build every file came from.
    """
    build_id = start_build(export, f"{number:08x}", START + timedelta(minutes=number if minutes is None else minutes))
    folder = export / "builds" / build_id
    with duckdb.connect() as con:
        for table in TABLES:
            con.execute(f"copy (select '{build_id}' as build_id, range as n from range({number + 1})) "
                        f"to '{folder / (table + '.parquet')}' (format parquet)")
            if faults:
                faults.step()
    manifest = {"build_id": build_id, "reference_date": f"2025-07-{number % 28 + 1:02d}",
                "tables": [{"name": t, "file": f"{t}.parquet", "row_count": number + 1} for t in TABLES]}
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest))
    if faults:
        faults.step()
    return build_id


def release(export: Path, number: int, keep_builds: int = 2, **kwargs: Any) -> str:
    build_id = stage(export, number, **kwargs)
    publish_build(export, build_id, keep_builds)
    return build_id


def read_current(export: Path) -> tuple[str, dict[str, int]]:
    """Read the current build as a reader would: resolve the pointer, then every file.

    Asserts that every file belongs to the build the folder's manifest names
    and holds the rows the manifest says.
    """
    folder = current_build_dir(export)
    return read_build(folder)


def read_build(folder: Path) -> tuple[str, dict[str, int]]:
    manifest = json.loads((folder / MANIFEST_FILE).read_text())
    counts = {}
    with duckdb.connect() as con:
        for table in manifest["tables"]:
            rows = con.execute("select build_id, count(*) from read_parquet(?) group by build_id",
                               [str(folder / table["file"])]).fetchall()
            assert rows == [(manifest["build_id"], table["row_count"])], (folder, table, rows)
            counts[table["name"]] = rows[0][1]
    return manifest["build_id"], counts


def build_folders(export: Path) -> list[str]:
    return sorted(p.name for p in (export / "builds").iterdir())


# --- the pointer ---------------------------------------------------------------------


@pytest.mark.unit
def test_a_build_becomes_current_through_the_pointer(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    first = release(export, 1)
    assert first == "20261130T150100Z-00000001"
    assert current_build_dir(export) == export / "builds" / first
    assert previous_build_dir(export) is None
    pointer = json.loads((export / MANIFEST_FILE).read_text())
    assert pointer["build_id"] == first and pointer["build_folder"] == f"builds/{first}"
    assert pointer["previous_build_id"] is None
    assert pointer["reference_date"] == "2025-07-02"  # the build's manifest, carried into the pointer
    assert read_current(export) == (first, dict.fromkeys(TABLES, 2))

    second = release(export, 2)
    assert current_build_dir(export).name == second
    assert previous_build_dir(export) == export / "builds" / first
    assert json.loads((export / MANIFEST_FILE).read_text())["previous_build_id"] == first
    # plain file readers: `current` is a link to the current build's folder
    assert os.readlink(export / "current") == os.path.join("builds", second)
    assert read_build(export / "current") == (second, dict.fromkeys(TABLES, 3))
    # only the pointer, the builds and the link at the top; no temporary files
    assert sorted(p.name for p in export.iterdir()) == ["builds", "current", MANIFEST_FILE]


@pytest.mark.unit
def test_a_build_id_is_sortable_and_unique() -> None:
    assert publish.new_build_id("1A2B3C4D-aaaa-bbbb", START) == "20261130T150000Z-1a2b3c4d"
    assert publish.new_build_id("", START) != publish.new_build_id("", START)  # random suffix without dbt's id
    earlier, later = (publish.new_build_id("ffffffff", START), publish.new_build_id("00000000",
                                                                                   START + timedelta(seconds=1)))
    assert earlier < later


@pytest.mark.unit
def test_an_incomplete_build_is_never_made_current(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    first = release(export, 1)
    unfinished = stage(export, 2)
    (export / "builds" / unfinished / "fct_purchases.parquet").unlink()
    with pytest.raises(UserError, match=r"incomplete: 'fct_purchases.parquet' listed in its rfm_export_manifest"):
        publish_build(export, unfinished)
    assert current_build_dir(export).name == first


@pytest.mark.unit
@pytest.mark.parametrize(("setup", "message"), [
    (lambda export: None, r"export folder '.*exports' does not exist; run `dbt build` first"),
    (lambda export: export.mkdir(), r"rfm_export_manifest.json' not found: no build was ever published"),
    (lambda export: (export.mkdir(), (export / MANIFEST_FILE).write_text('{"build_id": ')),
     r"rfm_export_manifest.json' is corrupt, not valid JSON"),
    (lambda export: (export.mkdir(), (export / MANIFEST_FILE).write_text('{"tables": []}')),
     r"names no build: it is the manifest of the former flat layout"),
    (lambda export: (export.mkdir(), (export / MANIFEST_FILE).write_text('{"build_id": "../../etc"}')),
     r"names the build '../../etc', which is not a build id"),
    (lambda export: (export.mkdir(), (export / MANIFEST_FILE).write_text(
        '{"build_id": "20261130T150000Z-1a2b3c4d"}')),
     r"names build 20261130T150000Z-1a2b3c4d, but its folder '.*20261130T150000Z-1a2b3c4d' is missing"),
])
@pytest.mark.unit
def test_the_resolver_names_what_is_wrong(tmp_path: Path, setup: Callable[[Path], Any], message: str) -> None:
    export = tmp_path / "exports"
    setup(export)
    with pytest.raises(UserError, match=message):
        current_build_dir(export)


@pytest.mark.unit
def test_the_resolver_refuses_a_current_build_with_a_missing_file(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    first = release(export, 1)
    (export / "builds" / first / "dim_segments.parquet").unlink()
    with pytest.raises(UserError, match=r"names build .*, but build folder .* is incomplete: 'dim_segments.parquet'"):
        current_build_dir(export)


@pytest.mark.unit
def test_previous_build_dir_names_a_vanished_previous_build(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    first = release(export, 1)
    release(export, 2)
    shutil.rmtree(export / "builds" / first)
    with pytest.raises(UserError, match=f"names the previous build {first}, but its folder .* is missing"):
        previous_build_dir(export)


# --- pruning ---------------------------------------------------------------------------


@pytest.mark.unit
def test_pruning_keeps_the_newest_builds(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    ids = [release(export, number) for number in range(1, 5)]
    assert build_folders(export) == ids[2:]
    assert previous_build_dir(export).name == ids[2]  # type: ignore[union-attr]
    ids.append(release(export, 5, keep_builds=4))
    assert build_folders(export) == ids[2:]  # nothing to gain back: removed builds are gone
    ids += [release(export, number, keep_builds=4) for number in (6, 7)]
    assert build_folders(export) == ids[3:]
    ids.append(release(export, 8, keep_builds=3))
    assert build_folders(export) == ids[5:]


@pytest.mark.unit
def test_pruning_never_removes_the_current_or_the_previous_build(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    # A clock set back (or a long build finishing late): the current and previous builds have the oldest ids.
    newest = release(export, 9, minutes=90)
    previous = release(export, 2, minutes=20)
    current = release(export, 1, minutes=10)
    assert previous_build_dir(export).name == previous  # type: ignore[union-attr]
    assert build_folders(export) == [current, previous]
    assert newest not in build_folders(export)
    # a complete build that never became current (its pointer write failed) is not kept over them
    orphan = stage(export, 50, minutes=50)
    assert prune_builds(export, 2) == ([orphan], [])
    assert build_folders(export) == [current, previous]


@pytest.mark.unit
def test_pruning_removes_unfinished_builds_of_failed_runs_but_not_one_being_written(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    release(export, 1)
    failed = start_build(export, "0000000f", START + timedelta(minutes=2))  # a run that stopped mid-way
    (export / "builds" / failed / "fct_customer_rfm.parquet").write_bytes(b"half")
    current = release(export, 3)
    assert failed not in build_folders(export)
    being_written = start_build(export, "0000000e", START + timedelta(minutes=4))
    assert prune_builds(export, 2) == ([], [])
    assert being_written in build_folders(export)
    assert current_build_dir(export).name == current


@pytest.mark.unit
@pytest.mark.parametrize("keep", [1, 0, -2, True, 2.5, "3"])
def test_fewer_than_two_builds_to_keep_is_refused(tmp_path: Path, keep: Any) -> None:
    export = tmp_path / "exports"
    build_id = stage(export, 1)
    with pytest.raises(UserError, match=r"Invalid var 'export_keep_builds': expected a whole number of at least 2 "
                                        r"\(the current build and the one before it are always kept\)"):
        publish_build(export, build_id, keep)
    assert not (export / MANIFEST_FILE).exists()


@pytest.mark.unit
def test_the_former_flat_layout_is_cleared_after_the_first_build(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    export.mkdir()
    for name in ("fct_customer_rfm.parquet", "fct_purchases.csv", "my_notes.csv", "dim_segments.parquet"):
        (export / name).write_text("old")
    (export / MANIFEST_FILE).write_text('{"tables": [{"name": "fct_customer_rfm"}]}')
    (export / ".publishing-1234").mkdir()
    first = release(export, 1)
    assert sorted(p.name for p in export.iterdir()) == ["builds", "current", "my_notes.csv", MANIFEST_FILE]
    assert current_build_dir(export).name == first


@pytest.mark.unit
def test_a_folder_of_the_users_named_current_is_left_alone(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    (export / "current").mkdir(parents=True)
    (export / "current" / "mine.txt").write_text("keep me")
    build_id = stage(export, 1)
    result = publish_build(export, build_id)
    assert result.warnings == [f"'{export / 'current'}' is not a symbolic link (a folder of your own?), so it "
                               "was left alone; plain file readers should follow the pointer instead"]
    assert (export / "current" / "mine.txt").read_text() == "keep me"


@pytest.mark.unit
def test_without_symbolic_links_the_build_is_still_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(1314, "A required privilege is not held by the client")

    monkeypatch.setattr(os, "symlink", refuse)
    build_id = stage(export, 1)
    result = publish_build(export, build_id)
    assert current_build_dir(export).name == build_id
    assert len(result.warnings) == 1 and "symbolic links may need Developer Mode on Windows" in result.warnings[0]
    assert not (export / "current").exists()


# --- interruptions ----------------------------------------------------------------------


@pytest.mark.unit
def test_a_publish_interrupted_after_any_operation_leaves_a_complete_build_current(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "template"
    old_builds = [release(template, number) for number in (1, 2, 3)]  # builds 2 (previous) and 3 (current) kept

    # Count the operations of an uninterrupted publish of build 4: writes, pointer, link, pruning.
    counting = Faults()
    dry = tmp_path / "dry"
    shutil.copytree(template, dry, symlinks=True)
    with counted_operations(monkeypatch, counting):
        release(dry, 4, faults=counting)
    total = counting.done
    assert total >= 12  # 3 files + manifest + folder, pointer (fsync, replace), link, removing build 2

    switched = 0
    for crash_after in range(1, total):
        export = tmp_path / f"crash-{crash_after}"
        shutil.copytree(template, export, symlinks=True)
        faults = Faults(crash_after)
        with counted_operations(monkeypatch, faults), pytest.raises(Crash):
            release(export, 4, faults=faults)

        current, counts = read_current(export)
        assert current in (old_builds[2], "20261130T150400Z-00000004"), crash_after
        previous = previous_build_dir(export)
        assert previous is not None
        read_build(previous)  # the previous build is complete too
        if current == old_builds[2]:
            assert counts == dict.fromkeys(TABLES, 4) and previous.name == old_builds[1]
        else:
            switched += 1
            assert counts == dict.fromkeys(TABLES, 5) and previous.name == old_builds[2]
            if (export / "current").is_symlink():
                read_build(export / "current")  # the link may lag by one build, never to a missing one

        # The next publish recovers: it removes what the interrupted one left and keeps two builds.
        fifth = release(export, 5)
        assert build_folders(export) == [previous_build_dir(export).name, fifth]  # type: ignore[union-attr]
        assert sorted(p.name for p in export.iterdir()) == ["builds", "current", MANIFEST_FILE]
        assert read_current(export)[0] == fifth
    assert 0 < switched < total - 1  # crashes happened on both sides of the switch


# --- concurrent readers ---------------------------------------------------------------


@pytest.mark.unit
def test_a_reader_sees_one_complete_build_while_builds_are_published(tmp_path: Path) -> None:
    export = tmp_path / "exports"
    release(export, 1)
    published = [1]  # number of publishes done, read by the reader thread
    stop = threading.Event()
    seen: list[str] = []
    outlived: list[tuple[int, int]] = []  # (publishes at read start, at failure)
    errors: list[BaseException] = []

    def reader() -> None:
        while not stop.is_set():
            started = published[0]
            try:
                build_id, counts = read_current(export)
            except (UserError, duckdb.IOException, FileNotFoundError):
                outlived.append((started, published[0]))  # its build was removed during the read
            except BaseException as error:  # an inconsistent read: recorded, the test fails below
                errors.append(error)
                return
            else:
                seen.append(build_id)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for number in range(2, 40):
            release(export, number)
            published[0] += 1
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(seen) >= 20 and len(set(seen)) >= 5
    # A build is removed two publishes after it stopped being current: a read outlives it only then.
    assert all(at_failure - at_start >= 2 for at_start, at_failure in outlived), outlived


# --- Windows: files held open ------------------------------------------------------------


def refuse_replacing(monkeypatch: pytest.MonkeyPatch, target_name: str, times: int | None = None) -> list[str]:
    """os.replace raises PermissionError (as on Windows, where a reader holds the target open)."""
    refused: list[str] = []
    real = os.replace

    def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if Path(target).name == target_name and (times is None or len(refused) < times):
            refused.append(str(target))
            raise PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(target))
        real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(publish, "REPLACE_WAIT_SECONDS", 0)
    return refused


@pytest.mark.unit
def test_a_pointer_held_open_fails_the_publish_clearly_and_keeps_the_current_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"
    first = release(export, 1)
    pointer_before = (export / MANIFEST_FILE).read_bytes()
    second = stage(export, 2)
    with monkeypatch.context() as patch:
        refused = refuse_replacing(patch, MANIFEST_FILE)
        with pytest.raises(PublishError) as raised:
            publish_build(export, second)
        outcome = json.loads(publish_for_dbt(str(export), second, 2))
    assert len(refused) == 2 * publish.REPLACE_ATTEMPTS  # retried, in both calls
    message = str(raised.value)
    assert message.startswith(f"could not make build {second} current: writing the pointer "
                              f"'{export / MANIFEST_FILE}' failed (PermissionError: ")
    assert f"build {first} stays current and complete" in message
    assert "Another program (Power BI, Excel, an antivirus scan) may hold it open" in message
    assert outcome["error"] == message
    assert (export / MANIFEST_FILE).read_bytes() == pointer_before
    assert read_current(export)[0] == first
    assert sorted(p.name for p in export.iterdir()) == ["builds", "current", MANIFEST_FILE]  # no temporary file

    third = release(export, 3)  # once the file is closed, the next build publishes; the orphan goes
    assert build_folders(export) == [first, third]


@pytest.mark.unit
def test_a_pointer_held_open_briefly_is_replaced_on_retry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"
    release(export, 1)
    refused = refuse_replacing(monkeypatch, MANIFEST_FILE, times=2)
    second = release(export, 2)
    assert len(refused) == 2 and current_build_dir(export).name == second


@pytest.mark.unit
def test_an_old_build_held_open_is_a_warning_and_removed_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"
    first, second = release(export, 1), release(export, 2)
    third = stage(export, 3)
    with monkeypatch.context() as patch:
        refuse_replacing(patch, f".removing-{first}")  # the folder cannot be renamed: a file in it is open
        result = publish_build(export, third)
    assert result.removed == []
    assert result.warnings == [
        f"old build '{export / 'builds' / first}' was kept: PermissionError: [Errno 13] The process cannot access "
        f"the file because it is being used by another process: '{export / 'builds' / ('.removing-' + first)}' "
        "(a file may be open in another program); the next publish tries again"]
    assert read_current(export)[0] == third and previous_build_dir(export).name == second  # type: ignore[union-attr]
    read_build(export / "builds" / first)  # untouched, still complete

    fourth = release(export, 4)
    assert build_folders(export) == [third, fourth]


@pytest.mark.unit
def test_a_builds_folder_that_cannot_be_listed_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"
    release(export, 1)
    second = stage(export, 2)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Access is denied", str(export / "builds"))

    monkeypatch.setattr(publish, "prune_builds", refuse)
    result = publish_build(export, second)
    assert result.warnings == [f"old builds were not pruned (PermissionError: [Errno 13] Access is denied: "
                               f"'{export / 'builds'}'); the next publish tries again"]
    assert read_current(export)[0] == second


@pytest.mark.unit
def test_a_removal_stopped_half_way_leaves_no_partial_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = tmp_path / "exports"
    first, second = release(export, 1), release(export, 2)
    third = stage(export, 3)
    real_unlink = os.unlink

    def unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        # only the old build's files are removed here: one of them is held open
        if Path(path).name == "fct_purchases.parquet":
            raise PermissionError(13, "in use", str(path))
        real_unlink(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", unlink)
        result = publish_build(export, third)
    assert len(result.warnings) == 1 and result.warnings[0].startswith(f"old build '{export / 'builds' / first}'")
    # The half-removed build no longer carries a build's name, so nothing can take it for one.
    assert build_folders(export) == [f".removing-{first}", second, third]
    fourth = release(export, 4)
    assert build_folders(export) == [third, fourth]


# --- through dbt ----------------------------------------------------------------------------


@pytest.mark.integration
def test_dbt_builds_publish_through_the_pointer(workspace: Workspace) -> None:
    purchases = write_csv(workspace.root / "purchases.csv", ACCEPTED_ROWS)
    variables = {"purchases_path": str(purchases), **REFERENCE, **MAPPING}
    workspace.build(variables)
    first = workspace.manifest()["build_id"]
    first_files = {p.name: p.read_bytes() for p in workspace.published.iterdir()}

    refused = workspace.dbt("build", variables={**variables, "export_keep_builds": 1})
    assert not refused.ok
    assert ("Invalid var 'export_keep_builds': expected a whole number of at least 2 (the current build and the one "
            "before it are always kept), got 1") in refused.output
    assert workspace.manifest()["build_id"] == first

    second_output = workspace.build(variables).output
    second = workspace.manifest()["build_id"]
    assert second > first and workspace.manifest()["previous_build_id"] == first
    assert (f"as build {second} in '{workspace.exports}/builds/{second}'; it is current "
            f"({workspace.exports}/rfm_export_manifest.json), the previous build {first} is kept.") in second_output
    third_output = workspace.build(variables).output
    third = workspace.manifest()["build_id"]
    assert "removed 1 older build(s)" in third_output
    assert sorted(p.name for p in (workspace.exports / "builds").iterdir()) == [second, third]
    assert previous_build_dir(workspace.exports) == workspace.exports / "builds" / second
    assert os.readlink(workspace.exports / "current") == os.path.join("builds", third)
    # every build holds the same bytes for the same input, except its own manifest (ids, times)
    third_files = {p.name: p.read_bytes() for p in workspace.published.iterdir()}
    assert {k: v for k, v in third_files.items() if k != MANIFEST_FILE} == {
        k: v for k, v in first_files.items() if k != MANIFEST_FILE}
    (customers,) = workspace.query("select count(*) from fct_customer_rfm")[0]
    table_rows = {t["name"]: t["row_count"] for t in workspace.manifest()["tables"]}
    assert customers == table_rows["fct_customer_rfm"]

    # A pointer that cannot be replaced fails the build with the reason; the new build is left unpublished.
    pointer = workspace.exports / MANIFEST_FILE
    pointer.unlink()
    pointer.mkdir()
    failed = workspace.dbt("build", variables=variables)
    assert not failed.ok and "Traceback" not in failed.output
    assert "Exports: NOT published: could not make build " in failed.output
    assert f"writing the pointer '{pointer}' failed (IsADirectoryError" in failed.output
