{#- Overrides dbt-spark's cast (the root project comes first in dbt's macro
    search). Spark has no bare `varchar` (it wants a length) and calls it `string`.
    The model contracts spell text columns `varchar`, the standard name
    DuckDB and PostgreSQL use, and dbt checks a contract by casting null to
    each declared type: this lets the same contract hold on Spark. -#}
{% macro spark__cast(field, type) -%}
    {%- set spelled = 'string' if type | trim | lower in ['varchar', 'text'] else type -%}
    cast({{ field }} as {{ spelled }})
{%- endmacro %}
