{#- numerator / denominator rounded half away from zero to `scale` places, in
    whole-number arithmetic: DuckDB divides decimals as doubles (0.145 becomes
    0.14), so this is how every engine gives the same digits. Each operand is
    a decimal with at most numerator_scale / denominator_scale places (0 for
    whole numbers); null when the denominator is null or zero. -#}
{% macro rfm_round_div(numerator, denominator, scale, numerator_scale=0, denominator_scale=0) -%}
    {%- set wide = rfm_type_wide_integer() -%}
    {%- set top = 'abs(cast((' ~ numerator ~ ') * ' ~ 10 ** numerator_scale ~ ' as ' ~ wide ~ ')) * ' ~ 10 ** (denominator_scale + scale) -%}
    {%- set bottom = 'abs(cast(nullif(' ~ denominator ~ ', 0) * ' ~ 10 ** denominator_scale ~ ' as ' ~ wide ~ ')) * ' ~ 10 ** numerator_scale -%}
    (case when ({{ numerator }}) < 0 and ({{ denominator }}) > 0 or ({{ numerator }}) > 0 and ({{ denominator }}) < 0 then -1 else 1 end
        * cast({{ rfm_int_div('2 * ' ~ top ~ ' + ' ~ bottom, '2 * ' ~ bottom) }} as decimal(28, 0))
        {%- if scale > 0 %} * 0.{{ '0' * (scale - 1) }}1{% endif %})
{%- endmacro %}
