"""The building blocks of the report specification (see spec/)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """A column or a measure, as a visual, a sort or a filter uses it."""

    table: str
    name: str
    is_measure: bool = False
    label: str | None = None  # display name in the visual, when not the field's own

    @property
    def query_ref(self) -> str:
        return f"{self.table}.{self.name}"


def column(table: str, name: str, label: str | None = None) -> Field:
    return Field(table, name, False, label)


@dataclass(frozen=True)
class TableSpec:
    """A table of the model: one exported mart; its columns come from the contract."""

    name: str
    hidden: tuple[str, ...] = ()  # keys and sort columns users do not pick
    sort_by: tuple[tuple[str, str], ...] = ()  # (column, sort-by column)
    formats: tuple[tuple[str, str], ...] = ()  # (column, format string) overriding the type's default
    date_key: str | None = None  # marks the table as the date table, keyed by this column
    # The report can do without it (its mart has `built_when` in the contract): while
    # its contract is absent, the table and what uses it are left out.
    optional: bool = False


@dataclass(frozen=True)
class MeasureSpec:
    table: str
    name: str
    expression: str
    format_string: str
    description: str
    display_folder: str = ""


@dataclass(frozen=True)
class RelationshipSpec:
    """Many (from) to one (to), filtering from the one side."""

    from_table: str
    from_column: str
    to_table: str
    to_column: str


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str
    filters: tuple[tuple[str, str], ...]  # (table, DAX filter)


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    default: str
    description: str
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filter:
    """A visual-level filter: the field's values in `values`, or its top `top_n` by `order_by`."""

    field: Field
    values: tuple[str | int | bool, ...] = ()
    top_n: int | None = None
    order_by: Field | None = None


@dataclass(frozen=True)
class Visual:
    name: str
    visual_type: str
    x: int
    y: int
    width: int
    height: int
    title: str = ""
    roles: tuple[tuple[str, tuple[Field, ...]], ...] = ()  # (visual role, fields) in order
    sort: tuple[tuple[Field, bool], ...] = ()  # (field, descending)
    filters: tuple[Filter, ...] = ()
    # colours: "segment_series" colours each segment of the series (legend) from the catalogue;
    # a Field (a measure returning '#RRGGBB') colours each data point by its value.
    colour_by: str | Field | None = None
    heat_map: Field | None = None  # a matrix measure from -1 to 1 coloured as a diverging scale
    objects: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()  # (object, ((property, literal), ...))
    text: str = ""  # a text box's text
    sync_group: str | None = None  # slicers in one group share their selection across pages
    series_colours: tuple[tuple[Field, str], ...] = ()  # (measure of the Y role, '#RRGGBB'): one colour per measure
    shade_by: Field | None = None  # a matrix/table measure shaded white to dark, from its minimum to its maximum

    def fields(self) -> list[Field]:
        found = [item for _, items in self.roles for item in items]
        found += [item for item, _ in self.sort]
        for visual_filter in self.filters:
            found.append(visual_filter.field)
            if visual_filter.order_by is not None:
                found.append(visual_filter.order_by)
        if isinstance(self.colour_by, Field):
            found.append(self.colour_by)
        if self.heat_map is not None:
            found.append(self.heat_map)
        found += [item for item, _ in self.series_colours]
        if self.shade_by is not None:
            found.append(self.shade_by)
        return found


@dataclass(frozen=True)
class Page:
    name: str
    display_name: str
    visuals: tuple[Visual, ...] = field(default=())
