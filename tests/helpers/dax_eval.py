"""Evaluate the plain-aggregate subset of DAX over the exported Parquet files.

Enough of DAX to compute the report's totals, averages, shares and
percentiles outside Power BI: aggregates over one column or table, DIVIDE,
measure references, and CALCULATE with REMOVEFILTERS or `table[column] = value`
filters. A filter reaches other tables the way Power BI propagates it, from
the one side of each relationship to the many side (single direction, as the
model declares them). Anything else raises Unsupported: a measure this
evaluator cannot compute is never silently given a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from pbi_parsers.dax.exprs import (
    ColumnExpression,
    ComparisonExpression,
    Expression,
    FunctionExpression,
    IdentifierExpression,
    LiteralNumberExpression,
    LiteralStringExpression,
    MeasureExpression,
    ParenthesesExpression,
)

from rfm_segmentation.powerbi.references import parse_dax

Filters = dict[tuple[str, str], Any]  # (table, column) -> the one value it is filtered to

# DAX aggregate -> DuckDB aggregate (both leave blanks / nulls out). The median
# is taken as a double: DuckDB keeps a decimal's scale and would round it.
COLUMN_AGGREGATES = {"SUM": "sum", "AVERAGE": "avg", "MIN": "min", "MAX": "max", "MEDIAN": "median(cast({} as double))",
                     "DISTINCTCOUNT": "count(distinct {})"}


class Unsupported(ValueError):
    """The expression uses DAX outside the plain-aggregate subset."""


@dataclass(frozen=True)
class Relationship:
    many_table: str
    many_column: str
    one_table: str
    one_column: str


def function_name(node: FunctionExpression) -> str:
    return "".join(part.text for part in node.name_parts).upper()


def column_of(node: Expression) -> tuple[str, str]:
    if not isinstance(node, ColumnExpression):
        raise Unsupported(f"expected a column, got {type(node).__name__}")
    return node.table.text.strip("'"), node.column.text[1:-1]


def literal(node: Expression) -> Any:
    if isinstance(node, LiteralStringExpression):
        return node.value.text[1:-1].replace('""', '"')
    if isinstance(node, LiteralNumberExpression):
        return Decimal(node.value.text)
    if isinstance(node, FunctionExpression) and function_name(node) in ("TRUE", "FALSE") and not node.args:
        return function_name(node) == "TRUE"
    raise Unsupported(f"expected a literal, got {type(node).__name__}")


class DaxModel:
    """The exported tables, the model's relationships and its measures."""

    def __init__(self, exports: Path, measures: dict[str, str], relationships: list[Relationship]) -> None:
        self.exports = exports
        self.measures = measures
        self.relationships = relationships

    # --- filter context -> SQL ------------------------------------------------

    def _where(self, table: str, filters: Filters) -> list[str]:
        """Conditions on `table` for the filter context, following relationships to the one side."""
        conditions = [f"{column} = {sql_literal(value)}" for (owner, column), value in sorted(filters.items())
                      if owner == table]
        for relation in self.relationships:
            if relation.many_table == table:
                upstream = self._where(relation.one_table, filters)
                if upstream:
                    conditions.append(f"{relation.many_column} in (select {relation.one_column} from "
                                      f"{self._relation(relation.one_table)} where {' and '.join(upstream)})")
        return conditions

    def _relation(self, table: str) -> str:
        path = self.exports / f"{table}.parquet"
        if not path.is_file():
            raise Unsupported(f"no exported file for {table}")
        return f"read_parquet('{path}')"

    def _aggregate(self, sql_aggregate: str, table: str, filters: Filters, both: bool = False) -> Any:
        where = self._where(table, filters)
        sql = f"select {sql_aggregate} from {self._relation(table)}"
        if where:
            sql += f" where {' and '.join(where)}"
        with duckdb.connect() as connection:
            row = connection.execute(sql).fetchone()
            return row if both else row[0]

    # --- evaluation ---------------------------------------------------------

    def measure(self, name: str, filters: Filters | None = None) -> Any:
        if name not in self.measures:
            raise Unsupported(f"no measure [{name}]")
        return self.evaluate(parse_dax(self.measures[name]), filters or {})

    def evaluate(self, node: Expression, filters: Filters) -> Any:
        if isinstance(node, MeasureExpression):
            return self.measure(node.name.text[1:-1], filters)
        if isinstance(node, ParenthesesExpression):
            return self.evaluate(node.inner_statement, filters)
        if isinstance(node, LiteralNumberExpression | LiteralStringExpression):
            return literal(node)
        if not isinstance(node, FunctionExpression):
            raise Unsupported(f"{type(node).__name__} is outside the plain-aggregate subset")
        name, args = function_name(node), node.args
        if name == "AVERAGE":  # exact: DuckDB's avg() of decimals is a double
            table, column = column_of(args[0])
            total, count = self._aggregate(f"sum({column}), count({column})", table, filters, both=True)
            return None if not count else Decimal(str(total)) / count
        if name in COLUMN_AGGREGATES:
            table, column = column_of(args[0])
            template = COLUMN_AGGREGATES[name]
            sql = template.format(column) if "{}" in template else f"{template}({column})"
            return self._aggregate(sql, table, filters)
        if name == "PERCENTILE.INC":
            table, column = column_of(args[0])
            # As a double: DuckDB keeps a decimal's scale, rounding 146.0575 to 146.06.
            return self._aggregate(f"quantile_cont(cast({column} as double), {literal(args[1])})", table, filters)
        if name == "COUNTROWS":
            if not isinstance(args[0], IdentifierExpression):
                raise Unsupported("COUNTROWS of a table expression")
            count = self._aggregate("count(*)", args[0].name.text.strip("'"), filters)
            return count or None  # DAX: BLANK, not 0, for no rows
        if name == "DIVIDE":
            numerator, denominator = (self.evaluate(arg, filters) for arg in args[:2])
            if numerator is None or not denominator:
                return None
            return Decimal(str(numerator)) / Decimal(str(denominator))
        if name == "CALCULATE":
            return self.evaluate(args[0], self._calculate_filters(args[1:], filters))
        raise Unsupported(f"{name}() is outside the plain-aggregate subset")

    def _calculate_filters(self, arguments: list[Expression], filters: Filters) -> Filters:
        """CALCULATE's filter arguments replace the context's filters on the same columns."""
        changed = dict(filters)
        for argument in arguments:
            if isinstance(argument, FunctionExpression) and function_name(argument) == "REMOVEFILTERS":
                target = argument.args[0]
                if isinstance(target, IdentifierExpression):
                    table = target.name.text.strip("'")
                    changed = {key: value for key, value in changed.items() if key[0] != table}
                else:
                    changed.pop(column_of(target), None)
            elif isinstance(argument, ComparisonExpression) and argument.operator.text == "=":
                changed[column_of(argument.left)] = literal(argument.right)
            else:
                raise Unsupported(f"CALCULATE filter {type(argument).__name__}")
        return changed


def sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class Aggregation:
    """What a measure aggregates: FUNCTION(table[column]) or FUNCTION(table)."""

    function: str
    table: str
    column: str | None


def aggregations(expression: str) -> set[Aggregation]:
    """Every aggregate call in the expression (measure references not followed)."""
    found = set()
    for node in parse_dax(expression).find_all(FunctionExpression):
        name = function_name(node)
        if name in COLUMN_AGGREGATES or name == "PERCENTILE.INC":
            found.add(Aggregation(name, *column_of(node.args[0])))
        elif name == "COUNTROWS" and isinstance(node.args[0], IdentifierExpression):
            found.add(Aggregation(name, node.args[0].name.text.strip("'"), None))
    return found


def calculate_filters(expression: str) -> set[tuple[str, ...]]:
    """Every CALCULATE filter argument: ('REMOVEFILTERS', table) or (table, column, '=', value)."""
    found: set[tuple[str, ...]] = set()
    for node in parse_dax(expression).find_all(FunctionExpression):
        if function_name(node) != "CALCULATE":
            continue
        for argument in node.args[1:]:
            if isinstance(argument, FunctionExpression) and function_name(argument) == "REMOVEFILTERS":
                found.add(("REMOVEFILTERS", argument.args[0].name.text.strip("'")))
            elif isinstance(argument, ComparisonExpression):
                found.add((*column_of(argument.left), argument.operator.text, str(literal(argument.right))))
            else:
                found.add(("other", type(argument).__name__))
    return found
