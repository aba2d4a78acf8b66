{#- What the build kept, merged and rejected, in rows and money:
    the row counts add up to the input row count. -#}

with screened as (

    select * from {{ ref('int_purchases_screened') }}

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
