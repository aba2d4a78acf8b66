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
