"""Read the generated Power BI files back, independently of the builder's own objects.

A small TMDL reader (blocks by tab indentation), the .pbit's parts, and
Microsoft's JSON schemas from tests/fixtures/powerbi-schemas.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

SCHEMA_FOLDER = Path(__file__).parents[1] / "fixtures" / "powerbi-schemas"
SCHEMA_BASE = "https://developer.microsoft.com/json-schemas/"
_OBJECT = re.compile(r"^(table|column|measure|partition|relationship|role|tablePermission|expression|annotation)"
                     r"\s+('(?:[^']|'')*'|[^\s=]+)\s*(?:=\s*(.*))?$")


# --- TMDL ------------------------------------------------------------------

@dataclass
class TmdlNode:
    kind: str
    name: str
    expression: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    children: list[TmdlNode] = field(default_factory=list)
    description: str = ""

    def all(self, kind: str) -> list[TmdlNode]:
        return [child for child in self.children if child.kind == kind]


def _unquote(name: str) -> str:
    return name[1:-1].replace("''", "'") if name.startswith("'") else name


def parse_tmdl(text: str) -> list[TmdlNode]:
    """Objects, their properties and their children; expressions may span lines."""
    lines = text.split("\n")
    roots: list[TmdlNode] = []
    stack: list[tuple[int, TmdlNode]] = []
    description: list[str] = []
    index = 0

    def take_block(level: int) -> str:
        """The lines below a `= ` with nothing after it, two levels deeper than the object."""
        nonlocal index
        block = []
        while index < len(lines):
            line = lines[index]
            depth = len(line) - len(line.lstrip("\t"))
            if line.strip() and depth <= level + 1:
                break
            block.append(line[level + 2:] if line.strip() else "")
            index += 1
        while block and not block[-1]:
            block.pop()
        return "\n".join(block)

    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip("\t"))
        content = line.strip()
        if content.startswith("///"):
            description.append(content[3:].strip())
            continue
        if content.startswith("ref "):
            continue
        while stack and stack[-1][0] >= depth:
            stack.pop()
        match = _OBJECT.match(content)
        if match:
            kind, name, expression = match[1], _unquote(match[2]), match[3]
            if expression == "":
                expression = take_block(depth)
            node = TmdlNode(kind, name, expression, description=" ".join(description))
            description = []
            if kind == "annotation":
                # model.tmdl writes the model's annotations unindented, after the model
                owner = stack[-1][1] if stack else roots[-1]
                owner.properties.setdefault("annotations", {})[name] = expression
                continue
            (stack[-1][1].children if stack else roots).append(node)
            stack.append((depth, node))
            continue
        if not stack:
            roots.append(TmdlNode(content.split(" ")[0], content.split(" ", 1)[-1]))
            stack.append((depth, roots[-1]))
            continue
        key, _, value = content.partition(":")
        if content.endswith(" =") or " = " in content:
            key, _, value = content.partition("=")
            value = value.strip() or take_block(depth)
            stack[-1][1].properties[key.strip()] = value
        elif _:
            stack[-1][1].properties[key.strip()] = value.strip()
        else:
            # a flag (isHidden) or a nested block (dataAccessOptions): children become flags too
            stack[-1][1].properties[content] = True
    return roots


def read_tmdl_model(definition: Path) -> dict[str, Any]:
    """The semantic model of a PBIP `definition/` folder, in plain dicts."""
    tables = {}
    for path in sorted((definition / "tables").glob("*.tmdl")):
        (node,) = parse_tmdl(path.read_text(encoding="utf-8"))
        tables[node.name] = node
    roles = {}
    for path in sorted((definition / "roles").glob("*.tmdl")):
        (node,) = parse_tmdl(path.read_text(encoding="utf-8"))
        roles[node.name] = node
    return {
        "database": parse_tmdl((definition / "database.tmdl").read_text(encoding="utf-8"))[0],
        "model": parse_tmdl((definition / "model.tmdl").read_text(encoding="utf-8"))[0],
        "model_text": (definition / "model.tmdl").read_text(encoding="utf-8"),
        "tables": tables,
        "relationships": parse_tmdl((definition / "relationships.tmdl").read_text(encoding="utf-8")),
        "expressions": parse_tmdl((definition / "expressions.tmdl").read_text(encoding="utf-8")),
        "roles": roles,
    }


# --- .pbit -----------------------------------------------------------------

REQUIRED_PBIT_ENTRIES = ["Version", "[Content_Types].xml", "DataModelSchema", "DiagramLayout", "Report/Layout",
                         "Settings", "Metadata"]
UTF16_JSON_ENTRIES = ["DataModelSchema", "DiagramLayout", "Report/Layout", "Settings", "Metadata"]


def read_pbit(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def utf16_json(data: bytes) -> Any:
    assert not data.startswith(b"\xff\xfe"), "UTF-16 parts have no byte order mark"
    return json.loads(data.decode("utf-16-le"))


def nested_json_strings(layout: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every field the Layout stores as JSON text."""
    keys = ("config", "filters", "query", "dataTransforms")
    for key in keys:
        if key in layout:
            yield f"report.{key}", layout[key]
    for section in layout["sections"]:
        for key in keys:
            if key in section:
                yield f"{section['name']}.{key}", section[key]
        for index, container in enumerate(section["visualContainers"]):
            for key in keys:
                if key in container:
                    yield f"{section['name']}[{index}].{key}", container[key]


# --- semantic query fields -------------------------------------------------

def entity_fields(node: Any) -> Iterator[tuple[str, str, str]]:
    """(kind, table, name) of every Column/Measure referring to its table by Entity."""
    if isinstance(node, dict):
        for kind in ("Column", "Measure"):
            item = node.get(kind)
            if isinstance(item, dict) and "Entity" in item.get("Expression", {}).get("SourceRef", {}):
                yield kind, item["Expression"]["SourceRef"]["Entity"], item["Property"]
        for value in node.values():
            yield from entity_fields(value)
    elif isinstance(node, list):
        for value in node:
            yield from entity_fields(value)


def aliased_fields(query: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(kind, table, name) of every Column/Measure in a query whose tables are aliases in From."""
    sources = {item["Name"]: item.get("Entity") for item in query.get("From", [])}

    def walk(node: Any) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            for kind in ("Column", "Measure"):
                item = node.get(kind)
                if isinstance(item, dict) and "Source" in item.get("Expression", {}).get("SourceRef", {}):
                    yield kind, sources[item["Expression"]["SourceRef"]["Source"]], item["Property"]
            for key, value in node.items():
                if key == "Subquery":
                    yield from aliased_fields(value["Query"])
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    yield from walk({key: value for key, value in query.items() if key != "From"})
    for item in query.get("From", []):
        if "Expression" in item:
            yield from walk(item["Expression"])


# --- JSON schemas ----------------------------------------------------------

def schema_registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_FOLDER.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def schema_errors(document: dict[str, Any], registry: Registry) -> list[str]:
    url = document.get("$schema")
    if not isinstance(url, str) or not url.startswith(SCHEMA_BASE):
        return [f"names no Microsoft schema: {url!r}"]
    path = SCHEMA_FOLDER / url[len(SCHEMA_BASE):]
    if not path.is_file():
        return [f"schema {url} is not in {SCHEMA_FOLDER}"]
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, registry=registry)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
            for error in validator.iter_errors(document)]
