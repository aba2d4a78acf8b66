"""What a DAX expression refers to, read from its parse tree (pbi-parsers)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from pbi_parsers import dax
from pbi_parsers.dax.exprs import ColumnExpression, IdentifierExpression, MeasureExpression, VariableExpression

# Bare words DAX accepts that are not tables: DATEADD intervals, sort orders.
_DAX_KEYWORDS = {"DAY", "MONTH", "QUARTER", "YEAR", "WEEK", "HOUR", "MINUTE", "SECOND", "ASC", "DESC",
                 "SKIP", "DENSE", "TRUE", "FALSE", "BLANK"}


@dataclass(frozen=True)
class DaxReferences:
    columns: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    measures: frozenset[str] = field(default_factory=frozenset)
    tables: frozenset[str] = field(default_factory=frozenset)

    def all_tables(self) -> set[str]:
        return set(self.tables) | {table for table, _ in self.columns}


class DaxSyntaxError(ValueError):
    """The expression does not parse."""


def parse_dax(expression: str) -> dax.Expression:
    try:
        tree = dax.to_ast(expression)
    except (ValueError, AssertionError, IndexError) as error:  # the parser raises or asserts
        raise DaxSyntaxError(str(error) or "does not parse") from error
    if tree is None:
        raise DaxSyntaxError("does not parse")
    return tree


# Parsing is slow and the same measures are read again for every visual and role: parse each text once.
@functools.cache
def dax_references(expression: str) -> DaxReferences:
    tree = parse_dax(expression)
    variables = {_unquote(node.var_name.text) for node in tree.find_all(VariableExpression)}
    columns = frozenset((_unquote(node.table.text), node.column.text[1:-1])
                        for node in tree.find_all(ColumnExpression))
    measures = frozenset(node.name.text[1:-1] for node in tree.find_all(MeasureExpression))
    tables = frozenset(
        name for node in tree.find_all(IdentifierExpression)
        if (name := _unquote(node.name.text)) not in variables and name.upper() not in _DAX_KEYWORDS)
    return DaxReferences(columns, measures, tables)


def _unquote(name: str) -> str:
    if len(name) >= 2 and name[0] == name[-1] == "'":
        return name[1:-1].replace("''", "'")
    return name
