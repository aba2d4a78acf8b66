{% macro rfm_run_date() -%}
    {#- The day the build runs in business_time_zone, as 'YYYY-MM-DD': from
        dbt's run_started_at (UTC), never from the database's clock. -#}
    {%- set utc = modules.pytz.utc -%}
    {%- set started = run_started_at if run_started_at.tzinfo is not none else utc.localize(run_started_at) -%}
    {{- return(started.astimezone(modules.pytz.timezone(rfm_business_time_zone())).strftime('%Y-%m-%d')) -}}
{%- endmacro %}
