{#- Text -> typed value, returning null (never failing) when the text does not
    parse, so the row can be rejected with a reason. Dispatched because every
    engine spells "try to cast" differently. -#}

{% macro rfm_raw_text(column, source_type) -%}
    {{ return(adapter.dispatch('rfm_raw_text', 'rfm_segmentation')(column, source_type)) }}
{%- endmacro %}

{% macro default__rfm_raw_text(column, source_type) -%}
    cast({{ column }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__rfm_raw_text(column, source_type) -%}
    {%- if source_type and 'TIME ZONE' in source_type -%}
    {#- Spelled in UTC with its offset: the session time zone must not leak in. -#}
    cast(timezone('UTC', {{ column }}) as varchar) || '+00:00'
    {%- else -%}
    cast({{ column }} as varchar)
    {%- endif -%}
{%- endmacro %}


{% macro rfm_parse_timestamp(text, source_type=none) -%}
    {{ return(adapter.dispatch('rfm_parse_timestamp', 'rfm_segmentation')(text, source_type)) }}
{%- endmacro %}

{% macro duckdb__rfm_parse_timestamp(text, source_type) -%}
    {#- Wall-clock time in the business time zone. Text with a UTC offset or a
        zone name is an instant and is converted; text without one is taken as
        already local (a plain cast would silently drop the offset). The
        strptime format applies only to text columns: typed dates and
        timestamps arrive as ISO text. -#}
    {%- set zone = rfm_business_time_zone() -%}
    {%- set format = rfm_timestamp_format() -%}
    {%- set is_text = source_type is none or source_type | upper in ['VARCHAR', 'TEXT', 'STRING'] -%}
    {%- if format and is_text -%}
        {%- if '%z' in format or '%Z' in format -%}
    timezone('{{ zone }}', try_strptime({{ text }}, '{{ format | replace("'", "''") }}'))
        {%- else -%}
    try_strptime({{ text }}, '{{ format | replace("'", "''") }}')
        {%- endif -%}
    {%- else -%}
    case
        when regexp_matches({{ text }}, '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$')
            then timezone('{{ zone }}', try_cast({{ text }} as timestamptz))
        else try_cast({{ text }} as timestamp)
    end
    {%- endif -%}
{%- endmacro %}


{% macro rfm_parse_number(text, data_type) -%}
    {{ return(adapter.dispatch('rfm_parse_number', 'rfm_segmentation')(text, data_type)) }}
{%- endmacro %}

{% macro duckdb__rfm_parse_number(text, data_type) -%}
    try_cast({{ text }} as {{ data_type }})
{%- endmacro %}
