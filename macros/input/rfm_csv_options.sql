{#- Extra read_csv options from the var <prefix>_csv_options, e.g.
    {encoding: latin-1, delim: ';'}, for files DuckDB cannot sniff; rendered
    as ", key = value, ..." (sorted by key), or '' when there are none. -#}
{% macro rfm_csv_options(spec) -%}
    {%- set options_var = spec.vars_prefix ~ '_csv_options' -%}
    {%- set options = var(options_var, {}) or {} -%}
    {%- if options is not mapping -%}
        {{ rfm_config_error(options_var, "expected a mapping of DuckDB read_csv options such as {encoding: latin-1, delim: ';'}, got " ~ (options | tojson)) }}
    {%- endif -%}
    {%- set rendered = [] -%}
    {%- for key, value in options.items() | sort -%}
        {%- if key | lower in ['header', 'all_varchar', 'union_by_name', 'columns', 'types', 'dtypes'] or not modules.re.match('^[a-z_]+$', key | lower) -%}
            {{ rfm_config_error(options_var, "option '" ~ key ~ "' cannot be set here (the project reads every column as text, by name, with a header)") }}
        {%- endif -%}
        {%- if key | lower in ['ignore_errors', 'store_rejects', 'rejects_table', 'rejects_scan', 'rejects_limit'] -%}
            {{ rfm_config_error(options_var, "option '" ~ key ~ "' is set by the project: malformed lines are already set aside with their line number and counted (see max_malformed_share); if most lines are malformed, fix the encoding or delimiter instead") }}
        {%- endif -%}
        {%- if value is boolean or value is number -%}
            {%- do rendered.append(key ~ " = " ~ (value | string | lower)) -%}
        {%- else -%}
            {%- do rendered.append(key ~ " = '" ~ value | string | replace("'", "''") ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return((', ' ~ rendered | join(', ')) if rendered else '') -}}
{%- endmacro %}
