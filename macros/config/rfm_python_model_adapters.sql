{#- Adapters on which dbt runs Python models (int_customer_demographics). -#}
{% macro rfm_python_model_adapters() -%}
    {{- return(['duckdb', 'databricks', 'snowflake', 'bigquery']) -}}
{%- endmacro %}
