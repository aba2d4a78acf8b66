"""SQL data types of the dbt contract -> Power BI column types.

The contract may be spelled for DuckDB, PostgreSQL or Spark (`varchar`,
`text`, `string`; `integer`, `int`, `bigint`; `decimal(18,2)`,
`numeric(18,2)`, ...): every common synonym is accepted and anything else
fails loudly, so a type Power BI would silently misread never reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rfm_segmentation.errors import UserError

# Power BI's fixed decimal number keeps 4 digits after the point: more would
# be rounded, so such decimals become floating point numbers.
_FIXED_DECIMAL_MAX_SCALE = 4
_FIXED_DECIMAL_MAX_PRECISION = 19


@dataclass(frozen=True)
class PowerBIType:
    """How one column is typed in the semantic model and in Power Query."""

    data_type: str  # TOM dataType: string, int64, double, decimal, dateTime, boolean
    m_type: str  # the type Table.TransformColumnTypes gives it
    format_string: str | None = None
    underlying_date_time: str | None = None  # "Date" / "Time" when the dateTime holds only one part


STRING = PowerBIType("string", "type text")
INT64 = PowerBIType("int64", "Int64.Type", "0")
DOUBLE = PowerBIType("double", "type number")
BOOLEAN = PowerBIType("boolean", "type logical")
DATE = PowerBIType("dateTime", "type date", "yyyy-mm-dd", "Date")
DATETIME = PowerBIType("dateTime", "type datetime", "yyyy-mm-dd hh:nn:ss")
DATETIMEZONE = PowerBIType("dateTime", "type datetimezone", "yyyy-mm-dd hh:nn:ss")
TIME = PowerBIType("dateTime", "type time", "hh:nn:ss", "Time")

_BY_NAME: dict[str, PowerBIType] = {
    **dict.fromkeys(
        ["varchar", "character varying", "char", "character", "nchar", "nvarchar", "bpchar", "text", "string",
         "national character varying", "uuid"], STRING),
    **dict.fromkeys(
        ["tinyint", "smallint", "int", "integer", "bigint", "int1", "int2", "int4", "int8", "byte", "short",
         "long", "signed", "utinyint", "usmallint", "uinteger"], INT64),
    **dict.fromkeys(
        ["double", "double precision", "float", "float4", "float8", "float64", "real"], DOUBLE),
    **dict.fromkeys(["boolean", "bool", "logical"], BOOLEAN),
    "date": DATE,
    **dict.fromkeys(
        ["timestamp", "datetime", "timestamp without time zone", "timestamp_ntz", "timestamp_us", "timestamp_ms",
         "timestamp_s", "timestamp_ns"], DATETIME),
    **dict.fromkeys(
        ["timestamptz", "timestamp with time zone", "timestamp_ltz", "timestamp_tz"], DATETIMEZONE),
    **dict.fromkeys(["time", "time without time zone"], TIME),
}
_DECIMAL_NAMES = {"decimal", "numeric", "number", "dec"}
# Lengths and precisions that do not change the Power BI type: varchar(255), timestamp(3).
_SIZED_NAMES = {"varchar", "character varying", "char", "character", "nchar", "nvarchar", "bpchar", "string",
                "timestamp", "timestamptz", "datetime", "time", "float"}
_TYPE = re.compile(r"^(?P<name>[a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(?P<args>[0-9 ,]*)\))?(?P<rest>(?: [a-z ]+)?)$")


def power_bi_type(sql_type: object, where: str) -> PowerBIType:
    """The Power BI type for a contract data_type; `where` names the file and column in errors."""
    if not isinstance(sql_type, str) or not sql_type.strip():
        raise UserError(f"{where}: no data_type; every column Power BI reads needs one in the contract")
    text = " ".join(sql_type.strip().lower().split())
    match = _TYPE.match(text)
    if match is None:
        raise _unknown(sql_type, where)
    # "timestamp(3) with time zone": the size sits between the name and the zone
    name = (match["name"] + match["rest"]).strip()
    args = [part.strip() for part in match["args"].split(",")] if match["args"] is not None else []
    if any(not part.isdigit() for part in args):
        raise _unknown(sql_type, where)
    if name in _DECIMAL_NAMES:
        return _decimal([int(part) for part in args], sql_type, where)
    found = _BY_NAME.get(name)
    if found is None or (args and name.split(" ")[0] not in _SIZED_NAMES):
        raise _unknown(sql_type, where)
    return found


def _decimal(args: list[int], sql_type: str, where: str) -> PowerBIType:
    if not args:
        # numeric without a scale (unbounded on PostgreSQL): only a double holds any of it
        return DOUBLE
    if len(args) > 2:
        raise _unknown(sql_type, where)
    precision, scale = args[0], args[1] if len(args) == 2 else 0
    if scale > precision:
        raise _unknown(sql_type, where)
    if scale <= _FIXED_DECIMAL_MAX_SCALE and precision <= _FIXED_DECIMAL_MAX_PRECISION:
        return PowerBIType("decimal", "Currency.Type", "#,0" + ("." + "0" * scale if scale else ""))
    return DOUBLE


def _unknown(sql_type: object, where: str) -> UserError:
    return UserError(
        f"{where}: data_type {sql_type!r} has no Power BI type. Use a standard SQL type: varchar/text/string, "
        "integer/int/bigint/smallint, decimal(p,s)/numeric(p,s), double/float/real, boolean, date, "
        "timestamp (with or without time zone) or time")
