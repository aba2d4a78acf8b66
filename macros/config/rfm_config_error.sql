{#- Stops the run with a message that names the var. Every var is read
    through a validated accessor (macros/config/), so a bad value fails at
    parse time, before any SQL runs. -#}
{% macro rfm_config_error(var_name, message) -%}
    {{ exceptions.raise_compiler_error("Invalid var '" ~ var_name ~ "': " ~ message) }}
{%- endmacro %}
