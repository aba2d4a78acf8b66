{#- The interpolated percentile of an expression (an aggregate). The ordered-set
    form is standard SQL and runs on DuckDB, PostgreSQL and Spark >= 3.3. -#}
{% macro rfm_percentile_cont(fraction, expression) -%}
    {{- return(adapter.dispatch('rfm_percentile_cont', 'rfm_segmentation')(fraction, expression)) -}}
{%- endmacro %}

{% macro default__rfm_percentile_cont(fraction, expression) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}
