{% macro rfm_score_bins() -%}
    {{- return(rfm_whole_number('rfm_score_bins', var('rfm_score_bins', 5), 2, 10, 'a whole number from 2 to 10')) -}}
{%- endmacro %}
