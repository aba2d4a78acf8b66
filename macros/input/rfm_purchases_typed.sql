{#- How purchase rows are compared and typed, shared by stg_purchases (one
    row per input row) and int_purchases_screened (one row per distinct row).

    Rows are deduplicated on one "comparison value" per input column, mapped
    or not: the trimmed text of a text column, or the typed value of a date,
    timestamp, decimal or integer column on DuckDB (equal values have equal
    text, so this is the same test as comparing text, without printing every
    value). Everything else (the typed columns and the row-level reject
    reason) is a function of the comparison values, so it can be computed
    after the duplicates are merged, once per distinct row. -#}

{% macro rfm_purchases_layout() -%}
    {#- Returns {input, mapped, compared}:
        - mapped: our column -> {source, type} (rfm_purchases_column_map);
        - compared: one entry per input column, in the input's order:
          {source, type, alias (its comparison column), is_typed}. -#}
    {%- set input = rfm_purchases_input() -%}
    {%- set column_map = rfm_purchases_column_map(input) -%}
    {%- set compared = [] -%}
    {%- set aliases = {} -%}
    {%- for column in column_map.all -%}
        {%- set ours = [] -%}
        {%- for name, mapped in column_map.mapped.items() if mapped.source == column.name -%}
            {%- do ours.append(name) -%}
        {%- endfor -%}
        {%- set alias = (ours[0] if ours else 'input_column_' ~ loop.index) ~ '_compared' -%}
        {%- do aliases.update({column.name: alias}) -%}
        {%- do compared.append({'source': column.name, 'type': column.type, 'alias': alias,
                                'is_typed': rfm_is_comparable_typed(column.type)}) -%}
    {%- endfor -%}
    {{- return({'input': input, 'mapped': column_map.mapped, 'compared': compared, 'aliases': aliases}) -}}
{%- endmacro %}


{% macro rfm_is_comparable_typed(source_type) -%}
    {#- Types whose values are compared and typed directly. Only on DuckDB,
        whose type names these are; floating point stays text (-0.0, NaN). -#}
    {%- if target.type != 'duckdb' or not source_type -%}{{ return(false) }}{%- endif -%}
    {%- set upper = source_type | upper -%}
    {{- return(upper in ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT',
                         'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'] or upper.startswith('DECIMAL')) -}}
{%- endmacro %}


{% macro rfm_compared_value(column) -%}
    {#- The comparison value of one input column, read from the input. '' and
        null stay apart, as they did when rows were compared as text. -#}
    {%- if column.is_typed -%}
    {{ adapter.quote(column.source) }}
    {%- else -%}
    trim({{ rfm_raw_text(adapter.quote(column.source), column.type) }})
    {%- endif -%}
{%- endmacro %}


{% macro rfm_purchase_key(layout, copy_number=none) -%}
    {#- md5 of the trimmed text of every input column (mapped or not), nulls
        and separators spelled out so that ('a', null) and (null, 'a') differ:
        the same text on every engine, so the same key. With
        exact_duplicates 'keep', the n-th copy (n > 1) of a row gets '-n'
        after it. Computed from the comparison columns. -#}
    {%- set parts = [] -%}
    {%- for column in layout.compared -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- if column.is_typed -%}
            {%- do parts.append("coalesce(trim(" ~ rfm_raw_text(column.alias, column.type) ~ "), '<null>')") -%}
        {%- else -%}
            {%- do parts.append("coalesce(" ~ column.alias ~ ", '<null>')") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set key = dbt.hash(dbt.concat(parts)) -%}
    {%- if copy_number is none -%}
    {{ key }}
    {%- else -%}
    case when {{ copy_number }} = 1 then {{ key }}
        else {{ dbt.concat([key, "'-'", dbt.cast(copy_number, dbt.type_string())]) }} end
    {%- endif -%}
{%- endmacro %}


{% macro rfm_purchases_typed_ctes(layout, from_cte) -%}
    {#- CTEs `purchase_texts`, `purchase_values` and `purchases_typed` over
        `from_cte`, which has the comparison columns: the typed, trimmed
        columns and the first row-level reason, if any, why the row cannot be
        used. Every other column of `from_cte` is kept. -#}
    {%- set missing_ids = var('missing_customer_id_values', []) or [] -%}
    {%- if missing_ids is string or missing_ids is mapping or missing_ids is not iterable -%}
        {{ rfm_config_error('missing_customer_id_values', "expected a list of ids such as ['n/a', 'unknown'], got " ~ (missing_ids | tojson)) }}
    {%- endif -%}
    {%- set by_source = {} -%}
    {%- for column in layout.compared -%}{%- do by_source.update({column.source: column}) -%}{%- endfor -%}
    {%- set typed_input = {} -%}
    purchase_texts as (

        select
            *,
            {%- for name, mapped in layout.mapped.items() %}
            {%- set column = by_source.get(mapped.source) %}
            {% if column is none -%}
            cast(null as {{ dbt.type_string() }})
            {%- elif column.is_typed -%}
            {%- do typed_input.update({name: column}) -%}
            {{ rfm_clean_text(rfm_raw_text(column.alias, column.type)) }}
            {%- else -%}
            nullif({{ column.alias }}, '')
            {%- endif %} as {{ name }}_text{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ from_cte }}

    ),

    purchase_values as (

        select
            *,
            {% if missing_ids -%}
            case
                when lower(customer_id_text) in (
                    {%- for value in missing_ids %}'{{ value | string | trim | lower | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
                ) then null
                else customer_id_text
            end
            {%- else -%}
            customer_id_text
            {%- endif %} as customer_id,
            {{ rfm_typed_timestamp(typed_input.get('purchased_at'), 'purchased_at_text', layout.mapped.purchased_at.type) }} as purchased_at,
            {{ rfm_typed_number(typed_input.get('amount'), 'amount_text', 'decimal(18, 4)') }} as amount,
            order_id_text as order_id,
            {{ rfm_typed_number(typed_input.get('quantity'), 'quantity_text', 'decimal(18, 3)') }} as quantity,
            store_id_text as store_id,
            product_category_text as product_category
        from purchase_texts

    ),

    purchases_typed as (

        select
            *,
            cast(purchased_at as date) as purchase_date,
            case
                when customer_id is null then 'missing_customer_id'
                when {{ rfm_is_missing(typed_input, 'purchased_at') }} then 'missing_purchase_date'
                when purchased_at is null then 'unparseable_purchase_date'
                -- A year like 0202 parses but is a typo; it would stretch the calendar.
                when purchased_at < cast('1900-01-01' as timestamp) then 'implausible_purchase_date'
                when {{ rfm_is_missing(typed_input, 'amount') }} then 'missing_amount'
                when amount is null then 'non_numeric_amount'
                when not {{ rfm_is_missing(typed_input, 'quantity') }} and quantity is null then 'non_numeric_quantity'
            end as row_reject_reason
        from purchase_values

    )
{%- endmacro %}


{% macro rfm_typed_timestamp(column, text, source_type) -%}
    {#- A date or timestamp column is used as it is (converted to the business
        time zone when it has one); text is parsed. -#}
    {%- if column is none -%}
    {{ rfm_parse_timestamp(text, source_type) }}
    {%- elif column.type | upper == 'TIMESTAMP WITH TIME ZONE' -%}
    timezone('{{ rfm_business_time_zone() }}', {{ column.alias }})
    {%- elif column.type | upper in ['DATE', 'TIMESTAMP'] -%}
    cast({{ column.alias }} as timestamp)
    {%- else -%}
    {#- A number where a date belongs: its text does not parse, as before. -#}
    {{ rfm_parse_timestamp(text, source_type) }}
    {%- endif -%}
{%- endmacro %}


{% macro rfm_typed_number(column, text, data_type) -%}
    {#- A decimal or integer column is cast (null when it does not fit); text is parsed. -#}
    {%- if column is none or column.type | upper in ['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'] -%}
    {{ rfm_parse_number(text, data_type) }}
    {%- else -%}
    try_cast({{ column.alias }} as {{ data_type }})
    {%- endif -%}
{%- endmacro %}


{% macro rfm_is_missing(typed_input, name) -%}
    {#- A typed value is missing when null: no need to print it to find out. -#}
    {%- if name in typed_input -%}
    ({{ typed_input[name].alias }} is null)
    {%- else -%}
    ({{ name }}_text is null)
    {%- endif -%}
{%- endmacro %}
