{#- One row per input row: the comparison value of every input column (its
    trimmed text, or its value when typed; see
    macros/input/rfm_purchases_layout.sql), the original text of every mapped
    column (*_raw), the typed values and the first reason, if any, why the row
    cannot be used on its own.

    A view: each reader computes only the columns it selects.
    int_purchases_deduplicated groups the comparison values, the reference
    date and the amount limits read the typed dates and amounts, and
    fct_purchases_rejected reads the original text of the few rows that can
    be rejected. -#}
{%- set layout = rfm_purchases_layout() -%}

with source as (

    select * from {{ layout.input.relation }}

),

compared as (

    select
        {%- for column in layout.compared %}
        {{ rfm_compared_value(column) }} as {{ column.alias }},
        {%- endfor %}
        {%- for name, column in layout.mapped.items() %}
        {% if column.source is none -%}
        cast(null as {{ dbt.type_string() }})
        {%- else -%}
        {{ rfm_raw_text(adapter.quote(column.source), column.type) }}
        {%- endif %} as {{ name }}_raw{{ ',' if not loop.last }}
        {%- endfor %}
    from source

),

{{ rfm_purchases_typed_ctes(layout, 'compared') }},

final as (

    select
        {%- for column in layout.compared %}
        {{ column.alias }},
        {%- endfor %}
        {%- for name in layout.mapped %}
        {{ name }}_raw,
        {%- endfor %}
        customer_id,
        purchased_at,
        purchase_date,
        amount,
        order_id,
        quantity,
        store_id,
        product_category,
        row_reject_reason
    from purchases_typed

)

select * from final
