{#- A column as text, spelled alike on every engine: time-zone-aware
    timestamps in UTC with their offset, so the session time zone never leaks in. -#}
{% macro rfm_raw_text(column, source_type) -%}
    {{ return(adapter.dispatch('rfm_raw_text', 'rfm_segmentation')(column, source_type)) }}
{%- endmacro %}

{% macro default__rfm_raw_text(column, source_type) -%}
    cast({{ column }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__rfm_raw_text(column, source_type) -%}
    {%- if source_type and 'TIME ZONE' in source_type | upper -%}
    {#- Spelled in UTC with its offset, as on DuckDB. -#}
    cast({{ column }} at time zone 'UTC' as varchar) || '+00:00'
    {%- else -%}
    cast({{ column }} as varchar)
    {%- endif -%}
{%- endmacro %}

{% macro spark__rfm_raw_text(column, source_type) -%}
    {%- if source_type and source_type | upper in ['TIMESTAMP', 'TIMESTAMP_LTZ'] -%}
    {#- Spark's plain timestamp is an instant: spelled in UTC with its offset. -#}
    concat(cast(convert_timezone('UTC', {{ column }}) as string), '+00:00')
    {%- else -%}
    cast({{ column }} as string)
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__rfm_raw_text(column, source_type) -%}
    {%- if source_type and 'TIME ZONE' in source_type -%}
    {#- Spelled in UTC with its offset: the session time zone must not leak in. -#}
    cast(timezone('UTC', {{ column }}) as varchar) || '+00:00'
    {%- else -%}
    cast({{ column }} as varchar)
    {%- endif -%}
{%- endmacro %}
