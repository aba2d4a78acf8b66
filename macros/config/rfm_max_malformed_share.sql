{#- The share of an input file's lines that may be malformed (quarantined)
    before the build stops: a wrong delimiter or encoding makes most lines
    malformed and must fail loudly, not quarantine the whole file. -#}
{% macro rfm_max_malformed_share() -%}
    {%- set value = var('max_malformed_share', 0.01) -%}
    {%- if value is string -%}
        {%- set text = value.strip() -%}
        {%- if modules.re.fullmatch('[0-9]*\\.?[0-9]+', text) -%}{%- set value = text | float -%}{%- endif -%}
    {%- endif -%}
    {%- if value is not number or value is boolean or value < 0 or value > 1 -%}
        {{ rfm_config_error('max_malformed_share', "expected a share of lines between 0 and 1, such as 0.01 (1%), got " ~ (value | tojson)) }}
    {%- endif -%}
    {{- return(value | float) -}}
{%- endmacro %}
