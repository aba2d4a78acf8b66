{% macro rfm_amount_outliers() -%}
    {#- The validated var amount_outliers: keep (flag and warn) or reject (as amount_outlier). -#}
    {{- return(rfm_choice('amount_outliers', ['keep', 'reject'], 'keep')) -}}
{%- endmacro %}
