"""What `dbt build` publishes: the one place Python learns the exported tables.

A mart is exported when its YAML contract has `meta: {powerbi_export: ...}`
(the rule macros/ follows when it publishes); the list below is read from
there, never typed again. The file names the publisher uses are constants
here, shared by the dbt-duckdb plugin, `rfm check` and the tests.
"""

from __future__ import annotations

from pathlib import Path

from rfm_segmentation.powerbi.contract import load_contract

# The pointer at the top of export_path (it names the current build) and, inside
# each build folder, that build's manifest, written last.
MANIFEST_FILE = "rfm_export_manifest.json"
# Each build's files: `<export_path>/builds/<build id>/`; `current` links to the current one.
BUILDS_FOLDER = "builds"
CURRENT_LINK = "current"
# Staging folders of the flat layout before builds/, removed at the first build.
LEGACY_STAGING_PREFIX = ".publishing-"


def exported_tables(project_dir: Path) -> tuple[str, ...]:
    """Every table a build with the default settings publishes, sorted by name
    (not those published only on request: `when_var` in their powerbi_export)."""
    return tuple(sorted(name for name, model in load_contract(project_dir).items() if not model.when_var))


def optional_exports(project_dir: Path) -> tuple[str, ...]:
    """The exported tables a build may leave out (`built_when` or `when_var`:
    demographics, predicted value or history switched off, or not requested)."""
    return tuple(sorted(name for name, model in load_contract(project_dir).items()
                        if model.built_when or model.when_var))


def required_exports(project_dir: Path) -> tuple[str, ...]:
    """The exported tables every build publishes, whatever its settings."""
    optional = set(optional_exports(project_dir))
    return tuple(name for name in exported_tables(project_dir) if name not in optional)


def known_reject_reasons(project_dir: Path) -> list[str]:
    """The reasons a row or line can be rejected for: the accepted_values test on
    fct_purchases_rejected.reject_reason, the list the build enforces on the quarantine."""
    import yaml

    path = project_dir / "models" / "marts" / "fct_purchases_rejected.yml"
    model = yaml.safe_load(path.read_text())["models"][0]
    (column,) = [c for c in model["columns"] if c["name"] == "reject_reason"]
    for test in column.get("data_tests", []):
        if isinstance(test, dict) and "accepted_values" in test:
            return list(test["accepted_values"]["arguments"]["values"])
    raise ValueError(f"{path}: reject_reason has no accepted_values test")
