{#- What one input is: our columns (in order, with whether each is required),
    the sample seed, the dbt source of a warehouse table, and the prefix of its
    vars (<prefix>_path, _format, _csv_options, _source_schema, _source_table,
    _columns). rfm_input() resolves every input from its spec the same way.
    in_sample: false for an optional column the sample seed does not have.
    required_one_of: groups of columns, at least one of which must be mapped
    in full (rfm_input_column_map refuses the mapping otherwise).

    seed_needs_sample_of: the seed stands in only while that other input is
    its sample too. The sample's demographics describe the sample's customers
    only: other purchases without demographics get none ('Unknown'). -#}
{% macro rfm_input_spec(entity) -%}
    {%- set specs = {
        'purchases': {
            'entity': 'purchases',
            'columns': [
                {'name': 'customer_id', 'required': true},
                {'name': 'purchased_at', 'required': true},
                {'name': 'amount', 'required': false},
                {'name': 'order_id', 'required': false},
                {'name': 'quantity', 'required': false},
                {'name': 'store_id', 'required': false},
                {'name': 'product_category', 'required': false},
                {'name': 'unit_price', 'required': false, 'in_sample': false},
            ],
            'required_one_of': [['amount'], ['quantity', 'unit_price']],
            'seed': 'sample_purchases',
            'source': ['rfm_input', 'purchases'],
            'vars_prefix': 'purchases',
            'seed_needs_sample_of': none,
            'mapping_example': '{customer_id: CustomerID, purchased_at: InvoiceDate, amount: Amount}',
        },
        'customers': {
            'entity': 'customers',
            'columns': [
                {'name': 'customer_id', 'required': true},
                {'name': 'birth_date', 'required': false},
                {'name': 'gender', 'required': false},
                {'name': 'city', 'required': false},
                {'name': 'region', 'required': false},
                {'name': 'country', 'required': false},
                {'name': 'signup_date', 'required': false},
                {'name': 'home_store_id', 'required': false},
            ],
            'seed': 'sample_customers',
            'source': ['rfm_input_customers', 'customers'],
            'vars_prefix': 'customers',
            'seed_needs_sample_of': 'purchases',
            'mapping_example': '{customer_id: CustomerID, birth_date: DOB}',
        },
    } -%}
    {%- if entity not in specs -%}
        {{ exceptions.raise_compiler_error("rfm_input_spec: unknown input '" ~ entity ~ "'; the inputs are " ~ specs.keys() | join(', ')) }}
    {%- endif -%}
    {{- return(specs[entity]) -}}
{%- endmacro %}
