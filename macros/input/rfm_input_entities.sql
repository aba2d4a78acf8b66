{#- The inputs the project reads, in the order they are checked and listed in the manifest. -#}
{% macro rfm_input_entities() -%}
    {{- return(['purchases', 'customers']) -}}
{%- endmacro %}
