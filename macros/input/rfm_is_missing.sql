{#- Whether our column `name` is missing in a row: a typed input value is
    missing when null (no need to print it to find out), text when blank. -#}
{% macro rfm_is_missing(typed_input, name) -%}
    {%- if name in typed_input -%}
    ({{ typed_input[name].alias }} is null)
    {%- else -%}
    ({{ name }}_text is null)
    {%- endif -%}
{%- endmacro %}
