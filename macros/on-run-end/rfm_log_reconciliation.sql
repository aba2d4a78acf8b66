{#- on-run-end: print what the build kept, rejected and merged, so exclusions
    are never silent. The same figures are in rpt_purchases_reconciliation. -#}
{% macro rfm_log_reconciliation(results) -%}
    {%- if not execute or flags.WHICH not in ['build', 'run'] -%}{{ return('') }}{%- endif -%}
    {%- set built = [] -%}
    {%- for result in results if result.node.name == 'rpt_purchases_reconciliation' and (result.status | string) == 'success' -%}
        {%- do built.append(result.node) -%}
    {%- endfor -%}
    {%- if not built -%}{{ return('') }}{%- endif -%}
    {%- set report = run_query("select outcome, reason, row_count, cast(amount as " ~ dbt.type_string() ~ ") from "
        ~ rfm_model_relation('rpt_purchases_reconciliation') ~ " order by outcome, row_count desc, reason") -%}
    {%- set total = report.rows | sum(attribute=2) -%}
    {{ log("Purchases: " ~ total ~ " input rows", info=true) }}
    {%- for row in report.rows -%}
        {{ log("  " ~ row[0] ~ (" / " ~ row[1] if row[0] == 'rejected' else '') ~ ": " ~ row[2] ~ " rows, amount " ~ row[3], info=true) }}
    {%- endfor -%}
    {#- Malformed customer lines have no mart of their own: say how many. -#}
    {%- for result in results if result.node.name == 'stg_customers_malformed_lines' and (result.status | string) == 'success' -%}
        {%- set customers = run_query("select count(*), count(distinct source_file) from " ~ rfm_model_relation('stg_customers_malformed_lines')).rows[0] -%}
        {%- if customers[0] > 0 -%}
            {{ log("Customers: " ~ customers[0] ~ " malformed lines in " ~ customers[1] ~ " file(s), set aside in stg_customers_malformed_lines", info=true) }}
        {%- endif -%}
    {%- endfor -%}
    {%- do rfm_log_amount_outliers() -%}
    {%- do rfm_log_score_ties() -%}
    {{- return('') -}}
{%- endmacro %}
