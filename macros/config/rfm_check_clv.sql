{#- Run start: check the CLV vars, and say when the CLV models are skipped. -#}
{% macro rfm_check_clv() -%}
    {%- if not rfm_flag('clv_enabled', true) -%}
        {{ log("Predicted value: skipped (clv_enabled is false); fct_customer_clv and rpt_clv_model are not built.", info=true) }}
    {%- elif target.type not in rfm_python_model_adapters() -%}
        {{ log("Predicted value: skipped on the " ~ target.type ~ " target, where dbt cannot run Python models (it can on "
            ~ rfm_python_model_adapters() | join(', ') ~ "); fct_customer_clv and rpt_clv_model are not built, the SQL marts are.", info=true) }}
    {%- else -%}
        {%- do rfm_clv_settings() -%}
    {%- endif -%}
{%- endmacro %}
