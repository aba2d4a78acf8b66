{#- A cleaned customer id with its case folded as the var customer_id_case
    says: for ids such as e-mail addresses, where 'Ann@x.com' and
    'ann@x.com' are one customer. Applied where each input is typed: the
    purchases (rfm_purchases_typed_ctes, so the screening's customer rules
    and every model after it see the folded id) and the demographics
    (stg_customers), so both still match. Duplicate lines are still told
    apart by the text as received. -#}
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
