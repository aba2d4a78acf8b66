{#- NTILE scores of many partitions without sorting every row.

    ntile(N) over (partition by P order by measure, customer_id) puts a
    partition's n rows in N buckets: q = n div N rows each, the first
    n - N*q of them one more. So bucket k (1..N-1) ends at position
    e_k = k*q + least(k, n - N*q), and a row's score is 1 plus the number of
    those boundary rows it comes after in (measure, customer_id) order.

    rfm_ntile_boundaries finds each partition's N-1 boundary rows from counts:
    the rows per (partition, value) and their running total say which value
    holds position e_k, and only the rows of those few values are ranked by
    customer_id. It emits CTEs (no leading "with", a trailing comma) ending in
    <name>_boundaries: one row per partition, with <name>_value_<k> and
    <name>_tie_<k>, the boundary row's measure and customer_id.
    rfm_ntile_from_boundaries is the score of a row joined to that row.

    Same scores as rfm_score(..., 'ntile', partition_by=P) (tested), for
    less when the partitions are large: the history's 12 period ends of 10M
    customers are otherwise three sorts of 94M wide rows (the history node
    at 100M: 220 s of CPU against 345 s, bench/PROFILING.md).
    `relation` (a CTE, a table or a parenthesized query) holds only the rows
    to score, one per partition and customer_id. -#}
{% macro rfm_ntile_boundaries(relation, name, measure, better, bins, partition_by, tie_breaker='customer_id') -%}
{%- set direction = 'asc' if better == 'higher' else 'desc' -%}
{#- e_k, the last position of bucket k, for the bucket numbers in `bins`. -#}
{%- set boundary_position = 'bins.bucket * counts.bucket_rows\n            + least(bins.bucket, counts.partition_rows - ' ~ bins ~ ' * counts.bucket_rows)' -%}
{{ name }}_value_counts as (

    select scored.{{ partition_by }}, scored.{{ measure }} as measure_value, count(*) as value_rows
    from {{ relation }} as scored
    group by scored.{{ partition_by }}, scored.{{ measure }}

),

{{ name }}_running_counts as (

    select
        {{ partition_by }},
        measure_value,
        value_rows,
        coalesce(sum(value_rows) over (
            partition by {{ partition_by }} order by measure_value {{ direction }}
            rows between unbounded preceding and 1 preceding), 0) as rows_before,
        {{ rfm_int_div('sum(value_rows) over (partition by ' ~ partition_by ~ ')', bins) }} as bucket_rows,
        sum(value_rows) over (partition by {{ partition_by }}) as partition_rows
    from {{ name }}_value_counts

),

{{ name }}_boundary_values as (

    -- The value holding each boundary position, and the boundary's position
    -- among that value's rows.
    select
        counts.{{ partition_by }},
        counts.measure_value,
        bins.bucket,
        {{ boundary_position }}
            - counts.rows_before as position_in_value
    from {{ name }}_running_counts as counts
    cross join (
        {%- for bucket in range(1, bins) %}
        select {{ bucket }} as bucket{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as bins
    where {{ boundary_position }}
        between counts.rows_before + 1 and counts.rows_before + counts.value_rows

),

{{ name }}_boundary_rows as (

    -- Only the rows of a boundary's value are ranked by customer_id.
    select
        scored.{{ partition_by }},
        scored.{{ measure }} as measure_value,
        scored.{{ tie_breaker }} as tie_value,
        row_number() over (
            partition by scored.{{ partition_by }}, scored.{{ measure }}
            order by {{ rfm_binary_text('scored.' ~ tie_breaker) }}) as position_in_value
    from {{ relation }} as scored
    inner join (
        select distinct {{ partition_by }}, measure_value from {{ name }}_boundary_values
    ) as boundary_values
        on scored.{{ partition_by }} = boundary_values.{{ partition_by }}
        and scored.{{ measure }} = boundary_values.measure_value

),

{{ name }}_boundaries as (

    select
        boundary_values.{{ partition_by }},
        {%- for bucket in range(1, bins) %}
        max(case when boundary_values.bucket = {{ bucket }} then boundary_values.measure_value end) as {{ name }}_value_{{ bucket }},
        max(case when boundary_values.bucket = {{ bucket }} then boundary_rows.tie_value end) as {{ name }}_tie_{{ bucket }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ name }}_boundary_values as boundary_values
    inner join {{ name }}_boundary_rows as boundary_rows
        on boundary_values.{{ partition_by }} = boundary_rows.{{ partition_by }}
        and boundary_values.measure_value = boundary_rows.measure_value
        and boundary_values.position_in_value = boundary_rows.position_in_value
    group by boundary_values.{{ partition_by }}

),
{%- endmacro %}

{% macro rfm_ntile_from_boundaries(name, measure, better, bins, tie_breaker='customer_id') -%}
    {%- set after = '>' if better == 'higher' else '<' -%}
    (1
    {%- for bucket in range(1, bins) %}
        + case
            when {{ measure }} {{ after }} {{ name }}_value_{{ bucket }} then 1
            when {{ measure }} = {{ name }}_value_{{ bucket }}
                and {{ rfm_binary_text(tie_breaker) }} > {{ rfm_binary_text(name ~ '_tie_' ~ bucket) }} then 1
            else 0
        end
    {%- endfor %})
{%- endmacro %}
