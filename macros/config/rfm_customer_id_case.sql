{% macro rfm_customer_id_case() -%}
    {{- return(rfm_choice('customer_id_case', ['preserve', 'lower', 'upper'], 'preserve')) -}}
{%- endmacro %}
