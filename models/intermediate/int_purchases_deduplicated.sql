{#- Exact duplicate rows counted once. `source_row_count` says how many input
    rows each stands for, so input = sum(source_row_count). Every column is a
    function of purchase_key except the untrimmed *_raw text, of which the
    smallest (byte-wise, on every engine) is kept so the choice never depends
    on input order.

    A view: int_purchases_screened, its only reader, computes it while
    writing its own copy of every row; a table here would write and read that
    copy once more (at 10M purchase lines, ~20 s of CPU). -#}
{{ config(materialized='view') }}
{%- set raw_columns = rfm_input_spec('purchases').columns | map(attribute='name') | list -%}

with purchases as (

    select * from {{ ref('stg_purchases') }}

),

deduplicated as (

    select
        purchase_key,
        {%- for name in raw_columns %}
        min({{ rfm_binary_text(name ~ '_raw') }}) as {{ name }}_raw,
        {%- endfor %}
        min(customer_id) as customer_id,
        min(purchased_at) as purchased_at,
        min(purchase_date) as purchase_date,
        min(amount) as amount,
        min(order_id) as order_id,
        min(quantity) as quantity,
        min(store_id) as store_id,
        min(product_category) as product_category,
        min(row_reject_reason) as row_reject_reason,
        count(*) as source_row_count
    from purchases
    group by purchase_key

)

select * from deduplicated
