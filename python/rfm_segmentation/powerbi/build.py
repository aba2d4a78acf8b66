"""Build the Power BI artifacts and write them, byte for byte the same for the same inputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from rfm_segmentation.errors import UserError
from rfm_segmentation.powerbi import pbir, pbit
from rfm_segmentation.powerbi.catalogue import load_segments
from rfm_segmentation.powerbi.contract import load_contract
from rfm_segmentation.powerbi.model import SemanticModel, assemble

OUTPUT_FOLDER = "powerbi"
# Written by Power BI Desktop next to the sources; never ours to delete.
_DESKTOP_FILES = {"localSettings.json", "cache.abf", "editorSettings.json", "diagramLayout.json"}


@dataclass(frozen=True)
class Artifacts:
    model: SemanticModel
    files: dict[str, bytes]  # relative path under the output folder -> bytes


def build_model(project_dir: Path, manifest: Path | None = None) -> SemanticModel:
    contract = load_contract(project_dir, manifest)
    return assemble(contract, load_segments(_seed_folders(project_dir)))


def _seed_folders(project_dir: Path) -> list[Path]:
    try:
        project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise UserError(f"{project_dir / 'dbt_project.yml'}: cannot be read: {error}") from error
    return [project_dir / folder for folder in project.get("seed-paths") or ["seeds"]]


def build(project_dir: Path, manifest: Path | None = None) -> Artifacts:
    model = build_model(project_dir, manifest)
    files = {path: text.encode("utf-8") for path, text in pbir.render(model).items()}
    files[f"{model.name}.pbit"] = pbit.build(model)
    return Artifacts(model, dict(sorted(files.items())))


def generated_folders(model: SemanticModel) -> list[str]:
    return [f"{model.name}.SemanticModel", f"{model.name}.Report"]


def differences(artifacts: Artifacts, output: Path) -> list[str]:
    """Files that are missing, different or no longer generated under `output`."""
    changed = [path for path, data in artifacts.files.items()
               if not (output / path).is_file() or (output / path).read_bytes() != data]
    return changed + [f"{path} (no longer generated)" for path in _stale(artifacts, output)]


def _stale(artifacts: Artifacts, output: Path) -> list[str]:
    stale = []
    for folder in generated_folders(artifacts.model):
        for path in sorted((output / folder).rglob("*")):
            relative = path.relative_to(output).as_posix()
            if (path.is_file() and relative not in artifacts.files and ".pbi/" not in relative
                    and path.name not in _DESKTOP_FILES):
                stale.append(relative)
    return stale


def write(artifacts: Artifacts, output: Path) -> list[str]:
    """Write what changed and remove generated files no longer produced; returns the changed paths."""
    changed = differences(artifacts, output)
    for path in _stale(artifacts, output):
        (output / path).unlink()
    for path, data in artifacts.files.items():
        target = output / path
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for folder in generated_folders(artifacts.model):
        # folders emptied by removed pages or visuals
        for path in sorted((output / folder).rglob("*"), reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed
