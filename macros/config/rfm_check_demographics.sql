{#- Adapters on which dbt runs Python models (int_customer_demographics). -#}
{% macro rfm_python_model_adapters() -%}
    {{- return(['duckdb', 'databricks', 'snowflake', 'bigquery']) -}}
{%- endmacro %}


{#- Run start: say when the demographics are skipped, and check a customers
    file's columns before anything runs (like the purchases input). -#}
{% macro rfm_check_demographics() -%}
    {%- if not rfm_flag('demographics_enabled', true) -%}
        {{ log("Demographics: skipped (demographics_enabled is false); int_customer_demographics and dim_customers are not built.", info=true) }}
    {%- elif target.type not in rfm_python_model_adapters() -%}
        {{ log("Demographics: skipped on the " ~ target.type ~ " target, where dbt cannot run Python models (it can on "
            ~ rfm_python_model_adapters() | join(', ') ~ "); int_customer_demographics and dim_customers are not built, the SQL marts are.", info=true) }}
    {%- elif var('customers_path', none) -%}
        {%- do rfm_customers_column_map(rfm_customers_input()) -%}
    {%- elif var('purchases_path', none) or var('purchases_source_table', none) -%}
        {%- if not var('customers_source_table', none) -%}
            {{ log("Demographics: none given for these purchases (set customers_path or customers_source_table); every customer gets 'Unknown' demographics.", info=true) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
