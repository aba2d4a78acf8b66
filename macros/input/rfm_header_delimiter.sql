{#- The most frequent of , ; tab | in the header line (',' on a tie or when
    none is there: a one-column header). -#}
{% macro rfm_header_delimiter(header) -%}
    {%- set ns = namespace(best=',', count=0) -%}
    {%- for candidate in [',', ';', '\t', '|'] -%}
        {%- set count = header.count(candidate) -%}
        {%- if count > ns.count -%}
            {%- set ns.best = candidate -%}
            {%- set ns.count = count -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(ns.best) -}}
{%- endmacro %}
