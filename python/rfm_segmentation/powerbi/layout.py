"""The report as the .pbit's `Report/Layout`: the pre-PBIR format Power BI Desktop reads from templates.

The same pages and visuals as the PBIR files. Fields such as a visual's
`config` are JSON text inside the JSON, as Desktop writes them.
"""

from __future__ import annotations

import json
from typing import Any

from rfm_segmentation.powerbi.elements import Field, Visual
from rfm_segmentation.powerbi.model import SemanticModel
from rfm_segmentation.powerbi.queries import (
    aliases,
    container_objects,
    field_expression,
    filter_definition,
    filter_name,
    filter_type,
    projections,
    visual_objects,
)
from rfm_segmentation.powerbi.spec.pages import PAGE_HEIGHT, PAGE_WIDTH
from rfm_segmentation.powerbi.theme import BASE_THEME, BASE_THEME_FILE, THEME_FILE

LAYOUT_VERSION = "5.55"
_FIT_TO_PAGE = 1
# Resource package types (1 registered, 2 shared) and item types (201 custom theme, 202 base theme),
# as Desktop writes them.
REGISTERED_RESOURCES, SHARED_RESOURCES = 1, 2
CUSTOM_THEME, BASE_THEME_ITEM = 201, 202
_ASCENDING, _DESCENDING = 1, 2


def _text(value: Any) -> str:
    """JSON stored as a string inside the Layout."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def layout(model: SemanticModel) -> dict[str, Any]:
    segment_field = Field("dim_segments", "segment")
    return {
        "id": 0,
        "config": _text({
            "version": LAYOUT_VERSION,
            "themeCollection": {
                "baseTheme": {"name": BASE_THEME, "version": LAYOUT_VERSION, "type": SHARED_RESOURCES},
                "customTheme": {"name": THEME_FILE, "version": LAYOUT_VERSION, "type": REGISTERED_RESOURCES},
            },
            "activeSectionIndex": 0,
            "defaultDrillFilterOtherVisuals": True,
            "settings": {"useStylableVisualContainerHeader": True, "allowChangeFilterTypes": True,
                         "useEnhancedTooltips": True},
        }),
        "filters": "[]",
        "layoutOptimization": 0,
        "resourcePackages": [
            {"resourcePackage": {
                "name": "SharedResources", "type": SHARED_RESOURCES, "disabled": False,
                "items": [{"name": BASE_THEME, "path": BASE_THEME_FILE, "type": BASE_THEME_ITEM}],
            }},
            {"resourcePackage": {
                "name": "RegisteredResources", "type": REGISTERED_RESOURCES, "disabled": False,
                "items": [{"name": THEME_FILE, "path": THEME_FILE, "type": CUSTOM_THEME}],
            }},
        ],
        "sections": [
            {
                "name": page.name,
                "displayName": page.display_name,
                "displayOption": _FIT_TO_PAGE,
                "ordinal": ordinal,
                "width": PAGE_WIDTH,
                "height": PAGE_HEIGHT,
                "config": "{}",
                "filters": "[]",
                "visualContainers": [_container(visual, order, model, segment_field)
                                     for order, visual in enumerate(page.visuals)],
            }
            for ordinal, page in enumerate(model.pages)
        ],
    }


def _container(visual: Visual, order: int, model: SemanticModel, segment_field: Field) -> dict[str, Any]:
    position = {"x": visual.x, "y": visual.y, "z": order * 1000, "width": visual.width, "height": visual.height,
                "tabOrder": order * 1000}
    single: dict[str, Any] = {"visualType": visual.visual_type, "drillFilterOtherVisuals": True}
    fields = projections(visual)
    if fields:
        source = aliases([item.table for _, item in fields] + [item.table for item, _ in visual.sort])
        single["projections"] = {
            role: [{"queryRef": item.query_ref, **({"active": True} if role in {"Category", "Rows", "Group"}
                                                  and index == 0 else {})}
                   for index, item in enumerate(items)]
            for role, items in visual.roles
        }
        selected: dict[str, dict[str, Any]] = {}
        for _, item in fields:
            selected.setdefault(item.query_ref, {**field_expression(item, source), "Name": item.query_ref,
                                                 "NativeReferenceName": item.label or item.name})
        query: dict[str, Any] = {
            "Version": 2,
            "From": [{"Name": alias, "Entity": table, "Type": 0} for table, alias in source.items()],
            "Select": list(selected.values()),
        }
        if visual.sort:
            query["OrderBy"] = [{"Direction": _DESCENDING if descending else _ASCENDING,
                                 "Expression": field_expression(item, source)} for item, descending in visual.sort]
        single["prototypeQuery"] = query
        labels = {item.query_ref: {"displayName": item.label} for _, item in fields if item.label}
        if labels:
            single["columnProperties"] = labels
    objects = visual_objects(visual, model.segments, segment_field)
    if objects:
        single["objects"] = objects
    container = container_objects(visual)
    if container:
        single["vcObjects"] = container
    if visual.sync_group:
        single["syncGroup"] = {"groupName": visual.sync_group, "fieldChanges": True, "filterChanges": True}
    filters = [
        {"name": filter_name(visual, index), "expression": field_expression(item.field), "type": filter_type(item),
         "filter": filter_definition(item), "howCreated": 1}
        for index, item in enumerate(visual.filters)
    ]
    return {
        **position,
        "config": _text({"name": visual.name, "layouts": [{"id": 0, "position": position}], "singleVisual": single}),
        "filters": _text(filters),
    }
