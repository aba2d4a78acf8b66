{#- Three CTEs over `from_cte`, which has the comparison columns of `layout`
    (rfm_purchases_layout): `purchase_texts` (the trimmed text of each of our
    columns, blank as null), `purchase_values` (typed) and `purchases_typed`
    (plus purchase_date and row_reject_reason, the first reason, if any, why
    the row cannot be used on its own). Every column of `from_cte` is kept.

    stg_purchases runs them over every input row (its readers select the few
    columns they need); int_purchases_screened over the distinct rows only. -#}
{% macro rfm_purchases_typed_ctes(layout, from_cte) -%}
    {%- set columns = layout.mapped -%}
    {#- Issue 13: without an amount column, amount = quantity x unit_price (exact decimals). -#}
    {%- set amount_from_unit_price = columns.amount.source is none -%}
    {%- set missing_ids = var('missing_customer_id_values', []) or [] -%}
    {%- if missing_ids is string or missing_ids is mapping or missing_ids is not iterable -%}
        {{ rfm_config_error('missing_customer_id_values', "expected a list of ids such as ['n/a', 'unknown'], got " ~ (missing_ids | tojson)) }}
    {%- endif -%}
    {%- set by_source = {} -%}
    {%- for column in layout.compared -%}{%- do by_source.update({column.source: column}) -%}{%- endfor -%}
    {#- Our columns whose input column is compared typed: used as they are. -#}
    {%- set typed_input = {} -%}
    {%- for name, mapped in columns.items() -%}
        {%- set column = by_source.get(mapped.source) -%}
        {%- if column is not none and column.is_typed -%}{%- do typed_input.update({name: column}) -%}{%- endif -%}
    {%- endfor -%}
    purchase_texts as (

        select
            *,
            {%- for name, mapped in columns.items() %}
            {%- set column = by_source.get(mapped.source) %}
            {% if column is none -%}
            cast(null as {{ dbt.type_string() }})
            {%- elif column.is_typed -%}
            {{ rfm_clean_text(rfm_raw_text(column.alias, column.type)) }}
            {%- else -%}
            nullif({{ column.alias }}, '')
            {%- endif %} as {{ name }}_text{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ from_cte }}

    ),

    purchase_values as (

        select
            *,
            {% if missing_ids -%}
            case
                when lower(customer_id_text) in (
                    {%- for value in missing_ids %}'{{ value | string | trim | lower | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
                ) then null
                else {{ rfm_fold_customer_id('customer_id_text') }}
            end
            {%- else -%}
            {{ rfm_fold_customer_id('customer_id_text') }}
            {%- endif %} as customer_id,
            {{ rfm_typed_timestamp(typed_input.get('purchased_at'), 'purchased_at_text', columns.purchased_at.type) }} as purchased_at,
            {% if amount_from_unit_price -%}
            cast({{ rfm_typed_number(typed_input.get('quantity'), 'quantity_text', 'decimal(18, 3)') }}
                * {{ rfm_typed_number(typed_input.get('unit_price'), 'unit_price_text', 'decimal(18, 4)') }} as decimal(18, 4))
            {%- else -%}
            {{ rfm_typed_number(typed_input.get('amount'), 'amount_text', 'decimal(18, 4)') }}
            {%- endif %} as amount,
            {{ rfm_typed_number(typed_input.get('unit_price'), 'unit_price_text', 'decimal(18, 4)') }} as unit_price,
            order_id_text as order_id,
            {{ rfm_typed_number(typed_input.get('quantity'), 'quantity_text', 'decimal(18, 3)') }} as quantity,
            store_id_text as store_id,
            product_category_text as product_category
        from purchase_texts

    ),

    purchases_typed as (

        select
            *,
            cast(purchased_at as date) as purchase_date,
            case
                when customer_id is null then 'missing_customer_id'
                when {{ rfm_is_missing(typed_input, 'purchased_at') }} then 'missing_purchase_date'
                when purchased_at is null then 'unparseable_purchase_date'
                -- A year like 0202 parses but is a typo; it would stretch the calendar.
                when purchased_at < cast('1900-01-01' as timestamp) then 'implausible_purchase_date'
                -- Issue 13: a date after the day the build runs is a typo (2099 for
                -- 2019); kept, it would become the reference date and age everyone.
                when cast(purchased_at as date) > cast('{{ rfm_run_date() }}' as date) then 'purchase_in_future'
                {%- if amount_from_unit_price %}
                -- Issue 13: the amount is quantity x unit_price; say which part is wrong.
                when {{ rfm_is_missing(typed_input, 'quantity') }} then 'missing_quantity'
                when quantity is null then 'non_numeric_quantity'
                when {{ rfm_is_missing(typed_input, 'unit_price') }} then 'missing_unit_price'
                when unit_price is null then 'non_numeric_unit_price'
                {%- else %}
                when {{ rfm_is_missing(typed_input, 'amount') }} then 'missing_amount'
                when amount is null then 'non_numeric_amount'
                {%- endif %}
                when not {{ rfm_is_missing(typed_input, 'quantity') }} and quantity is null then 'non_numeric_quantity'
            end as row_reject_reason
        from purchase_values

    )
{%- endmacro %}
