{#- A whole-number type wide enough for rfm_round_div's intermediate products. -#}
{% macro rfm_type_wide_integer() -%}
    {{ return(adapter.dispatch('rfm_type_wide_integer', 'rfm_segmentation')()) }}
{%- endmacro %}

{% macro default__rfm_type_wide_integer() -%}decimal(38, 0){%- endmacro %}

{% macro duckdb__rfm_type_wide_integer() -%}hugeint{%- endmacro %}
