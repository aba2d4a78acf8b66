{#- One row: how large an amount may be before it is an outlier. A line beyond
    amount_outlier_factor x the 99.9th percentile of absolute amounts (1e12
    among tens of euros) is a typo far more often than a sale: the build warns
    (warn_amount_outliers), and amount_outliers: reject quarantines it. Null
    when the percentile is 0 (only free items): no line is then an outlier.

    The percentile is percentile_cont's, computed exactly in decimals from the
    largest values only. An ordered-set aggregate holds every value in memory
    and cannot spill: at 100M lines it needs more than the default
    memory_limit. The two values it interpolates between are among the top
    n - floor(0.999 (n - 1)) of the n values, about 0.1% of them, which an
    ORDER BY ... LIMIT keeps in a small heap. n is counted first (at
    execution; before it, the query is only parsed). -#}
{%- set factor = rfm_amount_outlier_factor() -%}
{#- 0.999 as a fraction, so that the position (n - 1) x 999 / 1000 is exact
    (the weight is in thousandths: the denominator must stay 1000). -#}
{%- set numerator, denominator = 999, 1000 -%}

{%- set usable_lines -%}
    select abs(amount) as abs_amount
    from {{ ref('stg_purchases') }}
    where row_reject_reason is null
{%- endset -%}

{%- set line_count = 0 -%}
{%- if execute -%}
    {%- set line_count = run_query('select count(*) from (' ~ usable_lines ~ ') as usable').columns[0].values()[0] | int -%}
{%- endif -%}
{#- Ascending positions (0-based) of the two neighbours and the weight of the upper one. -#}
{%- set position = (line_count - 1) * numerator if line_count > 0 else 0 -%}
{%- set lower_position = position // denominator -%}
{%- set weight_thousandths = position % denominator -%}
{#- As ranks from the top (1-based): the lower neighbour is the deepest one needed. -#}
{%- set lower_rank = line_count - lower_position -%}
{%- set upper_rank = [lower_rank - 1, 1] | max -%}

with usable_purchases as (

    {{ usable_lines }}

),

top_amounts as (

    select abs_amount
    from usable_purchases
    order by abs_amount desc
    limit {{ [lower_rank, 1] | max }}

),

ranked as (

    select
        abs_amount,
        row_number() over (order by abs_amount desc) as rank_from_top
    from top_amounts

),

percentile as (

    select
        cast(
            max(case when rank_from_top = {{ lower_rank }} then abs_amount end)
            + (max(case when rank_from_top = {{ upper_rank }} then abs_amount end)
                - max(case when rank_from_top = {{ lower_rank }} then abs_amount end))
              * cast({{ '0.%03d' % weight_thousandths }} as decimal(4, 3))
        as decimal(18, 4)) as amount_p999
    from ranked

),

final as (

    select
        amount_p999,
        cast({{ factor }} as decimal(18, 4)) as amount_outlier_factor,
        cast(nullif(amount_p999, 0) * {{ factor }} as decimal(28, 4)) as amount_outlier_limit
    from percentile

)

select * from final
