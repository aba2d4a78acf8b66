{#- A cleaned customer id with its case folded as the var customer_id_case
    says: for ids such as e-mail addresses, where 'Ann@x.com' and
    'ann@x.com' are one customer. Applied to demographics (stg_customers) and
    wherever a customer model reads the purchases (int_customer_rfm_values,
    int_customer_rfm_history_values, int_customer_clv_inputs, fct_purchases),
    so both still match. The purchase screening (int_purchases_*) still sees
    the ids as received: it belongs in stg_purchases once that model's
    rewrite (branch p11-perf) lands. -#}
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
