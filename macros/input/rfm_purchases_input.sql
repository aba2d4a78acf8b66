{#- Where purchases come from and how their columns map to ours.

    Three inputs, chosen by vars: a file or glob read by DuckDB
    (`purchases_path`), a warehouse table declared as a dbt source
    (`purchases_source_table`), or the sample seed. `purchases_columns` maps our
    names to yours. At execution the real columns are read, so a missing
    required column stops the run with a message naming the var, the column
    and the input. -#}

{% macro rfm_purchase_columns() -%}
    {#- Our column name -> is it required. Order is the order of the *_raw columns. -#}
    {{- return([
        {'name': 'customer_id', 'required': true},
        {'name': 'purchased_at', 'required': true},
        {'name': 'amount', 'required': true},
        {'name': 'order_id', 'required': false},
        {'name': 'quantity', 'required': false},
        {'name': 'store_id', 'required': false},
        {'name': 'product_category', 'required': false},
    ]) -}}
{%- endmacro %}


{% macro rfm_purchases_input() -%}
    {#- Returns {kind, label, relation}: `relation` is what goes after FROM. -#}
    {%- set path = var('purchases_path', none) -%}
    {%- set table = var('purchases_source_table', none) -%}
    {%- if path and table -%}
        {{ rfm_config_error('purchases_path', "set either purchases_path (a file) or purchases_source_table (a warehouse table), not both") }}
    {%- endif -%}
    {%- if path -%}
        {%- if path is not string -%}
            {{ rfm_config_error('purchases_path', "expected a file path or glob, got " ~ (path | tojson)) }}
        {%- endif -%}
        {%- if target.type != 'duckdb' -%}
            {{ rfm_config_error('purchases_path', "reading files directly needs the DuckDB target (this is '" ~ target.type ~ "'); load the file into a table and set purchases_source_table") }}
        {%- endif -%}
        {%- set format = rfm_purchases_format(path) -%}
        {%- set quoted = "'" ~ path | replace("'", "''") ~ "'" -%}
        {%- if format == 'csv' -%}
            {#- all_varchar: every value arrives as text, so a bad value becomes a
                rejected row with a reason instead of a failed type cast. -#}
            {%- set relation = "read_csv(" ~ quoted ~ ", header = true, all_varchar = true, union_by_name = true"
                ~ rfm_csv_options() ~ ")" -%}
        {%- else -%}
            {%- set relation = "read_parquet(" ~ quoted ~ ", union_by_name = true)" -%}
        {%- endif -%}
        {{- return({'kind': 'file', 'label': "purchases_path '" ~ path ~ "'", 'relation': relation, 'path': path}) -}}
    {%- elif table -%}
        {{- return({'kind': 'source', 'label': "purchases_source_table '" ~ table ~ "'", 'relation': source('rfm_input', 'purchases')}) -}}
    {%- else -%}
        {{- return({'kind': 'seed', 'label': "the sample seed 'sample_purchases'", 'relation': ref('sample_purchases')}) -}}
    {%- endif -%}
{%- endmacro %}


{% macro rfm_csv_options() -%}
    {#- Extra read_csv options from the var purchases_csv_options, e.g.
        {encoding: latin-1, delim: ';'}, for files DuckDB cannot sniff. -#}
    {%- set options = var('purchases_csv_options', {}) or {} -%}
    {%- if options is not mapping -%}
        {{ rfm_config_error('purchases_csv_options', "expected a mapping of DuckDB read_csv options such as {encoding: latin-1, delim: ';'}, got " ~ (options | tojson)) }}
    {%- endif -%}
    {%- set rendered = [] -%}
    {%- for key, value in options.items() | sort -%}
        {%- if key | lower in ['header', 'all_varchar', 'union_by_name', 'columns', 'types', 'dtypes'] or not modules.re.match('^[a-z_]+$', key | lower) -%}
            {{ rfm_config_error('purchases_csv_options', "option '" ~ key ~ "' cannot be set here (the project reads every column as text, by name, with a header)") }}
        {%- endif -%}
        {%- if key | lower in ['ignore_errors', 'store_rejects', 'rejects_table', 'rejects_scan', 'rejects_limit'] -%}
            {{ rfm_config_error('purchases_csv_options', "option '" ~ key ~ "' would drop unreadable lines without counting them; fix the file, or its encoding and delimiter, instead") }}
        {%- endif -%}
        {%- if value is boolean or value is number -%}
            {%- do rendered.append(key ~ " = " ~ (value | string | lower)) -%}
        {%- else -%}
            {%- do rendered.append(key ~ " = '" ~ value | string | replace("'", "''") ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return((', ' ~ rendered | join(', ')) if rendered else '') -}}
{%- endmacro %}


{% macro rfm_purchases_format(path) -%}
    {%- set format = rfm_choice('purchases_format', ['auto', 'csv', 'parquet'], 'auto') -%}
    {%- if format != 'auto' -%}{{ return(format) }}{%- endif -%}
    {%- set lowered = path | lower -%}
    {%- if lowered.endswith('.parquet') or lowered.endswith('.pq') -%}{{ return('parquet') }}{%- endif -%}
    {%- if lowered.endswith('.csv') or lowered.endswith('.csv.gz') or lowered.endswith('.tsv') or lowered.endswith('.txt') -%}{{ return('csv') }}{%- endif -%}
    {{ rfm_config_error('purchases_format', "cannot tell the format of '" ~ path ~ "' from its extension; set purchases_format to csv or parquet") }}
{%- endmacro %}


{% macro rfm_input_columns(input) -%}
    {#- The input's real columns as a list of {name, type}, read at execution.
        Errors name input.path_var / input.table_var (default: the purchases vars). -#}
    {%- if input.kind == 'file' -%}
        {%- set found = run_query("select count(*) from glob('" ~ input.path | replace("'", "''") ~ "')") -%}
        {%- if found.rows[0][0] == 0 -%}
            {{ rfm_config_error(input.get('path_var', 'purchases_path'), "no file matches '" ~ input.path ~ "' (relative paths are resolved from the directory dbt runs in)") }}
        {%- endif -%}
        {%- set described = run_query("describe select * from " ~ input.relation) -%}
        {%- set columns = [] -%}
        {%- for row in described.rows -%}
            {%- do columns.append({'name': row[0], 'type': row[1] | upper}) -%}
        {%- endfor -%}
        {{- return(columns) -}}
    {%- else -%}
        {%- set columns = [] -%}
        {%- for column in adapter.get_columns_in_relation(input.relation) -%}
            {%- do columns.append({'name': column.name, 'type': column.dtype | upper}) -%}
        {%- endfor -%}
        {%- if columns | length == 0 -%}
            {{ rfm_config_error(input.get('table_var', 'purchases_source_table'), input.label ~ " does not exist or has no columns (" ~ input.relation ~ ")") }}
        {%- endif -%}
        {{- return(columns) -}}
    {%- endif -%}
{%- endmacro %}


{% macro rfm_purchases_column_map(input) -%}
    {#- Returns {mapped: our column -> {source: the input's column or none,
        type}, all: every input column as {name, type}}. Before execution
        (parsing) there is nothing to read, so the mapping is taken as given. -#}
    {%- set mapping = var('purchases_columns', {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ rfm_config_error('purchases_columns', "expected a mapping such as {customer_id: CustomerID, purchased_at: InvoiceDate, amount: Amount}, got " ~ (mapping | tojson)) }}
    {%- endif -%}
    {%- set known = rfm_purchase_columns() | map(attribute='name') | list -%}
    {%- for key in mapping -%}
        {%- if key not in known -%}
            {{ rfm_config_error('purchases_columns', "unknown key '" ~ key ~ "'; the keys are " ~ known | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}

    {#- The sample seed's columns are ours, and it may not be loaded yet
        (dbt compile or docs generate on a fresh database). -#}
    {%- set introspect = execute and input.kind != 'seed' -%}
    {%- set available = {} -%}
    {%- if introspect -%}
        {%- for column in rfm_input_columns(input) -%}
            {%- do available.update({column.name | lower: column}) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set resolved = {} -%}
    {%- for column in rfm_purchase_columns() -%}
        {%- set explicit = column.name in mapping -%}
        {%- set wanted = mapping[column.name] if explicit else column.name -%}
        {%- if wanted is none or (wanted is string and wanted.strip() == '') -%}
            {%- if column.required -%}
                {{ rfm_config_error('purchases_columns', "'" ~ column.name ~ "' is required and cannot be mapped to nothing") }}
            {%- endif -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- elif not introspect -%}
            {%- do resolved.update({column.name: {'source': wanted, 'type': none}}) -%}
        {%- elif wanted | lower in available -%}
            {%- set found = available[wanted | lower] -%}
            {%- do resolved.update({column.name: {'source': found.name, 'type': found.type}}) -%}
        {%- elif column.required or explicit -%}
            {%- set found_names = available.values() | map(attribute='name') | list -%}
            {%- set hint = '' -%}
            {%- if input.kind == 'file' and rfm_purchases_format(input.path) == 'csv' -%}
                {%- set hint = ". If those are not the file's real column names, DuckDB could not detect its layout: lines with more fields than the header, or an unusual delimiter or encoding (set purchases_csv_options, e.g. {delim: ';', encoding: latin-1})" -%}
            {%- endif -%}
            {{ rfm_config_error('purchases_columns', "column '" ~ wanted ~ "' (for " ~ column.name ~ ") is not in " ~ input.label ~ "; its columns are: " ~ found_names | join(', ') ~ hint) }}
        {%- else -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if introspect -%}
        {%- set all_columns = available.values() | list -%}
    {%- else -%}
        {%- set all_columns = [] -%}
        {%- for column in resolved.values() if column.source is not none -%}
            {%- do all_columns.append({'name': column.source, 'type': column.type}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return({'mapped': resolved, 'all': all_columns}) -}}
{%- endmacro %}
