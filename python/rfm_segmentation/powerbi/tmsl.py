"""The semantic model as a TMSL database object: the .pbit's DataModelSchema."""

from __future__ import annotations

import json
from typing import Any

from rfm_segmentation.powerbi.elements import MeasureSpec
from rfm_segmentation.powerbi.model import Column, SemanticModel, Table, stable_id
from rfm_segmentation.powerbi.mquery import parameter_expression, partition_expression, query_order
from rfm_segmentation.powerbi.tmdl import COMPATIBILITY_LEVEL, CULTURE, LINGUISTIC_METADATA


def _lines(expression: str) -> str | list[str]:
    """Multi-line expressions as a list of lines, as Power BI Desktop writes them."""
    lines = expression.splitlines()
    return lines if len(lines) > 1 else expression


def _with_description(node: dict[str, Any], description: str) -> dict[str, Any]:
    if description:
        node["description"] = description
    return node


def database(model: SemanticModel) -> dict[str, Any]:
    return {
        "name": stable_id("database", model.name),
        "compatibilityLevel": COMPATIBILITY_LEVEL,
        "model": {
            "culture": CULTURE,
            "dataAccessOptions": {"legacyRedirects": True, "returnErrorValuesAsNull": True},
            "defaultPowerBIDataSourceVersion": "powerBI_V3",
            "discourageImplicitMeasures": True,
            "sourceQueryCulture": CULTURE,
            "tables": [_table(table) for table in model.tables],
            "relationships": [
                {"name": item.name, "fromTable": item.from_table, "fromColumn": item.from_column,
                 "toTable": item.to_table, "toColumn": item.to_column}
                for item in model.relationships
            ],
            "roles": [
                _with_description({
                    "name": role.name,
                    "modelPermission": "read",
                    "tablePermissions": [{"name": table, "filterExpression": _lines(expression)}
                                         for table, expression in role.filters],
                }, role.description)
                for role in model.roles
            ],
            "expressions": [
                _with_description({
                    "name": parameter.name,
                    "kind": "m",
                    "expression": parameter_expression(parameter),
                    "lineageTag": stable_id("expression", parameter.name),
                    "annotations": [{"name": "PBI_NavigationStepName", "value": "Navigation"},
                                    {"name": "PBI_ResultType", "value": "Text"}],
                }, parameter.description)
                for parameter in model.parameters
            ],
            "cultures": [{"name": CULTURE,
                          "linguisticMetadata": {"content": LINGUISTIC_METADATA, "contentType": "json"}}],
            "annotations": [
                {"name": "__PBI_TimeIntelligenceEnabled", "value": "0"},
                {"name": "PBI_QueryOrder",
                 "value": json.dumps(query_order(model.tables, model.parameters), separators=(",", ":"))},
            ],
        },
    }


def _table(table: Table) -> dict[str, Any]:
    node: dict[str, Any] = {"name": table.name, "lineageTag": stable_id("table", table.name)}
    if table.is_date_table:
        node["dataCategory"] = "Time"
    node["columns"] = [_column(table, column) for column in table.columns]
    node["partitions"] = [{"name": table.name, "mode": "import",
                           "source": {"type": "m", "expression": _lines(partition_expression(table))}}]
    if table.measures:
        node["measures"] = [_measure(item) for item in table.measures]
    node["annotations"] = [{"name": "PBI_ResultType", "value": "Table"}]
    return _with_description(node, table.description)


def _column(table: Table, column: Column) -> dict[str, Any]:
    node: dict[str, Any] = {"name": column.name, "dataType": column.pbi_type.data_type,
                            "sourceColumn": column.name, "lineageTag": stable_id("column", table.name, column.name),
                            "summarizeBy": "none"}
    format_string = column.format_string or column.pbi_type.format_string
    if format_string:
        node["formatString"] = format_string
    if column.is_hidden:
        node["isHidden"] = True
    if column.is_key:
        node["isKey"] = True
    if column.sort_by:
        node["sortByColumn"] = column.sort_by
    annotations = [{"name": "SummarizationSetBy", "value": "Automatic"}]
    if column.pbi_type.underlying_date_time:
        annotations.append({"name": "UnderlyingDateTimeDataType", "value": column.pbi_type.underlying_date_time})
    node["annotations"] = annotations
    return _with_description(node, column.description)


def _measure(item: MeasureSpec) -> dict[str, Any]:
    node: dict[str, Any] = {"name": item.name, "expression": _lines(item.expression),
                            "lineageTag": stable_id("measure", item.table, item.name)}
    if item.format_string:
        node["formatString"] = item.format_string
    if item.display_folder:
        node["displayFolder"] = item.display_folder
    return _with_description(node, item.description)
