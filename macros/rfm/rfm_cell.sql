{#- The R, F and M scores side by side as text, e.g. '545'. With 10 bins
    '1101' could be 1-10-1 or 11-0-1, so the scores are joined by dashes. -#}
{% macro rfm_cell(recency_score, frequency_score, monetary_score, bins) -%}
    {%- set separator = "'-'" if bins == 10 else "''" -%}
    {{ dbt.concat([
        dbt.cast(recency_score, dbt.type_string()), separator,
        dbt.cast(frequency_score, dbt.type_string()), separator,
        dbt.cast(monetary_score, dbt.type_string())]) }}
{%- endmacro %}
