{#- Text -> typed value, returning null (never failing) when the text does not
    parse, so the row can be rejected with a reason. Dispatched because every
    engine spells "try to cast" differently: DuckDB has try_cast and strptime;
    PostgreSQL has no safe cast, so its text is checked with a regular
    expression (and a calendar check) before it is cast; Spark's try_cast is
    guarded by the same expressions so that both warehouses accept the same
    text (ISO 8601 dates and plain decimal numbers). -#}

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


{#- The text forms every engine parses alike. No backslashes: Spark would
    read them as string escapes. -#}
{% macro rfm_iso_timestamp_pattern(with_zone=false) -%}
    {%- set date = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- set time = '[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?' -%}
    {%- if with_zone -%}
    {#- A time followed by Z, an offset (+02, +0200, +02:00) or a zone name. -#}
    {{- return('^' ~ date ~ time ~ ' *([zZ]|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$') -}}
    {%- else -%}
    {{- return('^' ~ date ~ '(' ~ time ~ ')?$') -}}
    {%- endif -%}
{%- endmacro %}

{#- True when the date and time fields of ISO text (already matched by
    rfm_iso_timestamp_pattern) name a real moment: month 1-12, a day that
    exists in that month, hour < 24, minute and second < 60. -#}
{% macro rfm_iso_fields_are_valid(text) -%}
    {%- set year = 'cast(substring(' ~ text ~ ', 1, 4) as integer)' -%}
    {%- set month = 'cast(substring(' ~ text ~ ', 6, 2) as integer)' -%}
    {%- set day = 'cast(substring(' ~ text ~ ', 9, 2) as integer)' -%}
    {%- set clock = "coalesce(nullif(substring(" ~ text ~ ", {start}, 2), ''), '00')" -%}
    ({{ month }} between 1 and 12
        and {{ day }} between 1 and case
            when {{ month }} = 2 then
                case when ({{ year }} % 4 = 0 and {{ year }} % 100 <> 0) or {{ year }} % 400 = 0 then 29 else 28 end
            when {{ month }} in (4, 6, 9, 11) then 30
            else 31
        end
        and cast({{ clock.replace('{start}', '12') }} as integer) < 24
        and cast({{ clock.replace('{start}', '15') }} as integer) < 60
        and cast(case when substring({{ text }}, 17, 1) = ':' then substring({{ text }}, 18, 2) else '00' end as integer) < 60)
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


{% macro rfm_parse_number(text, data_type) -%}
    {{ return(adapter.dispatch('rfm_parse_number', 'rfm_segmentation')(text, data_type)) }}
{%- endmacro %}

{% macro duckdb__rfm_parse_number(text, data_type) -%}
    try_cast({{ text }} as {{ data_type }})
{%- endmacro %}

{#- A plain decimal number: digits with an optional sign, point and short
    exponent ('12', '-3.50', '.5', '1e3'). -#}
{% macro rfm_number_pattern() -%}
    {{- return('^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$') -}}
{%- endmacro %}

{% macro postgres__rfm_parse_number(text, data_type) -%}
    {#- A value too large for the type is null, as on DuckDB, rather than an
        error; rounding is half away from zero on every engine. -#}
    {%- set sized = modules.re.match('^\s*(decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*$', data_type | lower) -%}
    {%- if not sized -%}
        {{ exceptions.raise_compiler_error("rfm_parse_number: expected decimal(p, s), got '" ~ data_type ~ "'") }}
    {%- endif -%}
    {%- set precision, scale = sized.group(2) | int, sized.group(3) | int -%}
    case
        when {{ text }} ~ '{{ rfm_number_pattern() }}' then
            case
                when abs(round(cast({{ text }} as numeric), {{ scale }})) < 1{{ '0' * (precision - scale) }}
                    then cast({{ text }} as {{ data_type }})
            end
    end
{%- endmacro %}

{% macro spark__rfm_parse_number(text, data_type) -%}
    case when {{ text }} rlike '{{ rfm_number_pattern() }}' then try_cast({{ text }} as {{ data_type }}) end
{%- endmacro %}
