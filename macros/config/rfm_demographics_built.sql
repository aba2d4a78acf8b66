{#- True when this run builds the demographics (int_customer_demographics and
    dim_customers): switched on, on an adapter that runs Python models. The
    same condition enables those models in dbt_project.yml. -#}
{% macro rfm_demographics_built() -%}
    {{- return(rfm_flag('demographics_enabled', true) and target.type in rfm_python_model_adapters()) -}}
{%- endmacro %}
