{#- Text -> a number of the given decimal type, or null (never an error) when
    the text is not a plain decimal number or does not fit (dispatched). -#}
{% macro rfm_parse_number(text, data_type) -%}
    {{ return(adapter.dispatch('rfm_parse_number', 'rfm_segmentation')(text, data_type)) }}
{%- endmacro %}

{% macro duckdb__rfm_parse_number(text, data_type) -%}
    try_cast({{ text }} as {{ data_type }})
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
