{#- True when the CLV models are built: clv_enabled and an adapter that runs Python models. -#}
{% macro rfm_clv_enabled() -%}
    {{- return(rfm_flag('clv_enabled', true) and target.type in rfm_python_model_adapters()) -}}
{%- endmacro %}
