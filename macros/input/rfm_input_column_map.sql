{#- Resolves the var <prefix>_columns (our column -> yours) against the input's
    real columns. Unlisted optional columns are used when a column of that
    name exists (any case); an optional column mapped to null is ignored.

    Returns {mapped: our column -> {source: the input's column or none, type},
    all: every input column as {name, type}}. Before execution (parsing), and
    for the sample seed (ours, and maybe not loaded yet), there is nothing to
    read, so the mapping is taken as given. Kind 'none' maps every column to
    nothing. -#}
{% macro rfm_input_column_map(input) -%}
    {%- set spec = input.spec -%}
    {%- set columns_var = spec.vars_prefix ~ '_columns' -%}
    {%- set mapping = var(columns_var, {}) or {} -%}
    {%- if mapping is not mapping -%}
        {{ rfm_config_error(columns_var, "expected a mapping such as " ~ spec.mapping_example ~ ", got " ~ (mapping | tojson)) }}
    {%- endif -%}
    {%- set known = spec.columns | map(attribute='name') | list -%}
    {%- for key in mapping if key not in known -%}
        {{ rfm_config_error(columns_var, "unknown key '" ~ key ~ "'; the keys are " ~ known | join(', ')) }}
    {%- endfor -%}

    {%- set introspect = execute and input.kind in ['file', 'warehouse_table'] -%}
    {%- set available = {} -%}
    {%- if introspect -%}
        {%- for column in rfm_input_columns(input) -%}
            {%- do available.update({column.name | lower: column}) -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set resolved = {} -%}
    {%- for column in spec.columns -%}
        {%- set explicit = column.name in mapping -%}
        {%- set wanted = mapping[column.name] if explicit else column.name -%}
        {%- if input.kind == 'none' -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- elif wanted is none or (wanted is string and wanted.strip() == '') -%}
            {%- if column.required -%}
                {{ rfm_config_error(columns_var, "'" ~ column.name ~ "' is required and cannot be mapped to nothing") }}
            {%- endif -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- elif not introspect and input.kind == 'sample_seed' and not explicit and column.get('in_sample', true) == false -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- elif not introspect -%}
            {%- do resolved.update({column.name: {'source': wanted, 'type': none}}) -%}
        {%- elif wanted | lower in available -%}
            {%- set found = available[wanted | lower] -%}
            {%- do resolved.update({column.name: {'source': found.name, 'type': found.type}}) -%}
        {%- elif column.required or explicit -%}
            {%- set found_names = available.values() | map(attribute='name') | list -%}
            {%- set hint = '' -%}
            {%- if input.kind == 'file' and input.format == 'csv' -%}
                {%- set hint = ". If those are not the file's real column names, the delimiter is not one of , ; tab | or the first line is not the header (set " ~ spec.vars_prefix ~ "_csv_options, e.g. {delim: ':', encoding: latin-1})" -%}
            {%- endif -%}
            {{ rfm_config_error(columns_var, "column '" ~ wanted ~ "' (for " ~ column.name ~ ") is not in " ~ input.label ~ "; its columns are: " ~ found_names | join(', ') ~ hint) }}
        {%- else -%}
            {%- do resolved.update({column.name: {'source': none, 'type': none}}) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- Issue 13: e.g. purchases need an amount, or a quantity and a unit price. -#}
    {%- set groups = spec.get('required_one_of', []) -%}
    {%- if groups and input.kind != 'none' -%}
        {%- set complete = [] -%}
        {%- for group in groups -%}
            {%- set missing = [] -%}
            {%- for name in group if resolved[name].source is none -%}{%- do missing.append(name) -%}{%- endfor -%}
            {%- if not missing -%}{%- do complete.append(group) -%}{%- endif -%}
        {%- endfor -%}
        {%- if not complete -%}
            {%- set options = [] -%}
            {%- for group in groups -%}{%- do options.append(group | join(' and ')) -%}{%- endfor -%}
            {{ rfm_config_error(columns_var, "map " ~ options | join(', or ') ~ " (amount = quantity x unit_price when amount is not mapped); none is mapped to a column of " ~ input.label
                ~ ((": its columns are: " ~ available.values() | map(attribute='name') | join(', ')) if introspect else '')) }}
        {%- endif -%}
    {%- endif -%}

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
