{#- True when the date and time fields of ISO text (already matched by
    rfm_iso_timestamp_pattern) name a real moment: month 1-12, a day that
    exists in that month, hour < 24, minute and second < 60. -#}
{% macro rfm_iso_fields_are_valid(text) -%}
    {%- set year = 'cast(substring(' ~ text ~ ', 1, 4) as integer)' -%}
    {%- set month = 'cast(substring(' ~ text ~ ', 6, 2) as integer)' -%}
    {%- set day = 'cast(substring(' ~ text ~ ', 9, 2) as integer)' -%}
    {%- set clock = "coalesce(nullif(substring(" ~ text ~ ", {start}, 2), ''), '00')" -%}
    ({{ month }} between 1 and 12
        and {{ day }} between 1 and case
            when {{ month }} = 2 then
                case when ({{ year }} % 4 = 0 and {{ year }} % 100 <> 0) or {{ year }} % 400 = 0 then 29 else 28 end
            when {{ month }} in (4, 6, 9, 11) then 30
            else 31
        end
        and cast({{ clock.replace('{start}', '12') }} as integer) < 24
        and cast({{ clock.replace('{start}', '15') }} as integer) < 60
        and cast(case when substring({{ text }}, 17, 1) = ':' then substring({{ text }}, 18, 2) else '00' end as integer) < 60)
{%- endmacro %}
