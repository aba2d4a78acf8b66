{#- The rows the analysis could not use, with their original text and why;
    and the malformed lines of a CSV input, which are not rows (their file,
    line number and text are in stg_purchases_malformed_lines, under the same
    key). -#}
{%- set layout = rfm_purchases_layout() -%}
{%- set raw_columns = rfm_input_spec('purchases').columns | map(attribute='name') | list -%}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

reference as (

    select * from {{ ref('int_rfm_reference_date') }}

),

amount_limits as (

    select * from {{ ref('int_purchase_amount_limits') }}

),

malformed_lines as (

    select * from {{ ref('stg_purchases_malformed_lines') }}

),

rejected as (

    select *
    from screened
    where reject_reason is not null

),

original_text as (

    -- The untrimmed text is read again from the input, only for the lines
    -- that can be rejected (a row-level reason, a date outside the window, a
    -- return or an outlier: a few percent of them), rather than carried
    -- through the deduplication of every line. Identical lines keep the
    -- smallest text (byte-wise, on every engine), whatever the input order.
    select
        {{ rfm_purchase_key(layout) }} as purchase_key,
        {%- for name in raw_columns %}
        min({{ rfm_binary_text(name ~ '_raw') }}) as {{ name }}_raw{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_purchases') }} as purchases
    cross join reference
    cross join amount_limits
    where purchases.row_reject_reason is not null
        or purchases.purchase_date > reference.reference_date
        or purchases.purchase_date < reference.lookback_start_date
        or purchases.amount < 0
        or abs(purchases.amount) > amount_limits.amount_outlier_limit
    group by 1

),

final as (

    -- An inner join: a rejected row without its text would be a defect here,
    -- and the reconciliation test (assert_purchases_reconcile) would fail.
    select
        rejected.purchase_key,
        rejected.reject_reason,
        {%- for name in raw_columns %}
        original_text.{{ name }}_raw,
        {%- endfor %}
        rejected.purchase_date,
        rejected.amount,
        rejected.source_row_count
    from rejected
    inner join original_text
        {#- A copy's key is its line's key, '-n' after the 32 characters of the md5. #}
        on original_text.purchase_key = {{ 'substring(rejected.purchase_key, 1, 32)' if rfm_exact_duplicates() == 'keep' else 'rejected.purchase_key' }}

    union all

    select
        malformed_line_key as purchase_key,
        reject_reason,
        {%- for name in raw_columns %}
        cast(null as {{ dbt.type_string() }}) as {{ name }}_raw,
        {%- endfor %}
        cast(null as date) as purchase_date,
        cast(null as decimal(18, 4)) as amount,
        cast(1 as bigint) as source_row_count
    from malformed_lines

)

select * from final
