"""One semantic model, from the dbt contract and the report specification.

Every writer renders this object, so the PBIP and the .pbit cannot disagree.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rfm_segmentation.errors import UserError
from rfm_segmentation.powerbi import spec
from rfm_segmentation.powerbi.catalogue import Segment
from rfm_segmentation.powerbi.contract import ContractModel
from rfm_segmentation.powerbi.elements import (
    Field,
    MeasureSpec,
    Page,
    ParameterSpec,
    RelationshipSpec,
    RoleSpec,
    TableSpec,
    Visual,
)
from rfm_segmentation.powerbi.references import DaxSyntaxError, dax_references
from rfm_segmentation.powerbi.types import PowerBIType, power_bi_type

# Stable ids (lineage tags, relationship names) derived from names: the same
# model always gives the same files.
_NAMESPACE = uuid.UUID("6f1d3c1e-5a8e-4b7a-9d2c-0c4b8e3f2a71")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Column:
    name: str
    pbi_type: PowerBIType
    sql_type: str
    description: str
    is_hidden: bool = False
    is_key: bool = False
    sort_by: str | None = None
    format_string: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    measures: tuple[MeasureSpec, ...]
    is_date_table: bool
    source: str  # the contract file
    is_optional: bool = False  # its file may be missing from the exports (dim_customers without demographics)

    def column(self, name: str) -> Column | None:
        return next((column for column in self.columns if column.name == name), None)


@dataclass(frozen=True)
class Relationship:
    name: str
    from_table: str
    from_column: str
    to_table: str
    to_column: str


@dataclass(frozen=True)
class LeftOut:
    """Something of the specification the model leaves out because a table it uses has no contract."""

    kind: str  # table | relationship | role filter | visual
    name: str
    missing_tables: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} (needs {', '.join(self.missing_tables)})"


@dataclass(frozen=True)
class SemanticModel:
    name: str
    tables: tuple[Table, ...]
    relationships: tuple[Relationship, ...]
    roles: tuple[RoleSpec, ...]
    parameters: tuple[ParameterSpec, ...]
    pages: tuple[Page, ...]
    segments: tuple[Segment, ...]
    left_out: tuple[LeftOut, ...]  # what was dropped because an optional table is missing

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)

    def measures(self) -> list[MeasureSpec]:
        return [item for table in self.tables for item in table.measures]


def assemble(contract: dict[str, ContractModel], segments: tuple[Segment, ...]) -> SemanticModel:
    """The model of the specification (spec/) over the contract; raises UserError naming what is wrong."""
    missing = [table.name for table in spec.TABLES if table.name not in contract]
    required = [table.name for table in spec.TABLES if table.name in missing and not table.optional]
    if required:
        raise UserError(
            "the report reads " + ", ".join(required) + ", which no model contract exports: each needs a YAML "
            "contract with config.meta.powerbi_export under the model paths (exported models: "
            + (", ".join(sorted(contract)) or "none") + ")")
    absent = set(missing)
    tables = tuple(_table(table, contract[table.name], absent) for table in spec.TABLES if table.name not in absent)
    left_out = [LeftOut("table", name, (name,)) for name in missing]

    relationships = []
    for item in spec.RELATIONSHIPS:
        if {item.from_table, item.to_table} & absent:
            left_out.append(LeftOut("relationship", _relationship_label(item),
                                    tuple(sorted({item.from_table, item.to_table} & absent))))
            continue
        relationships.append(Relationship(stable_id("relationship", _relationship_label(item)), item.from_table,
                                          item.from_column, item.to_table, item.to_column))

    roles = []
    for role in spec.ROLES:
        kept = tuple(item for item in role.filters if item[0] not in absent and not _uses(item[1], absent))
        if len(kept) < len(role.filters):
            dropped = [table for table, _ in role.filters if table not in {kept_table for kept_table, _ in kept}]
            left_out.append(LeftOut("role filter", f"{role.name} on {', '.join(dropped)}",
                                    tuple(sorted(absent & {*dropped, *_tables_used(role.filters)}))))
        # A role whose filters on its customers all went (Region without dim_customers) is left out whole:
        # its FALSE() filters on company-wide tables alone would let it see every customer.
        if any(table not in spec.HIDDEN_FROM_ROLES for table, _ in kept):
            roles.append(replace(role, filters=kept))

    pages = []
    for page in spec.PAGES:
        kept_visuals = tuple(visual for visual in page.visuals if not visual_tables(visual) & absent)
        left_out.extend(LeftOut("visual", visual.name, tuple(sorted(visual_tables(visual) & absent)))
                        for visual in page.visuals if visual not in kept_visuals)
        pages.append(replace(page, visuals=kept_visuals))

    model = SemanticModel(spec.REPORT_NAME, tables, tuple(relationships), tuple(roles), spec.PARAMETERS,
                          tuple(pages), segments, tuple(left_out))
    problems = check(model)
    if spec.CHAMPIONS not in {segment.name for segment in segments}:
        problems.append(f"the Segments page highlights {spec.CHAMPIONS!r}, which is not in the segment catalogue")
    if problems:
        raise UserError("the report specification does not match the dbt contract:\n  " + "\n  ".join(problems))
    return model


def _relationship_label(item: RelationshipSpec | Relationship) -> str:
    return f"{item.from_table}[{item.from_column}] -> {item.to_table}[{item.to_column}]"


def _tables_used(filters: tuple[tuple[str, str], ...]) -> set[str]:
    used: set[str] = set()
    for _, expression in filters:
        with contextlib.suppress(DaxSyntaxError):  # check() reports it
            used |= dax_references(expression).all_tables()
    return used


def _uses(expression: str, tables: set[str]) -> bool:
    try:
        return bool(dax_references(expression).all_tables() & tables)
    except DaxSyntaxError:
        return False  # check() reports it


def _table(table_spec: TableSpec, contract: ContractModel, absent: set[str]) -> Table:
    hidden = set(table_spec.hidden)
    sort_by = dict(table_spec.sort_by)
    formats = dict(table_spec.formats)
    for name in [*hidden, *sort_by, *sort_by.values(), *formats, *filter(None, [table_spec.date_key])]:
        if contract.column(name) is None:
            raise UserError(f"{contract.source}: model {contract.name} has no column {name}, which the report "
                            f"specification (rfm_segmentation/powerbi/spec/semantic_model.py) uses; columns: "
                            + ", ".join(column.name for column in contract.columns))
    columns = tuple(
        Column(item.name, power_bi_type(item.data_type, f"{contract.source}: column {contract.name}.{item.name}"),
               item.data_type, item.description, is_hidden=item.name in hidden,
               is_key=item.name == table_spec.date_key, sort_by=sort_by.get(item.name),
               format_string=formats.get(item.name))
        for item in contract.columns)
    measures = tuple(item for item in spec.MEASURES if item.table == table_spec.name
                     and not _uses(item.expression, absent))
    return Table(table_spec.name, contract.description, columns, measures, table_spec.date_key is not None,
                 contract.source, contract.built_when is not None or contract.when_var is not None)


def check(model: SemanticModel) -> list[str]:
    """Every reference resolves: DAX, relationships, sort-by columns, visual fields. [] when all is well."""
    problems: list[str] = []
    columns = {(table.name, column.name): (table, column) for table in model.tables for column in table.columns}
    measures = {item.name: item for item in model.measures()}
    tables = {table.name: table for table in model.tables}

    def where(table: str, name: str) -> str:
        found = tables.get(table)
        return f" (contract: {found.source})" if found else ""

    def check_dax(owner: str, expression: str) -> None:
        try:
            found = dax_references(expression)
        except DaxSyntaxError as error:
            problems.append(f"{owner}: DAX does not parse: {error}")
            return
        problems.extend(f"{owner}: no column {table}[{name}]{where(table, name)}"
                        for table, name in sorted(found.columns) if (table, name) not in columns)
        problems.extend(f"{owner}: no measure [{name}]" for name in sorted(found.measures) if name not in measures)
        problems.extend(f"{owner}: no table {name}" for name in sorted(found.tables) if name not in tables)

    for item in model.measures():
        check_dax(f"measure [{item.name}]", item.expression)
    for role in model.roles:
        for table, expression in role.filters:
            if table not in tables:
                problems.append(f"role {role.name}: no table {table}")
            check_dax(f"role {role.name} on {table}", expression)
    for table in model.tables:
        for column in table.columns:
            if column.sort_by is not None:
                sort_column = table.column(column.sort_by)
                if sort_column is None:
                    problems.append(f"{table.name}[{column.name}]: no sort-by column {column.sort_by}")
    for item in model.relationships:
        label = _relationship_label(item)
        ends = []
        for table, name in ((item.from_table, item.from_column), (item.to_table, item.to_column)):
            end = columns.get((table, name))
            if end is None:
                problems.append(f"relationship {label}: no column {table}[{name}]{where(table, name)}")
            else:
                ends.append(end[1])
        if len(ends) == 2 and ends[0].pbi_type.data_type != ends[1].pbi_type.data_type:
            problems.append(f"relationship {label}: the ends have different types "
                            f"({ends[0].sql_type} and {ends[1].sql_type})")
    for page in model.pages:
        for visual in page.visuals:
            problems.extend(f"visual {visual.name}: {problem}" for problem in _check_fields(visual.fields(),
                                                                                             columns, measures))
    if not problems:
        problems.extend(security_leaks(model, spec.UNSECURED_DIMENSIONS))
    return problems


def filtered_tables(model: SemanticModel, start: Iterable[str]) -> set[str]:
    """The tables a filter on `start` reaches: along each relationship from its one side to its many side."""
    reached = set(start)
    frontier = list(reached)
    while frontier:
        table = frontier.pop()
        for item in model.relationships:
            if item.to_table == table and item.from_table not in reached:
                reached.add(item.from_table)
                frontier.append(item.from_table)
    return reached


def tables_read(model: SemanticModel, fields: Iterable[Field]) -> set[str]:
    """The tables behind fields: a column's table; the tables a measure's DAX reads, through the measures it uses."""
    measures = {item.name: item for item in model.measures()}
    tables: set[str] = set()
    pending = []
    for item in fields:
        if item.is_measure:
            pending.append(item.name)
        else:
            tables.add(item.table)
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in measures:
            continue
        seen.add(name)
        found = dax_references(measures[name].expression)
        tables |= found.all_tables()
        pending.extend(found.measures)
    return tables


def security_leaks(model: SemanticModel, unsecured: Iterable[str]) -> list[str]:
    """Every number a role can see is filtered by that role: each table a visual reads is reached by each
    role's filters, following the relationships in their filter direction, unless it is a pure dimension
    (`unsecured`: reference lists without customer or sales data, which must never be a many side)."""
    open_tables = set(unsecured)
    problems = [f"{_relationship_label(item)}: {item.from_table} is listed as a pure dimension "
                f"(spec UNSECURED_DIMENSIONS) but is the many side of a relationship"
                for item in model.relationships if item.from_table in open_tables]
    read = [(page, visual, tables_read(model, visual.fields())) for page in model.pages for visual in page.visuals]
    for role in model.roles:
        reached = filtered_tables(model, (table for table, _ in role.filters))
        for page, visual, tables in read:
            leaking = sorted(tables - reached - open_tables)
            if leaking:
                problems.append(f"role {role.name}: visual {visual.name} on page {page.display_name} reads "
                                f"{', '.join(leaking)}, which the role's filters on "
                                f"{', '.join(table for table, _ in role.filters)} do not reach: "
                                "it would show every customer's figures")
    return problems


def _check_fields(fields: Iterable[Field], columns: dict[tuple[str, str], object],
                  measures: dict[str, MeasureSpec]) -> list[str]:
    problems = []
    for item in fields:
        if item.is_measure:
            found = measures.get(item.name)
            if found is None or found.table != item.table:
                problems.append(f"no measure {item.table}[{item.name}]")
        elif (item.table, item.name) not in columns:
            problems.append(f"no column {item.table}[{item.name}]")
    return problems


def visual_tables(visual: Visual) -> set[str]:
    return {item.table for item in visual.fields()}
