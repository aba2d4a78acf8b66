{#- Where customer demographics come from, and how their columns map to ours.

    A file or glob read by DuckDB (`customers_path`), a warehouse table
    (`customers_source_table`), or the sample seed, but the seed only while the
    purchases are the sample too: other purchases with no demographics given
    get none (every customer 'Unknown') rather than the sample's. -#}

{% macro rfm_customer_columns() -%}
    {#- Our column names, in order; only customer_id is required. -#}
    {{- return(['customer_id', 'birth_date', 'gender', 'city', 'region', 'country', 'signup_date', 'home_store_id']) -}}
{%- endmacro %}


{% macro rfm_customers_input() -%}
    {#- Returns {kind, label, relation} like rfm_purchases_input(); kind 'none' has no relation. -#}
    {%- set path = var('customers_path', none) -%}
    {%- set table = var('customers_source_table', none) -%}
    {%- if path and table -%}
        {{ rfm_config_error('customers_path', "set either customers_path (a file) or customers_source_table (a warehouse table), not both") }}
    {%- endif -%}
    {%- if path -%}
        {%- if path is not string -%}
            {{ rfm_config_error('customers_path', "expected a file path or glob, got " ~ (path | tojson)) }}
        {%- endif -%}
        {%- if target.type != 'duckdb' -%}
            {{ rfm_config_error('customers_path', "reading files directly needs the DuckDB target (this is '" ~ target.type ~ "'); load the file into a table and set customers_source_table") }}
        {%- endif -%}
        {%- set lowered = path | lower -%}
        {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
        {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}
            {%- set relation = "read_parquet(" ~ quoted ~ ", union_by_name = true)" -%}
        {%- elif lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.tsv') or lowered.endswith('.txt') -%}
            {#- Text in, so that a bad date is flagged by the cleaning rather than failing the read. -#}
            {%- set relation = "read_csv(" ~ quoted ~ ", header = true, all_varchar = true, union_by_name = true)" -%}
        {%- else -%}
            {{ rfm_config_error('customers_path', "cannot tell the format of '" ~ path ~ "' from its extension (.csv or .parquet)") }}
        {%- endif -%}
        {{- return({'kind': 'file', 'label': "customers_path '" ~ path ~ "'", 'relation': relation, 'path': path,
                    'path_var': 'customers_path', 'table_var': 'customers_source_table'}) -}}
    {%- elif table -%}
        {{- return({'kind': 'source', 'label': "customers_source_table '" ~ table ~ "'", 'relation': source('rfm_input_customers', 'customers'),
                    'path_var': 'customers_path', 'table_var': 'customers_source_table'}) -}}
    {%- elif not var('purchases_path', none) and not var('purchases_source_table', none) -%}
        {{- return({'kind': 'seed', 'label': "the sample seed 'sample_customers'", 'relation': ref('sample_customers')}) -}}
    {%- else -%}
        {{- return({'kind': 'none', 'label': 'no demographics (set customers_path or customers_source_table)', 'relation': none}) -}}
    {%- endif -%}
{%- endmacro %}


{% macro rfm_customers_column_map(input) -%}
    {#- Our column -> {source: the input's column or none, type}. customers_columns
        maps our names to yours; unmapped optional columns are used when a
        column of that name exists, and are empty otherwise. -#}
    {%- set mapping = var('customers_columns', {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ rfm_config_error('customers_columns', "expected a mapping such as {customer_id: CustomerID, birth_date: DOB}, got " ~ (mapping | tojson)) }}
    {%- endif -%}
    {%- for key in mapping if key not in rfm_customer_columns() -%}
        {{ rfm_config_error('customers_columns', "unknown key '" ~ key ~ "'; the keys are " ~ rfm_customer_columns() | join(', ')) }}
    {%- endfor -%}
    {%- set available = {} -%}
    {%- if execute and input.kind in ['file', 'source'] -%}
        {%- for column in rfm_input_columns(input) -%}
            {%- do available.update({column.name | lower: column}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set resolved = {} -%}
    {%- for name in rfm_customer_columns() -%}
        {%- set explicit = name in mapping -%}
        {%- set wanted = mapping[name] if explicit else name -%}
        {%- if input.kind == 'none' or wanted is none or (wanted is string and wanted.strip() == '') -%}
            {%- if name == 'customer_id' and input.kind != 'none' -%}
                {{ rfm_config_error('customers_columns', "'customer_id' is required and cannot be mapped to nothing") }}
            {%- endif -%}
            {%- do resolved.update({name: {'source': none, 'type': none}}) -%}
        {%- elif input.kind == 'seed' or not execute -%}
            {%- do resolved.update({name: {'source': wanted, 'type': none}}) -%}
        {%- elif wanted | lower in available -%}
            {%- set found = available[wanted | lower] -%}
            {%- do resolved.update({name: {'source': found.name, 'type': found.type}}) -%}
        {%- elif name == 'customer_id' or explicit -%}
            {{ rfm_config_error('customers_columns', "column '" ~ wanted ~ "' (for " ~ name ~ ") is not in " ~ input.label ~ "; its columns are: " ~ available.values() | map(attribute='name') | join(', ')) }}
        {%- else -%}
            {%- do resolved.update({name: {'source': none, 'type': none}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(resolved) -}}
{%- endmacro %}
