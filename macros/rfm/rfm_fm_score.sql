{#- The FM score the segment grid reads: round half up of (F + M) / 2, in
    whole numbers (no engine rounds a half differently). -#}
{% macro rfm_fm_score(frequency_score, monetary_score) -%}
    {{ rfm_int_div(frequency_score ~ ' + ' ~ monetary_score ~ ' + 1', 2) }}
{%- endmacro %}
