"""The semantic model as TMDL files (the PBIP's `definition/` folder)."""

from __future__ import annotations

import json
import re

from rfm_segmentation.powerbi.elements import MeasureSpec, ParameterSpec, RoleSpec
from rfm_segmentation.powerbi.model import Column, SemanticModel, Table, stable_id
from rfm_segmentation.powerbi.mquery import parameter_expression, partition_expression, query_order

COMPATIBILITY_LEVEL = 1550
CULTURE = "en-US"
# The Q&A linguistic schema Desktop writes for a culture with no synonyms yet.
LINGUISTIC_METADATA = {"Version": "1.0.0", "Language": CULTURE}
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def name(text: str) -> str:
    """A TMDL object name: quoted unless it is a plain identifier."""
    return text if _PLAIN_NAME.match(text) else "'" + text.replace("'", "''") + "'"


def file_name(text: str) -> str:
    return re.sub(r'[<>:"/\\|?*]', "_", text)


def _description(text: str, indent: str) -> list[str]:
    return [f"{indent}/// {line}" for line in text.splitlines() if line.strip()] if text else []


def _expression(head: str, expression: str, indent: str) -> list[str]:
    """`head = expr` on one line, or the expression on the lines below, one level deeper than properties."""
    lines = expression.splitlines()
    if len(lines) == 1:
        return [f"{head} = {lines[0]}"]
    return [f"{head} ="] + [f"{indent}\t\t{line}".rstrip() if line.strip() else "" for line in lines]


def render(model: SemanticModel) -> dict[str, str]:
    """Relative path (under `definition/`) -> file text."""
    files = {
        "database.tmdl": f"database {name(model.name)}\n\tcompatibilityLevel: {COMPATIBILITY_LEVEL}\n",
        "model.tmdl": _model(model),
        "relationships.tmdl": _relationships(model),
        "expressions.tmdl": "\n".join(_parameter(item) for item in model.parameters),
    }
    files[f"cultures/{CULTURE}.tmdl"] = _culture()
    for table in model.tables:
        files[f"tables/{file_name(table.name)}.tmdl"] = _table(table)
    for role in model.roles:
        files[f"roles/{file_name(role.name)}.tmdl"] = _role(role)
    return files


def _model(model: SemanticModel) -> str:
    lines = [
        "model Model",
        f"\tculture: {CULTURE}",
        "\tdefaultPowerBIDataSourceVersion: powerBI_V3",
        "\tdiscourageImplicitMeasures",
        f"\tsourceQueryCulture: {CULTURE}",
        "\tdataAccessOptions",
        "\t\tlegacyRedirects",
        "\t\treturnErrorValuesAsNull",
        "",
        # no hidden auto date tables: dim_dates is the date table
        "annotation __PBI_TimeIntelligenceEnabled = 0",
        "",
        "annotation PBI_QueryOrder = " + json.dumps(query_order(model.tables, model.parameters), separators=(",", ":")),
        "",
    ]
    # The objects kept in their own files, as Desktop lists them: tables, roles, then the culture.
    lines += [f"ref table {name(table.name)}" for table in model.tables]
    if model.roles:
        lines += ["", *(f"ref role {name(role.name)}" for role in model.roles)]
    lines += ["", f"ref cultureInfo {CULTURE}"]
    return "\n".join(lines) + "\n"


def _culture() -> str:
    metadata = json.dumps(LINGUISTIC_METADATA, indent=2).splitlines()
    return "\n".join([f"cultureInfo {CULTURE}", "", "\tlinguisticMetadata =",
                      *(f"\t\t\t{line}" for line in metadata), "\t\tcontentType: json", ""])


def _relationships(model: SemanticModel) -> str:
    blocks = [
        f"relationship {item.name}\n"
        f"\tfromColumn: {name(item.from_table)}.{name(item.from_column)}\n"
        f"\ttoColumn: {name(item.to_table)}.{name(item.to_column)}\n"
        for item in model.relationships
    ]
    return "\n".join(blocks)


def _parameter(parameter: ParameterSpec) -> str:
    lines = _description(parameter.description, "")
    lines.append(f"expression {name(parameter.name)} = {parameter_expression(parameter)}")
    lines.append(f"\tlineageTag: {stable_id('expression', parameter.name)}")
    lines += ["", "\tannotation PBI_NavigationStepName = Navigation", "", "\tannotation PBI_ResultType = Text", ""]
    return "\n".join(lines)


def _table(table: Table) -> str:
    lines = _description(table.description, "")
    lines.append(f"table {name(table.name)}")
    if table.is_date_table:
        lines.append("\tdataCategory: Time")
    lines.append(f"\tlineageTag: {stable_id('table', table.name)}")
    lines.append("")
    for item in table.measures:
        lines += _measure(item)
    for column in table.columns:
        lines += _column(table, column)
    lines += [f"\tpartition {name(table.name)} = m", "\t\tmode: import"]
    lines += ["\t\t" + line if index == 0 else line
              for index, line in enumerate(_expression("source", partition_expression(table), "\t\t"))]
    lines += ["", "\tannotation PBI_ResultType = Table", ""]
    return "\n".join(lines)


def _measure(item: MeasureSpec) -> list[str]:
    lines = _description(item.description, "\t")
    head, *rest = _expression(f"measure {name(item.name)}", item.expression, "\t")
    lines += [f"\t{head}", *rest]
    if item.format_string:
        lines.append(f"\t\tformatString: {item.format_string}")
    if item.display_folder:
        lines.append(f"\t\tdisplayFolder: {item.display_folder}")
    lines += [f"\t\tlineageTag: {stable_id('measure', item.table, item.name)}", ""]
    return lines


def _column(table: Table, column: Column) -> list[str]:
    lines = _description(column.description, "\t")
    lines += [f"\tcolumn {name(column.name)}", f"\t\tdataType: {column.pbi_type.data_type}"]
    format_string = column.format_string or column.pbi_type.format_string
    if format_string:
        lines.append(f"\t\tformatString: {format_string}")
    if column.is_hidden:
        lines.append("\t\tisHidden")
    if column.is_key:
        lines.append("\t\tisKey")
    lines.append(f"\t\tlineageTag: {stable_id('column', table.name, column.name)}")
    lines.append("\t\tsummarizeBy: none")
    lines.append(f"\t\tsourceColumn: {column.name}")
    if column.sort_by:
        lines.append(f"\t\tsortByColumn: {name(column.sort_by)}")
    lines += ["", "\t\tannotation SummarizationSetBy = Automatic"]
    if column.pbi_type.underlying_date_time:
        lines += ["", f"\t\tannotation UnderlyingDateTimeDataType = {column.pbi_type.underlying_date_time}"]
    lines.append("")
    return lines


def _role(role: RoleSpec) -> str:
    lines = _description(role.description, "")
    lines += [f"role {name(role.name)}", "\tmodelPermission: read", ""]
    for table, expression in role.filters:
        head, *rest = _expression(f"tablePermission {name(table)}", expression, "\t")
        lines += [f"\t{head}", *rest, ""]
    return "\n".join(lines)
