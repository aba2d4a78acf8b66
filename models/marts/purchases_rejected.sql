{#- The rows the analysis could not use, with their original text and why. -#}
{%- set layout = rfm_purchases_layout() -%}
{%- set keep_copies = rfm_exact_duplicates() == 'keep' -%}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

rejected as (

    select *
    from screened
    where reject_reason is not null

),

original_text as (

    -- The untrimmed text is read again from the input, only for the rows
    -- that can be rejected (a row-level reason, a date outside the window,
    -- or a return): a few percent of them. Identical rows keep the smallest
    -- text (byte-wise, on every engine), whatever the input order.
    select
        {{ rfm_purchase_key(layout) }} as purchase_key,
        {%- for name in layout.mapped %}
        min({{ rfm_binary_text(name ~ '_raw') }}) as {{ name }}_raw{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_purchases') }} as purchases
    cross join reference
    where purchases.row_reject_reason is not null
        or purchases.purchase_date > reference.reference_date
        or purchases.purchase_date < reference.lookback_start_date
        or purchases.amount < 0
    group by 1

),

final as (

    select
        rejected.purchase_key,
        rejected.reject_reason,
        {%- for name in layout.mapped %}
        original_text.{{ name }}_raw,
        {%- endfor %}
        rejected.purchase_date,
        rejected.amount,
        rejected.source_row_count
    from rejected
    left join original_text
        {#- A copy's key is its row's key with '-n' after the 32 characters of md5. #}
        on original_text.purchase_key = {{ 'substring(rejected.purchase_key, 1, 32)' if keep_copies else 'rejected.purchase_key' }}

)

select * from final
