{#- Run start: say when the demographics are skipped or empty, and check the
    customers input's columns before anything runs (like the purchases input). -#}
{% macro rfm_check_demographics() -%}
    {%- if not rfm_flag('demographics_enabled', true) -%}
        {{ log("Demographics: skipped (demographics_enabled is false); int_customer_demographics and dim_customers are not built.", info=true) }}
    {%- elif not rfm_demographics_built() -%}
        {{ log("Demographics: skipped on the " ~ target.type ~ " target, where dbt cannot run Python models (it can on "
            ~ rfm_python_model_adapters() | join(', ') ~ "); int_customer_demographics and dim_customers are not built, the SQL marts are.", info=true) }}
    {%- elif rfm_check_input('customers').kind == 'none' -%}
        {{ log("Demographics: none given for these purchases (set customers_path or customers_source_table); every customer gets 'Unknown' demographics.", info=true) }}
    {%- endif -%}
{%- endmacro %}
