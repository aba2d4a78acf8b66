{#- Segment moves between two history period ends: each consecutive pair, and
    the first to the last. One row per pair and (from, to) segment, with the
    customers who moved so and what they spent during the later period.
    Customers absent at one end are 'Not yet a customer' there (or, with
    rfm_lookback_days, 'Outside lookback window' when they bought before). -#}
{{ config(enabled=rfm_history_periods() > 0) }}
{%- set period_count = rfm_history_periods() -%}
{%- set lookback_days = rfm_lookback_days() -%}
{%- set pairs = [] -%}
{%- for to_number in range(2, period_count + 1) -%}
    {%- do pairs.append({'from': to_number - 1, 'to': to_number, 'type': 'consecutive'}) -%}
{%- endfor -%}
{%- if period_count > 1 -%}
    {%- do pairs.append({'from': 1, 'to': period_count, 'type': 'first_to_last'}) -%}
{%- endif -%}

{#- A customer's state at a period end: its segment, or why it has none. -#}
{%- if lookback_days -%}
    {%- set absent_state = "case when first_purchases.first_period_number <= {n} then " ~ rfm_outside_lookback_segment()
        ~ " else " ~ rfm_not_yet_customer_segment() ~ " end" -%}
{%- else -%}
    {%- set absent_state = rfm_not_yet_customer_segment() -%}
{%- endif -%}

with history as (

    select * from {{ ref('fct_customer_rfm_history') }}

),

periods as (

    select * from {{ ref('int_rfm_history_periods') }}

),

segments as (

    select * from {{ ref('dim_segments') }}

),

pairs as (

    -- The compared period ends, numbered.
    {%- for pair in pairs %}
    select
        {{ loop.index }} as pair_number,
        '{{ pair.type }}' as pair_type,
        {{ pair.from }} as from_period_number,
        {{ pair.to }} as to_period_number
    {{ 'union all' if not loop.last }}
    {%- else %}
    -- A single period end has no pair.
    select 1 as pair_number, 'consecutive' as pair_type, 1 as from_period_number, 1 as to_period_number
    from periods
    where 1 = 0
    {%- endfor %}

),

numbered_history as (

    select
        history.customer_id,
        periods.period_number,
        history.segment,
        history.period_revenue
    from history
    inner join periods
        on history.period_end_date = periods.period_end_date

),

from_ends as (

    -- Each customer present at a pair's earlier period end ...
    select pairs.pair_number, numbered_history.customer_id, numbered_history.segment
    from numbered_history
    inner join pairs
        on numbered_history.period_number = pairs.from_period_number

),

to_ends as (

    -- ... and at its later one, with what they spent in that period.
    select pairs.pair_number, numbered_history.customer_id, numbered_history.segment, numbered_history.period_revenue
    from numbered_history
    inner join pairs
        on numbered_history.period_number = pairs.to_period_number

),

{%- if lookback_days %}

history_values as (

    select * from {{ ref('int_customer_rfm_history_values') }}

),

first_purchases as (

    -- The first period end after a customer's first purchase: absent from
    -- then on means outside the lookback window, not new.
    select
        firsts.customer_id,
        min(periods.period_number) as first_period_number
    from (
        select customer_id, min(first_purchase_ever_date) as first_purchase_date
        from history_values
        group by 1
    ) as firsts
    inner join periods
        on firsts.first_purchase_date <= periods.period_end_date
    group by 1

),
{%- endif %}

matched as (

    -- One row per pair and customer present at either end (a customer
    -- absent at one end is matched with nothing there).
    select
        coalesce(from_ends.pair_number, to_ends.pair_number) as pair_number,
        coalesce(from_ends.customer_id, to_ends.customer_id) as customer_id,
        from_ends.segment as from_present_segment,
        to_ends.segment as to_present_segment,
        to_ends.period_revenue
    from from_ends
    full outer join to_ends
        on from_ends.customer_id = to_ends.customer_id
        and from_ends.pair_number = to_ends.pair_number

),

moves as (

    select
        pairs.pair_type,
        pairs.from_period_number,
        pairs.to_period_number,
        coalesce(matched.from_present_segment, {{ absent_state | replace('{n}', 'pairs.from_period_number') }}) as from_segment,
        coalesce(matched.to_present_segment, {{ absent_state | replace('{n}', 'pairs.to_period_number') }}) as to_segment,
        coalesce(matched.period_revenue, 0) as revenue
    from matched
    inner join pairs
        on matched.pair_number = pairs.pair_number
    {%- if lookback_days %}
    left join first_purchases
        on matched.customer_id = first_purchases.customer_id
    {%- endif %}

),

per_move as (

    select
        pair_type,
        from_period_number,
        to_period_number,
        from_segment,
        to_segment,
        count(*) as customer_count,
        sum(revenue) as revenue
    from moves
    group by 1, 2, 3, 4, 5

),

states as (

    -- Catalogue segments, then the states of customers absent at a period
    -- end, which rank below every tier.
    select segment, sort_order, tier from segments
    union all
    select {{ rfm_not_yet_customer_segment() }}, max(sort_order) + 1, max(tier) + 1 from segments
    union all
    select {{ rfm_outside_lookback_segment() }}, max(sort_order) + 2, max(tier) + 1 from segments

),

final as (

    select
        per_move.pair_type,
        from_periods.period_end_date as from_period_end_date,
        to_periods.period_end_date as to_period_end_date,
        per_move.from_segment,
        per_move.to_segment,
        cast(from_states.sort_order as integer) as from_sort_order,
        cast(to_states.sort_order as integer) as to_sort_order,
        cast(from_states.tier as integer) as from_tier,
        cast(to_states.tier as integer) as to_tier,
        case
            when to_states.tier < from_states.tier then 'up'
            when to_states.tier > from_states.tier then 'down'
            when to_states.tier = from_states.tier then 'same'
        end as direction,
        cast(per_move.customer_count as bigint) as customer_count,
        cast(per_move.revenue as decimal(18, 2)) as revenue
    from per_move
    inner join periods as from_periods
        on per_move.from_period_number = from_periods.period_number
    inner join periods as to_periods
        on per_move.to_period_number = to_periods.period_number
    left join states as from_states
        on per_move.from_segment = from_states.segment
    left join states as to_states
        on per_move.to_segment = to_states.segment

)

select * from final
