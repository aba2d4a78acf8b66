{#- Snappy by default: Power Query's Parquet reader is documented for it; no
    Microsoft document confirms it decodes ZSTD. -#}
{% macro rfm_export_parquet_compression() -%}
    {{- return(rfm_choice('export_parquet_compression', ['snappy', 'zstd', 'gzip', 'uncompressed'], 'snappy')) -}}
{%- endmacro %}
