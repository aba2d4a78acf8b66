{#- A cleaned customer id with its case folded as the var customer_id_case
    says: for ids such as e-mail addresses, where 'Ann@x.com' and
    'ann@x.com' are one customer. Applied to purchases and demographics
    alike, so both still match. -#}
{% macro rfm_fold_customer_id(text) -%}
    {%- set case = rfm_customer_id_case() -%}
    {%- if case == 'lower' -%}
        lower({{ text }})
    {%- elif case == 'upper' -%}
        upper({{ text }})
    {%- else -%}
        {{ text }}
    {%- endif -%}
{%- endmacro %}
