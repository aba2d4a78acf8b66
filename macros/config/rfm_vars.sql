{#- Validated accessors for the project's vars. Every model reads settings
    through these, so a bad value fails at parse time, before any SQL runs,
    with a message that names the var. -#}

{% macro rfm_config_error(var_name, message) -%}
    {{ exceptions.raise_compiler_error("Invalid var '" ~ var_name ~ "': " ~ message) }}
{%- endmacro %}


{% macro rfm_whole_number(var_name, value, minimum, maximum, expected) -%}
    {#- A whole number within [minimum, maximum] (maximum may be none); digits
        given as text (from the command line) are accepted. -#}
    {%- if value is string and value.strip().isdigit() -%}{%- set value = value.strip() | int -%}{%- endif -%}
    {%- if value is not number or value is boolean or value != (value | int)
            or value < minimum or (maximum is not none and value > maximum) -%}
        {{ rfm_config_error(var_name, "expected " ~ expected ~ ", got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value | int) -}}
{%- endmacro %}


{% macro rfm_score_bins() -%}
    {{- return(rfm_whole_number('rfm_score_bins', var('rfm_score_bins', 5), 2, 10, 'a whole number from 2 to 10')) -}}
{%- endmacro %}


{% macro rfm_scoring_method() -%}
    {{- return(rfm_choice('rfm_scoring_method', ['ntile', 'percent_rank'], 'ntile')) -}}
{%- endmacro %}


{% macro rfm_returns_handling() -%}
    {{- return(rfm_choice('returns_handling', ['net', 'exclude'], 'net')) -}}
{%- endmacro %}


{% macro rfm_choice(var_name, allowed, default) -%}
    {%- set value = var(var_name, default) -%}
    {%- if value is not string or value | lower not in allowed -%}
        {{ rfm_config_error(var_name, "expected one of " ~ allowed | join(', ') ~ ", got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value | lower) -}}
{%- endmacro %}


{% macro rfm_reference_date_var() -%}
    {#- Returns the var as 'YYYY-MM-DD', or none when it is not set. -#}
    {%- set value = var('rfm_reference_date', none) -%}
    {%- if value is none or (value is string and value.strip() == '') -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {%- set match = modules.re.match('^(\\d{4})-(\\d{2})-(\\d{2})$', text) -%}
    {%- if not match -%}
        {{ rfm_config_error('rfm_reference_date', "expected a date as 'YYYY-MM-DD', got " ~ (text | tojson)) }}
    {%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- if month < 1 or month > 12 or day < 1 or day > rfm_days_in_month(year, month) or year < 1900 -%}
        {{ rfm_config_error('rfm_reference_date', "'" ~ text ~ "' is not a real calendar date") }}
    {%- endif -%}
    {{- return(text) -}}
{%- endmacro %}


{% macro rfm_days_in_month(year, month) -%}
    {%- set first = modules.datetime.date(year, month, 1) -%}
    {%- set next_first = modules.datetime.date(year + (month // 12), (month % 12) + 1, 1) -%}
    {{- return((next_first - first).days) -}}
{%- endmacro %}


{% macro rfm_lookback_days() -%}
    {%- set value = var('rfm_lookback_days', none) -%}
    {%- if value is none -%}{{ return(none) }}{%- endif -%}
    {{- return(rfm_whole_number('rfm_lookback_days', value, 1, none, 'a positive whole number of days')) -}}
{%- endmacro %}


{% macro rfm_business_time_zone() -%}
    {%- set value = var('business_time_zone', 'UTC') -%}
    {%- if value is not string or value.strip() == '' -%}
        {{ rfm_config_error('business_time_zone', "expected an IANA time zone name such as 'Europe/Paris', got " ~ (value | tojson)) }}
    {%- endif -%}
    {%- if value not in modules.pytz.all_timezones_set -%}
        {{ rfm_config_error('business_time_zone', (value | tojson) ~ " is not an IANA time zone name (e.g. 'UTC', 'Europe/Paris', 'America/New_York')") }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}


{% macro rfm_timestamp_format() -%}
    {#- A strptime format, checked directive by directive so that a typo is
        named here rather than by the database mid-build. -#}
    {%- set value = var('purchase_timestamp_format', none) -%}
    {%- if value is none or (value is string and value.strip() == '') -%}{{ return(none) }}{%- endif -%}
    {%- if value is not string or '%' not in value -%}
        {{ rfm_config_error('purchase_timestamp_format', "expected a strptime format such as '%d/%m/%Y %H:%M', got " ~ (value | tojson)) }}
    {%- endif -%}
    {%- if target.type != 'duckdb' -%}
        {{ rfm_config_error('purchase_timestamp_format', "strptime formats are read by DuckDB and need the DuckDB target (this is '" ~ target.type ~ "'); on a warehouse, give purchased_at a date or timestamp type, or ISO 8601 text") }}
    {%- endif -%}
    {%- for directive in modules.re.findall('%-?(.?)', value) -%}
        {%- if directive == '' or directive not in 'aAbBcdfgGHIjmMnpSuUVwWxXyYzZ%' -%}
            {{ rfm_config_error('purchase_timestamp_format', "'%" ~ directive ~ "' in " ~ (value | tojson) ~ " is not a strptime directive (use e.g. %Y %m %d %H %M %S %z)") }}
        {%- endif -%}
    {%- endfor -%}
    {{- return(value) -}}
{%- endmacro %}


{% macro rfm_export_path() -%}
    {%- set value = var('export_path', 'exports') -%}
    {%- if value is not string or value.strip() == '' -%}
        {{ rfm_config_error('export_path', "expected a folder path, got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value.strip().rstrip('/')) -}}
{%- endmacro %}


{% macro rfm_flag(var_name, default) -%}
    {%- set value = var(var_name, default) -%}
    {%- if value is string and value | lower in ['true', 'false'] -%}{%- set value = value | lower == 'true' -%}{%- endif -%}
    {%- if value is not boolean -%}
        {{ rfm_config_error(var_name, "expected true or false, got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}


{% macro rfm_exact_duplicates() -%}
    {#- drop: identical input rows count once; keep: each is a purchase. -#}
    {{- return(rfm_choice('exact_duplicates', ['drop', 'keep'], 'drop')) -}}
{%- endmacro %}


{% macro rfm_export_parquet_compression() -%}
    {#- Codecs DuckDB writes and Power BI Desktop reads. -#}
    {{- return(rfm_choice('export_parquet_compression', ['snappy', 'zstd', 'gzip', 'uncompressed'], 'snappy')) -}}
{%- endmacro %}
