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
