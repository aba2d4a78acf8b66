"""Power BI's semantic query JSON for one visual, shared by PBIR and the .pbit Layout.

A field is written with `SourceRef: {Entity: table}` in PBIR files, in
filters and in formatting selectors; the Layout's prototype query refers to
tables through aliases (`SourceRef: {Source: alias}`) declared in `From`.
"""

from __future__ import annotations

from typing import Any

from rfm_segmentation.powerbi.catalogue import Segment
from rfm_segmentation.powerbi.elements import Field, Filter, Visual

# The heat map's diverging scale: negative red, none white, positive green.
HEAT_MAP_NEGATIVE, HEAT_MAP_NEUTRAL, HEAT_MAP_POSITIVE = "#C62828", "#FFFFFF", "#1B7F3B"
# A sequential scale for counts and amounts: white to dark blue.
SHADE_LOW, SHADE_HIGH = "#FFFFFF", "#1F4E79"
ALL_INSTANCES = {"data": [{"dataViewWildcard": {"matchingOption": 1}}]}
# Roles whose first field is the level shown (as opposed to drilled into).
_ACTIVE_ROLES = {"Category", "Rows", "Group"}


def literal(value: str | int | float | bool) -> dict[str, Any]:
    """A semantic-query literal: 'text', 12L, 1.5D, true."""
    if isinstance(value, bool):
        encoded = "true" if value else "false"
    elif isinstance(value, int):
        encoded = f"{value}L"
    elif isinstance(value, float):
        encoded = f"{value:g}D"
    else:
        encoded = "'" + value.replace("'", "''") + "'"
    return {"Literal": {"Value": encoded}}


def expr_literal(value: str | int | float | bool) -> dict[str, Any]:
    return {"expr": literal(value)}


def field_expression(item: Field, source: dict[str, str] | None = None) -> dict[str, Any]:
    """{Column|Measure: ...}, by entity, or by alias when `source` maps tables to aliases."""
    reference = {"Source": source[item.table]} if source is not None else {"Entity": item.table}
    kind = "Measure" if item.is_measure else "Column"
    return {kind: {"Expression": {"SourceRef": reference}, "Property": item.name}}


def aliases(tables: list[str]) -> dict[str, str]:
    """Short, stable aliases for a query's tables: first letter, numbered when taken."""
    result: dict[str, str] = {}
    for table in tables:
        if table in result:
            continue
        base = table[0]
        alias, number = base, 1
        while alias in result.values():
            alias, number = f"{base}{number}", number + 1
        result[table] = alias
    return result


def projections(visual: Visual) -> list[tuple[str, Field]]:
    return [(role, item) for role, items in visual.roles for item in items]


def filter_definition(visual_filter: Filter) -> dict[str, Any]:
    """The `filter` of a visual-level filter: a Categorical IN list or a TopN subquery."""
    target = visual_filter.field
    if visual_filter.top_n is not None and visual_filter.order_by is not None:
        inner = aliases([target.table, visual_filter.order_by.table])
        outer = aliases([target.table])
        return {
            "Version": 2,
            "From": [
                {"Name": "subquery", "Type": 2, "Expression": {"Subquery": {"Query": {
                    "Version": 2,
                    "From": [{"Name": alias, "Entity": table, "Type": 0} for table, alias in inner.items()],
                    "Select": [{**field_expression(target, inner), "Name": "field"}],
                    "OrderBy": [{"Direction": 2, "Expression": field_expression(visual_filter.order_by, inner)}],
                    "Top": visual_filter.top_n,
                }}}},
                {"Name": outer[target.table], "Entity": target.table, "Type": 0},
            ],
            "Where": [{"Condition": {"In": {"Expressions": [field_expression(target, outer)],
                                            "Table": {"SourceRef": {"Source": "subquery"}}}}}],
        }
    source = aliases([target.table])
    return {
        "Version": 2,
        "From": [{"Name": source[target.table], "Entity": target.table, "Type": 0}],
        "Where": [{"Condition": {"In": {"Expressions": [field_expression(target, source)],
                                        "Values": [[literal(value)] for value in visual_filter.values]}}}],
    }


def filter_type(visual_filter: Filter) -> str:
    return "TopN" if visual_filter.top_n is not None else "Categorical"


def filter_name(visual: Visual, index: int) -> str:
    return f"{visual.name}_filter_{index}"


def visual_objects(visual: Visual, segments: tuple[Segment, ...], segment_field: Field) -> dict[str, Any]:
    """Formatting of the visual itself: colours, heat map, text, slicer mode and the spec's objects."""
    objects: dict[str, Any] = {}
    for object_name, properties in visual.objects:
        objects[object_name] = [{"properties": {key: expr_literal(value)  # type: ignore[arg-type]
                                                for key, value in properties}}]
    if visual.text:
        objects["general"] = [{"properties": {"paragraphs": [{"textRuns": [
            {"value": visual.text, "textStyle": {"fontSize": "18pt", "fontWeight": "bold"}}]}]}}]
    if isinstance(visual.colour_by, Field):
        # colour each data point by the value of a measure that returns '#RRGGBB'
        objects["dataPoint"] = [{"properties": {"fill": {"solid": {"color": {"expr": field_expression(
            visual.colour_by)}}}}, "selector": ALL_INSTANCES}]
    elif visual.colour_by == "segment_series":
        objects["dataPoint"] = [
            {"properties": {"fill": {"solid": {"color": expr_literal(segment.colour)}}},
             "selector": {"data": [{"scopeId": {"Comparison": {
                 "ComparisonKind": 0, "Left": field_expression(segment_field), "Right": literal(segment.name)}}}]}}
            for segment in segments
        ]
    if visual.series_colours:
        objects.setdefault("dataPoint", []).extend(
            {"properties": {"fill": {"solid": {"color": expr_literal(colour)}}},
             "selector": {"metadata": item.query_ref}}
            for item, colour in visual.series_colours)
    if visual.shade_by is not None:
        objects["values"] = [{"properties": {"backColor": {"solid": {"color": {"expr": {"FillRule": {
            "Input": field_expression(visual.shade_by),
            "FillRule": {"linearGradient2": {
                "min": {"color": literal(SHADE_LOW)},
                "max": {"color": literal(SHADE_HIGH)},
                "nullColoringStrategy": {"strategy": literal("asZero")},
            }},
        }}}}}}, "selector": {**ALL_INSTANCES, "metadata": visual.shade_by.query_ref}}]
    if visual.heat_map is not None:
        objects["values"] = [{"properties": {"backColor": {"solid": {"color": {"expr": {"FillRule": {
            "Input": field_expression(visual.heat_map),
            "FillRule": {"linearGradient3": {
                "min": {"color": literal(HEAT_MAP_NEGATIVE), "value": literal(-1.0)},
                "mid": {"color": literal(HEAT_MAP_NEUTRAL), "value": literal(0.0)},
                "max": {"color": literal(HEAT_MAP_POSITIVE), "value": literal(1.0)},
                "nullColoringStrategy": {"strategy": literal("asZero")},
            }},
        }}}}}}, "selector": {**ALL_INSTANCES, "metadata": visual.heat_map.query_ref}}]
    return objects


def container_objects(visual: Visual) -> dict[str, Any]:
    """The container around the visual: its title."""
    if not visual.title:
        return {}
    return {"title": [{"properties": {"show": expr_literal(True), "text": expr_literal(visual.title)}}]}
