{#- Fails on scores outside 1..N (N = rfm_score_bins), or, for a sum of
    `parts` scores, outside parts..parts * N. Nulls pass. -#}
{% test is_rfm_score(model, column_name, parts=1) %}

{{ test_accepted_range(model, column_name, min_value=parts, max_value=parts * rfm_score_bins()) }}

{% endtest %}
