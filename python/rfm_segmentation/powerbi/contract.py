"""The dbt contract of the exported marts: their columns, types and descriptions.

Read from the model YAML files (the committed contract: no dbt run needed) or
from dbt's `target/manifest.json`. A model is exported, and may be used by the
report, when its config has `meta: {powerbi_export: ...}`: the same rule the
export macro (macros/on-run-end/rfm_publish_exports.sql) follows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rfm_segmentation.errors import UserError


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class ContractModel:
    name: str
    description: str
    columns: tuple[ContractColumn, ...]
    source: str  # the file the contract comes from, for error messages
    # meta.powerbi_export.built_when: the setting without which a build leaves it
    # out (demographics, CLV, history); None when every build publishes it.
    built_when: str | None = None
    # meta.powerbi_export.when_var: published only when that var is true.
    when_var: str | None = None

    def column(self, name: str) -> ContractColumn | None:
        return next((column for column in self.columns if column.name == name), None)


_DOC_BLOCK = re.compile(r"{%-?\s*docs\s+(\w+)\s*-?%}(.*?){%-?\s*enddocs\s*-?%}", re.DOTALL)
_DOC_CALL = re.compile(r"""{{\s*doc\(\s*['"](\w+)['"]\s*\)\s*}}""")


def load_contract(project_dir: Path, manifest: Path | None = None) -> dict[str, ContractModel]:
    """Every exported model's contract, by model name."""
    project = _read_project(project_dir)
    if manifest is not None:
        return _from_manifest(manifest, project.get("name"))
    return _from_yaml(project_dir, project)


def _read_project(project_dir: Path) -> dict[str, Any]:
    path = project_dir / "dbt_project.yml"
    if not path.is_file():
        raise UserError(f"{path}: not found; run from the dbt project root or pass --project-dir")
    project = _load_yaml(path)
    if not isinstance(project, dict):
        raise UserError(f"{path}: expected a mapping of project settings")
    return project


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UserError(f"{path}: cannot be read as YAML: {error}") from error


def _model_paths(project_dir: Path, project: dict[str, Any]) -> list[Path]:
    return [project_dir / folder for folder in project.get("model-paths") or ["models"]]


def _from_yaml(project_dir: Path, project: dict[str, Any]) -> dict[str, ContractModel]:
    folders = _model_paths(project_dir, project)
    docs = _doc_blocks(folders)
    models: dict[str, ContractModel] = {}
    for folder in folders:
        for path in sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]):
            content = _load_yaml(path)
            entries = content.get("models") if isinstance(content, dict) else None
            for entry in entries or []:
                if not isinstance(entry, dict) or not _is_exported(entry):
                    continue
                where = path.relative_to(project_dir).as_posix()
                model = _model_from_entry(entry, where, docs)
                if model.name in models:
                    raise UserError(f"{where}: model {model.name} is also described in {models[model.name].source}")
                models[model.name] = model
    return models


def _is_exported(entry: dict[str, Any]) -> bool:
    config = entry.get("config") or {}
    meta = {**(entry.get("meta") or {}), **(config.get("meta") or {})}
    return bool(meta.get("powerbi_export"))


def _model_from_entry(entry: dict[str, Any], where: str, docs: dict[str, str]) -> ContractModel:
    name = entry.get("name")
    if not isinstance(name, str):
        raise UserError(f"{where}: a model without a name")
    contract = (entry.get("config") or {}).get("contract") or entry.get("contract") or {}
    if not contract.get("enforced"):
        raise UserError(f"{where}: model {name} is exported for Power BI, so its contract must be enforced "
                        "(config: contract: {enforced: true})")
    columns = []
    for column in entry.get("columns") or []:
        column_name = column.get("name") if isinstance(column, dict) else None
        if not isinstance(column_name, str):
            raise UserError(f"{where}: model {name} has a column without a name")
        data_type = column.get("data_type")
        if not isinstance(data_type, str) or not data_type.strip():
            raise UserError(f"{where}: column {name}.{column_name} has no data_type")
        columns.append(ContractColumn(column_name, data_type.strip(),
                                      _render(column.get("description"), docs, f"{where}: {name}.{column_name}")))
    if not columns:
        raise UserError(f"{where}: model {name} lists no columns")
    config = entry.get("config") or {}
    export = {**(entry.get("meta") or {}), **(config.get("meta") or {})}.get("powerbi_export") or {}
    return ContractModel(name, _render(entry.get("description"), docs, f"{where}: {name}"), tuple(columns), where,
                         export.get("built_when"), export.get("when_var"))


def _doc_blocks(folders: list[Path]) -> dict[str, str]:
    blocks: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            for name, body in _DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
                blocks[name] = body
    return blocks


def _render(text: object, docs: dict[str, str], where: str) -> str:
    """Descriptions may call doc(); other Jinja needs dbt itself (use --manifest)."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise UserError(f"{where}: the description is not text")

    def replace(match: re.Match[str]) -> str:
        if match[1] not in docs:
            raise UserError(f"{where}: the description uses doc('{match[1]}'), which no docs block defines")
        return docs[match[1]]

    rendered = _DOC_CALL.sub(replace, text)
    if "{{" in rendered or "{%" in rendered:
        raise UserError(f"{where}: the description holds Jinja other than doc(); build from dbt's manifest "
                        "instead (rfm powerbi --manifest target/manifest.json)")
    return " ".join(rendered.split())


def _from_manifest(path: Path, project_name: object) -> dict[str, ContractModel]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        # Disabled models (demographics or CLV off) keep their contract: the report
        # still declares their tables, which load empty.
        disabled = [node for versions in (manifest.get("disabled") or {}).values() for node in versions]
        nodes = {**{str(i): node for i, node in enumerate(disabled)}, **manifest["nodes"]}
    except FileNotFoundError as error:
        raise UserError(f"{path}: not found; run `dbt build` (or `dbt parse`) first") from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UserError(f"{path}: not a dbt manifest: {error}") from error
    models: dict[str, ContractModel] = {}
    for node in sorted(nodes.values(), key=lambda node: str(node.get("name"))):
        if node.get("resource_type") != "model" or node.get("package_name") != project_name:
            continue
        config = node.get("config") or {}
        if not (config.get("meta") or {}).get("powerbi_export"):
            continue
        where = (node.get("patch_path") or node.get("original_file_path") or str(path)).split("://")[-1]
        entry = {"name": node["name"], "description": node.get("description"), "config": config,
                 "columns": list((node.get("columns") or {}).values())}
        models[node["name"]] = _model_from_entry(entry, where, {})
    return models
