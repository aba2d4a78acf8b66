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
