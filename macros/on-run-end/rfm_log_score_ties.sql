{#- on-run-end (from rfm_log_reconciliation): say, per measure, how many scored
    customers share one value across a score boundary, so NTILE's arbitrary
    split of equal customers (by customer_id) is never silent. -#}
{% macro rfm_log_score_ties() -%}
    {%- set units = {'recency': ' days since the last purchase', 'frequency': ' order(s)', 'monetary': ' spent'} -%}
    {%- for tie in rfm_score_ties() if tie.customers > 0 -%}
        {%- set largest = tie.largest -%}
        {%- set example = "{:,}".format(largest.customers | int) ~ " customers with " ~ largest.value ~ units[tie.measure]
            ~ " are split over " ~ tie.letter ~ " = " ~ largest.min_score ~ ".." ~ largest.max_score -%}
        {%- if tie['values'] > 1 -%}
            {%- set example = example ~ " (in all, " ~ "{:,}".format(tie.customers | int) ~ " customers over " ~ tie['values'] ~ " shared values)" -%}
        {%- endif -%}
        {{ log("Score ties: " ~ tie.measure ~ ": " ~ example
            ~ ("; rfm_scoring_method: percent_rank gives equal values one score" if rfm_scoring_method() == 'ntile' else ''), info=true) }}
    {%- endfor -%}
    {{- return('') -}}
{%- endmacro %}
