{% macro rfm_int_div(numerator, denominator) -%}
    {#- Integer division that truncates on every engine. -#}
    {{ return(adapter.dispatch('rfm_int_div', 'rfm_segmentation')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__rfm_int_div(numerator, denominator) -%}
    (({{ numerator }}) / ({{ denominator }}))
{%- endmacro %}

{% macro duckdb__rfm_int_div(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{% macro postgres__rfm_int_div(numerator, denominator) -%}
    {#- div() truncates numerics too, exactly, where / would not. -#}
    div({{ numerator }}, {{ denominator }})
{%- endmacro %}

{% macro spark__rfm_int_div(numerator, denominator) -%}
    (({{ numerator }}) div ({{ denominator }}))
{%- endmacro %}
