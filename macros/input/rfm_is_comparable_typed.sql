{#- Whether an input column of this type is compared and typed as it is,
    rather than as trimmed text. Only on DuckDB, whose type names these are;
    floating point stays text (-0.0 and 0.0, NaN). -#}
{% macro rfm_is_comparable_typed(source_type) -%}
    {%- if target.type != 'duckdb' or not source_type -%}{{ return(false) }}{%- endif -%}
    {%- set upper = source_type | upper -%}
    {{- return(upper in ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
                         'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'] or upper.startswith('DECIMAL')) -}}
{%- endmacro %}
