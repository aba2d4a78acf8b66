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
    {%- do rfm_log_amount_outliers() -%}
    {%- do rfm_log_score_ties() -%}
    {{- return('') -}}
{%- endmacro %}
