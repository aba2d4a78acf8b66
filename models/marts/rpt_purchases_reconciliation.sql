{#- What the build kept, merged and rejected, in rows and money:
    the row counts add up to the input row count (for a CSV input, its
    lines: a malformed line is one rejected row). -#}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

),

malformed_lines as (

    select * from {{ ref('stg_purchases_malformed_lines') }}

),

outcomes as (

    select
        case when reject_reason is null then 'accepted' else 'rejected' end as outcome,
        coalesce(reject_reason, 'accepted') as reason,
        count(*) as row_count,
        sum(amount) as amount
    from screened
    group by 1, 2

    union all

    select
        'rejected' as outcome,
        reject_reason as reason,
        count(*) as row_count,
        cast(null as decimal(18, 4)) as amount
    from malformed_lines
    group by reject_reason

    union all

    -- Every copy of a row beyond the first, with the money it would have
    -- counted twice.
    select
        'duplicate_removed' as outcome,
        'exact_duplicate' as reason,
        sum(source_row_count - 1) as row_count,
        sum((source_row_count - 1) * amount) as amount
    from screened

),

final as (

    select
        outcome,
        reason,
        cast(row_count as bigint) as row_count,
        cast(coalesce(amount, 0) as decimal(18, 2)) as amount,
        cast({{ rfm_round_div('row_count', 'sum(row_count) over ()', 6) }} as decimal(9, 6)) as share_of_input_rows
    from outcomes
    where row_count > 0

)

select * from final
