{#- The predicted-value vars, validated (called while the CLV models parse and
    at run start). Returns {time_unit, horizon_days, annual_discount_rate}. -#}
{% macro rfm_clv_settings() -%}
    {%- set time_unit = rfm_choice('clv_time_unit', ['day', 'week'], 'week') -%}
    {%- set horizon_days = rfm_whole_number('clv_horizon_days', var('clv_horizon_days', 365), 1, 36500,
        'a whole number of days from 1 to 36500') -%}
    {%- set rate = var('clv_annual_discount_rate', 0.10) -%}
    {%- if rate is string -%}
        {%- set text = rate.strip() -%}
        {%- set rate = text | float if modules.re.match('^[0-9]*\\.?[0-9]+$', text) else text -%}
    {%- endif -%}
    {%- if rate is not number or rate is boolean or rate < 0 or rate >= 1 -%}
        {{ rfm_config_error('clv_annual_discount_rate', "expected a rate from 0 to below 1 (0.10 for 10 %), got " ~ (var('clv_annual_discount_rate') | tojson)) }}
    {%- endif -%}
    {{- return({'time_unit': time_unit, 'horizon_days': horizon_days, 'annual_discount_rate': rate}) -}}
{%- endmacro %}
