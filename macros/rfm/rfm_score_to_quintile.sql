{#- A 1..N score on the 1..5 scale the segment rules are written for:
    round((score - 1) * 4 / (N - 1)) + 1. Identity for N = 5, equal to
    ceil(score * 5 / N) for N = 10, and N's lowest and highest scores always
    land on 1 and 5. -#}
{% macro rfm_score_to_quintile(score, bins) -%}
    {%- if bins == 5 -%}
    {{ score }}
    {%- else -%}
    (1 + {{ rfm_int_div('(' ~ score ~ ' - 1) * 8 + ' ~ (bins - 1), 2 * (bins - 1)) }})
    {%- endif -%}
{%- endmacro %}
