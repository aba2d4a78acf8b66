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
