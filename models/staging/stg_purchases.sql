{#- One row per input row: the original text of every mapped column (*_raw),
    the typed and trimmed values, a key over the whole row, and the first
    reason, if any, why the row cannot be used on its own. -#}
{%- set input = rfm_input('purchases') -%}
{%- set input_columns = rfm_input_column_map(input) -%}
{%- set columns = input_columns.mapped -%}
{%- set missing_ids = var('missing_customer_id_values', []) or [] -%}
{%- if missing_ids is string or missing_ids is mapping or missing_ids is not iterable -%}
    {{ rfm_config_error('missing_customer_id_values', "expected a list of ids such as ['n/a', 'unknown'], got " ~ (missing_ids | tojson)) }}
{%- endif -%}

with source as (

    select * from {{ input.relation }}

),

renamed as (

    select
        -- Exact duplicates (the same trimmed text in every input column,
        -- mapped or not) share this key.
        {{ rfm_row_key(input_columns.all) }} as purchase_key,
        {%- for name, column in columns.items() %}
        {% if column.source is none -%}
        cast(null as {{ dbt.type_string() }})
        {%- else -%}
        {{ rfm_raw_text(adapter.quote(column.source), column.type) }}
        {%- endif %} as {{ name }}_raw{{ ',' if not loop.last }}
        {%- endfor %}
    from source

),

trimmed as (

    select
        *,
        {%- for name in columns %}
        {{ rfm_clean_text(name ~ '_raw') }} as {{ name }}_text{{ ',' if not loop.last }}
        {%- endfor %}
    from renamed

),

typed as (

    select
        *,
        {% if missing_ids -%}
        case
            when lower(customer_id_text) in (
                {%- for value in missing_ids %}'{{ value | string | trim | lower | replace("'", "''") }}'{{ ', ' if not loop.last }}{% endfor -%}
            ) then null
            else {{ rfm_fold_customer_id('customer_id_text') }}
        end
        {%- else -%}
        {{ rfm_fold_customer_id('customer_id_text') }}
        {%- endif %} as customer_id,
        {{ rfm_parse_timestamp('purchased_at_text', columns.purchased_at.type) }} as purchased_at,
        {{ rfm_parse_number('amount_text', 'decimal(18, 4)') }} as amount,
        order_id_text as order_id,
        {{ rfm_parse_number('quantity_text', 'decimal(18, 3)') }} as quantity,
        store_id_text as store_id,
        product_category_text as product_category
    from trimmed

),

final as (

    select
        purchase_key,
        {%- for name in columns %}
        {{ name }}_raw,
        {%- endfor %}
        customer_id,
        purchased_at,
        cast(purchased_at as date) as purchase_date,
        amount,
        order_id,
        quantity,
        store_id,
        product_category,
        case
            when customer_id is null then 'missing_customer_id'
            when purchased_at_text is null then 'missing_purchase_date'
            when purchased_at is null then 'unparseable_purchase_date'
            -- A year like 0202 parses but is a typo; it would stretch the calendar.
            when purchased_at < cast('1900-01-01' as timestamp) then 'implausible_purchase_date'
            when amount_text is null then 'missing_amount'
            when amount is null then 'non_numeric_amount'
            when quantity_text is not null and quantity is null then 'non_numeric_quantity'
        end as row_reject_reason
    from typed

)

select * from final
