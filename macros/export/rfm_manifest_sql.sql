{% macro rfm_manifest_sql(tables, path, build_id) -%}
    {%- set reference = run_query("select cast(reference_date as varchar) from " ~ rfm_model_relation('int_rfm_reference_date')) -%}
    {%- set limits = run_query("select cast(amount_outlier_limit as varchar) from " ~ rfm_model_relation('int_purchase_amount_limits')) -%}
    {%- set tie_entries = [] -%}
    {%- for tie in rfm_score_ties() -%}
        {%- set largest = tie.largest -%}
        {%- do tie_entries.append("'" ~ tie.measure ~ "': {'customers_split': " ~ tie.customers ~ ", 'values_split': " ~ tie['values']
            ~ ", 'largest_value': " ~ (rfm_sql_string(largest.value) if largest else 'null')
            ~ ", 'largest_customers': " ~ (largest.customers if largest else 'null')
            ~ ", 'largest_scores': " ~ (rfm_sql_string(largest.min_score ~ '..' ~ largest.max_score) if largest else 'null') ~ "}") -%}
    {%- endfor -%}
    {%- set entries = [] -%}
    {%- for table in tables -%}
        {%- do entries.append("{'name': '" ~ table.name ~ "', 'file': '" ~ table.name ~ ".parquet', 'row_count': " ~ table.row_count ~ "}") -%}
    {%- endfor -%}
    copy (
        select
            {{ rfm_sql_string(reference.rows[0][0]) }} as reference_date,
            '{{ run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ') }}' as built_at,
            '{{ invocation_id }}' as dbt_invocation_id,
            '{{ build_id }}' as build_id,
            {{ rfm_score_bins() }} as rfm_score_bins,
            '{{ rfm_scoring_method() }}' as rfm_scoring_method,
            '{{ rfm_returns_handling() }}' as returns_handling,
            '{{ rfm_business_time_zone() }}' as business_time_zone,
            cast({{ rfm_sql_string(limits.rows[0][0]) if limits.rows and limits.rows[0][0] is not none else 'null' }} as decimal(28, 4)) as amount_outlier_limit,
            '{{ rfm_amount_outliers() }}' as amount_outliers,
            { {{- tie_entries | join(', ') -}} } as score_ties,
            {{ rfm_manifest_inputs() }} as inputs,
            [{{ entries | join(', ') }}] as tables
    ) to {{ rfm_sql_string(path) }} (format json)
{%- endmacro %}
