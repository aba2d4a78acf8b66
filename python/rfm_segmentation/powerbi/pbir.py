"""The PBIP: the `.pbip` shortcut, the semantic model folder (TMDL) and the report folder (PBIR)."""

from __future__ import annotations

import json
from typing import Any

from rfm_segmentation.powerbi import tmdl
from rfm_segmentation.powerbi.elements import Field, Visual
from rfm_segmentation.powerbi.model import SemanticModel, stable_id
from rfm_segmentation.powerbi.queries import (
    container_objects,
    field_expression,
    filter_definition,
    filter_name,
    filter_type,
    visual_objects,
)
from rfm_segmentation.powerbi.spec.pages import PAGE_HEIGHT, PAGE_WIDTH
from rfm_segmentation.powerbi.theme import BASE_THEME, BASE_THEME_FILE, THEME_FILE, base_theme, theme

SCHEMAS = "https://developer.microsoft.com/json-schemas/fabric/"
# Versions from late 2024: the oldest that hold everything used here, so older
# Power BI Desktop releases open the project too.
SCHEMA = {
    "pbip": SCHEMAS + "pbip/pbipProperties/1.0.0/schema.json",
    "platform": SCHEMAS + "gitIntegration/platformProperties/2.0.0/schema.json",
    "pbism": SCHEMAS + "item/semanticModel/definitionProperties/1.0.0/schema.json",
    "pbir": SCHEMAS + "item/report/definitionProperties/2.0.0/schema.json",
    "version": SCHEMAS + "item/report/definition/versionMetadata/1.0.0/schema.json",
    "report": SCHEMAS + "item/report/definition/report/1.2.0/schema.json",
    "pages": SCHEMAS + "item/report/definition/pagesMetadata/1.0.0/schema.json",
    "page": SCHEMAS + "item/report/definition/page/1.3.0/schema.json",
    "visual": SCHEMAS + "item/report/definition/visualContainer/1.4.0/schema.json",
}
THEME_VERSION = "5.55"


def dumps(value: Any) -> str:
    """Stable JSON text: sorted keys, two-space indent, a final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render(model: SemanticModel) -> dict[str, str]:
    """Relative path (under powerbi/) -> file text."""
    report, semantic = f"{model.name}.Report", f"{model.name}.SemanticModel"
    files = {
        f"{model.name}.pbip": dumps({
            "$schema": SCHEMA["pbip"], "version": "1.0",
            "artifacts": [{"report": {"path": report}}], "settings": {"enableAutoRecovery": True},
        }),
        f"{semantic}/.platform": _platform("SemanticModel", model.name),
        f"{semantic}/definition.pbism": dumps({"$schema": SCHEMA["pbism"], "version": "4.0", "settings": {}}),
        f"{report}/.platform": _platform("Report", model.name),
        f"{report}/definition.pbir": dumps({
            "$schema": SCHEMA["pbir"], "version": "4.0", "datasetReference": {"byPath": {"path": f"../{semantic}"}},
        }),
        f"{report}/definition/version.json": dumps({"$schema": SCHEMA["version"], "version": "2.0.0"}),
        f"{report}/definition/report.json": dumps(_report()),
        f"{report}/definition/pages/pages.json": dumps({
            "$schema": SCHEMA["pages"], "pageOrder": [page.name for page in model.pages],
            "activePageName": model.pages[0].name,
        }),
        f"{report}/StaticResources/SharedResources/{BASE_THEME_FILE}": dumps(base_theme()),
        f"{report}/StaticResources/RegisteredResources/{THEME_FILE}": dumps(theme(model.segments)),
    }
    for path, text in tmdl.render(model).items():
        files[f"{semantic}/definition/{path}"] = text
    segment_field = Field("dim_segments", "segment")
    for page in model.pages:
        folder = f"{report}/definition/pages/{page.name}"
        files[f"{folder}/page.json"] = dumps({
            "$schema": SCHEMA["page"], "name": page.name, "displayName": page.display_name,
            "displayOption": "FitToPage", "height": PAGE_HEIGHT, "width": PAGE_WIDTH,
        })
        for order, visual in enumerate(page.visuals):
            files[f"{folder}/visuals/{visual.name}/visual.json"] = dumps(
                visual_container(visual, order, model, segment_field))
    return files


def _platform(kind: str, name: str) -> str:
    return dumps({
        "$schema": SCHEMA["platform"],
        "metadata": {"type": kind, "displayName": name},
        "config": {"version": "2.0", "logicalId": stable_id("platform", kind, name)},
    })


def _report() -> dict[str, Any]:
    return {
        "$schema": SCHEMA["report"],
        "themeCollection": {
            "baseTheme": {"name": BASE_THEME, "reportVersionAtImport": THEME_VERSION, "type": "SharedResources"},
            "customTheme": {"name": THEME_FILE, "reportVersionAtImport": THEME_VERSION, "type": "RegisteredResources"},
        },
        "layoutOptimization": "None",
        "resourcePackages": [
            {"name": "SharedResources", "type": "SharedResources",
             "items": [{"name": BASE_THEME, "path": BASE_THEME_FILE, "type": "BaseTheme"}]},
            {"name": "RegisteredResources", "type": "RegisteredResources",
             "items": [{"name": THEME_FILE, "path": THEME_FILE, "type": "CustomTheme"}]},
        ],
        "settings": {"useStylableVisualContainerHeader": True, "defaultDrillFilterOtherVisuals": True,
                     "allowChangeFilterTypes": True, "useEnhancedTooltips": True},
    }


def visual_container(visual: Visual, order: int, model: SemanticModel, segment_field: Field) -> dict[str, Any]:
    body: dict[str, Any] = {"visualType": visual.visual_type, "drillFilterOtherVisuals": True}
    if visual.roles:
        query: dict[str, Any] = {"queryState": {
            role: {"projections": [_projection(role, item, index) for index, item in enumerate(items)]}
            for role, items in visual.roles
        }}
        if visual.sort:
            query["sortDefinition"] = {"sort": [{"field": field_expression(item),
                                                 "direction": "Descending" if descending else "Ascending"}
                                                for item, descending in visual.sort], "isDefaultSort": False}
        body["query"] = query
    objects = visual_objects(visual, model.segments, segment_field)
    if objects:
        body["objects"] = objects
    container = container_objects(visual)
    if container:
        body["visualContainerObjects"] = container
    if visual.sync_group:
        body["syncGroup"] = {"groupName": visual.sync_group, "fieldChanges": True, "filterChanges": True}
    node: dict[str, Any] = {
        "$schema": SCHEMA["visual"],
        "name": visual.name,
        "position": {"x": visual.x, "y": visual.y, "z": order * 1000, "width": visual.width,
                     "height": visual.height, "tabOrder": order * 1000},
        "visual": body,
    }
    if visual.filters:
        node["filterConfig"] = {"filters": [
            {"name": filter_name(visual, index), "field": field_expression(item.field), "type": filter_type(item),
             "filter": filter_definition(item), "howCreated": "User"}
            for index, item in enumerate(visual.filters)
        ]}
    return node


def _projection(role: str, item: Field, index: int) -> dict[str, Any]:
    projection: dict[str, Any] = {"field": field_expression(item), "queryRef": item.query_ref,
                                  "nativeQueryRef": item.label or item.name}
    if item.label:
        projection["displayName"] = item.label
    if role in {"Category", "Rows", "Group"} and index == 0:
        projection["active"] = True
    return projection
