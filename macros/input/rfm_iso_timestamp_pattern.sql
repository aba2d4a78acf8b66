{#- The text forms every engine parses alike. No backslashes: Spark would
    read them as string escapes. -#}
{% macro rfm_iso_timestamp_pattern(with_zone=false) -%}
    {%- set date = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- set time = '[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?' -%}
    {%- if with_zone -%}
    {#- A time followed by Z, an offset (+02, +0200, +02:00) or a zone name. -#}
    {{- return('^' ~ date ~ time ~ ' *([zZ]|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$') -}}
    {%- else -%}
    {{- return('^' ~ date ~ '(' ~ time ~ ')?$') -}}
    {%- endif -%}
{%- endmacro %}
