{#- One row per CRM record: our column names, trimmed text, blanks as null.
    Cleaning and typing are the demographic model's job (in Python, with
    tested functions), so nothing here can fail on a bad value. -#}
{%- set input = rfm_input('customers') -%}
{%- set columns = rfm_input_column_map(input).mapped -%}

{%- if input.kind == 'none' %}

-- No demographics were given for these purchases: an empty table of the right shape.
select
    {%- for name in columns %}
    cast(null as {{ dbt.type_string() }}) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
where 1 = 0

{%- else %}

with source as (

    select * from {{ input.relation }}

),

final as (

    select
        {%- for name, column in columns.items() %}
        {% if column.source is none -%}
        cast(null as {{ dbt.type_string() }})
        {%- else -%}
        {%- set cleaned = rfm_clean_text(rfm_raw_text(adapter.quote(column.source), column.type)) -%}
        {{ rfm_fold_customer_id(cleaned) if name == 'customer_id' else cleaned }}
        {%- endif %} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from source

)

select * from final

{%- endif %}
