{#- csv or parquet, from the var <prefix>_format or else from the file extension. -#}
{% macro rfm_input_format(spec, path) -%}
    {%- set format_var = spec.vars_prefix ~ '_format' -%}
    {%- set format = rfm_choice(format_var, ['auto', 'csv', 'parquet'], 'auto') -%}
    {%- if format != 'auto' -%}{{ return(format) }}{%- endif -%}
    {%- set lowered = path | lower -%}
    {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}{{ return('parquet') }}{%- endif -%}
    {%- if lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.tsv') or lowered.endswith('.txt') -%}{{ return('csv') }}{%- endif -%}
    {{ rfm_config_error(format_var, "cannot tell the format of '" ~ path ~ "' from its extension; set " ~ format_var ~ " to csv or parquet") }}
{%- endmacro %}
