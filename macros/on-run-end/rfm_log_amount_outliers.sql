{#- on-run-end (from rfm_log_reconciliation): name the lines whose amount is an
    outlier (the rows of warn_amount_outliers), their count and what became of
    them, so a 1e12 typo is seen before the report is. -#}
{% macro rfm_log_amount_outliers(shown=10) -%}
    {%- set limits = rfm_model_relation('int_purchase_amount_limits') -%}
    {%- set screened = rfm_model_relation('int_purchases_screened') -%}
    {%- if limits is none or screened is none -%}{{ return('') }}{%- endif -%}
    {%- set string = dbt.type_string() -%}
    {%- set found = run_query(
        "select cast(s.customer_id as " ~ string ~ "), cast(s.purchase_date as " ~ string ~ "), "
        ~ "cast(s.order_id as " ~ string ~ "), cast(s.amount as " ~ string ~ "), "
        ~ "cast(l.amount_outlier_limit as " ~ string ~ "), coalesce(s.reject_reason, 'kept'), s.purchase_key "
        ~ "from " ~ screened ~ " as s cross join " ~ limits ~ " as l "
        ~ "where abs(s.amount) > l.amount_outlier_limit "
        ~ "and (s.reject_reason is null or s.reject_reason = 'amount_outlier') "
        ~ "order by abs(s.amount) desc, s.purchase_key") -%}
    {%- if not found.rows -%}{{ return('') }}{%- endif -%}
    {%- set count = found.rows | length -%}
    {{ log("Amount outliers: " ~ count ~ " line" ~ ('s' if count > 1 else '') ~ " beyond "
        ~ rfm_amount_outlier_factor() ~ " x the 99.9th percentile of absolute amounts (limit "
        ~ found.rows[0][4] ~ "; amount_outliers: " ~ rfm_amount_outliers() ~ "):", info=true) }}
    {%- for row in found.rows[:shown] -%}
        {{ log("  customer " ~ row[0] ~ ", " ~ row[1] ~ (", order " ~ row[2] if row[2] is not none else '')
            ~ ": amount " ~ row[3] ~ " (" ~ row[5] ~ ", purchase_key " ~ row[6] ~ ")", info=true) }}
    {%- endfor -%}
    {%- if count > shown -%}
        {{ log("  ... and " ~ (count - shown) ~ " more (warn_amount_outliers lists them all)", info=true) }}
    {%- endif -%}
    {{- return('') -}}
{%- endmacro %}
