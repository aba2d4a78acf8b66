{#- A 1..N score for one measure, higher is better. `better` says which end of
    the measure deserves N: 'higher' (frequency, monetary) or 'lower'
    (recency_days: fewer days since the last purchase is better).

    ntile:        equal-sized buckets; ties are split by customer_id so the
                  result never depends on row order, but equal values can get
                  different scores.
    percent_rank: equal values always get equal scores; buckets can be
                  uneven (the many one-purchase customers all get F = 1).

    partition_by: scores each partition on its own (the history scores every
    period end apart); none ranks all rows together. -#}
{% macro rfm_score(measure, better, bins, method, tie_breaker='customer_id', partition_by=none) -%}
    {%- set direction = 'asc' if better == 'higher' else 'desc' -%}
    {%- set partition = 'partition by ' ~ partition_by ~ ' ' if partition_by else '' -%}
    {%- if method == 'ntile' -%}
    ntile({{ bins }}) over ({{ partition }}order by {{ measure }} {{ direction }}, {{ rfm_binary_text(tie_breaker) }})
    {%- else -%}
    {#- Whole-number arithmetic, so no engine rounds a boundary differently. -#}
    least({{ bins }}, 1 + {{ rfm_int_div(
        '(rank() over (' ~ partition ~ 'order by ' ~ measure ~ ' ' ~ direction ~ ') - 1) * ' ~ bins,
        'greatest(count(*) over (' ~ partition | trim ~ ') - 1, 1)') }})
    {%- endif -%}
{%- endmacro %}
