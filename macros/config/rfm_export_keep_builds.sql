{% macro rfm_export_keep_builds() -%}
    {#- The current build and the one before it (which a running Power BI refresh may still read) are always kept. -#}
    {{- return(rfm_whole_number('export_keep_builds', var('export_keep_builds', 2), 2, none,
        'a whole number of at least 2 (the current build and the one before it are always kept)')) -}}
{%- endmacro %}
