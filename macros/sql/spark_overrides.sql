{#- Overrides of dbt-spark macros, found before dbt-spark's own because the
    root project comes first in dbt's macro search. -#}

{#- Spark has no bare `varchar` (it wants a length) and calls it `string`.
    The model contracts spell text columns `varchar`, the standard name
    DuckDB and PostgreSQL use, and dbt checks a contract by casting null to
    each declared type: this lets the same contract hold on Spark. -#}
{% macro spark__cast(field, type) -%}
    {%- set spelled = 'string' if type | trim | lower in ['varchar', 'text'] else type -%}
    cast({{ field }} as {{ spelled }})
{%- endmacro %}


{#- Seeds on Spark: dbt-spark's session method pastes each value between
    quotes unescaped, so a value holding a quote ("Provence-Alpes-Cote
    d'Azur") breaks the INSERT and an empty cell arrives as the text 'None'.
    Here each value is a properly escaped literal, and an empty cell is null. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    cast({{ rfm_spark_literal(value) }} as {{ types[loop.index0] }}){{ ',' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{- return(statements[0] if statements else '') -}}
{%- endmacro %}


{#- A Python value from a seed as a Spark SQL literal. -#}
{% macro rfm_spark_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- else -%}
        {%- set text = value.isoformat(' ') if value.isoformat is defined and value.hour is defined
            else (value.isoformat() if value.isoformat is defined else value | string) -%}
        '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}
