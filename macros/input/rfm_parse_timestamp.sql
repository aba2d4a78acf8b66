{#- Text -> typed value, returning null (never failing) when the text does not
    parse, so the row can be rejected with a reason. Dispatched because every
    engine spells "try to cast" differently: DuckDB has try_cast and strptime;
    PostgreSQL has no safe cast, so its text is checked with a regular
    expression (and a calendar check) before it is cast; Spark's try_cast is
    guarded by the same expressions so that both warehouses accept the same
    text (ISO 8601 dates and plain decimal numbers). -#}
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

{% macro postgres__rfm_parse_timestamp(text, source_type) -%}
    {#- Wall-clock time in the business time zone, as on DuckDB: an offset or
        a zone name (one PostgreSQL knows) is converted, text without one is
        local. Fields are checked before the cast, which would fail the build. -#}
    {%- do rfm_timestamp_format() -%}  {#- a strptime format is refused here -#}
    {%- set zone = rfm_business_time_zone() -%}
    {#- Nested CASEs: only they guarantee that the field casts run after the
        pattern matched. -#}
    case
        when {{ text }} ~ '{{ rfm_iso_timestamp_pattern() }}' then
            case when {{ rfm_iso_fields_are_valid(text) }} then cast({{ text }} as timestamp) end
        when {{ text }} ~ '{{ rfm_iso_timestamp_pattern(with_zone=true) }}' then
            case
                when {{ rfm_iso_fields_are_valid(text) }}
                    and ({{ text }} ~ '([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$'
                        or substring({{ text }} from '([A-Za-z][A-Za-z0-9_/+-]*)$') in (select name from pg_timezone_names))
                    then cast({{ text }} as timestamptz) at time zone '{{ zone }}'
            end
    end
{%- endmacro %}

{% macro spark__rfm_parse_timestamp(text, source_type) -%}
    {#- Wall-clock time in the business time zone, as a Spark timestamp read
        in the session time zone (UTC in the committed profile). try_cast
        gives null for impossible dates; an offset or zone name is converted. -#}
    {%- do rfm_timestamp_format() -%}  {#- a strptime format is refused here -#}
    {%- set zone = rfm_business_time_zone() -%}
    cast(case
        when {{ text }} rlike '{{ rfm_iso_timestamp_pattern() }}'
            then try_cast({{ text }} as timestamp_ntz)
        when {{ text }} rlike '{{ rfm_iso_timestamp_pattern(with_zone=true) }}'
            -- Spark reads a zone only after the seconds: '22:00 UTC' -> '22:00:00 UTC'.
            then convert_timezone('{{ zone }}', try_cast(regexp_replace({{ text }},
                '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2})( *[zZ+A-Za-z-])', '$1:00$2') as timestamp_ltz))
    end as timestamp)
{%- endmacro %}
